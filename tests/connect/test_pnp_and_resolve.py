"""Connect-PnPOnline / Disconnect-PnPOnline, and what a cmdlet gets when not connected."""

from __future__ import annotations

from pathlib import Path

import pytest

from pscompat.connect import (
    MG_NOT_CONNECTED,
    PNP_NOT_CONNECTED,
    current_connection,
    resolve_connection,
    tap_unavailable_message,
)
from pscompat.connect.cmdlets import (
    PnPConnectionObject,
    connect_mg_graph,
    connect_pnp_online,
    connection_from_object,
    disconnect_pnp_online,
    get_mg_context,
)
from pscompat.errors import ErrorRecord

from .conftest import Invocation, make_jwt

TOKEN = {"tid": "11111111-2222-3333-4444-555555555555", "appid": "bbbbbbbb-0000-0000-0000-000000000002",
         "roles": ["UserAuthenticationMethod.ReadWrite.All"]}


def test_pnp_access_token_connection_is_separate_from_mg(isolated: Path) -> None:
    token = make_jwt(**TOKEN)
    assert connect_pnp_online(Invocation("Connect-PnPOnline", "Access Token",
                                         Url="https://contoso.sharepoint.com", AccessToken=token)) == []
    pnp = current_connection("pnp")
    assert pnp is not None and pnp.graph_base_url == "https://graph.microsoft.com"
    assert current_connection("mg") is None and get_mg_context() == []
    assert (isolated / "pnp-context.json").exists() and not (isolated / "mg-context.json").exists()
    assert token not in (isolated / "pnp-context.json").read_text()


@pytest.mark.parametrize("env,url", [("USGovernmentHigh", "https://graph.microsoft.us"),
                                     ("USGovernmentDoD", "https://dod-graph.microsoft.us"),
                                     ("China", "https://microsoftgraph.chinacloudapi.cn"),
                                     ("USGovernment", "https://graph.microsoft.com")])
def test_pnp_azure_environment_hosts(env: str, url: str) -> None:
    connect_pnp_online(Invocation("Connect-PnPOnline", "Access Token", Url="https://contoso.sharepoint.us",
                                  AccessToken=make_jwt(**TOKEN), AzureEnvironment=env))
    conn = current_connection("pnp")
    assert conn is not None and conn.graph_base_url == url
    assert (tap_unavailable_message(conn) is None) == (env != "China")


def test_return_connection_does_not_become_current() -> None:
    [obj] = connect_pnp_online(Invocation("Connect-PnPOnline", "Access Token", Url="https://contoso.sharepoint.com",
                                          AccessToken=make_jwt(**TOKEN), ReturnConnection=True))
    assert isinstance(obj, PnPConnectionObject)
    assert obj.type_name == "PnP.PowerShell.Commands.Base.PnPConnection"
    assert obj["Url"] == "https://contoso.sharepoint.com" and obj["Tenant"] == TOKEN["tid"]
    assert connection_from_object(obj) is not None and connection_from_object("x") is None
    assert current_connection("pnp") is None


def test_pnp_device_login_needs_a_client_id() -> None:
    with pytest.raises(ErrorRecord) as err:
        connect_pnp_online(Invocation("Connect-PnPOnline", "Device Login", Url="https://contoso.sharepoint.com",
                                      DeviceLogin=True))
    assert err.value.message == "Please specify a valid client id for an Entra ID App Registration."
    assert err.value.fqid == "System.ArgumentException,PnP.PowerShell.Commands.Base.ConnectOnline"


def test_disconnect_pnp() -> None:
    with pytest.raises(ErrorRecord) as err:
        disconnect_pnp_online()
    assert err.value.message == "No connection to disconnect."
    assert err.value.fqid == "System.InvalidOperationException,PnP.PowerShell.Commands.Base.DisconnectOnline"
    connect_pnp_online(Invocation("Connect-PnPOnline", "Access Token", Url="https://contoso.sharepoint.com",
                                  AccessToken=make_jwt(**TOKEN)))
    assert disconnect_pnp_online() == []
    assert current_connection("pnp") is None


MG_INTERNAL = "New-MgUserAuthenticationTemporaryAccessPassMethod_CreateExpanded"
MG_TYPE = "Microsoft.Graph.PowerShell.Cmdlets.NewMgUserAuthenticationTemporaryAccessPassMethod_CreateExpanded"
PNP_TYPE = "PnP.PowerShell.Commands.EntraID.NewAzureADUserTemporaryAccessPass"


def test_require_connection_gives_the_real_mg_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PSCOMPAT_REQUIRE_CONNECTION", "1")
    with pytest.raises(ErrorRecord) as err:
        resolve_connection("mg", command=MG_INTERNAL, type_name=MG_TYPE)
    rec = err.value
    assert rec.message == MG_NOT_CONNECTED == "Authentication needed. Please call Connect-MgGraph."
    assert rec.fqid == MG_TYPE and rec.command == MG_INTERNAL
    assert rec.category == "NotSpecified" and not rec.terminating
    assert rec.exception_type == "System.Security.Authentication.AuthenticationException"


def test_require_connection_gives_the_real_pnp_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PSCOMPAT_REQUIRE_CONNECTION", "true")
    with pytest.raises(ErrorRecord) as err:
        resolve_connection("pnp", command="New-PnPEntraIDUserTemporaryAccessPass", type_name=PNP_TYPE)
    rec = err.value
    assert rec.message == PNP_NOT_CONNECTED == (
        "There is currently no connection yet. Use Connect-PnPOnline to connect or provide a valid "
        "connection using -Connection.")
    assert rec.fqid == f"System.InvalidOperationException,{PNP_TYPE}" and rec.terminating


def test_require_connection_is_satisfied_by_a_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PSCOMPAT_REQUIRE_CONNECTION", "1")
    connect_mg_graph(Invocation("Connect-MgGraph", "AccessTokenParameterSet", AccessToken=make_jwt(**TOKEN),
                                NoWelcome=True))
    assert resolve_connection("mg").kind == "token"


def test_a_tap_cmdlet_in_the_china_cloud_is_warned_about() -> None:
    connect_mg_graph(Invocation("Connect-MgGraph", "AccessTokenParameterSet", AccessToken=make_jwt(**TOKEN),
                                Environment="China", NoWelcome=True))
    said: list[str] = []
    conn = resolve_connection("mg", command=MG_INTERNAL, type_name=MG_TYPE, notice=said.append)
    assert conn.graph_base_url == "https://microsoftgraph.chinacloudapi.cn"
    assert said == ["WARNING: Temporary Access Pass is not available in the China cloud (Microsoft Entra "
                    "operated by 21Vianet); Microsoft Graph is expected to reject this request."]
    said.clear()
    resolve_connection("mg", command="Get-MgUser_List", type_name="Microsoft.Graph.X", notice=said.append)
    assert said == []
