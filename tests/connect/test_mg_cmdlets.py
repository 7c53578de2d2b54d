"""Connect-MgGraph (paths that need no server), Get-MgContext, Disconnect-MgGraph."""

from __future__ import annotations

import json
import stat
import time
from pathlib import Path

import pytest

from pscompat.connect import STORE, current_connection, forget
from pscompat.connect.cmdlets import (
    connect_mg_graph,
    disconnect_mg_graph,
    get_mg_context,
    set_long_lived_process,
    welcome_text,
)
from pscompat.connect.context import MG_CONTEXT_FIELDS
from pscompat.errors import ErrorRecord

from .conftest import Invocation, make_jwt

TOKEN_CLAIMS = {"tid": "11111111-2222-3333-4444-555555555555", "appid": "aaaaaaaa-0000-0000-0000-000000000001",
                "app_displayname": "Contoso Tools", "scp": "User.Read UserAuthenticationMethod.ReadWrite.All",
                "upn": "admin@contoso.lab"}


def _connect_token(token: str, **extra: object) -> None:
    connect_mg_graph(Invocation("Connect-MgGraph", "AccessTokenParameterSet", AccessToken=token, **extra))


def test_welcome_text_is_the_modules() -> None:
    assert welcome_text("delegated", "14d82eec-204b-4c2f-b7e8-296a70dab67e") == (
        "Welcome to Microsoft Graph!\n\n"
        "Connected via delegated access using 14d82eec-204b-4c2f-b7e8-296a70dab67e\n"
        "Readme: https://aka.ms/graph/sdk/powershell\n"
        "SDK Docs: https://aka.ms/graph/sdk/powershell/docs\n"
        "API Docs: https://aka.ms/graph/docs\n\n"
        "NOTE: You can use the -NoWelcome parameter to suppress this message.\n")


