"""The error model end to end against the embedded lab: a bulk script over 50 users where 5 rows
fail in 5 different ways, the Graph modules' errors as a catch block sees them, and Write-Host
printing the pass the script asks for."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from pscompat.script.runner import run_file, run_script
from pscompat.script.scripthost import ScriptHost

from .test_lab_scripts import LabInvoker

SCRIPT = Path(__file__).parent / "scripts" / "bulk_errors.ps1"
EXCLUDED_GROUP = "19ac8e2b-e463-488c-a782-6081a550e414"   # "TAP Excluded" in the default scenario
BAD = {  # row index -> (UPN, lifetime, kind in the report)
    10: ("nobody@contoso.lab", "60", "Request_ResourceNotFound"),        # unknown user (404)
    20: ("bulk21@contoso.lab", "5000", "badRequest"),                    # outside the policy's range
    30: ("bulk31@contoso.lab", "abc", "binding"),                        # parameter binding error
    46: ("bulk47@contoso.lab", "60", "TooManyRequests"),                 # throttled (lab fault)
    49: ("bulk50@contoso.lab", "60", "badRequest"),                      # TAP disabled for the user
}


@pytest.fixture()
def bulk_lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from pscompat.lab import open_lab
    monkeypatch.setenv("PSCOMPAT_MAX_RETRIES", "0")   # the throttled row fails at once (no retry waits)
    from pscompat.lab.scenario import DEFAULT_SCENARIO
    data = yaml.safe_load(DEFAULT_SCENARIO.read_text())
    data["policy"]["excludeTargets"] = [{"targetType": "group", "id": EXCLUDED_GROUP}]
    data["users"] += [{"userPrincipalName": f"bulk{i:02d}@contoso.lab", "displayName": f"Bulk {i}"}
                      for i in range(1, 50)]
    data["users"].append({"userPrincipalName": "bulk50@contoso.lab", "displayName": "Bulk 50",
                          "groups": ["TAP Excluded"]})
    data["faults"] = [{"kind": "throttle", "method": "POST", "retryAfter": 0,
                       "path": "/users/bulk47@contoso.lab/authentication/temporaryAccessPassMethods"}]
    scenario = tmp_path / "bulk.yaml"
    scenario.write_text(yaml.safe_dump(data))
    lab = open_lab(tmp_path / "lab.db", scenario=scenario)
    yield lab
    lab.close()


def _csv(tmp_path: Path) -> Path:
    rows = [[f"bulk{i:02d}@contoso.lab", "60"] for i in range(1, 51)]
    for index, (upn, lifetime, _) in BAD.items():
        rows[index] = [upn, lifetime]
    path = tmp_path / "users.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["UserPrincipalName", "Lifetime"])
        writer.writerows(rows)
    return path


def test_bulk_script_issues_45_passes_reports_5_errors_and_exits_as_pwsh(bulk_lab: Any, tmp_path: Path) -> None:
    """Each bad row fails its own way and is caught (statement-terminating binding error,
    -ErrorAction Stop on Mg's non-terminating Graph errors); the other 45 get passes; the
    script's `exit 5` is the process exit code (about_Pwsh, -File)."""
    report = tmp_path / "report.csv"
    out, err = io.StringIO(), io.StringIO()
    code = run_file(str(SCRIPT), ["-CsvPath", str(_csv(tmp_path)), "-ReportPath", str(report)],
                    host=ScriptHost(out, err, io.StringIO()), invoker=LabInvoker(bulk_lab))
    assert (code, err.getvalue()) == (5, "")
    printed = re.findall(r"^TAP for (\S+): (\S+)$", out.getvalue(), re.M)
    assert len(printed) == 45 and out.getvalue().endswith("issued=45 failed=5\n")
    upn, secret = printed[0]
    assert bulk_lab.verify_pass(upn, secret)   # Write-Host printed the real pass, not <redacted>
    with report.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["User"], r["Kind"]) for r in rows] == [(upn, kind) for upn, _, kind in BAD.values()]
    messages = [r["Message"] for r in rows]
    assert messages[0].startswith("Resource 'nobody@contoso.lab' does not exist")
    assert messages[1] == "Invalid LifetimeInMinutes specified. The valid range between 60 and 480."
    assert messages[2].startswith("Cannot process argument transformation on parameter 'LifetimeInMinutes'.")
    assert messages[3].startswith("Too many requests.")
    assert "does not allow creating or updating this authentication method" in messages[4]


