"""Shared helpers for the tools tests: run the real `pscompat` CLI in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, data: Path | None = None, cwd: Path | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`pscompat ARGS` in a fresh interpreter (optionally with PSCOMPAT_DATA=data)."""
    env = dict(os.environ)
    if data is not None:
        env["PSCOMPAT_DATA"] = str(data)
    code = "import sys; from pscompat.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=env, cwd=cwd or ROOT, timeout=timeout, check=False)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of cmdlets/, paramsets/ and compat-matrix.md to change freely."""
    target = tmp_path / "data"
    target.mkdir()
    for name in ("cmdlets", "paramsets"):
        shutil.copytree(ROOT / name, target / name)
    if (ROOT / "compat-matrix.md").is_file():
        shutil.copy(ROOT / "compat-matrix.md", target / "compat-matrix.md")
    return target
