"""lang sits below script: no module of pscompat.lang imports pscompat.script (not even lazily),
and built-ins reach the evaluator only through ``Call`` (type hints aside)."""

from __future__ import annotations

import ast
from pathlib import Path

import pscompat

SRC = Path(pscompat.__file__).parent


def _imports(path: Path, *, top_level_only: bool = False) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_lang_never_imports_script() -> None:
    offenders = {p.name: sorted(m for m in _imports(p) if m.startswith("pscompat.script"))
                 for p in (SRC / "lang").glob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_builtins_do_not_import_the_evaluator_at_module_level() -> None:
    offenders = [p.name for p in (SRC / "script" / "builtins").glob("*.py")
                 if "pscompat.script.evaluator" in _imports(p, top_level_only=True)]
    assert offenders == []
