"""An example parity suite for the Temporary Access Pass cmdlets, using pscompat's pytest plugin.

Run it with ``pytest examples/parity`` once pscompat is installed: the plugin (entry point
``pytest11: pscompat``) provides the ``lab_tenant`` and ``pwsh`` fixtures; there is no conftest.
Every test gets its own lab tenant (a private SQLite copy of the scenario) with a frozen clock.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pscompat.tools.pytest_plugin import assert_parity, assert_requests_equal

HERE = Path(__file__).parent
ADELE = "AdeleV@contoso.lab"
ADELE_ID = "6c2ec976-f701-4488-9f36-635943200fc1"
PNP = "New-PnPAzureADUserTemporaryAccessPass"
MG = "New-MgUserAuthenticationTemporaryAccessPassMethod"


def test_pnp_and_mg_create_the_same_pass(pwsh):
    """Same intent, two modules: only the documented differences (beta vs v1.0, ...) remain."""
    verdict = pwsh.parity(f"{PNP} -Identity {ADELE} -LifeTimeInMinutes 120",
                          f"{MG} -UserId {ADELE} -LifetimeInMinutes 120 -IsUsableOnce:$false")
    assert "api-version" in verdict.known_ids
    assert "isusableonce-always-sent" not in verdict.known_ids  # -IsUsableOnce:$false removed it


def test_one_command_changes_the_lab(pwsh, lab_tenant):
    result = pwsh(f"{MG} -UserId {ADELE} -LifetimeInMinutes 90")
    assert result.ok and result.exit_code == 0
    [tap] = result.outputs
    assert tap.get("LifetimeInMinutes") == 90 and tap.get("IsUsable") is True
    assert [r.method for r in result.requests] == ["POST"]
    assert "/v1.0/users/" in result.requests[0].url
    # the lab keeps the pass (never its secret) for later commands in the same test
    assert lab_tenant.users()[ADELE]["pass"]["lifetimeInMinutes"] == 90   # users() is keyed by UPN
    assert lab_tenant.user_pass(ADELE)["temporaryAccessPass"] is None
    again = pwsh(f"{MG} -UserId {ADELE} -LifetimeInMinutes 60")
    assert again.user_pass(ADELE)["lifetimeInMinutes"] == 60  # one pass per user: replaced


@pytest.mark.pscompat_lab(now="2030-01-01T09:00:00Z")
def test_start_in_the_future_then_let_time_pass(pwsh, lab_tenant):
    result = pwsh(f"{PNP} -Identity {ADELE_ID} -StartDateTime (Get-Date).AddHours(2) -LifeTimeInMinutes 60")
    assert result.user_pass(ADELE)["methodUsabilityReason"] == "NotYetValid"
    assert result.user_pass(ADELE)["startDateTime"].startswith("2030-01-01T11:00:00")
    lab_tenant.advance("+2h")
    assert lab_tenant.user_pass(ADELE)["isUsable"] is True
    lab_tenant.advance("+1h")
    assert lab_tenant.user_pass(ADELE)["methodUsabilityReason"] == "Expired"


def test_lifetime_outside_the_policy_fails_the_same_way(pwsh):
    """Both modules get Graph's 400; only the error texts differ (a documented difference)."""
    a = pwsh.isolated(f"{PNP} -Identity {ADELE} -LifeTimeInMinutes 10")
    b = pwsh.isolated(f"{MG} -UserId {ADELE} -LifetimeInMinutes 10 -IsUsableOnce:$false")
    assert a.errors and b.errors and not a.outputs and not b.outputs
    verdict = assert_parity(a, b)
    assert "error-text" in verdict.known_ids


def test_user_id_or_upn_address_the_same_user(pwsh):
    by_upn = pwsh.isolated(f"{MG} -UserId {ADELE} -LifetimeInMinutes 60")
    by_id = pwsh.isolated(f"{MG} -UserId {ADELE_ID} -LifetimeInMinutes 60")
    assert_requests_equal(by_upn, by_id, ignore=["raw_path"])


def test_a_real_difference_is_caught(pwsh):
    a = pwsh.isolated(f"{PNP} -Identity {ADELE} -LifeTimeInMinutes 60")
    b = pwsh.isolated(f"{MG} -UserId {ADELE} -LifetimeInMinutes 60 -IsUsableOnce")
    with pytest.raises(AssertionError, match="isUsableOnce"):
        assert_parity(a, b)


@pytest.mark.pscompat_lab(scenario=str(HERE / "one-time-policy.yaml"))
def test_policy_default_is_where_pnp_and_plain_mg_part_ways(pwsh):
    """With a one-time policy, PnP (always sends false) and Mg without the switch differ for real."""
    pnp = pwsh.isolated(f"{PNP} -Identity ana@fabrikam.lab")
    mg_plain = pwsh.isolated(f"{MG} -UserId ana@fabrikam.lab")
    mg_translated = pwsh.isolated(f"{MG} -UserId ana@fabrikam.lab -IsUsableOnce:$false")
    assert mg_plain.user_pass("ana@fabrikam.lab")["isUsableOnce"] is True
    with pytest.raises(AssertionError):
        assert_parity(pnp, mg_plain)
    assert_parity(pnp, mg_translated)


def test_translated_script_has_the_same_effect(pwsh, tmp_path):
    from pscompat.tools.translate import translate_text
    original = (HERE / "onboard-pnp.ps1").read_text(encoding="utf-8")
    translated = tmp_path / "onboard-mg.ps1"
    translated.write_text(translate_text(original).translated, encoding="utf-8")
    verdict = pwsh.parity(str(HERE / "onboard-pnp.ps1"), str(translated), scripts=True)
    assert "user-lookup" in verdict.known_ids
