"""The pytest plugin: fixtures on a real lab, helpers on captured runs, and cheap to load."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from pscompat.tools.pytest_plugin import LabTenant, PwshResult, assert_parity, assert_requests_equal

from .captured import USER, capture

pytest_plugins = ["pytester"]

PNP = "New-PnPAzureADUserTemporaryAccessPass"
MG = "New-MgUserAuthenticationTemporaryAccessPassMethod"


def _result(name: str, argv: list[str], source: str, **kwargs: object) -> PwshResult:
    cap = capture(name, argv, **kwargs)  # type: ignore[arg-type]
    return PwshResult(cap.outputs, cap.errors, cap.requests, cap.exit_code, cap.users, "", source)


def test_plugin_is_registered_and_light() -> None:
    code = ("import sys, pscompat.tools.pytest_plugin as p; "
            "heavy = [m for m in ('httpx', 'msgraph', 'kiota_abstractions', 'starlette', 'pscompat.lab.core', "
            "'pscompat.dispatch.call', 'yaml') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"
    from importlib.metadata import entry_points
    assert any(e.value == "pscompat.tools.pytest_plugin" for e in entry_points(group="pytest11"))


def test_lab_tenant_is_private_frozen_and_controllable(lab_tenant: LabTenant) -> None:
    assert lab_tenant.path.is_file() and str(lab_tenant.path).startswith(str(lab_tenant.root))
    users = lab_tenant.users()
    assert users and all(u["pass"] is None for u in users.values())
    lab_tenant.set_now("2030-01-01T00:00:00Z")
    lab_tenant.advance("+2h")
    from pscompat.lab import open_lab
    from pscompat.tools.labrun import lab_now
    lab = open_lab(lab_tenant.path)
    try:
        assert lab_now(lab).isoformat() == "2030-01-01T02:00:00+00:00"
    finally:
        lab.close()


@pytest.mark.pscompat_lab(now="2031-05-06T07:08:00Z")
def test_marker_sets_the_instant(lab_tenant: LabTenant) -> None:
    assert lab_tenant.now == "2031-05-06T07:08:00Z"


def test_assert_parity_accepts_known_and_rejects_real_differences() -> None:
    pnp_cmd = f"{PNP} -Identity {USER['id']} -LifeTimeInMinutes 60"
    mg_cmd = f"{MG} -UserId {USER['id']} -LifetimeInMinutes 60"
    a = _result(PNP, pnp_cmd.split()[1:], pnp_cmd)
    b = _result(MG, mg_cmd.split()[1:], mg_cmd)
    verdict = assert_parity(a, b)
    assert "api-version" in verdict.known_ids
    with pytest.raises(AssertionError, match="UNEXPECTED|FAILED"):
        assert_parity(a, b, exact=True)
    with pytest.raises(AssertionError, match="isusableonce-always-sent|FAILED"):
        assert_parity(a, b, allowed=["api-version", "odata-type", "output-type"])
    with pytest.raises(ValueError, match="not-a-difference"):
        assert_parity(a, b, allowed=["not-a-difference"])
    c = _result(MG, ["-UserId", USER["id"], "-LifetimeInMinutes", "90"], "x", lifetime=90)
    with pytest.raises(AssertionError, match="lifetimeInMinutes"):
        assert_parity(a, c)


def test_assert_requests_equal() -> None:
    a = _result(MG, ["-UserId", USER["id"], "-LifetimeInMinutes", "60"], "a")
    b = _result(MG, ["-UserId", USER["userPrincipalName"], "-LifetimeInMinutes", "60"], "b")
    assert_requests_equal(a, b, ignore=["raw_path"])
    with pytest.raises(AssertionError, match="raw_path"):
        assert_requests_equal(a, b)
    pnp = _result(PNP, ["-Identity", USER["id"], "-LifeTimeInMinutes", "60"], "p")
    with pytest.raises(AssertionError, match="api_version"):
        assert_requests_equal(a, pnp, ignore=["raw_path"])


def test_example_parity_suite_passes_under_the_plugin() -> None:
    """`pytest examples/parity` (no conftest there: only the plugin) passes, in bounded time."""
    from .conftest import ROOT
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "examples/parity"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout
    assert not (ROOT / "examples" / "parity" / "conftest.py").exists()


def test_users_by_upn_and_user_pass(pwsh: Any, lab_tenant: LabTenant) -> None:
    assert lab_tenant.user_pass("AdeleV@contoso.lab") is None
    assert pwsh(f"{MG} -UserId AdeleV@contoso.lab -LifetimeInMinutes 90").ok
    users = lab_tenant.users()
    assert "AdeleV@contoso.lab" in users and users["adelev@CONTOSO.lab"]["userPrincipalName"] == "AdeleV@contoso.lab"
    tap = lab_tenant.user_pass("adelev@contoso.lab")
    assert tap is not None and tap["lifetimeInMinutes"] == 90 and not tap.get("temporaryAccessPass")
    with pytest.raises(KeyError, match="nobody@contoso.lab"):
        lab_tenant.user_pass("nobody@contoso.lab")


def test_text_holds_terminating_errors_as_powershell_shows_them(pwsh: Any) -> None:
    bad = pwsh(f"{MG} -UserId x -Foo")
    assert not bad.ok
    assert bad.text.startswith(f"{MG} : A parameter cannot be found that matches parameter name 'Foo'.")
    assert "FullyQualifiedErrorId : NamedParameterNotFound" in bad.text
    assert "boom" in pwsh("throw 'boom'").text


def test_reports_fill_the_width_and_never_cut_a_differing_value() -> None:
    from pscompat.tools.compare import classify
    from pscompat.tools.sidebyside import render_side_by_side
    long_a, long_b = "x" * 70 + "-A", "x" * 70 + "-B"
    ta = {"output[1]": {"Name": long_a}}
    tb = {"output[1]": {"Name": long_b}}
    verdict = classify(ta, tb, [])
    narrow = render_side_by_side(verdict, ta, tb, total_width=100)
    wide = render_side_by_side(verdict, ta, tb, total_width=240)
    assert long_a in narrow and long_b in narrow                 # the full values follow the cut row
    assert max(len(line) for line in narrow.splitlines()[:3]) <= 100
    assert f"{long_a}  " in wide.splitlines()[3]                  # wide enough: one row, nothing cut


def test_width_option_and_tracebackhide(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_p="""
        from pscompat.tools.pytest_plugin import assert_parity

        def test_differs(pwsh):
            a = pwsh("New-MgUserAuthenticationTemporaryAccessPassMethod -UserId AdeleV@contoso.lab -LifetimeInMinutes 60")
            b = pwsh("New-MgUserAuthenticationTemporaryAccessPassMethod -UserId AlexW@contoso.lab -LifetimeInMinutes 61")
            assert_parity(a, b)
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--pscompat-width", "200")
    result.assert_outcomes(failed=1)
    text = result.stdout.str()
    assert "parity FAILED" in text
    assert "def assert_parity" not in text and "__tracebackhide__" not in text
    assert any(len(line) > 120 and "lifetimeInMinutes" in line for line in text.splitlines())