def test_access_token_connect_fills_the_context_and_saves_no_token(
        isolated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    token = make_jwt(**TOKEN_CLAIMS)
    _connect_token(token)
    out = capsys.readouterr()
    assert out.out.startswith("Welcome to Microsoft Graph!\n\nConnected via userprovidedaccesstoken access "
                              "using aaaaaaaa-0000-0000-0000-000000000001\n")
    [ctx] = get_mg_context()
    assert ctx.property_names() == list(MG_CONTEXT_FIELDS)
    assert ctx["TenantId"] == TOKEN_CLAIMS["tid"]
    assert ctx["Scopes"] == ["User.Read", "UserAuthenticationMethod.ReadWrite.All"]
    assert ctx["AuthType"] == "UserProvidedAccessToken"
    assert ctx["TokenCredentialType"] == "UserProvidedAccessToken"
    assert ctx["Account"] == "admin@contoso.lab" and ctx["AppName"] == "Contoso Tools"
    assert ctx["Environment"] == "Global" and ctx["ClientSecret"] is None
    saved = isolated / "mg-context.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    text = saved.read_text()
    assert token not in text and token.split(".")[1] not in text
    # This process keeps using the token; a new process needs PSCOMPAT_ACCESS_TOKEN.
    conn = current_connection("mg")
    assert conn is not None and conn.graph_base_url == "https://graph.microsoft.com"
    STORE.forget_process()
    forget()
    with pytest.raises(ErrorRecord) as err:
        current_connection("mg")
    assert "PSCOMPAT_ACCESS_TOKEN" in err.value.message and token not in err.value.message


def test_saved_token_context_comes_back_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    token = make_jwt(**TOKEN_CLAIMS)
    monkeypatch.setenv("PSCOMPAT_ACCESS_TOKEN", token)
    _connect_token(token, NoWelcome=True)
    STORE.forget_process()
    forget()
    conn = current_connection("mg")
    assert conn is not None and conn.kind == "token"


def test_no_welcome_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    _connect_token(make_jwt(**TOKEN_CLAIMS), NoWelcome=True)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("claims,message", [
    ({"exp": int(time.time()) - 10}, "The provided access token has expired. Set a valid access token to "
                                     "`-AccessToken` parameter and try again."),
])
def test_expired_token_is_refused(claims: dict[str, object], message: str) -> None:
    with pytest.raises(ErrorRecord) as err:
        _connect_token(make_jwt(**claims))
    assert err.value.message == message
    assert err.value.fqid == "Microsoft.Graph.PowerShell.Authentication.Cmdlets.ConnectMgGraph"
    assert get_mg_context() == []


def test_not_a_jwt_is_refused() -> None:
    with pytest.raises(ErrorRecord) as err:
        _connect_token("not-a-token")
    assert err.value.message.startswith("The provided access token is invalid.")
    assert "not-a-token" not in err.value.message


def test_get_mg_context_is_empty_when_not_connected() -> None:
    assert get_mg_context() == []


def test_disconnect_returns_the_removed_context(isolated: Path) -> None:
    _connect_token(make_jwt(**TOKEN_CLAIMS), NoWelcome=True)
    [removed] = disconnect_mg_graph()
    assert removed["AuthType"] == "UserProvidedAccessToken"
    assert not (isolated / "mg-context.json").exists()
    assert get_mg_context() == [] and current_connection("mg") is None


def test_disconnect_when_not_connected_writes_the_modules_error() -> None:
    with pytest.raises(ErrorRecord) as err:
        disconnect_mg_graph()
    rec = err.value
    assert rec.message == "No application to sign out from."
    assert rec.category == "CloseError" and not rec.terminating
    assert rec.fqid == "Microsoft.Graph.PowerShell.Authentication.Cmdlets.DisconnectMgGraph"
    assert rec.exception_type == "System.ArgumentException"


def test_unknown_environment() -> None:
    with pytest.raises(ErrorRecord) as err:
        _connect_token(make_jwt(**TOKEN_CLAIMS), Environment="Mars")
    assert err.value.message == ("Unable to find environment with name 'Mars'. Use Get-MgEnvironment to "
                                 "list available environments.")
    assert err.value.fqid == "InvalidOperation,Microsoft.Graph.PowerShell.Authentication.Cmdlets.ConnectMgGraph"


@pytest.mark.parametrize("env,url", [("USGov", "https://graph.microsoft.us"),
                                     ("usgovdod", "https://dod-graph.microsoft.us"),
                                     ("China", "https://microsoftgraph.chinacloudapi.cn"),
                                     ("Global", "https://graph.microsoft.com")])
def test_environment_hosts(env: str, url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _connect_token(make_jwt(**TOKEN_CLAIMS), Environment=env, NoWelcome=True)
    conn = current_connection("mg")
    assert conn is not None and conn.graph_base_url == url
    assert conn.tap_available == (env != "China")
    [ctx] = get_mg_context()
    assert ctx["Environment"].casefold() == env.casefold()


def test_context_scope_process_is_not_saved(isolated: Path) -> None:
    _connect_token(make_jwt(**TOKEN_CLAIMS), NoWelcome=True, ContextScope="Process")
    assert not (isolated / "mg-context.json").exists()
    assert get_mg_context()[0]["ContextScope"] == "Process"


def test_long_lived_process_uses_the_modules_default_scope(isolated: Path) -> None:
    set_long_lived_process(True)
    _connect_token(make_jwt(**TOKEN_CLAIMS), NoWelcome=True)
    assert not (isolated / "mg-context.json").exists()


def test_client_secret_needs_a_secret_from_a_safe_place(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ErrorRecord) as err:
        connect_mg_graph(Invocation("Connect-MgGraph", "AppSecretCredentialParameterSet",
                                    ClientSecretCredential="app-id", TenantId="contoso.lab"))
    assert err.value.error_id == "ClientSecretNotFound"
    assert "AZURE_CLIENT_SECRET" in err.value.message


def test_client_secret_set_requires_a_tenant() -> None:
    with pytest.raises(ErrorRecord) as err:
        connect_mg_graph(Invocation("Connect-MgGraph", "AppSecretCredentialParameterSet",
                                    ClientSecretCredential="app-id"))
    assert err.value.message == "Must specify 'TenantId'."
    assert err.value.category == "InvalidArgument"
    assert err.value.fqid.endswith(",Microsoft.Graph.PowerShell.Authentication.Cmdlets.ConnectMgGraph")


def test_certificate_set_validation() -> None:
    with pytest.raises(ErrorRecord) as err:
        connect_mg_graph(Invocation("Connect-MgGraph", "AppCertificateParameterSet", ClientId="a",
                                    TenantId="t", CertificateThumbprint="ABC"))
    assert err.value.message == ("'CertificateThumbprint' must have a length of 40. Ensure you have the "
                                 "right certificate thumbprint then try again.")
    with pytest.raises(ErrorRecord) as err:
        connect_mg_graph(Invocation("Connect-MgGraph", "AppCertificateParameterSet", ClientId="a",
                                    TenantId="t"))
    assert err.value.message == "Must specify 'CertificateThumbprint or CertificateSubjectName or Certificate'."


def test_saved_file_is_plain_json_without_secret_fields(isolated: Path) -> None:
    _connect_token(make_jwt(**TOKEN_CLAIMS), NoWelcome=True)
    data = json.loads((isolated / "mg-context.json").read_text())
    assert data["context"]["ClientSecret"] is None
    assert data["credential"]["kind"] == "access_token"


def test_interactive_sign_in_without_a_display_uses_a_device_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """No browser can open: the credential becomes DeviceCodeCredential, with a warning first.

    The sign-in itself is not run here (it needs Entra ID): the credential factory is checked."""
    from pscompat.connect import mg as cmdlets

    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    warnings: list[str] = []
    built: list[object] = []

    class Host:
        def write_warning(self, text: str) -> None:
            warnings.append(text)

        def write_error(self, record: ErrorRecord) -> None:
            raise record

    def fake_sign_in(connection: object, saved: object, spec: object) -> tuple[dict[str, object], None]:
        built.append(connection.credential)  # type: ignore[attr-defined]
        return dict(saved.fields), None  # type: ignore[attr-defined]

    monkeypatch.setattr(cmdlets, "_sign_in", fake_sign_in)
    connect_mg_graph(Invocation("Connect-MgGraph", "UserParameterSet", Scopes=["User.Read"], NoWelcome=True),
                     Host())
    assert warnings and "device code" in warnings[0]
    assert type(built[0]).__name__ == "DeviceCodeCredential"
    [ctx] = get_mg_context()
    assert ctx["TokenCredentialType"] == "DeviceCode" and ctx["AuthType"] == "Delegated"
    assert ctx["Scopes"] == ["User.Read"]
