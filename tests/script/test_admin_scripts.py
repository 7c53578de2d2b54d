"""Admin scripts of the kind issue 9 names (tests/script/scripts/), against the embedded lab:
they run as written and leave the expected lab state and files."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .test_lab_scripts import SCRIPTS, lab, run_in, run_path  # noqa: F401  (lab is a fixture)


@pytest.fixture(autouse=True)
def lab_signin(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """The scripts start with Connect-MgGraph -Scopes ...: with PSCOMPAT_SIGNIN=lab that signs in
    to a lab (the commands themselves go to the test's lab through LabInvoker)."""
    from pscompat.connect import STORE, forget
    monkeypatch.setenv("PSCOMPAT_SIGNIN", "lab")
    monkeypatch.setenv("PSCOMPAT_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PSCOMPAT_LAB_DB", str(tmp_path / "signin-lab.db"))
    yield
    STORE.forget_process()
    forget()


def test_policy_audit_reports_fixes_and_confirms(lab: Any, tmp_path: Path) -> None:  # noqa: F811
    code, _, err = run_in(lab, "Update-MgPolicyAuthenticationMethodPolicyAuthenticationMethodConfiguration "
                               "-AuthenticationMethodConfigurationId TemporaryAccessPass -AdditionalProperties "
                               "@{ '@odata.type' = '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration'; "
                               "defaultLifetimeInMinutes = 240; isUsableOnce = $false }")
    assert (code, err) == (0, "")
    report = tmp_path / "audit.csv"
    code, out, err = run_path(lab, SCRIPTS / "policy_audit.ps1", ["-ReportPath", str(report)])
    assert (code, err) == (0, "")
    assert out.splitlines() == [f"Findings: 2 (report: {report})", "Policy updated (HTTP 204)",
                                "TAP policy: state=enabled defaultLifetime=60 usableOnce=True"]
    rows = list(csv.DictReader(report.open()))
    assert [(r["Setting"], r["Actual"], r["Expected"]) for r in rows] == [
        ("defaultLifetimeInMinutes", "240", "<= 60"), ("isUsableOnce", "False", "True")]
    assert lab.policy["defaultLifetimeInMinutes"] == 60 and lab.policy["isUsableOnce"] is True
    code, out, err = run_path(lab, SCRIPTS / "policy_audit.ps1", ["-ReportPath", str(report), "-ReportOnly"])
    assert (code, err) == (0, "") and out.splitlines()[0] == f"Findings: 0 (report: {report})"


@pytest.fixture()
def signed_in_lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The lab the scripts' own `Connect-MgGraph -Scopes ...` signs in to (delegated, scopes enforced)."""
    from pscompat.lab import open_lab
    db = tmp_path / "signin-lab.db"
    monkeypatch.setenv("PSCOMPAT_LAB_DB", str(db))
    opened = open_lab(db)
    try:
        yield db
    finally:
        opened.close()


def run_script_text(text: str, path: str | None = None, args: list[str] | None = None) -> tuple[int, str, str]:
    import io

    from pscompat.script.external import ModelInvoker
    from pscompat.script.runner import run_file, run_script
    from pscompat.script.scripthost import ScriptHost
    out, err = io.StringIO(), io.StringIO()
    host = ScriptHost(out, err, io.StringIO())
    code = (run_file(path, args, host=host, invoker=ModelInvoker()) if path
            else run_script(text, None, args, host=host, invoker=ModelInvoker()))
    return code, out.getvalue(), err.getvalue()


def _methods(upn: str) -> list[str]:
    code, out, err = run_script_text(
        "Connect-MgGraph -Scopes UserAuthenticationMethod.ReadWrite.All -NoWelcome\n"
        f"Get-MgUserAuthenticationMethod -UserId {upn} | ForEach-Object {{ $_.AdditionalProperties['@odata.type'] }}\n")
    assert (code, err) == (0, "")
    return out.split()


def test_helpdesk_reset(signed_in_lab: Path) -> None:
    before = _methods("AdeleV@contoso.lab")
    assert "#microsoft.graph.passwordAuthenticationMethod" in before and len(before) > 1
    code, out, err = run_script_text("", str(SCRIPTS / "helpdesk_reset.ps1"), ["-UserPrincipalName", "AdeleV@contoso.lab"])
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Resetting methods of Adele Vance (6c2ec976-f701-4488-9f36-635943200fc1)"
    assert lines[1] == f"Removed {len(before) - 1} method(s)"
    assert lines[2].startswith("Temporary Access Pass for AdeleV@contoso.lab: ")
    assert lines[2].endswith(" (valid 60 minutes, one use)")
    assert sorted(_methods("AdeleV@contoso.lab")) == ["#microsoft.graph.passwordAuthenticationMethod",
                                                      "#microsoft.graph.temporaryAccessPassAuthenticationMethod"]


def test_offboarding(signed_in_lab: Path) -> None:
    before = [m for m in _methods("AdeleV@contoso.lab") if m != "#microsoft.graph.passwordAuthenticationMethod"]
    code, out, err = run_script_text("", str(SCRIPTS / "offboarding.ps1"), ["-UserPrincipalName", "AdeleV@contoso.lab"])
    assert (code, err) == (0, "")
    assert out.strip() == (f"Offboarded Adele Vance: methods removed={len(before)} left=0 sessionsRevoked=True "
                           "accountEnabled=False")
    assert _methods("AdeleV@contoso.lab") == ["#microsoft.graph.passwordAuthenticationMethod"]


def test_workshop_seeding(signed_in_lab: Path, tmp_path: Path) -> None:
    target = tmp_path / "students.csv"
    code, out, err = run_script_text("", str(SCRIPTS / "workshop_seed.ps1"), ["-Count", "4", "-CsvPath", str(target)])
    assert (code, err) == (0, "")
    assert out.strip() == f"Seeded 4 students into {target}"
    rows = list(csv.DictReader(target.open()))
    assert [r["UserPrincipalName"] for r in rows] == [f"student0{i}@contoso.lab" for i in range(1, 5)]
    assert all(len(r["TemporaryAccessPass"]) >= 8 and r["ValidMinutes"] == "480" for r in rows)
    for row in rows:   # the accounts exist and each holds its pass
        assert "#microsoft.graph.temporaryAccessPassAuthenticationMethod" in _methods(row["UserPrincipalName"])
