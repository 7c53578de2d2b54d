"""The Graph path without internet: the lab served over HTTPS on 127.0.0.1 poses as Microsoft Graph.

Connect-MgGraph with a client secret of the lab's admin app goes through the real chain --
azure-identity's ClientSecretCredential (OpenID discovery + token endpoint on the lab, CA bundle
trusted, instance discovery off) -> kiota's AzureIdentityAuthenticationProvider -> msgraph-core's
client -> the dispatcher -- and a TAP create gives the same result as the embedded lab in-process
and the lab over plain HTTP. A guard fails the test if anything connects outside 127.0.0.1.
"""

from __future__ import annotations

import gc
import io
import json
import logging
import os
import socket
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pscompat.connect import STORE, current_connection, embedded_lab_connection, forget, resolve_connection
from pscompat.connect.cmdlets import connect_mg_graph, disconnect_mg_graph, get_mg_context
from pscompat.connect.labconnect import LAB_ADMIN_CLIENT_ID, connect_lab
from pscompat.errors import ErrorRecord

from .conftest import Invocation

LAB_ADMIN_SECRET = "lab-admin-secret.Contoso~2024"   # public: scenarios/default.yaml
TAP_ARGS = ["-UserId", "AdeleV@contoso.lab", "-LifetimeInMinutes", "60", "-IsUsableOnce"]
# What must be equal whichever way the request went (the pass, its id and timestamps are fresh).
STABLE = ("IsUsable", "IsUsableOnce", "LifetimeInMinutes", "MethodUsabilityReason", "__wire__", "__auth__")


@pytest.fixture
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every outgoing connection of this process must go to 127.0.0.1 (no DNS, no internet)."""
    seen: list[Any] = []
    real_connect = socket.socket.connect

    def guarded(sock: socket.socket, address: Any) -> Any:
        seen.append(address)
        if sock.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in ("127.0.0.1", "::1"):
            raise AssertionError(f"outbound connection to {address!r}")
        return real_connect(sock, address)

    def no_dns(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in ("127.0.0.1", "::1", None):
            raise AssertionError(f"name lookup for {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    real_getaddrinfo = socket.getaddrinfo
    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    for var in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "*")
    return seen


@pytest.fixture
def lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from pscompat.lab import open_lab
    db = tmp_path / "lab" / "lab.db"
    monkeypatch.setenv("PSCOMPAT_LAB_DB", str(db))
    opened = open_lab(db)
    yield opened
    opened.close()


@pytest.fixture
def served(lab: Any) -> Iterator[dict[str, Any]]:
    from pscompat.lab import serve_in_thread
    https_url, stop_https, cert = serve_in_thread(lab, tls=True)
    http_url, stop_http, _ = serve_in_thread(lab, tls=False)
    try:
        yield {"https": https_url, "http": http_url, "cert": str(cert)}
    finally:
        # Close the clients' keep-alive sockets first (credentials, and sockets of clients already
        # unreachable), or the server's graceful shutdown waits for their TLS close.
        forget()
        gc.collect()
        stop_https()
        stop_http()


class _Host:
    """The dispatcher's host, capturing its streams."""

    def __new__(cls) -> Any:
        from pscompat.host import Host
        return Host(out=io.StringIO(), err=io.StringIO())


def _create_tap(connection: Any) -> dict[str, Any]:
    from pscompat.binder.session import bind_argv
    from pscompat.dispatch import execute
    from pscompat.model import load_cmdlet
    invocation = bind_argv(load_cmdlet("New-MgUserAuthenticationTemporaryAccessPassMethod"), TAP_ARGS,
                           interactive=False)
    host = _Host()
    result = execute(invocation, host, connection=connection)
    assert host.err.getvalue() == "" and host.error_count == 0, host.err.getvalue()
    [obj] = result.objects
    [exchange] = result.exchanges
    props = dict(obj.properties())
    props["__wire__"] = (exchange.method, exchange.url.split("/v1.0/", 1)[1], exchange.request_body,
                         exchange.status)
    props["__auth__"] = next(v.split()[0] for k, v in exchange.request_headers if k.lower() == "authorization")
    return props


