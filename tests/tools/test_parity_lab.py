"""Parity end to end on the embedded lab: translated scripts keep their effect; real differences fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from pscompat.model import load_paramsets
from pscompat.tools.labrun import LabRunner, LabSnapshot
from pscompat.tools.parity import ParityResult, Subject, describe, run_parity
from pscompat.tools.translate import translate_text

from .conftest import run_cli

ROOT_DIR = Path(__file__).resolve().parents[2]

ADELE = ("AdeleV@contoso.lab", "6c2ec976-f701-4488-9f36-635943200fc1")
NOW = "2030-03-04T05:06:00Z"


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> LabRunner:
    base = tmp_path_factory.mktemp("parity")
    return LabRunner(LabSnapshot.create(NOW, None, base), base)


def _on_lab_users(code: str) -> str:
    """The seed doc's users do not exist in the lab; use Adele (same forms: UPN, upper-case GUID)."""
    return (code.replace("johndoe@contoso.onmicrosoft.com", ADELE[0])
                .replace("72e2eb87-c124-4bd9-8e01-a447a1752058", ADELE[1].upper()))


def _parity(runner: LabRunner, a: str, b: str, kind: str = "command", exact: bool = False) -> ParityResult:
    sa, sb = Subject(a, kind, "a.ps1" if kind == "script" else ""), Subject(b, kind, "b.ps1" if kind == "script" else "")
    return run_parity(sa, sb, runner, exact=exact)


@pytest.mark.parametrize("index", range(4))
def test_each_seed_example_translated_has_the_same_effect(runner: LabRunner, index: int) -> None:
    original = _on_lab_users(load_paramsets("New-PnPAzureADUserTemporaryAccessPass").examples[index].code)
    translated = translate_text(original).translated
    assert "New-Mg" in translated
    result = _parity(runner, original, translated)
    assert result.ok, describe(result, Subject(original), Subject(translated))
    # the effect is real and the same: a pass (or the same policy error) on both sides
    assert result.a_capture.exit_code == result.b_capture.exit_code
    assert len(result.a_capture.outputs) == len(result.b_capture.outputs)
    assert "api-version" in result.verdict.known_ids or result.a_capture.errors


def test_seed_example_3_fails_the_same_way_on_both_sides(runner: LabRunner) -> None:
    """LifeTimeInMinutes 10 is below the lab policy's minimum (60): both modules get Graph's 400."""
    original = _on_lab_users(load_paramsets("New-PnPAzureADUserTemporaryAccessPass").examples[2].code)
    result = _parity(runner, original, translate_text(original).translated)
    assert result.ok and result.a_capture.errors and result.b_capture.errors
    statuses = {r.status for r in result.a_capture.requests + result.b_capture.requests}
    assert statuses == {400}


SCRIPT = (
    "# Onboarding: passes for the pilot users\r\n"
    "Connect-PnPOnline -Url https://contoso.sharepoint.com -Interactive   # admin sign-in\r\n"
    "$users = @('AdeleV@contoso.lab',\r\n"
    "           'AlexW@contoso.lab')\r\n"
    "foreach ($u in $users) {\r\n"
    "    <# one pass each #>\r\n"
    "    $tap = New-PnPAzureADUserTemporaryAccessPass  -Identity $u `\r\n"
    "              -LifeTime 120 -IsUseableOnce:$true\r\n"
    "    Write-Output \"$u done\"\r\n"
    "}\r\n"
    "Get-PnPAzureADUser -Identity 'DiegoS@contoso.lab' | New-PnPEntraIDUserTemporaryAccessPass -StartDateTime (Get-Date).AddHours(1)\r\n"
)


def test_own_script_with_comments_and_odd_formatting(runner: LabRunner, tmp_path: Path) -> None:
    translated = translate_text(SCRIPT, "onboard.ps1").translated
    changed = [i for i, (x, y) in enumerate(zip(SCRIPT.split("\r\n"), translated.split("\r\n"), strict=True)) if x != y]
    assert changed == [1, 6, 7, 10]
    result = _parity(runner, SCRIPT, translated, kind="script")
    assert result.ok, describe(result, Subject(SCRIPT), Subject(translated))
    passes = {u["userPrincipalName"]: u["pass"] for u in result.b_capture.users if u.get("pass")}
    assert set(passes) == {"AdeleV@contoso.lab", "AlexW@contoso.lab", "DiegoS@contoso.lab"}
    assert passes["AdeleV@contoso.lab"]["isUsableOnce"] is True
    assert passes["DiegoS@contoso.lab"]["methodUsabilityReason"] == "NotYetValid"
    assert "user-lookup" in result.verdict.known_ids


def test_identical_commands_report_no_difference(runner: LabRunner) -> None:
    cmd = f"New-MgUserAuthenticationTemporaryAccessPassMethod -UserId {ADELE[0]} -LifetimeInMinutes 90"
    result = _parity(runner, cmd, cmd, exact=True)
    assert result.ok and result.verdict.differences == []


def test_a_real_difference_fails(runner: LabRunner) -> None:
    a = f"New-PnPAzureADUserTemporaryAccessPass -Identity {ADELE[0]} -LifeTimeInMinutes 90"
    b = f"New-MgUserAuthenticationTemporaryAccessPassMethod -UserId {ADELE[0]} -LifetimeInMinutes 90 -IsUsableOnce"
    result = _parity(runner, a, b)
    assert not result.ok
    unexpected = {d.path for d in result.verdict.unexpected}
    assert "state.users[adelev@contoso.lab].pass.isUsableOnce" in unexpected


