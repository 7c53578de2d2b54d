"""`pscompat docs import`: writes, keeps errata, --check, clear errors for bad input."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from pscompat.cli import group

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(group, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_import_writes_then_check_passes(tmp_path: Path) -> None:
    doc = FIXTURES / "Get-Widget.md"
    code, out, _ = run("docs", "import", str(doc), "--out-dir", str(tmp_path))
    assert code == 0 and "written" in out
    target = tmp_path / "Get-Widget.yaml"
    assert yaml.safe_load(target.read_text())["cmdlet"] == "Get-Widget"
    code, out, _ = run("docs", "import", str(doc), "--out-dir", str(tmp_path), "--check")
    assert code == 0 and "up to date" in out


def test_reimport_keeps_and_reapplies_errata(tmp_path: Path) -> None:
    doc = FIXTURES / "Get-Widget.md"
    run("docs", "import", str(doc), "--out-dir", str(tmp_path))
    target = tmp_path / "Get-Widget.yaml"
    data = yaml.safe_load(target.read_text())
    data["errata"] = [{"id": "widget-alias", "doc": "Get-Widget.md", "source": "test", "error": "alias missing",
                       "resolution": "added", "patch": [{"op": "add_alias", "name": "Name", "alias": "WName"}]}]
    target.write_text(yaml.safe_dump(data, sort_keys=False))
    code, _, _ = run("docs", "import", str(doc), "--out-dir", str(tmp_path), "--check")
    assert code == 1  # hand-edited file differs from import + errata
    code, _, _ = run("docs", "import", str(doc), "--out-dir", str(tmp_path))
    assert code == 0
    data = yaml.safe_load(target.read_text())
    assert "WName" in next(p for p in data["parameters"] if p["name"] == "Name")["aliases"]
    assert data["errata"][0]["id"] == "widget-alias"
    assert run("docs", "import", str(doc), "--out-dir", str(tmp_path), "--check")[0] == 0


def test_check_reports_a_stale_file(tmp_path: Path) -> None:
    doc = FIXTURES / "Get-Widget.md"
    run("docs", "import", str(doc), "--out-dir", str(tmp_path))
    target = tmp_path / "Get-Widget.yaml"
    target.write_text(target.read_text().replace("Gets widgets", "Gets gadgets"))
    code, out, _ = run("docs", "import", str(doc), "--out-dir", str(tmp_path), "--check")
    assert code == 1 and "stale" in out
    assert "Gets gadgets" in target.read_text()  # --check writes nothing


def test_warnings_go_to_stderr(tmp_path: Path) -> None:
    code, _, err = run("docs", "import", str(FIXTURES / "Set-Gizmo.md"), "--out-dir", str(tmp_path))
    assert code == 0
    assert "WARNING: Set-Gizmo.md: SYNTAX (ByName) shows -Size as mandatory, PARAMETERS says Required: False" in err


def test_bad_input_is_a_clear_error(tmp_path: Path) -> None:
    code, _, err = run("docs", "import", str(tmp_path / "missing.md"), "--out-dir", str(tmp_path))
    assert code != 0 and "no such file" in err and "Traceback" not in err
    junk = tmp_path / "junk.md"
    junk.write_text("just some text\n")
    code, _, err = run("docs", "import", str(junk), "--out-dir", str(tmp_path))
    assert code != 0 and "not a platyPS cmdlet doc" in err
    binary = tmp_path / "bin.md"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    code, _, err = run("docs", "import", str(binary), "--out-dir", str(tmp_path))
    assert code != 0 and "cannot read" in err
    assert list(tmp_path.glob("*.yaml")) == []


def test_bad_errata_in_existing_file_is_reported(tmp_path: Path) -> None:
    doc = FIXTURES / "Get-Widget.md"
    (tmp_path / "Get-Widget.yaml").write_text(
        "cmdlet: Get-Widget\nerrata:\n- {id: stale, error: e, resolution: r, patch: [{op: remove_parameter, name: Gone}]}\n")
    code, _, err = run("docs", "import", str(doc), "--out-dir", str(tmp_path))
    assert code != 0 and "erratum 'stale': no parameter -Gone" in err


def test_broken_existing_file_is_reported(tmp_path: Path) -> None:
    doc = FIXTURES / "Get-Widget.md"
    target = tmp_path / "Get-Widget.yaml"
    for text, message in (("cmdlet: [unclosed\n", "not valid YAML"), ("errata: 5\n", "must be a list of mappings")):
        target.write_text(text)
        code, _, err = run("docs", "import", str(doc), "--out-dir", str(tmp_path))
        assert code != 0 and message in err and "Traceback" not in err
        assert target.read_text() == text