def _stable(props: dict[str, Any]) -> dict[str, Any]:
    return {name: props[name] for name in STABLE}


def test_same_result_in_process_over_http_and_over_https_as_graph(
        lab: Any, served: dict[str, Any], loopback_only: list[Any], isolated: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # 1. Not connected: the embedded lab, in-process.
    in_process = resolve_connection("mg", notice=lambda text: None)
    assert in_process.kind == "lab" and in_process.http_transport() is not None
    local = _create_tap(in_process)

    # 2. The lab over plain HTTP (pscompat lab connect: client credentials of the admin app).
    monkeypatch.setenv("AZURE_CLIENT_SECRET", LAB_ADMIN_SECRET)
    connect_lab(served["http"], modules=("mg",))
    over_http = current_connection("mg")
    assert over_http is not None and over_http.graph_base_url == served["http"]
    assert over_http.http_transport() is None
    http = _create_tap(over_http)

    # 3. The lab over HTTPS posing as Graph: Connect-MgGraph -ClientSecretCredential.
    disconnect_mg_graph()
    monkeypatch.setenv("PSCOMPAT_GRAPH_URL", served["https"])
    monkeypatch.setenv("PSCOMPAT_AUTHORITY_HOST", served["https"])
    monkeypatch.setenv("PSCOMPAT_CA_BUNDLE", served["cert"])
    capsys.readouterr()
    connect_mg_graph(Invocation("Connect-MgGraph", "AppSecretCredentialParameterSet",
                                ClientSecretCredential=LAB_ADMIN_CLIENT_ID, TenantId="contoso.lab"))
    assert capsys.readouterr().out.startswith(
        f"Welcome to Microsoft Graph!\n\nConnected via apponly access using {LAB_ADMIN_CLIENT_ID}\n")
    graph = current_connection("mg")
    assert graph is not None and graph.kind == "graph"
    assert graph.graph_base_url == served["https"] and graph.verify == served["cert"]
    assert type(graph.credential).__name__ == "ClientSecretCredential"      # type: ignore[attr-defined]
    assert type(graph.authentication_provider()).__name__ == "AzureIdentityAuthenticationProvider"
    https = _create_tap(graph)

    for props in (local, http, https):
        assert list(props) == list(local)                       # same properties, same order
        assert _stable(props) == _stable(local)
        assert props["TemporaryAccessPass"] and props["Id"]
    assert _stable(local) == {
        "IsUsable": True, "IsUsableOnce": True, "LifetimeInMinutes": 60,
        "MethodUsabilityReason": "EnabledByPolicy",
        "__wire__": local["__wire__"], "__auth__": "Bearer"}
    # The same request on the wire each time (only the host differs), signed with a bearer token.
    method, path, body, status = local["__wire__"]
    assert (method, status) == ("POST", 201)
    assert path == "users/AdeleV%40contoso.lab/authentication/temporaryAccessPassMethods"
    assert json.loads(body) == {"isUsableOnce": True, "lifetimeInMinutes": 60}
    assert local["__wire__"] == http["__wire__"] == https["__wire__"]

    # Get-MgContext was filled from the lab's token, and the saved file holds no secret or token.
    [ctx] = get_mg_context()
    assert ctx["AuthType"] == "AppOnly" and ctx["TokenCredentialType"] == "ClientSecret"
    assert ctx["TenantId"] == lab.tenant["id"] and ctx["AppName"] == "pscompat lab admin"
    assert "UserAuthenticationMethod.ReadWrite.All" in ctx["Scopes"]
    saved_file = isolated / "mg-context.json"
    assert stat.S_IMODE(saved_file.stat().st_mode) == 0o600
    text = saved_file.read_text()
    token = graph.credential.get_token("https://graph.microsoft.com/.default").token  # type: ignore[attr-defined]
    for secret in (LAB_ADMIN_SECRET, token, token.split(".")[1], https["TemporaryAccessPass"]):
        assert secret not in text
    # azure-identity's token cache (never pscompat's) is the only place a token is kept, and it is 0600.
    for root, _dirs, files in os.walk(isolated):
        for name in files:
            assert LAB_ADMIN_SECRET not in (Path(root) / name).read_text(errors="replace")
    cache_files = list((Path(os.environ["HOME"]) / ".IdentityService").glob("pscompat*"))
    assert cache_files and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in cache_files)
    assert all(addr[0] in ("127.0.0.1", "::1") for addr in loopback_only if isinstance(addr, tuple))