def test_pnp_and_mg_report_exactly_the_documented_differences(runner: LabRunner) -> None:
    a = f"New-PnPAzureADUserTemporaryAccessPass -Identity {ADELE[1]} -StartDateTime 2030-03-05T00:00:00Z -LifeTimeInMinutes 90"
    b = f"New-MgUserAuthenticationTemporaryAccessPassMethod -UserId {ADELE[1]} -StartDateTime 2030-03-05T00:00:00Z -LifetimeInMinutes 90"
    result = _parity(runner, a, b)
    assert result.ok, describe(result, Subject(a), Subject(b))
    assert result.verdict.known_ids == ["api-version", "datetime-serialisation", "isusableonce-always-sent",
                                        "odata-type", "output-additional-properties", "output-type"]
    assert not _parity(runner, a, b, exact=True).ok


def test_cli_parity(tmp_path: Path) -> None:
    pnp = f"New-PnPAzureADUserTemporaryAccessPass -Identity {ADELE[0]} -LifeTimeInMinutes 60"
    mg = f"New-MgUserAuthenticationTemporaryAccessPassMethod -UserId {ADELE[0]} -LifetimeInMinutes 60"
    ok = run_cli("parity", "--now", NOW, pnp, mg)
    assert ok.returncode == 0 and "parity OK" in ok.stdout and "known: api-version" in ok.stdout
    assert run_cli("parity", "--exact", "--now", NOW, pnp, mg).returncode == 1
    real = run_cli("parity", "--now", NOW, pnp, mg.replace("60", "120"))
    assert real.returncode == 1 and "UNEXPECTED" in real.stdout
    a, b = tmp_path / "a.ps1", tmp_path / "b.ps1"
    a.write_text(pnp + "\n")
    b.write_text(translate_text(pnp).translated + "\n")
    assert run_cli("parity", "--script", "--now", NOW, str(a), str(b)).returncode == 0
    bad = run_cli("parity", "--now", "yesterday", pnp, mg)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    unparsable = run_cli("parity", "New-Mg (", mg)
    assert unparsable.returncode == 2 and "Traceback" not in unparsable.stderr
    scenario = tmp_path / "bad.yaml"
    scenario.write_text("users: 5\n")
    bad_scenario = run_cli("parity", "--scenario", str(scenario), pnp, mg)
    assert bad_scenario.returncode == 2 and "scenario" in bad_scenario.stderr and "Traceback" not in bad_scenario.stderr


def test_clock_is_the_same_on_both_sides(runner: LabRunner) -> None:
    """Get-Date and [DateTime]::UtcNow return the lab's frozen instant in parity runs."""
    a = f"New-MgUserAuthenticationTemporaryAccessPassMethod -UserId {ADELE[0]} -StartDateTime (Get-Date).AddHours(1) -LifetimeInMinutes 60"
    b = (f"New-MgUserAuthenticationTemporaryAccessPassMethod -UserId {ADELE[0]} "
         "-StartDateTime ([DateTime]::UtcNow.AddMinutes(60)) -LifetimeInMinutes 60")
    result = _parity(runner, a, b, exact=True)
    assert result.ok, describe(result, Subject(a), Subject(b))
    [tap] = [u["pass"] for u in result.a_capture.users if u.get("pass")]
    assert tap["startDateTime"].startswith("2030-03-04T06:06:00")


def test_user_object_in_a_variable_translates_with_the_same_effect(runner: LabRunner) -> None:
    original = (f"$user = Get-PnPAzureADUser -Identity {ADELE[0]}\n"
                "New-PnPAzureADUserTemporaryAccessPass -Identity $user -LifeTimeInMinutes 120\n")
    translated = translate_text(original).translated
    assert "-UserId $user.Id" in translated
    result = _parity(runner, original, translated, kind="script")
    assert result.ok, describe(result, Subject(original), Subject(translated))
    assert any(u.get("pass") for u in result.b_capture.users)


# tests/lang/golden/mixed.ps1 is a parser fixture mixing both modules with Get-MgUser after a PnP
# lookup: parity pairs requests by method, path and ordinal, so A's second GET /users meets B's
# first (a known limit of the pairing, not of translate).
_PNP_SCRIPTS = sorted(p for p in [*ROOT_DIR.glob("examples/**/*.ps1"), *ROOT_DIR.glob("tests/**/*.ps1")]
                      if "PnP" in p.read_text(encoding="utf-8-sig", errors="replace") and p.name != "mixed.ps1")


def test_every_pnp_script_is_found() -> None:
    names = {p.name for p in _PNP_SCRIPTS}
    assert {"old-pnp-script.ps1", "onboard-pnp.ps1", "pnp_pipeline.ps1"} <= names


@pytest.mark.parametrize("path", _PNP_SCRIPTS, ids=lambda p: p.name)
def test_translate_then_parity_closes_for_every_pnp_script(runner: LabRunner, path: Path) -> None:
    """translate's output runs, and parity of the script and its translation passes with only
    the known differences of the families involved (issue 12: the tool proves its own output)."""
    original = path.read_text(encoding="utf-8-sig")
    translated = translate_text(original, str(path)).translated
    result = run_parity(Subject(original, "script", path.name), Subject(translated, "script", f"{path.name} (Mg)"),
                        runner)
    assert result.ok, describe(result, Subject(original, "script", path.name), Subject(translated, "script"))
