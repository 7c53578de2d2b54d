"""`Connect-MgGraph -Scopes ...` as admins type it, against the embedded lab (PSCOMPAT_SIGNIN=lab):
the lab's admin signed in with exactly those delegated scopes, the real welcome text, scopes
enforced; a failed Connect-* never falls back to the lab."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from pscompat.script.external import ModelInvoker

from ..script.helpers import run as run_script

WELCOME = [
    "Welcome to Microsoft Graph!",
    "",
    "Connected via delegated access using f0c70170-e0d3-40a7-8b9c-6db6c67bb257",
    "Readme: https://aka.ms/graph/sdk/powershell",
    "SDK Docs: https://aka.ms/graph/sdk/powershell/docs",
    "API Docs: https://aka.ms/graph/docs",
    "",
    "NOTE: You can use the -NoWelcome parameter to suppress this message.",
]


@pytest.fixture()
def lab_signin(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("PSCOMPAT_SIGNIN", "lab")
    monkeypatch.setenv("PSCOMPAT_LAB_DB", str(tmp_path / "lab" / "lab.db"))
    return tmp_path


def test_connect_with_scopes_signs_in_the_lab_admin(lab_signin: Path, isolated: Path) -> None:
    script = """
Connect-MgGraph -Scopes "UserAuthenticationMethod.ReadWrite.All"
$ctx = Get-MgContext
"$($ctx.AuthType) $($ctx.Account) $($ctx.Scopes -join ',') $($ctx.TokenCredentialType)"
$tap = New-MgUserAuthenticationTemporaryAccessPassMethod -UserId AdeleV@contoso.lab -LifetimeInMinutes 60
"lifetime=$($tap.LifetimeInMinutes)"
"""
    result = run_script(script, invoker=ModelInvoker())
    assert (result.code, result.err) == (0, "")
    lines = result.out.splitlines()
    assert lines[:len(WELCOME)] == WELCOME
    assert lines[len(WELCOME):] == [
        "Delegated admin@contoso.lab UserAuthenticationMethod.ReadWrite.All InteractiveBrowser", "lifetime=60"]
    saved = isolated / "mg-context.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    text = saved.read_text()
    assert json.loads(text)["credential"]["kind"] == "embedded_lab" and "eyJ" not in text   # no token saved


def test_scopes_are_enforced_as_delegated_permissions(lab_signin: Path) -> None:
    script = ('Connect-MgGraph -Scopes "UserAuthenticationMethod.ReadWrite.All" -NoWelcome\n'
              'Get-MgUser -Top 1\n"after"\n')
    result = run_script(script, invoker=ModelInvoker())
    assert result.out.splitlines() == ["after"]
    assert "Get-MgUser_List : Insufficient privileges to complete the operation." in result.err
    assert "Authorization_RequestDenied,Microsoft.Graph.PowerShell.Cmdlets.GetMgUser_List" in result.err
    ok = run_script('Connect-MgGraph -Scopes "User.Read.All" -NoWelcome\n(Get-MgUser -Top 1).Count\n',
                    invoker=ModelInvoker())
    assert (ok.err, ok.out) == ("", "1\n")


def test_failed_connect_does_not_fall_back_to_the_lab(lab_signin: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PSCOMPAT_LAB_USER", "nobody@contoso.lab")
    script = ('try { Connect-MgGraph -Scopes "User.Read.All" } catch { "connect failed" }\n'
              'Get-MgUser -Top 1\n"after"\n')
    result = run_script(script, invoker=ModelInvoker())
    assert result.out.splitlines()[0] == "connect failed"
    assert "Get-MgUser_List : Authentication needed. Please call Connect-MgGraph." in result.err
    assert "not connected; using the embedded lab" not in result.err


def test_pnp_interactive_sign_in_goes_to_the_lab(lab_signin: Path, isolated: Path) -> None:
    """Connect-PnPOnline -Interactive / -DeviceLogin (PnP asks for the app's .default scope): the
    lab's admin signed in with the lab app's delegated permissions, so a PnP script runs as
    written. PnP PowerShell 3 still wants -ClientId."""
    script = """
Connect-PnPOnline -Url "https://contoso.sharepoint.com" -Interactive -ClientId "00000000-0000-0000-0000-000000000000"
$tap = New-PnPEntraIDUserTemporaryAccessPass -Identity "AdeleV@contoso.lab" -LifetimeInMinutes 60 -IsUsableOnce
"tap: $($tap.TemporaryAccessPass.Length) $($tap.LifetimeInMinutes) $($tap.IsUsableOnce)"
(Get-PnPEntraIDUser -Identity "AdeleV@contoso.lab").DisplayName
Disconnect-PnPOnline
"""
    result = run_script(script, invoker=ModelInvoker())
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines() == ["tap: 8 60 True", "Adele Vance"]
    refused = run_script('Connect-PnPOnline -Url "https://contoso.sharepoint.com" -DeviceLogin', invoker=ModelInvoker())
    assert "Please specify a valid client id for an Entra ID App Registration." in refused.err