def test_saved_graph_context_is_used_by_a_later_process(
        lab: Any, served: dict[str, Any], loopback_only: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PSCOMPAT_GRAPH_URL", served["https"])
    monkeypatch.setenv("PSCOMPAT_AUTHORITY_HOST", served["https"])
    monkeypatch.setenv("PSCOMPAT_CA_BUNDLE", served["cert"])
    monkeypatch.setenv("AZURE_CLIENT_SECRET", LAB_ADMIN_SECRET)
    connect_mg_graph(Invocation("Connect-MgGraph", "AppSecretCredentialParameterSet", NoWelcome=True,
                                ClientSecretCredential=LAB_ADMIN_CLIENT_ID, TenantId="contoso.lab"))
    # A "new process": nothing in memory, the overrides gone from the environment.
    STORE.forget_process()
    forget()
    for var in ("PSCOMPAT_GRAPH_URL", "PSCOMPAT_AUTHORITY_HOST", "PSCOMPAT_CA_BUNDLE"):
        monkeypatch.delenv(var)
    later = current_connection("mg")
    assert later is not None and later.graph_base_url == served["https"]
    assert _stable(_create_tap(later))["LifetimeInMinutes"] == 60
    # Without the secret it cannot sign in, and says so instead of falling back to the lab.
    STORE.forget_process()
    forget()
    monkeypatch.delenv("AZURE_CLIENT_SECRET")
    with pytest.raises(ErrorRecord) as err:
        resolve_connection("mg")
    assert "AZURE_CLIENT_SECRET" in err.value.message and LAB_ADMIN_SECRET not in err.value.message


def test_wrong_secret_fails_at_connect_with_azure_identitys_message(
        lab: Any, served: dict[str, Any], loopback_only: list[Any], isolated: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PSCOMPAT_GRAPH_URL", served["https"])
    monkeypatch.setenv("PSCOMPAT_AUTHORITY_HOST", served["https"])
    monkeypatch.setenv("PSCOMPAT_CA_BUNDLE", served["cert"])
    monkeypatch.setenv("AZURE_CLIENT_SECRET", "not-the-secret-1234")
    # pytest's log capture would keep azure-identity's warning record, whose exc_info holds the
    # failed response and its socket, until the end of the test session.
    monkeypatch.setattr(logging.getLogger("azure"), "propagate", False)
    with pytest.raises(ErrorRecord) as err:
        connect_mg_graph(Invocation("Connect-MgGraph", "AppSecretCredentialParameterSet",
                                    ClientSecretCredential=LAB_ADMIN_CLIENT_ID, TenantId="contoso.lab"))
    rec = err.value
    assert "AADSTS7000215" in rec.message and "not-the-secret-1234" not in rec.message
    assert rec.fqid == "Microsoft.Graph.PowerShell.Authentication.Cmdlets.ConnectMgGraph"
    assert not rec.terminating
    assert current_connection("mg") is None and not (isolated / "mg-context.json").exists()
    del err, rec  # the traceback holds the failed sign-in's socket; let the server stop at once


def test_the_embedded_lab_does_not_import_azure_identity() -> None:
    import subprocess
    import sys
    code = ("import sys, pscompat.connect as c\n"
            "conn = c.resolve_connection('mg', notice=lambda t: None)\n"
            "conn.authentication_provider(); conn.http_transport()\n"
            "print('azure.identity' in sys.modules, 'msal' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={**os.environ})
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False"]


def test_not_connected_notice_goes_to_stderr_once(lab: Any, capsys: pytest.CaptureFixture[str]) -> None:
    first = resolve_connection("mg")
    second = resolve_connection("mg")
    assert first is second is embedded_lab_connection("mg")
    err = capsys.readouterr().err
    assert err == ("pscompat: not connected; using the embedded lab tenant (contoso.lab). "
                   "Connect-MgGraph to use Microsoft Graph.\n")


def test_access_token_connection_to_the_lab(lab: Any, served: dict[str, Any], loopback_only: list[Any],
                                            isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """-AccessToken: a token obtained elsewhere (here the lab's own) is sent as is; never saved."""
    token = lab.issue_token()
    monkeypatch.setenv("PSCOMPAT_GRAPH_URL", served["http"])
    connect_mg_graph(Invocation("Connect-MgGraph", "AccessTokenParameterSet", AccessToken=token, NoWelcome=True))
    conn = current_connection("mg")
    assert conn is not None and conn.kind == "token" and conn.graph_base_url == served["http"]
    props = _create_tap(conn)
    assert props["LifetimeInMinutes"] == 60 and props["__auth__"] == "Bearer"
    [ctx] = get_mg_context()
    assert ctx["AuthType"] == "UserProvidedAccessToken" and ctx["AppName"] == "pscompat lab admin"
    assert token not in (isolated / "mg-context.json").read_text()
    # A later process gets the token from PSCOMPAT_ACCESS_TOKEN (never from the file).
    STORE.forget_process()
    forget()
    monkeypatch.setenv("PSCOMPAT_ACCESS_TOKEN", token)
    later = current_connection("mg")
    assert later is not None and _create_tap(later)["LifetimeInMinutes"] == 60


def test_pnp_environment_variable_connection_to_the_lab_as_graph(
        lab: Any, served: dict[str, Any], loopback_only: list[Any], isolated: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Connect-PnPOnline -EnvironmentVariable: azure-identity's EnvironmentCredential, PnP's beta call."""
    from pscompat.connect.cmdlets import connect_pnp_online
    for name, value in (("PSCOMPAT_GRAPH_URL", served["https"]), ("PSCOMPAT_AUTHORITY_HOST", served["https"]),
                        ("PSCOMPAT_CA_BUNDLE", served["cert"]), ("AZURE_CLIENT_ID", LAB_ADMIN_CLIENT_ID),
                        ("AZURE_TENANT_ID", "contoso.lab"), ("AZURE_CLIENT_SECRET", LAB_ADMIN_SECRET)):
        monkeypatch.setenv(name, value)
    assert connect_pnp_online(Invocation("Connect-PnPOnline", "Environment Variable",
                                         Url="https://contoso.sharepoint.com", EnvironmentVariable=True)) == []
    conn = current_connection("pnp")
    assert conn is not None and conn.kind == "graph" and current_connection("mg") is None
    assert type(conn.credential).__name__ == "EnvironmentCredential"  # type: ignore[attr-defined]
    from pscompat.binder.session import bind_argv
    from pscompat.dispatch import execute
    from pscompat.model import load_cmdlet
    invocation = bind_argv(load_cmdlet("New-PnPEntraIDUserTemporaryAccessPass"),
                           ["-Identity", "DiegoS@contoso.lab", "-LifeTimeInMinutes", "90"], interactive=False)
    host = _Host()
    result = execute(invocation, host, connection=None)     # resolved through pscompat.connect
    assert host.error_count == 0, host.err.getvalue()
    [obj] = result.objects
    assert obj["LifetimeInMinutes"] == 90 and obj["TemporaryAccessPass"]
    [exchange] = result.exchanges
    assert exchange.url.startswith(f"{served['https']}/beta/users/")
    text = (isolated / "pnp-context.json").read_text()
    assert LAB_ADMIN_SECRET not in text and obj["TemporaryAccessPass"] not in text


def test_debug_output_on_the_graph_path_shows_no_token_or_secret(
        lab: Any, served: dict[str, Any], loopback_only: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (("PSCOMPAT_GRAPH_URL", served["https"]), ("PSCOMPAT_AUTHORITY_HOST", served["https"]),
                        ("PSCOMPAT_CA_BUNDLE", served["cert"]), ("AZURE_CLIENT_SECRET", LAB_ADMIN_SECRET)):
        monkeypatch.setenv(name, value)
    from pscompat.host import Host
    host = Host(out=io.StringIO(), err=io.StringIO(), verbose=True, debug=True)
    connect_mg_graph(Invocation("Connect-MgGraph", "AppSecretCredentialParameterSet",
                                ClientSecretCredential=LAB_ADMIN_CLIENT_ID, TenantId="contoso.lab"), host)
    conn = current_connection("mg")
    assert conn is not None
    from pscompat.binder.session import bind_argv
    from pscompat.dispatch import execute
    from pscompat.model import load_cmdlet
    invocation = bind_argv(load_cmdlet("New-MgUserAuthenticationTemporaryAccessPassMethod"),
                           TAP_ARGS + ["-Debug", "-Verbose"], interactive=False)
    result = execute(invocation, host)
    [obj] = result.objects
    text = host.out.getvalue() + host.err.getvalue()
    assert "HTTP REQUEST" in text and "Authorization" not in text.replace("Authorization: <redacted>", "")
    token = conn.credential.get_token("https://graph.microsoft.com/.default").token  # type: ignore[attr-defined]
    for secret in (LAB_ADMIN_SECRET, token, token.split(".")[2], obj["TemporaryAccessPass"]):
        assert secret not in text


@pytest.fixture
def identity_endpoint(lab: Any) -> Iterator[dict[str, Any]]:
    """An App Service-style managed identity endpoint on 127.0.0.1 that hands out the lab's tokens
    (Azure's identity endpoint, the one piece of Azure the lab does not play)."""
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import parse_qs, urlparse

    calls: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            query = parse_qs(urlparse(self.path).query)
            calls.append({"query": query, "header": self.headers.get("X-IDENTITY-HEADER")})
            body = json.dumps({"access_token": lab.issue_token(), "expires_on": str(int(time.time()) + 3600),
                               "resource": query.get("resource", [""])[0], "token_type": "Bearer"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield {"url": f"http://127.0.0.1:{server.server_port}/msi/token", "calls": calls}
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_managed_identity_connection(lab: Any, served: dict[str, Any], identity_endpoint: dict[str, Any],
                                     loopback_only: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDENTITY_ENDPOINT", identity_endpoint["url"])
    monkeypatch.setenv("IDENTITY_HEADER", "header-value-1234")
    monkeypatch.setenv("PSCOMPAT_GRAPH_URL", served["https"])
    monkeypatch.setenv("PSCOMPAT_CA_BUNDLE", served["cert"])
    from pscompat.host import Host
    host = Host(out=io.StringIO(), err=io.StringIO())
    connect_mg_graph(Invocation("Connect-MgGraph", "IdentityParameterSet", Identity=True), host)
    assert host.out.getvalue().startswith(
        f"Welcome to Microsoft Graph!\n\nConnected via managedidentity access using {LAB_ADMIN_CLIENT_ID}\n")
    [ctx] = get_mg_context()
    assert ctx["AuthType"] == "ManagedIdentity" and ctx["TokenCredentialType"] == "ManagedIdentity"
    assert ctx["ManagedIdentityId"] == "MSI@50342" and ctx["AppName"] == "pscompat lab admin"
    conn = current_connection("mg")
    assert conn is not None and type(conn.credential).__name__ == "ManagedIdentityCredential"  # type: ignore[attr-defined]
    assert _create_tap(conn)["LifetimeInMinutes"] == 60
    first = identity_endpoint["calls"][0]
    assert first["header"] == "header-value-1234"
    assert first["query"]["resource"] == ["https://graph.microsoft.com"]
    # user-assigned: -ClientId names the identity
    disconnect_mg_graph()
    connect_mg_graph(Invocation("Connect-MgGraph", "IdentityParameterSet", Identity=True, NoWelcome=True,
                                ClientId="11111111-aaaa-bbbb-cccc-000000000001"))
    assert get_mg_context()[0]["ManagedIdentityId"] == "11111111-aaaa-bbbb-cccc-000000000001"
    assert identity_endpoint["calls"][-1]["query"]["client_id"] == ["11111111-aaaa-bbbb-cccc-000000000001"]


def test_certificate_sign_in_reaches_the_authority_with_a_signed_assertion(
        lab: Any, served: dict[str, Any], loopback_only: list[Any], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Connect-PnPOnline -CertificatePath and Connect-MgGraph -CertificateThumbprint build azure-identity's
    CertificateCredential and post a client assertion; the lab only knows secrets, so it refuses
    (AADSTS7000218) -- which shows the whole way there worked, and how a refusal is reported."""
    from pscompat.connect.cmdlets import connect_pnp_online

    from .certs import make_cert
    monkeypatch.setattr(logging.getLogger("azure"), "propagate", False)
    for name, value in (("PSCOMPAT_GRAPH_URL", served["https"]), ("PSCOMPAT_AUTHORITY_HOST", served["https"]),
                        ("PSCOMPAT_CA_BUNDLE", served["cert"]), ("PSCOMPAT_CERT_STORE", str(tmp_path / "store"))):
        monkeypatch.setenv(name, value)
    path, thumb = make_cert(tmp_path / "store", "app.pem", "pscompat-app")
    with pytest.raises(ErrorRecord) as err:
        connect_pnp_online(Invocation("Connect-PnPOnline", "App-Only with Azure Active Directory",
                                      Url="https://contoso.sharepoint.com", ClientId=LAB_ADMIN_CLIENT_ID,
                                      Tenant="contoso.lab", CertificatePath=str(path)))
    assert "AADSTS7000218" in err.value.message
    assert err.value.fqid == ("Azure.Identity.AuthenticationFailedException,"
                              "PnP.PowerShell.Commands.Base.ConnectOnline")
    del err
    with pytest.raises(ErrorRecord) as err:
        connect_mg_graph(Invocation("Connect-MgGraph", "AppCertificateParameterSet", ClientId=LAB_ADMIN_CLIENT_ID,
                                    TenantId="contoso.lab", CertificateThumbprint=thumb.lower()))
    assert "AADSTS7000218" in err.value.message and not err.value.terminating
    del err
    assert current_connection("pnp") is None and current_connection("mg") is None


def test_lab_connect_over_https_uses_azure_identity(lab: Any, served: dict[str, Any], loopback_only: list[Any],
                                                    isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_CLIENT_SECRET", LAB_ADMIN_SECRET)
    [saved] = connect_lab(served["https"], modules=("pnp",), ca_bundle=served["cert"])
    assert saved.fields["AppName"] == "pscompat lab admin" and saved.credential.kind == "lab"
    conn = current_connection("pnp")
    assert conn is not None and conn.kind == "graph" and conn.verify == served["cert"]
    assert type(conn.credential).__name__ == "ClientSecretCredential"  # type: ignore[attr-defined]
    STORE.forget_process()
    forget()
    again = current_connection("pnp")          # a later process: from the saved file + the env secret
    assert again is not None and again.graph_base_url == served["https"]
    assert LAB_ADMIN_SECRET not in (isolated / "pnp-context.json").read_text()
