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
