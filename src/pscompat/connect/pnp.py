"""Connect-PnPOnline and Disconnect-PnPOnline (PnP.PowerShell), for their Microsoft Graph side.

Modes map onto azure-identity like Connect-MgGraph's (docs/connect.md); the PnP connection is
separate from the Mg one. ``-ReturnConnection`` returns a ``PnPConnectionObject`` that the
dispatcher accepts as ``-Connection`` (``connection_from_object``).
"""

from __future__ import annotations

import os
from typing import Any

from pscompat.errors import ErrorRecord
from pscompat.values import PSObject

from . import resolve
from .connection import Connection, GraphConnection, TokenConnection
from .context import STORE, CredentialSpec, SavedContext
from .environments import pnp_cloud, resolve_endpoint
from .handler import Params, current_saved, install, scrub, tell_secret
from .jwt import claims_of
from .mg import _certificate_path, _credential, validate_explicit
from .secrets import SECRET_ENV, TOKEN_ENV, env_secret, secret_text

__all__ = ["connect_pnp_online", "disconnect_pnp_online", "PnPConnectionObject", "connection_from_object"]

CONNECT_PNP_TYPE = "PnP.PowerShell.Commands.Base.ConnectOnline"
DISCONNECT_PNP_TYPE = "PnP.PowerShell.Commands.Base.DisconnectOnline"
PNP_CONNECTION_TYPE = "PnP.PowerShell.Commands.Base.PnPConnection"


def _pnp_error(message: str, type_name: str = CONNECT_PNP_TYPE, command: str = "Connect-PnPOnline",
               exception: str = "System.InvalidOperationException") -> ErrorRecord:
    """PnP cmdlets throw; PowerShell makes the exception's type the error id."""
    return ErrorRecord(message, exception, "NotSpecified", command=command, fqid_suffix=type_name,
                       terminating=True, exception_type=exception)


class PnPConnectionObject(PSObject):
    """What ``Connect-PnPOnline -ReturnConnection`` returns: shown like PnPConnection, usable
    as ``-Connection`` (``connection_from_object``) by the dispatcher."""

    __slots__ = ("connection",)

    def __init__(self, connection: Connection, properties: list[tuple[str, Any]]) -> None:
        super().__init__(properties, type_names=(PNP_CONNECTION_TYPE, "System.Object"))
        self.connection = connection


def connection_from_object(value: Any) -> Connection | None:
    """The live connection behind a ``-Connection`` argument, or None."""
    return value.connection if isinstance(value, PnPConnectionObject) else None


def _pnp_object(connection: Connection, saved: SavedContext) -> PnPConnectionObject:
    extra = saved.extra
    props = [
        ("Url", extra.get("Url")),
        ("ConnectionType", "O365"),
        ("ConnectionMethod", extra.get("ConnectionMethod")),
        ("ClientId", saved.credential.client_id),
        ("Tenant", saved.credential.tenant_id),
        ("AzureEnvironment", saved.endpoint.cloud),
        ("GraphEndPoint", saved.endpoint.graph_url.split("://", 1)[-1]),
        ("PSCredential", None),
    ]
    return PnPConnectionObject(connection, props)


def connect_pnp_online(invocation: Any, host: Any = None) -> list[Any]:
    """Connect-PnPOnline: app-only certificate, managed identity, device login, access token, env.

    A failed attempt leaves PnP cmdlets failing as "not connected", never on the embedded lab."""
    try:
        return _connect_pnp_online(invocation, host)
    except ErrorRecord:
        from .live import mark_failed
        mark_failed("pnp")
        raise


