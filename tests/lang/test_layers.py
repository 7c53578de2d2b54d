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


def _offenders(package: str, allowed: tuple[str, ...]) -> dict[str, list[str]]:
    found = {}
    for path in (SRC / package).rglob("*.py"):
        bad = sorted(m for m in _imports(path) if m.startswith("pscompat.") and not m.startswith(allowed))
        if bad:
            found[str(path.relative_to(SRC))] = bad
    return found


def test_lang_never_imports_script() -> None:
    offenders = {p.name: sorted(m for m in _imports(p) if m.startswith("pscompat.script"))
                 for p in (SRC / "lang").glob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_lang_imports_only_the_stages_below_it() -> None:
    """values/errors -> lang: nothing of model, render, binder, dispatch, script, tools or cli."""
    assert _offenders("lang", ("pscompat.lang", "pscompat.values", "pscompat.errors")) == {}


def test_script_never_imports_tools_or_the_cli() -> None:
    """script sits below tools and cli (docs/architecture.md, the layer list)."""
    found = {}
    for path in (SRC / "script").rglob("*.py"):
        bad = sorted(m for m in _imports(path) if m.startswith(("pscompat.tools", "pscompat.cli", "pscompat._cli")))
        if bad:
            found[str(path.relative_to(SRC))] = bad
    assert found == {}


def test_builtins_do_not_import_the_evaluator_at_module_level() -> None:
    offenders = [p.name for p in (SRC / "script" / "builtins").glob("*.py")
                 if "pscompat.script.evaluator" in _imports(p, top_level_only=True)]
    assert offenders == []
