"""The import rule of docs/architecture.md, enforced: every ``import`` in src/pscompat (module
level and inside functions alike) goes down the layers or sideways without a cycle; the lab
imports nothing of the cmdlet side, and only the packages that connect to it import it."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "pscompat"

# Floors from the ground up (DESIGN.md "Layers"); a module may import its own floor or below.
LAYERS: dict[str, int] = {
    "values": 0, "errors": 0, "redaction": 0, "subcommands": 0,
    "lang": 1,
    "model": 2,
    "render": 3, "shapes": 3, "docs": 3, "host": 3,
    "binder": 4,
    "connect": 5, "dispatch": 5,
    "invoke": 6,
    "script": 7,
    "tools": 8,
    "cli": 9, "_cli_group": 9, "cliguard": 9, "__init__": 9, "__main__": 9,
}
LAB_USERS = {"connect", "tools", "cli", "_cli_group"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def _imports() -> dict[str, set[tuple[str, int]]]:
    """module -> {(imported pscompat module, line)}."""
    found: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for path in SRC.rglob("*.py"):
        name = _module_name(path)
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    targets = [".".join(base + ([node.module] if node.module else []))]
                else:
                    targets = [node.module or ""]
                if targets == ["pscompat"]:  # from pscompat import values -> pscompat.values
                    targets = [f"pscompat.{a.name}" for a in node.names]
            else:
                continue
            for target in targets:
                if target == "pscompat" or target.startswith("pscompat."):
                    found[name].add((target, node.lineno))
    return found


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _is_type_checking_only(module: str, line: int) -> bool:
    path = SRC.parent / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = SRC.parent / module.replace(".", "/") / "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING" \
                and any(getattr(child, "lineno", None) == line for stmt in node.body for child in ast.walk(stmt)):
            return True
    return False


def test_every_package_has_a_floor() -> None:
    stages = {_stage(_module_name(p)) for p in SRC.rglob("*.py")} - {"lab"}
    assert stages <= set(LAYERS), f"add {sorted(stages - set(LAYERS))} to LAYERS (and docs/architecture.md)"


def test_no_upward_import() -> None:
    bad = []
    for module, targets in _imports().items():
        here = _stage(module)
        if here == "lab":
            continue
        for target, line in targets:
            there = _stage(target)
            if there == "lab" or there == here:
                continue
            if LAYERS[there] > LAYERS[here] and not _is_type_checking_only(module, line):
                bad.append(f"{module}:{line} imports {target} ({here} is floor {LAYERS[here]}, "
                           f"{there} is floor {LAYERS[there]})")
    assert not bad, "upward imports:\n" + "\n".join(sorted(bad))


def test_no_cycle_between_packages() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, targets in _imports().items():
        for target, line in targets:
            a, b = _stage(module), _stage(target)
            if a != b and not _is_type_checking_only(module, line):
                graph[a].add(b)
    cycles = [f"{a} <-> {b}" for a in graph for b in graph[a] if a < b and a in graph.get(b, set())]
    assert not cycles, f"package cycles: {cycles}"


# Shared leaves the lab may use: they import nothing of pscompat's, and one rule has one owner
# (the lab's request recorder redacts with the same rule as the hosts and the Debug renderer).
LAB_MAY_USE = {"redaction"}


def test_the_lab_is_a_separate_building() -> None:
    """lab/ imports nothing of the cmdlet side; only connect, tools and the CLI reach into it."""
    bad = []
    for module, targets in _imports().items():
        here = _stage(module)
        for target, line in targets:
            there = _stage(target)
            if here == "lab" and there != "lab" and there not in LAB_MAY_USE:
                bad.append(f"{module}:{line} (lab) imports {target}")
            if there == "lab" and here not in LAB_USERS | {"lab"}:
                bad.append(f"{module}:{line} imports the lab ({target})")
    assert not bad, "\n".join(bad)


# Inside the lab: the core (store, clock, tokens, sign-in rules, limits, quotas, faults and the
# ASGI adaptor) never imports a route handler; lab/routes.py is the one table of handlers and
# lab/opening.py hands it to the core.
LAB_CORE = {"core", "models", "clock", "auth", "http", "limits", "paths", "activity", "policy", "scenario",
            "methods", "quota", "faults", "signins", "app", "__init__"}


def test_the_lab_core_imports_no_handler() -> None:
    bad = []
    for module, targets in _imports().items():
        parts = module.split(".")
        if parts[:2] != ["pscompat", "lab"]:
            continue
        here = parts[2] if len(parts) > 2 else "__init__"
        if here not in LAB_CORE:
            continue
        for target, line in targets:
            tparts = target.split(".")
            there = tparts[2] if len(tparts) > 2 else "__init__"
            if tparts[:2] == ["pscompat", "lab"] and there not in LAB_CORE \
                    and not _is_type_checking_only(module, line):
                bad.append(f"{module}:{line} (lab core) imports the handler module {target}")
    assert not bad, "\n".join(bad)


def test_what_the_lab_may_use_is_a_leaf() -> None:
    """The shared modules the lab may import import nothing of pscompat's themselves."""
    imports = _imports()
    for leaf in LAB_MAY_USE:
        assert not imports.get(f"pscompat.{leaf}"), (leaf, imports.get(f"pscompat.{leaf}"))
