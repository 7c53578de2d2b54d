"""Every command of the README's bash blocks runs as written, in order, in a fresh HOME.

A newcomer copies these lines first; a line that fails (a missing example file, a folder a fresh
HOME does not have) is the first thing they meet. Rules, so the README stays plain:
- ``python3 -m venv`` and ``pip install`` steps are the install itself and are not repeated; the
  rest of such a line runs (the cmdlet after ``&&``). The bare test command (``python -m pytest``
  with no path) is this suite and is not run from inside it.
- ``. .venv/bin/activate`` is the test's PATH; ``.venv/bin/X`` is X from the running interpreter.
- A ``# fails: ...`` comment line just above a command: the command must exit non-zero with a
  PowerShell-style error. Every other command must exit 0. None may print a traceback.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
BASH = shutil.which("bash")
pytestmark = pytest.mark.skipif(BASH is None or not (BIN / "pscompat").exists(),
                                reason="needs bash and the installed console scripts")


def readme_commands(text: str) -> list[tuple[str, bool]]:
    """(command, expected to fail) for each command of the ```bash blocks, in order."""
    commands: list[tuple[str, bool]] = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        pending = ""
        fails = False
        for raw in block.splitlines():
            line = pending + raw
            if line.rstrip().endswith("\\"):
                pending = line.rstrip()[:-1] + " "
                continue
            pending = ""
            stripped = line.strip()
            if not stripped:
                continue
            if stripped.startswith("#"):
                fails = stripped.startswith("# fails:")
                continue
            command = _runnable(stripped)
            if command:
                commands.append((command, fails))
            fails = False
    return commands


def _runnable(line: str) -> str:
    if line == ". .venv/bin/activate":
        return ""
    steps = [step.strip() for step in line.split(" && ")]
    kept = [step for step in steps
            if not step.startswith("python3 -m venv") and not re.search(r"\bpip install\b", step)
            and not re.fullmatch(r"(\.venv/bin/)?python -m pytest", step)]
    return " && ".join(step.replace(".venv/bin/", f"{BIN}/", 1) if step.startswith(".venv/bin/") else step
                       for step in kept)


def test_the_parser_finds_the_tour_and_its_marks() -> None:
    commands = readme_commands((ROOT / "README.md").read_text(encoding="utf-8"))
    texts = [c for c, _ in commands]
    assert any(c.startswith(f"{BIN}/New-MgUserAuthenticationTemporaryAccessPassMethod") for c in texts)
    assert any(c.startswith("pscompat run examples/onboarding.ps1 -CsvPath examples/users.csv") for c in texts)
    assert sum(fails for _, fails in commands) >= 2
    assert not any("pip install" in c or c.endswith("python -m pytest") for c in texts)


def test_every_readme_command_runs_as_written(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PSCOMPAT_", "XDG_", "AZURE_", "BASH_COMPLETION")) and not k.lower().endswith("_proxy")}
    env.update(HOME=str(home), PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}", NO_PROXY="*", COLUMNS="120")
    failures = []
    commands = readme_commands((ROOT / "README.md").read_text(encoding="utf-8"))
    for command, fails in commands:
        proc = subprocess.run([BASH, "--norc", "--noprofile", "-o", "pipefail", "-c", command], cwd=ROOT, env=env,
                              capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
        ok = (proc.returncode != 0) if fails else (proc.returncode == 0)
        if not ok or "Traceback (most recent call last)" in proc.stderr + proc.stdout:
            failures.append(f"$ {command}\n  exit {proc.returncode}\n{proc.stderr[-800:]}")
    assert not failures, "\n".join(failures)
    completions = home / ".local" / "share" / "bash-completion" / "completions"
    assert (completions / "pscompat").is_file() and (completions / "New-MgUserAuthenticationTemporaryAccessPassMethod").exists()
