"""`pscompat docs generate`: committed cmdlets/*.yaml of AutoRest Mg cmdlets equal the generator's output."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pscompat.docs.generate import GenerateError, dump_cmdlet, generate_cmdlet, generated_cmdlets
from pscompat.model.operations import parse_operation

ROOT = Path(__file__).resolve().parents[2]
TABLE = yaml.safe_load((ROOT / "cmdlets" / "_paths.yaml").read_text(encoding="utf-8"))
OWNED = generated_cmdlets(ROOT, TABLE)


def _paramsets(stem: str) -> dict:
    return yaml.safe_load((ROOT / "paramsets" / f"{stem}.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("source", OWNED, ids=lambda p: p.stem)
def test_committed_cmdlet_file_is_the_generators(source: Path) -> None:
    committed = ROOT / "cmdlets" / source.name
    text = dump_cmdlet(generate_cmdlet(_paramsets(source.stem), TABLE))
    assert committed.read_text(encoding="utf-8") == text
    data = yaml.safe_load(text)
    for set_name, raw in data["operations"].items():   # every operation passes dispatch's schema
        parse_operation(set_name, raw, str(committed))


def test_generator_owns_the_autorest_cmdlets_and_leaves_hand_written_ones() -> None:
    stems = {p.stem for p in OWNED}
    assert {"Get-MgUser", "Remove-MgUser", "Revoke-MgUserSignInSession",
            "Update-MgPolicyAuthenticationMethodPolicyAuthenticationMethodConfiguration"} <= stems
    assert not stems & set(TABLE["hand_written"] or ())
    assert {"New-MgUserAuthenticationTemporaryAccessPassMethod", "Get-MgUserAuthenticationTemporaryAccessPassMethod",
            "Remove-MgUserAuthenticationTemporaryAccessPassMethod"} <= stems
    assert not any(s.startswith(("Connect-", "Invoke-", "Find-")) or "PnP" in s for s in stems)


def test_sets_map_to_verbs_paths_and_sources() -> None:
    user = generate_cmdlet(_paramsets("Get-MgUser"), TABLE)["operations"]
    assert (user["List"]["method"], user["List"]["path"], user["List"]["paging"]) == ("GET", "/users", "All")
    assert [q["name"] for q in user["List"]["query"]] == [
        "$top", "$search", "$filter", "$count", "$orderby", "$select", "$expand"]
    assert user["List"]["header_params"] == {"ConsistencyLevel": "ConsistencyLevel"}
    assert user["GetViaIdentity"]["path_params"] == {"user-id": {"identity": "UserId", "parameter": "InputObject"}}
    phone = generate_cmdlet(_paramsets("Remove-MgUserAuthenticationPhoneMethod"), TABLE)
    delete = phone["operations"]["Delete"]
    assert delete["method"] == "DELETE" and delete["header_params"] == {"If-Match": "IfMatch"}
    assert delete["path_params"]["phoneAuthenticationMethod-id"] == {"parameter": "PhoneAuthenticationMethodId"}
    assert phone["supports_should_process"] is True and phone["output"]["type"] == "System.Boolean"
    update = generate_cmdlet(_paramsets(
        "Update-MgPolicyAuthenticationMethodPolicyAuthenticationMethodConfiguration"), TABLE)["operations"]
    assert update["UpdateExpanded"]["method"] == "PATCH"
    assert [f["wire"] for f in update["UpdateExpanded"]["body"]["fields"]] == ["id", "excludeTargets", "state"]
    assert update["Update"]["body"] == {"from": "body_parameter", "parameter": "BodyParameter",
                                        "fields": update["UpdateExpanded"]["body"]["fields"]}
    tap = generate_cmdlet(_paramsets("New-MgUserAuthenticationTemporaryAccessPassMethod"), TABLE)
    create = tap["operations"]["CreateExpanded"]
    assert tap["family"] == "tap.create" and create["response"] == {"kind": "object", "creation": True}
    assert [f for f in create["body"]["fields"] if f.get("secret")] == [
        {"parameter": "TemporaryAccessPass", "wire": "temporaryAccessPass", "type": "string", "secret": True}]
    assert [f["type"] for f in create["body"]["fields"]][:4] == ["string", "datetime", "bool", "bool"]
    revoke = generate_cmdlet(_paramsets("Revoke-MgUserSignInSession"), TABLE)["operations"]["Revoke"]
    assert (revoke["method"], revoke["path"], revoke["response"]) == (
        "POST", "/users/{user-id}/revokeSignInSessions", {"kind": "value"})


def test_a_doc_without_the_path_parameter_is_an_error() -> None:
    data = copy.deepcopy(_paramsets("Get-MgUserAuthenticationPhoneMethod"))
    data["parameters"] = [p for p in data["parameters"] if p["name"] != "PhoneAuthenticationMethodId"]
    with pytest.raises(GenerateError, match="no parameter PhoneAuthenticationMethodId"):
        generate_cmdlet(data, TABLE)
    with pytest.raises(GenerateError, match="not an Mg cmdlet"):
        generate_cmdlet({**data, "cmdlet": "Get-MgGroup"}, TABLE)


def test_generate_check_command() -> None:
    from pscompat.docs.commands import docs
    result = CliRunner().invoke(docs, ["generate", "--check"])
    assert result.exit_code == 0, result.output
    assert "Get-MgUser.yaml: up to date" in result.output


def test_name_index_is_current_and_start_up_reads_one_cmdlet_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """cmdlets/_index.yaml lists every name and alias; finding a cmdlet reads it and one cmdlet file."""
    from pscompat.docs.generate import index_text
    from pscompat.model import loader
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (ROOT / "cmdlets").glob("*.yaml")
             if not p.name.startswith("_")}
    assert (ROOT / "cmdlets" / "_index.yaml").read_text(encoding="utf-8") == index_text(texts)
    read: list[str] = []
    real = loader.read_yaml
    monkeypatch.setattr(loader, "read_yaml", lambda path: (read.append(f"{Path(path).parent.name}/{Path(path).name}"), real(path))[1])
    for name in ("Get-MgUser", "connect-graph", "Get-PnPAzureADUser"):
        loader.clear_caches()
        read.clear()
        cmdlet = loader.find_cmdlet(name)
        assert cmdlet is not None and name.casefold() in {n.casefold() for n in (cmdlet.name, *cmdlet.aliases)}
        assert [n for n in read if n.startswith("cmdlets/") and "/_" not in n] == [
            f"cmdlets/{cmdlet.name}.yaml"], read
    loader.clear_caches()
    assert loader.find_cmdlet("Get-MgNothing") is None
    loader.clear_caches()


def test_one_doc_and_regenerate_zero_python(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's recipe in a scratch data root: import Microsoft's doc, regenerate, run the cmdlet."""
    import io
    import shutil

    from pscompat.binder.session import bind_argv
    from pscompat.connect.connection import LabConnection
    from pscompat.dispatch.run import dispatch_invocation
    from pscompat.docs.commands import docs
    from pscompat.host import OutputOptions
    from pscompat.lab import open_lab
    from pscompat.model import clear_caches, load_cmdlet

    name = "Get-MgPolicyAuthenticationMethodPolicyAuthenticationMethodConfiguration"
    doc = ROOT.parent / "shared" / "docs-real" / "mg" / f"{name}.md"
    if not doc.exists():
        pytest.skip("shared current docs not available")
    root = tmp_path / "data"
    shutil.copytree(ROOT / "cmdlets", root / "cmdlets")
    shutil.copytree(ROOT / "paramsets", root / "paramsets")
    (root / "cmdlets" / f"{name}.yaml").unlink()
    (root / "paramsets" / f"{name}.yaml").unlink()
    monkeypatch.setenv("PSCOMPAT_DATA", str(root))
    clear_caches()
    try:
        runner = CliRunner()
        imported = runner.invoke(docs, ["import", str(doc), "--out-dir", str(root / "paramsets")])
        assert imported.exit_code == 0, imported.output
        generated = runner.invoke(docs, ["generate"])
        assert generated.exit_code == 0, generated.output
        assert f"{name}.yaml: written" in generated.output
        assert (root / "cmdlets" / f"{name}.yaml").read_text() == (ROOT / "cmdlets" / f"{name}.yaml").read_text()
        clear_caches()
        lab = open_lab(tmp_path / "lab.db")
        try:
            out, err = io.StringIO(), io.StringIO()
            invocation = bind_argv(load_cmdlet(name), ["-AuthenticationMethodConfigurationId", "TemporaryAccessPass"],
                                   interactive=False)
            code = dispatch_invocation(invocation, out, err, OutputOptions(format="json"), LabConnection("mg", lab))
        finally:
            lab.close()
        assert (code, err.getvalue()) == (0, "")
        assert '"Id": "TemporaryAccessPass"' in out.getvalue()
    finally:
        monkeypatch.delenv("PSCOMPAT_DATA")
        clear_caches()