def test_without_try_the_failed_rows_are_reported_and_the_run_ends_normally(bulk_lab: Any, tmp_path: Path) -> None:
    """Mg's Graph errors are non-terminating and a binding error is statement-terminating: both
    are shown, the loop goes on, and with no `exit` pwsh -File ends with code 0."""
    text = ("$n = 0\nforeach ($r in Import-Csv $args[0]) {\n  $t = $null\n"
            "  $t = New-MgUserAuthenticationTemporaryAccessPassMethod -UserId $r.UserPrincipalName "
            "-LifetimeInMinutes $r.Lifetime\n  if ($t) { $n++ }\n}\n\"issued=$n errors=$($Error.Count)\"")
    out, err = io.StringIO(), io.StringIO()
    code = run_script(text, None, [str(_csv(tmp_path))], host=ScriptHost(out, err, io.StringIO()),
                      invoker=LabInvoker(bulk_lab))
    assert (code, out.getvalue()) == (0, "issued=45 errors=5\n")
    assert err.getvalue().count("FullyQualifiedErrorId") == 5


def test_pnp_graph_error_json_is_the_inner_exception(bulk_lab: Any) -> None:
    """PnP.Framework's HttpHelper throws "Exception while invoking endpoint <url>." with Graph's
    response body as the InnerException (../shared/facts/pnp-cmdlets.md); PnP terminates."""
    text = ("try { New-PnPEntraIDUserTemporaryAccessPass -Identity nobody@contoso.lab } catch {\n"
            "  $_.Exception.Message\n  ($_.Exception.InnerException.Message | ConvertFrom-Json).error.code\n"
            "  $_.FullyQualifiedErrorId }")
    out, err = io.StringIO(), io.StringIO()
    code = run_script(text, None, [], host=ScriptHost(out, err, io.StringIO()), invoker=LabInvoker(bulk_lab))
    lines = out.getvalue().splitlines()
    assert code == 0 and lines[0].startswith("Exception while invoking endpoint https://")
    assert lines[0].endswith("/beta/users/nobody@contoso.lab/authentication/temporaryAccessPassMethods.")
    assert lines[1:] == ["Request_ResourceNotFound",
                         "EXCEPTION,PnP.PowerShell.Commands.EntraID.NewAzureADUserTemporaryAccessPass"]


def test_mg_graph_error_code_and_message_in_the_catch_block(bulk_lab: Any) -> None:
    """Mg (AutoRest): the message and ErrorDetails are Graph's error.message, the FQID starts with
    Graph's error code and names the internal cmdlet."""
    text = ("try { New-MgUserAuthenticationTemporaryAccessPassMethod -UserId bulk21@contoso.lab "
            "-LifetimeInMinutes 5000 -ErrorAction Stop } catch {\n"
            "  $_.Exception.Message\n  $_.ErrorDetails.Message\n  $_.FullyQualifiedErrorId }")
    out, err = io.StringIO(), io.StringIO()
    run_script(text, None, [], host=ScriptHost(out, err, io.StringIO()), invoker=LabInvoker(bulk_lab))
    message = "Invalid LifetimeInMinutes specified. The valid range between 60 and 480."
    assert out.getvalue().splitlines() == [
        message, message,
        "badRequest,Microsoft.Graph.PowerShell.Cmdlets.NewMgUserAuthenticationTemporaryAccessPassMethod_CreateExpanded"]


def test_secrets_stay_redacted_in_pscompat_diagnostics(bulk_lab: Any) -> None:
    """Write-Host shows the pass; the same text through Write-Warning/Write-Verbose (pscompat's
    diagnostic streams) is redacted."""
    text = ("$t = New-MgUserAuthenticationTemporaryAccessPassMethod -UserId bulk01@contoso.lab\n"
            "Write-Host \"TAP: $($t.TemporaryAccessPass)\"\nWrite-Warning \"TAP: $($t.TemporaryAccessPass)\"\n"
            "Write-Verbose \"TAP: $($t.TemporaryAccessPass)\" -Verbose")
    out, err = io.StringIO(), io.StringIO()
    run_script(text, None, [], host=ScriptHost(out, err, io.StringIO()), invoker=LabInvoker(bulk_lab))
    secret = out.getvalue().strip().removeprefix("TAP: ")
    assert bulk_lab.verify_pass("bulk01@contoso.lab", secret)
    assert secret not in err.getvalue()
    assert err.getvalue() == "WARNING: TAP: <redacted>\nVERBOSE: TAP: <redacted>\n"
