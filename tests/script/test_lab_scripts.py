"""Scripts end to end against the embedded lab: the seed docs' EXAMPLES verbatim, and admin-style
scripts (tests/script/scripts/) that must leave the expected state in the lab and on disk."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from pscompat.script.external import ModelInvoker
from pscompat.script.runner import run_file, run_script
from pscompat.script.scripthost import ScriptHost

SCRIPTS = Path(__file__).parent / "scripts"
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
JOHN = {"id": "72e2eb87-c124-4bd9-8e01-a447a1752058", "userPrincipalName": "johndoe@contoso.onmicrosoft.com",
        "displayName": "John Doe", "givenName": "John", "surname": "Doe"}


class LabInvoker(ModelInvoker):
    """The script bridge, connected to one test lab (Mg or PnP connection per cmdlet)."""

    def __init__(self, lab: Any) -> None:
        super().__init__()
        self.lab = lab

    def invoke(self, name: str, arguments: list[Any], input_objects: list[Any] | None, context: Any) -> list[Any]:
        from pscompat.connect.connection import LabConnection
        from pscompat.model import find_cmdlet
        cmdlet = find_cmdlet(name)
        assert cmdlet is not None
        self.connection = LabConnection("pnp" if cmdlet.kind == "compiled" else "mg", self.lab)
        return super().invoke(name, arguments, input_objects, context)


def _scenario(tmp_path: Path, **policy: Any) -> Path:
    from pscompat.lab.scenario import DEFAULT_SCENARIO
    data = yaml.safe_load(DEFAULT_SCENARIO.read_text())
    if not any(u.get("id") == JOHN["id"] for u in data["users"]):  # the default scenario has him
        data["users"].append(dict(JOHN))
    # PnP EXAMPLE 3 asks for 10 minutes and EXAMPLE 4 for 15: a tenant must allow that.
    data["policy"]["minimumLifetimeInMinutes"] = 10
    data["policy"].update(policy)
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.fixture()
def lab(tmp_path: Path) -> Iterator[Any]:
    from pscompat.lab import open_lab
    opened = open_lab(tmp_path / "lab.db", scenario=_scenario(tmp_path))
    yield opened
    opened.close()


def passes(lab: Any, user_id: str) -> list[dict[str, Any]]:
    """The passes the lab holds for a user, read through the script bridge itself."""
    result = run_in(lab, f"Get-MgUserAuthenticationTemporaryAccessPassMethod -UserId '{user_id}' | "
                         "ForEach-Object { '{0}|{1}' -f $_.LifetimeInMinutes, $_.IsUsableOnce }")
    return [dict(zip(("lifetime", "once"), line.split("|"), strict=True)) for line in result[1].splitlines()]


def run_in(lab: Any, text: str, path: str | None = None, args: list[str] | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_script(text, path, args, host=ScriptHost(out, err, io.StringIO()), invoker=LabInvoker(lab))
    return code, out.getvalue(), err.getvalue()


def run_path(lab: Any, path: Path, args: list[str] | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_file(str(path), args, host=ScriptHost(out, err, io.StringIO()), invoker=LabInvoker(lab))
    return code, out.getvalue(), err.getvalue()


def seed_examples(doc: str) -> list[str]:
    text = (SEEDS / doc).read_text()
    section = text.split("## EXAMPLES", 1)[1].split("## PARAMETERS", 1)[0]
    return [block.strip() for block in section.split("### ")[1:]]


def example_code(block: str) -> str:
    """The example as a script: the fenced code, plus any code the doc left outside the fence (Mg)."""
    body = block.split("\n", 1)[1]
    fenced = re.findall(r"```powershell\n(.*?)```", body, re.S)
    rest = re.sub(r"```powershell\n.*?```", "", body, flags=re.S).strip()
    return "\n".join(fenced) + ("\n" + rest if rest.startswith(("$", "New-", "Get-")) else "")


def test_mg_seed_example_verbatim(lab: Any, tmp_path: Path) -> None:
    [example] = seed_examples("New-MgUserAuthenticationTemporaryAccessPassMethod.md")
    script = tmp_path / "mg-example.ps1"
    script.write_text('$userId = "AdeleV@contoso.lab"\n' + example_code(example))
    assert "[System.DateTime]::Parse(\"2022-06-05T00:00:00.000Z\")" in script.read_text()
    code, out, err = run_path(lab, script)
    assert (code, err) == (0, "")
    assert "MethodUsabilityReason" in out and "Expired" in out
    assert passes(lab, "AdeleV@contoso.lab") == [{"lifetime": "60", "once": "False"}]


@pytest.mark.parametrize("index", [0, 1, 2, 3])
def test_pnp_seed_examples_verbatim(lab: Any, tmp_path: Path, index: int) -> None:
    example = seed_examples("New-PnPAzureADUserTemporaryAccessPass.md")[index]
    script = tmp_path / f"pnp-example-{index + 1}.ps1"
    script.write_text(example_code(example))
    code, out, err = run_path(lab, script)
    assert (code, err) == (0, ""), err
    expected = [{"lifetime": "60", "once": "False"}, {"lifetime": "60", "once": "True"},
                {"lifetime": "10", "once": "True"}, {"lifetime": "15", "once": "False"}][index]
    user = JOHN["id"] if index == 1 else JOHN["userPrincipalName"]
    assert passes(lab, user) == [expected]


def test_onboarding_from_csv(lab: Any, tmp_path: Path) -> None:
    hires = tmp_path / "hires.csv"
    hires.write_text("UserPrincipalName,Department\nGradyA@contoso.lab,Design\nnobody@contoso.lab,None\n"
                     "HenriettaM@contoso.lab,Dev\n")
    report = tmp_path / "report.csv"
    code, out, err = run_path(lab, SCRIPTS / "onboarding.ps1", ["-CsvPath", str(hires), "-ReportPath", str(report)])
    assert code == 0
    assert out == "Created 2, failed 1\n"
    assert "WARNING: Could not create a pass for nobody@contoso.lab:" in err
    rows = list(csv.DictReader(report.open()))
    assert [r["Status"] for r in rows] == ["Created", "Failed", "Created"]
    assert rows[0]["Lifetime"] == "60" and rows[1]["Error"]
    assert passes(lab, "GradyA@contoso.lab") == [{"lifetime": "60", "once": "True"}]


def test_onboarding_missing_mandatory_parameter(lab: Any) -> None:
    code, out, err = run_path(lab, SCRIPTS / "onboarding.ps1")
    assert code == 1
    assert "Cannot process command because of one or more missing mandatory parameters: CsvPath." in err


def test_replace_existing_pass(lab: Any) -> None:
    run_in(lab, "New-MgUserAuthenticationTemporaryAccessPassMethod -UserId AlexW@contoso.lab -LifetimeInMinutes 60")
    assert passes(lab, "AlexW@contoso.lab") == [{"lifetime": "60", "once": "False"}]
    code, out, err = run_path(lab, SCRIPTS / "replace_pass.ps1")
    assert (code, out) == (0, "replaced:True:120\n"), err
    assert "VERBOSE: Removed" in err
    assert passes(lab, "AlexW@contoso.lab") == [{"lifetime": "120", "once": "False"}]


def test_pnp_pipeline(lab: Any) -> None:
    code, out, err = run_path(lab, SCRIPTS / "pnp_pipeline.ps1")
    assert (code, err) == (0, "")
    assert re.search(r"IsUsableOnce\s+: False\nLifetimeInMinutes : 60\nStarts\s+: \d{4}-\d{2}-\d{2}", out)
    assert passes(lab, "DiegoS@contoso.lab") == [{"lifetime": "60", "once": "False"}]


def test_scheduled_job_stops_on_first_error(lab: Any, tmp_path: Path) -> None:
    log = tmp_path / "job.log"
    code, out, err = run_path(lab, SCRIPTS / "scheduled.ps1",
                              ["-UserPrincipalName", "JoniS@contoso.lab,LeeG@contoso.lab", "-LogPath", str(log)])
    assert (code, out) == (0, "done: 2\n"), err
    assert len(log.read_text().splitlines()) == 2
    code, out, err = run_path(lab, SCRIPTS / "scheduled.ps1",
                              ["-UserPrincipalName", "nobody@contoso.lab,LidiaH@contoso.lab", "-LogPath", str(log)])
    assert code == 1 and out == ""
    assert "scheduled.ps1:10 char:13" in err
    assert passes(lab, "LidiaH@contoso.lab") == []


def test_tap_disabled_errors_are_caught_and_counted(tmp_path: Path) -> None:
    from pscompat.lab import open_lab
    disabled = open_lab(tmp_path / "off.db", scenario=_scenario(tmp_path, state="disabled"))
    try:
        code, out, err = run_path(disabled, SCRIPTS / "tap_disabled.ps1")
    finally:
        disabled.close()
    assert (code, out, err) == (0, "failures=3\n1\n", "")


def test_common_parameters_on_graph_cmdlets(lab: Any) -> None:
    code, out, err = run_in(lab, "$r = New-MgUserAuthenticationTemporaryAccessPassMethod -UserId nobody@contoso.lab "
                                 "-ErrorAction SilentlyContinue -ErrorVariable ev\n$ev.Count; $ev[0].FullyQualifiedErrorId\n"
                                 "$Error.Count -ge 1\n"
                                 "$null = Get-PnPAzureADUser -Identity AdeleV@contoso.lab -OutVariable ov; $ov.Count\n"
                                 "New-MgUserAuthenticationTemporaryAccessPassMethod -UserId nobody@contoso.lab 2>$null; 'quiet'")
    assert (code, err) == (0, "")
    assert out.splitlines() == ["1", "Request_ResourceNotFound,Microsoft.Graph.PowerShell.Cmdlets."
                                "NewMgUserAuthenticationTemporaryAccessPassMethod_CreateExpanded", "True", "1", "quiet"]


def test_a_graph_error_in_a_script_names_the_internal_cmdlet_in_category_info(lab: Any) -> None:
    code, _, err = run_in(lab, "New-MgUserAuthenticationTemporaryAccessPassMethod -UserId nobody@contoso.lab")
    assert code == 0  # non-terminating: the script goes on and ends normally
    assert ("    + CategoryInfo          : InvalidOperation: (:) "
            "[New-MgUserAuthe\u2026_CreateExpanded], Exception") in err  # ellipsized past 40 characters
    assert ("    + FullyQualifiedErrorId : Request_ResourceNotFound,Microsoft.Graph.PowerShell.Cmdlets."
            "NewMgUserAuthenticationTemporaryAccessPassMethod_CreateExpanded") in err
