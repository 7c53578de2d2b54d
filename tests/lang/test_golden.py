"""Golden AST tests: each tests/lang/golden/*.ps1 parses to exactly its committed .ast dump.

Regenerate after an intended change with ``PSCOMPAT_UPDATE_GOLDEN=1 pytest tests/lang``
and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pscompat.lang.dump import dump
from pscompat.lang.parser import decode_script_bytes, parse_script

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(GOLDEN.glob("*.ps1"))


@pytest.mark.parametrize("script", CASES, ids=[c.stem for c in CASES])
def test_ast_matches_golden(script: Path) -> None:
    text = decode_script_bytes(script.read_bytes())
    actual = dump(parse_script(text, str(script)))
    expected_path = script.with_suffix(".ast")
    if os.environ.get("PSCOMPAT_UPDATE_GOLDEN") or not expected_path.exists():
        expected_path.write_text(actual, encoding="utf-8")
    assert actual == expected_path.read_text(encoding="utf-8")


def test_golden_set_is_not_empty() -> None:
    assert len(CASES) >= 8
