"""The two seed docs import, and the committed paramsets are exactly import + errata."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pscompat.docs.errata import apply_errata
from pscompat.docs.importer import import_doc
from pscompat.docs.writer import dump_paramsets, read_errata
from pscompat.model import ALL_SETS, parse_paramsets

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
DOCS_REAL = ROOT.parent / "shared" / "docs-real"
MG = "New-MgUserAuthenticationTemporaryAccessPassMethod"
PNP = "New-PnPAzureADUserTemporaryAccessPass"

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seed docs not available")


def _doc_for(committed: Path) -> Path:
    source = yaml.safe_load(committed.read_text(encoding="utf-8"))["source"]
    for folder in (ROOT / "docs" / "cmdlets", SEEDS, DOCS_REAL / "mg", DOCS_REAL / "pnp"):
        if (folder / source).exists():
            return folder / source
    pytest.skip(f"source doc {source} not available")


@pytest.mark.parametrize("committed", sorted((ROOT / "paramsets").glob("*.yaml")), ids=lambda p: p.stem)
def test_committed_file_is_import_plus_errata(committed: Path) -> None:
    """Every committed paramsets file regenerates byte for byte from its doc and its errata."""
    regenerated = dump_paramsets(apply_errata(import_doc(_doc_for(committed)), read_errata(committed)))
    assert regenerated == committed.read_text(encoding="utf-8")


def test_every_paramsets_file_has_a_doc_and_vice_versa() -> None:
    stems = {p.stem for p in (ROOT / "paramsets").glob("*.yaml")}
    docs = {p.stem for p in (ROOT / "docs" / "cmdlets").glob("*.md")}
    assert docs <= stems
    assert {MG, PNP} <= stems
    for stem in (MG, PNP):
        assert read_errata(ROOT / "paramsets" / f"{stem}.yaml"), "the seed files carry errata"


@needs_seeds
def test_mg_seed_as_the_doc_says() -> None:
    doc = import_doc(SEEDS / f"{MG}.md")
    assert doc["cmdlet"] == MG
    assert doc["module"] == "Microsoft.Graph.Identity.SignIns"
    assert doc["default_parameter_set"] == "CreateExpanded"
    assert doc["parameter_sets"] == ["CreateExpanded", "Create", "CreateViaIdentity", "CreateViaIdentityExpanded"]
    assert doc["supports_should_process"] is True
    assert doc["common_parameters"] is True
    names = [p["name"] for p in doc["parameters"]]
    assert names[0] == "AdditionalProperties" and names[-1] == "UserId"   # PARAMETERS order
    assert "WhatIf" not in names and "Confirm" not in names
    by_name = {p["name"]: p for p in doc["parameters"]}
    assert by_name["BodyParameter"]["sets"]["Create"] == {"mandatory": True, "position": None, "pipeline": ["ByValue"]}
    assert set(by_name["UserId"]["sets"]) == {"Create", "CreateExpanded"}
    assert by_name["IsUsableOnce"]["type"] == "System.Management.Automation.SwitchParameter"
    assert doc["inputs"] == ["Microsoft.Graph.PowerShell.Models.IIdentitySignInsIdentity",
                             "Microsoft.Graph.PowerShell.Models.IMicrosoftGraphTemporaryAccessPassAuthenticationMethod"]
    body = doc["complex_parameters"]["BODYPARAMETER"]
    assert body["type"] == "IMicrosoftGraphTemporaryAccessPassAuthenticationMethod"
    assert [p["name"] for p in body["properties"]][:3] == ["(Any)", "Id", "CreatedDateTime"]
    assert {"name": "LifetimeInMinutes", "type": "Int32?", "required": False,
            "description": "The lifetime of the Temporary Access Pass in minutes starting at startDateTime. "
                           "Must be between 10 and 43200 inclusive (equivalent to 30 days)."} in body["properties"]
    assert len(doc["complex_parameters"]["INPUTOBJECT"]["properties"]) == 55
    assert doc["import_warnings"] == []
    assert doc["examples"][0]["title"] == "EXAMPLE 1"


@needs_seeds
def test_pnp_seed_reports_the_copied_syntax() -> None:
    doc = import_doc(SEEDS / f"{PNP}.md")
    assert doc["parameter_sets"] == [] and doc["default_parameter_set"] is None
    assert [p["name"] for p in doc["parameters"]] == ["Identity", "StartDateTime", "LifeTimeInMinutes", "IsUseableOnce"]
    assert doc["parameters"][0]["sets"] == {ALL_SETS: {"mandatory": True, "position": None, "pipeline": ["ByValue"]}}
    warnings = "\n".join(doc["import_warnings"])
    for ghost in ("DisplayName", "MailNickname", "Owners", "Force"):
        assert f"shows -{ghost}, which PARAMETERS does not define" in warnings
    assert "does not show -Identity" in warnings
    assert "names no kind; assumed ByValue" in warnings
    assert doc["syntax"][ALL_SETS].startswith("New-PnPAzureADUserTemporaryAccessPass -DisplayName <String>")


def _committed(stem: str) -> dict:
    return yaml.safe_load((ROOT / "paramsets" / f"{stem}.yaml").read_text(encoding="utf-8"))


def test_pnp_errata_result() -> None:
    raw = _committed(PNP)
    model = parse_paramsets(raw)
    assert [p.name for p in model.parameters] == ["Identity", "StartDateTime", "LifeTimeInMinutes",
                                                 "IsUsableOnce", "Connection"]
    identity = model.parameter("Identity")
    assert identity is not None and identity.type == "PnP.PowerShell.Commands.Base.PipeBinds.EntraIDUserPipeBind"
    assert identity.in_set(ALL_SETS) is not None and identity.in_set(ALL_SETS).value_from_pipeline  # type: ignore[union-attr]
    once = next(p for p in raw["parameters"] if p["name"] == "IsUsableOnce")
    assert once["compat_aliases"] == ["IsUseableOnce"] and once["aliases"] == []
    assert model.parameter("StartDateTime").type == "System.Nullable`1[System.DateTime]"  # type: ignore[union-attr]
    assert model.parameter("LifeTimeInMinutes").type == "System.Nullable`1[System.Int32]"  # type: ignore[union-attr]
    assert model.syntax[ALL_SETS] == (
        "New-PnPAzureADUserTemporaryAccessPass -Identity <EntraIDUserPipeBind> [-StartDateTime <DateTime>] "
        "[-LifeTimeInMinutes <Int32>] [-IsUsableOnce] [-Connection <PnPConnection>] [<CommonParameters>]")
    assert model.common_parameters and not model.supports_should_process
    assert raw["kind"] == "compiled"
    assert raw["type_name"] == "PnP.PowerShell.Commands.EntraID.NewAzureADUserTemporaryAccessPass"
    assert "ProgressAction" in raw["common_parameter_names"]
    assert {e.id for e in model.errata} >= {"pnp-syntax-copied-from-new-pnpazureadgroup", "pnp-isuseableonce-spelling"}


def test_mg_errata_result() -> None:
    raw = _committed(MG)
    model = parse_paramsets(raw)
    names = [p.name for p in model.parameters]
    added = ["Break", "Headers", "HttpPipelineAppend", "HttpPipelinePrepend", "Proxy", "ProxyCredential",
             "ProxyUseDefaultCredentials", "ResponseHeadersVariable"]
    assert names[-len(added):] == added
    assert names[:12] == ["AdditionalProperties", "BodyParameter", "CreatedDateTime", "Id", "InputObject",
                          "IsUsable", "IsUsableOnce", "LifetimeInMinutes", "MethodUsabilityReason",
                          "StartDateTime", "TemporaryAccessPass", "UserId"]
    rhv = model.parameter("ResponseHeadersVariable")
    assert rhv is not None and rhv.aliases == ("RHV",)
    headers = model.parameter("Headers")
    assert headers is not None and headers.type == "System.Collections.IDictionary"
    for set_name in model.parameter_sets:
        membership = headers.in_set(set_name)
        assert membership is not None and membership.value_from_pipeline
        assert "[-Headers <IDictionary>]" in model.syntax[set_name]
        assert model.syntax[set_name].endswith("[-WhatIf] [-Confirm] [<CommonParameters>]")
    assert model.parameter("Proxy").type == "System.Uri"  # type: ignore[union-attr]
    assert model.parameter("HttpPipelinePrepend").type == "Microsoft.Graph.PowerShell.Runtime.SendAsyncStep[]"  # type: ignore[union-attr]
    assert raw["kind"] == "function" and raw["positional_binding"] is False
    assert "ProgressAction" in raw["common_parameter_names"]
    assert model.examples[0].code.splitlines()[-1].startswith(MG + " -UserId $userId -BodyParameter $params")


def test_2024_schema_notes_give_complex_parameters() -> None:
    """Microsoft's 2024-05-01 docs write NOTES without backticks and bullets; both forms import."""
    from pscompat.docs.importer import parse_complex_parameters
    notes_2024 = ("BODYPARAMETER <IMicrosoftGraphAuthenticationMethodConfiguration>: authenticationMethodConfiguration\n"
                  "  [(Any) <Object>]: This indicates any property can be added to this object.\n"
                  "  [ExcludeTargets <IMicrosoftGraphExcludeTarget[]>]: Groups of users\n"
                  "    [Id <String>]: The object identifier\n"
                  "  State <String>: authenticationMethodState\n"
                  "Read-only.\n")
    notes_old = ("`BODYPARAMETER <IMicrosoftGraphAuthenticationMethodConfiguration>`: authenticationMethodConfiguration\n"
                 "  - `[(Any) <Object>]`: This indicates any property can be added to this object.\n"
                 "  - `[ExcludeTargets <IMicrosoftGraphExcludeTarget[]>]`: Groups of users\n"
                 "    - `[Id <String>]`: The object identifier\n"
                 "  - `State <String>`: authenticationMethodState\n")
    for notes in (notes_2024, notes_old):
        body = parse_complex_parameters(notes)["BODYPARAMETER"]
        assert body["type"] == "IMicrosoftGraphAuthenticationMethodConfiguration"
        assert [(p["name"], p["required"]) for p in body["properties"]] == [
            ("(Any)", False), ("ExcludeTargets", False), ("State", True)]
        assert body["properties"][1]["properties"][0]["name"] == "Id"


@pytest.mark.skipif(not DOCS_REAL.is_dir(), reason="shared current docs not available")
@pytest.mark.parametrize("doc", sorted(DOCS_REAL.glob("*/*.md")) if DOCS_REAL.is_dir() else [],
                         ids=lambda p: p.stem)
def test_every_current_doc_imports(doc: Path) -> None:
    """Every doc of ../shared/docs-real (both schemas) imports into a valid paramsets model."""
    data = import_doc(doc)
    model = parse_paramsets(data, str(doc))
    assert model.cmdlet == doc.stem and model.module and model.syntax
    assert {p.name for p in model.parameters} >= {n for n in ("UserId", "Headers") if f"-{n} " in doc.read_text()}