def _connect_pnp_online(invocation: Any, host: Any = None) -> list[Any]:
    p = Params(invocation)
    env_name = p.text("AzureEnvironment")
    cloud = pnp_cloud(env_name)
    if cloud is None:
        raise ErrorRecord(
            f"Cannot bind parameter 'AzureEnvironment'. Cannot convert value \"{env_name}\" to type "
            "\"PnP.Framework.AzureEnvironment\".", "CannotConvertArgumentNoMessage", "InvalidArgument",
            command="Connect-PnPOnline", fqid_suffix=CONNECT_PNP_TYPE, terminating=True)
    endpoint = resolve_endpoint(cloud)
    url = p.text("Url")
    tenant = p.text("Tenant") or _tenant_from_url(url)
    client_id = p.text("ClientId")
    secret: str | None = None
    method: str
    token: str | None = None

    if (p.switch("Interactive") or p.switch("DeviceLogin")) and not p.has("AccessToken"):
        from .labsignin import connect_embedded_lab, lab_signin_requested
        if lab_signin_requested():
            if not client_id:   # PnP PowerShell 3 asks for the app registration either way
                raise _pnp_error("Please specify a valid client id for an Entra ID App Registration.",
                                 exception="System.ArgumentException")
            kind = "DeviceCode" if p.switch("DeviceLogin") else "InteractiveBrowser"
            method = "DeviceLogin" if p.switch("DeviceLogin") else "Credentials"
            saved, lab_conn = connect_embedded_lab("pnp", None, {"ClientId": None, "TenantId": None}, endpoint,
                                                   "CurrentUser", kind, extra={"Url": url, "ConnectionMethod": method})
            if p.switch("ReturnConnection"):
                return [_pnp_object(lab_conn, saved)]
            install("pnp", saved, lab_conn, None)
            return []
    if p.has("AccessToken"):
        token = secret_text(p.get("AccessToken"))
        tell_secret(host, token)
        if not token:
            raise _pnp_error("Access token is empty.")
        claims = claims_of(token) or {}
        method = "AccessToken"
        spec = CredentialSpec(kind="access_token", client_id=claims.get("appid") or client_id,
                              tenant_id=claims.get("tid") or tenant,
                              secret_source=f"EnvironmentVariable:{TOKEN_ENV}")
    elif p.switch("ManagedIdentity"):
        method = "ManagedIdentity"
        mi = p.text("UserAssignedManagedIdentityClientId") or p.text("UserAssignedManagedIdentityObjectId")
        spec = CredentialSpec(kind="managed_identity", client_id=mi, tenant_id=tenant)
    elif p.switch("DeviceLogin"):
        method = "DeviceLogin"
        if not client_id:
            raise _pnp_error("Please specify a valid client id for an Entra ID App Registration.",
                             exception="System.ArgumentException")
        spec = CredentialSpec(kind="device_code", client_id=client_id, tenant_id=tenant,
                              scopes=(".default",))
    elif p.switch("Interactive"):
        method = "Credentials"
        if not client_id:
            raise _pnp_error("Please specify a valid client id for an Entra ID App Registration.",
                             exception="System.ArgumentException")
        spec = CredentialSpec(kind="interactive_browser", client_id=client_id, tenant_id=tenant,
                              scopes=(".default",))
    elif p.switch("EnvironmentVariable"):
        method = "EnvironmentVariable"
        spec = CredentialSpec(kind="environment", client_id=os.environ.get("AZURE_CLIENT_ID"),
                              tenant_id=os.environ.get("AZURE_TENANT_ID") or tenant)
    elif p.has("ClientSecret"):
        method = "AzureADAppOnlyAuthentication"
        secret = secret_text(p.get("ClientSecret")) or env_secret(SECRET_ENV)
        tell_secret(host, secret)
        spec = CredentialSpec(kind="client_secret", client_id=client_id, tenant_id=tenant,
                              secret_source=f"EnvironmentVariable:{SECRET_ENV}")
    elif p.has("Thumbprint") or p.has("CertificatePath") or p.has("CertificateBase64Encoded"):
        method = "AzureADAppOnlyAuthentication"
        spec = _pnp_certificate_spec(p, client_id, tenant)
    else:
        raise _pnp_error("pscompat supports these Connect-PnPOnline modes: certificate (-CertificatePath or "
                         "-Thumbprint), -ManagedIdentity, -DeviceLogin, -Interactive, -AccessToken, "
                         "-EnvironmentVariable. See docs/connect.md.",
                         exception="System.NotSupportedException")
    if spec.kind in {"client_secret", "certificate"} and (not client_id or not tenant):
        raise _pnp_error("Please specify a valid client id for an Entra ID App Registration."
                         if not client_id else "The Tenant parameter is required for app-only authentication.",
                         exception="System.ArgumentException")
    saved = SavedContext("pnp", {"ClientId": spec.client_id, "TenantId": spec.tenant_id},
                         endpoint, spec, "CurrentUser", extra={"Url": url, "ConnectionMethod": method})
    connection: Connection
    failure: ErrorRecord | None = None
    if token is not None:
        held = token
        connection = TokenConnection("pnp", endpoint.graph_url, lambda: held,
                                     verify=endpoint.ca_bundle or True, saved=saved,
                                     tap_available=endpoint.tap_available)
        secret = token
    else:
        graph = GraphConnection(saved, lambda: _credential(spec, endpoint, secret))
        try:
            if spec.kind in {"device_code", "interactive_browser"}:
                from .credentials import graph_scopes
                record = graph.credential.authenticate(scopes=graph_scopes(endpoint, ()))
                spec = spec.with_(authentication_record=record.serialize())
                saved = SavedContext("pnp", saved.fields, endpoint, spec, "CurrentUser", extra=saved.extra)
                graph.saved = saved
            else:
                validate_explicit(spec, endpoint, secret)   # not answered from the token cache
                graph.get_token()
        except ErrorRecord as exc:
            failure = exc
        except Exception as exc:
            message = getattr(exc, "message", None) or str(exc)
            failure = _pnp_error(scrub(str(message), secret),
                                 exception="Azure.Identity.AuthenticationFailedException")
        if failure is not None:
            graph.close()
            raise failure
        connection = graph
    if p.switch("ReturnConnection"):
        # PnP 3: -ReturnConnection does not make it the current connection.
        return [_pnp_object(connection, saved)]
    install("pnp", saved, connection, secret)
    return []


