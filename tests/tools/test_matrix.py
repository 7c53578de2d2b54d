"""compat-matrix.md: generated from the YAML alone, complete, deterministic, and checked by CI."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from pscompat.tools.families import load_families
from pscompat.tools.matrix import load_cmdlets, render_matrix

from .conftest import ROOT, run_cli


def _sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## ", text, flags=re.M)
    return {p.split("\n", 1)[0]: p for p in parts[1:]}


def _first_cells(section: str) -> set[str]:
    """Parameter names in the name columns (0 and 5 of family tables, 0 of single tables)."""
    names: set[str] = set()
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith("|---"):
            continue
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        for index in (0, 5):
            if index < len(cells):
                names.add(cells[index].split(" (")[0])
    return names


def test_every_parameter_of_every_cmdlet_is_in_its_section(data_copy: Path) -> None:
    text = render_matrix(data_copy)
    sections = _sections(text)
    families = load_families(data_copy)
    infos = load_cmdlets(data_copy)
    assert infos, "cmdlets/ holds no cmdlet"
    for name, info in infos.items():
        owner = next((f"Family `{f.name}`" for f in families.values() if name in (f.pnp.cmdlet, f.mg.cmdlet)),
                     "Cmdlets without a family")
        section = sections[owner]
        assert name in section
        if info.paramsets is None:
            assert f"paramsets/{info.paramsets_stem}.yaml" in section and "missing" in section
            continue
        listed = _first_cells(section)
        for param in info.paramsets.parameters:
            assert param.name in listed, f"{name} -{param.name} missing from {owner}"
        for set_name, op in (info.raw.get("operations") or {}).items():
            assert f"`{op['path']}`" in section and op["api_version"] in section, (name, set_name)


def test_every_family_difference_errata_and_deviation_is_listed(data_copy: Path) -> None:
    text = render_matrix(data_copy)
    for family in load_families(data_copy).values():
        for diff in family.differences:
            assert f"`{diff.id}`" in text
    for dev in yaml.safe_load((data_copy / "cmdlets" / "_deviations.yaml").read_text())["deviations"]:
        assert f"`{dev['id']}`" in text
    for path in (data_copy / "paramsets").glob("*.yaml"):
        for erratum in yaml.safe_load(path.read_text()).get("errata") or ():
            assert f"`{erratum['id']}`" in text


def test_output_is_deterministic_and_has_no_paths_or_times(data_copy: Path) -> None:
    first, second = render_matrix(data_copy), render_matrix(data_copy)
    assert first == second
    assert str(data_copy) not in first and str(ROOT) not in first
    assert not re.search(r"\b20\d\d-\d\d-\d\dT\d\d:\d\d", first)


def test_committed_matrix_is_current() -> None:
    result = run_cli("matrix", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_fails_when_yaml_changes_without_regenerating(data_copy: Path) -> None:
    assert run_cli("matrix", data=data_copy).returncode == 0
    assert run_cli("matrix", "--check", data=data_copy).returncode == 0
    families = data_copy / "cmdlets" / "_families.yaml"
    families.write_text(families.read_text().replace("PnP calls the beta endpoint", "PnP calls beta, always"))
    stale = run_cli("matrix", "--check", data=data_copy)
    assert stale.returncode == 1
    assert "stale" in stale.stderr and "+| `api-version`" in stale.stderr
    assert run_cli("matrix", data=data_copy).returncode == 0
    assert run_cli("matrix", "--check", data=data_copy).returncode == 0


def test_check_fails_when_a_cmdlet_yaml_changes(data_copy: Path) -> None:
    assert run_cli("matrix", data=data_copy).returncode == 0
    target = next(p for p in sorted((data_copy / "cmdlets").glob("*.yaml"))
                  if not p.name.startswith("_") and "operations:" in p.read_text())
    raw = yaml.safe_load(target.read_text())
    first_set = sorted(raw["operations"])[0]
    raw["operations"][first_set]["api_version"] = "v9.9"
    target.write_text(yaml.safe_dump(raw, sort_keys=False))
    assert run_cli("matrix", "--check", data=data_copy).returncode == 1


def test_malformed_yaml_is_a_clear_error_not_a_traceback(data_copy: Path) -> None:
    (data_copy / "cmdlets" / "_families.yaml").write_text("families:\n  x: {members: [\n")
    result = run_cli("matrix", "--check", data=data_copy)
    assert result.returncode == 2
    assert "_families.yaml" in result.stderr and "Traceback" not in result.stderr


def test_missing_matrix_file_fails_check(data_copy: Path) -> None:
    (data_copy / "compat-matrix.md").unlink(missing_ok=True)
    result = run_cli("matrix", "--check", data=data_copy)
    assert result.returncode == 1 and "does not exist" in result.stderr


def test_parameter_types_are_shown_as_get_help_shows_them() -> None:
    """PnP's Nullable types are ``Int32`` and ``DateTime`` in the tables, never ``Int32]``."""
    import re

    from pscompat.model.types import display_type
    from pscompat.tools.matrix import render_matrix
    text = render_matrix()
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| --")]
    assert not [row for row in rows if re.search(r"\| [A-Za-z0-9.]+\] \|", row)]
    assert any(re.match(r"\| LifeTimeInMinutes \| Int32 \|", row) for row in rows)
    assert display_type("System.Nullable`1[System.DateTime]") == "DateTime"
    assert display_type("System.String[]") == "String[]"