def _tenant_from_url(url: str | None) -> str | None:
    """``https://contoso.sharepoint.com`` -> ``contoso.onmicrosoft.com`` (what PnP infers)."""
    if not url:
        return None
    from urllib.parse import urlparse
    host = urlparse(url if "://" in url else f"https://{url}").hostname or ""
    if host.endswith(".sharepoint.com"):
        name = host.split(".", 1)[0].removesuffix("-admin")
        return f"{name}.onmicrosoft.com"
    return None


def _pnp_certificate_spec(p: Params, client_id: str | None, tenant: str | None) -> CredentialSpec:
    from .certstore import cert_store_dir, describe_certificate, find_certificate

    thumbprint = p.text("Thumbprint")
    if thumbprint:
        info = find_certificate(thumbprint=thumbprint)
        if info is None:
            raise _pnp_error(f"Certificate with thumbprint '{thumbprint}' was not found in the pscompat "
                             f"certificate store ({cert_store_dir()}).")
    else:
        path = _certificate_path(p.text("CertificatePath") or "")
        password = secret_text(p.get("CertificatePassword"))
        info = describe_certificate(path, password.encode() if password else None) if path else None
        if info is None:
            raise _pnp_error(f"Certificate not found or not readable: {p.text('CertificatePath')}",
                             exception="System.IO.FileNotFoundException")
    return CredentialSpec(kind="certificate", client_id=client_id, tenant_id=tenant,
                          certificate_path=str(info.path), certificate_thumbprint=info.thumbprint)


def disconnect_pnp_online(invocation: Any = None, host: Any = None) -> list[Any]:
    """Disconnect-PnPOnline: forget the current PnP connection; an error when there is none."""
    saved = current_saved("pnp")
    STORE.remove("pnp")
    resolve.forget("pnp")
    resolve.remember_secret("pnp", None)
    if saved is None:
        raise _pnp_error("No connection to disconnect.", type_name=DISCONNECT_PNP_TYPE,
                         command="Disconnect-PnPOnline")
    return []
