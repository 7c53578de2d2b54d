"""The connection cmdlets: Connect-MgGraph, Get-MgContext, Disconnect-MgGraph, Connect-PnPOnline,
Disconnect-PnPOnline.

Each handler takes the binder's ``BoundInvocation`` (``parameter_set``, ``parameters``: canonical
name -> value) and an optional host (anything with ``write_information``/``write_warning``;
without one, information goes to stdout and warnings to stderr), and returns the objects the
cmdlet writes to the pipeline. Errors are ``ErrorRecord``s with the real modules' messages,
categories and FQIDs; ``terminating=False`` marks the ones the real cmdlet only writes
(``WriteError``), so the caller applies -ErrorAction to them.

What each parameter set maps to in azure-identity, and every deviation, is in docs/connect.md.
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from collections.abc import Mapping
from typing import Any

from pscompat.errors import ErrorRecord
from pscompat.values import PSObject

from . import resolve
from .connection import Connection, GraphConnection, TokenConnection, context_object
from .context import STORE, CredentialSpec, Module, SavedContext
from .environments import Endpoint, mg_cloud, pnp_cloud, resolve_endpoint
from .jwt import claims_of
from .secrets import (
    SECRET_ENV,
    TOKEN_ENV,
    credential_parts,
    env_secret,
    prompt_secret,
    secret_text,
)

__all__ = ["connect_mg_graph", "get_mg_context", "disconnect_mg_graph", "connect_pnp_online",
           "disconnect_pnp_online", "welcome_text", "PnPConnectionObject", "connection_from_object",
           "set_long_lived_process"]

CONNECT_MG_TYPE = "Microsoft.Graph.PowerShell.Authentication.Cmdlets.ConnectMgGraph"
GET_MG_CONTEXT_TYPE = "Microsoft.Graph.PowerShell.Authentication.Cmdlets.GetMgContext"
DISCONNECT_MG_TYPE = "Microsoft.Graph.PowerShell.Authentication.Cmdlets.DisconnectMgGraph"
CONNECT_PNP_TYPE = "PnP.PowerShell.Commands.Base.ConnectOnline"
DISCONNECT_PNP_TYPE = "PnP.PowerShell.Commands.Base.DisconnectOnline"
PNP_CONNECTION_TYPE = "PnP.PowerShell.Commands.Base.PnPConnection"

DEFAULT_SCOPES = ("User.Read",)

# At the bash prompt every cmdlet is a process of its own, so a Process-scoped context would be
# gone before the next command: there the default scope is CurrentUser for every set. A .ps1
# run, the shell and Python callers live longer; they call set_long_lived_process(True) and get
# the Mg module's own defaults (Process for app-only, managed identity, env vars, tokens).
_long_lived = False


def set_long_lived_process(value: bool = True) -> None:
    """Declare that this process runs more than one command (script runner, shell, Python)."""
    global _long_lived
    _long_lived = value


# ---------------------------------------------------------------------------- helpers

class _Params:
    """Bound parameters with case-insensitive lookup (the binder gives canonical names)."""

    def __init__(self, invocation: Any) -> None:
        raw = getattr(invocation, "parameters", None)
        if raw is None and isinstance(invocation, Mapping):
            raw = invocation
        self._data = {str(k).casefold(): v for k, v in dict(raw or {}).items()}
        self.set_name: str | None = getattr(invocation, "parameter_set", None)

    def has(self, name: str) -> bool:
        return name.casefold() in self._data

    def get(self, name: str, default: Any = None) -> Any:
        return self._data.get(name.casefold(), default)

    def switch(self, name: str) -> bool:
        return bool(self._data.get(name.casefold(), False))

    def text(self, name: str) -> str | None:
        value = self._data.get(name.casefold())
        if value is None:
            return None
        return str(value)


def _info(host: Any, text: str) -> None:
    """The information stream (what Write-Host shows): stdout in bash, not pipeline output."""
    writer = (getattr(host, "write_information", None) or getattr(host, "write_host", None)
              or getattr(host, "write_text", None))
    if writer is not None:
        writer(text)
    else:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()


def _warn(host: Any, text: str) -> None:
    writer = getattr(host, "write_warning", None)
    if writer is not None:
        writer(text)
    else:
        sys.stderr.write(f"WARNING: {text}\n")
        sys.stderr.flush()


def _fail(host: Any, record: ErrorRecord) -> list[Any]:
    """Report ``record``: a non-terminating one goes to the host's error stream (-ErrorAction
    applies); a terminating one, or any without a host that can take it, is raised."""
    writer = getattr(host, "write_error", None)
    if record.terminating or writer is None:
        raise record
    writer(record)
    return []


def _secret(host: Any, value: str | None) -> None:
    """Tell the host a secret so that every text it writes shows ``<redacted>`` instead."""
    adder = getattr(host, "add_secret", None)
    if adder is not None and value:
        adder(value)


def _stderr_line(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def _mg_param_error(message: str, category: str = "InvalidArgument") -> ErrorRecord:
    """Mg's ThrowError: a terminating ArgumentException record with a fresh GUID as its id."""
    return ErrorRecord(message, str(uuid.uuid4()), category, command="Connect-MgGraph",
                       fqid_suffix=CONNECT_MG_TYPE, terminating=True,
                       exception_type="System.ArgumentException")


def _mg_connect_error(message: str) -> ErrorRecord:
    """Failures while signing in: Connect-MgGraph writes ErrorRecord(ex, "", NotSpecified, null)."""
    return ErrorRecord(message, "", "NotSpecified", command="Connect-MgGraph",
                       fqid_suffix=CONNECT_MG_TYPE, terminating=False,
                       exception_type="Azure.Identity.AuthenticationFailedException")


def _pnp_error(message: str, type_name: str = CONNECT_PNP_TYPE, command: str = "Connect-PnPOnline",
               exception: str = "System.InvalidOperationException") -> ErrorRecord:
    """PnP cmdlets throw; PowerShell makes the exception's type the error id."""
    return ErrorRecord(message, exception, "NotSpecified", command=command, fqid_suffix=type_name,
                       terminating=True, exception_type=exception)


def _scrub(text: str, *secrets: str | None) -> str:
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "<redacted>")
    return text


def _process_scopes(value: Any) -> tuple[str, ...]:
    """Connect-MgGraph's ProcessScopes: split each entry on commas, trim, drop empties."""
    if value is None:
        return ()
    items = value if isinstance(value, list | tuple) else [value]
    out: list[str] = []
    for item in items:
        out.extend(s.strip() for s in str(item).split(",") if s.strip())
    return tuple(out)


def _pscompat_version() -> str:
    try:
        from importlib.metadata import version
        return version("pscompat")
    except Exception:  # pragma: no cover - metadata missing in odd installs
        return "0.0.0"


def welcome_text(auth_kind: str, client_id: str | None) -> str:
    """The text Connect-MgGraph prints after connecting (facts/mg-cmdlets.md)."""
    return "\n".join([
        "Welcome to Microsoft Graph!",
        "",
        f"Connected via {auth_kind} access using {client_id or ''}",
        "Readme: https://aka.ms/graph/sdk/powershell",
        "SDK Docs: https://aka.ms/graph/sdk/powershell/docs",
        "API Docs: https://aka.ms/graph/docs",
        "",
        "NOTE: You can use the -NoWelcome parameter to suppress this message.",
        "",
    ])


def _authenticate_error(exc: Exception, *secrets: str | None) -> ErrorRecord:
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return _mg_connect_error(_scrub(str(message), *secrets))


# ---------------------------------------------------------------------------- Connect-MgGraph

_MG_SETS = ("UserParameterSet", "AppCertificateParameterSet", "AppSecretCredentialParameterSet",
            "IdentityParameterSet", "AccessTokenParameterSet", "EnvironmentVariableParameterSet")


def _infer_mg_set(p: _Params) -> str:
    if p.set_name in _MG_SETS:
        return p.set_name
    if p.has("AccessToken"):
        return "AccessTokenParameterSet"
    if p.switch("EnvironmentVariable"):
        return "EnvironmentVariableParameterSet"
    if p.switch("Identity"):
        return "IdentityParameterSet"
    if p.has("ClientSecretCredential"):
        return "AppSecretCredentialParameterSet"
    if p.has("CertificateThumbprint") or p.has("CertificateSubjectName") or p.has("Certificate"):
        return "AppCertificateParameterSet"
    return "UserParameterSet"


def _scope_for(p: _Params, set_name: str) -> str:
    bound = p.text("ContextScope")
    if bound:
        return "Process" if bound.casefold() == "process" else "CurrentUser"
    if set_name == "UserParameterSet" or not _long_lived:
        return "CurrentUser"
    return "Process"


def connect_mg_graph(invocation: Any, host: Any = None) -> list[Any]:
    """Connect-MgGraph: sign in with azure-identity, save the context (no secret), welcome."""
    try:
        return _connect_mg_graph(invocation, host)
    except ErrorRecord as record:
        return _fail(host, record)


def _connect_mg_graph(invocation: Any, host: Any) -> list[Any]:
    p = _Params(invocation)
    set_name = _infer_mg_set(p)
    env_name = p.text("Environment")
    cloud = mg_cloud(env_name)
    if cloud is None:
        raise ErrorRecord(
            f"Unable to find environment with name '{env_name}'. Use Get-MgEnvironment to list "
            "available environments.", "InvalidOperation", "InvalidOperation",
            command="Connect-MgGraph", fqid_suffix=CONNECT_MG_TYPE, terminating=True,
            exception_type="System.Management.Automation.PSInvalidOperationException")
    endpoint = resolve_endpoint(cloud)
    scope = _scope_for(p, set_name)
    tenant = p.text("TenantId")
    fields: dict[str, Any] = {
        "ClientId": None, "TenantId": tenant, "Scopes": None, "AuthType": None,
        "TokenCredentialType": None, "CertificateThumbprint": None, "CertificateSubjectName": None,
        "SendCertificateChain": False, "Account": None, "AppName": None, "ContextScope": scope,
        "Certificate": None, "PSHostVersion": _pscompat_version(), "ManagedIdentityId": None,
        "ClientSecret": None, "Environment": cloud.name,
    }
    secret: str | None = None

    if set_name == "UserParameterSet":
        scopes = _process_scopes(p.get("Scopes")) or DEFAULT_SCOPES
        use_device = p.switch("UseDeviceCode")
        if not use_device and not _browser_available():
            _warn(host, "No web browser can be opened here (no display); signing in with a device code "
                        "instead. Use -UseDeviceCode to ask for it directly.")
            use_device = True
        spec = CredentialSpec(kind="device_code" if use_device else "interactive_browser",
                              client_id=p.text("ClientId"), tenant_id=tenant, scopes=scopes)
        fields.update(AuthType="Delegated", Scopes=list(scopes),
                      TokenCredentialType="DeviceCode" if use_device else "InteractiveBrowser")
    elif set_name == "AppCertificateParameterSet":
        spec, cert_fields = _certificate_spec(p, tenant)
        fields.update(cert_fields)
    elif set_name == "AppSecretCredentialParameterSet":
        spec, secret = _client_secret_spec(p, tenant)
        _secret(host, secret)
        fields.update(ClientId=spec.client_id, AuthType="AppOnly", TokenCredentialType="ClientSecret")
    elif set_name == "IdentityParameterSet":
        client_id = p.text("ClientId")
        spec = CredentialSpec(kind="managed_identity", client_id=client_id, tenant_id=tenant)
        fields.update(AuthType="ManagedIdentity", TokenCredentialType="ManagedIdentity",
                      ManagedIdentityId=client_id or "MSI@50342")  # the module: DefaultMsiIdPrefix + port
    elif set_name == "EnvironmentVariableParameterSet":
        spec = CredentialSpec(kind="environment", client_id=os.environ.get("AZURE_CLIENT_ID"),
                              tenant_id=os.environ.get("AZURE_TENANT_ID"))
        fields.update(ClientId=spec.client_id, TenantId=spec.tenant_id, AuthType="EnvironmentVariable",
                      TokenCredentialType="EnvironmentVariable")
    else:  # AccessTokenParameterSet
        return _connect_access_token(p, endpoint, fields, scope, host)

    saved = SavedContext("mg", fields, endpoint, spec, scope)
    connection = GraphConnection(saved, lambda: _credential(spec, endpoint, secret))
    failure: ErrorRecord | None = None
    try:
        fields, record = _sign_in(connection, saved, spec)
    except ErrorRecord as exc:
        failure = exc
    except Exception as exc:  # azure-identity's errors: ClientAuthenticationError & co.
        failure = _authenticate_error(exc, secret)
    if failure is not None:
        # Raised outside the except block: the azure-identity exception (and the HTTP response
        # its traceback holds, with its socket) is not chained to the record and is freed now.
        connection.close()
        raise failure
    if record is not None:
        spec = spec.with_(authentication_record=record)
    saved = SavedContext("mg", fields, endpoint, spec, scope)
    connection.saved = saved
    _install("mg", saved, connection, secret)
    if not p.switch("NoWelcome"):
        kind = {"Delegated": "delegated", "UserProvidedAccessToken": "userprovidedaccesstoken"}.get(
            fields["AuthType"], "apponly")
        _info(host, welcome_text(kind, fields.get("ClientId")))
    if not endpoint.tap_available:
        _warn(host, f"Temporary Access Pass is not available in the {cloud.name} cloud; the TAP "
                    "cmdlets will be rejected by Microsoft Graph there.")
    return []


def _browser_available() -> bool:
    """Can InteractiveBrowserCredential open a browser? Not on Linux without a display (SSH,
    containers, CI) unless $BROWSER names one; there the module's own answer is device code."""
    if not sys.platform.startswith("linux"):
        return True
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"))


def _credential(spec: CredentialSpec, endpoint: Endpoint, secret: str | None) -> Any:
    from .credentials import build_credential
    return build_credential(spec, endpoint, secret=secret,
                            certificate_password=os.environ.get("PSCOMPAT_CERTIFICATE_PASSWORD"),
                            prompt=_stderr_line)


def _sign_in(connection: GraphConnection, saved: SavedContext,
             spec: CredentialSpec) -> tuple[dict[str, Any], str | None]:
    """Get a token now (a wrong secret fails here, as in Mg) and fill the context from its claims.

    Returns the context fields and, for delegated sign-in, azure-identity's serialized
    AuthenticationRecord (account and tenant ids, no secret) that lets a later process use the
    token cache silently.
    """
    from .credentials import graph_scopes
    fields = dict(saved.fields)
    serialized: str | None = None
    if spec.kind in {"device_code", "interactive_browser"}:
        record = connection.credential.authenticate(
            scopes=graph_scopes(saved.endpoint, spec.scopes))
        serialized = record.serialize()
        fields.update(Account=record.username, TenantId=record.tenant_id or fields.get("TenantId"),
                      ClientId=record.client_id)
    token = connection.get_token()
    claims = claims_of(token) or {}
    del token
    _fill_from_claims(fields, claims, delegated=spec.kind in {"device_code", "interactive_browser"})
    return fields, serialized


def _fill_from_claims(fields: dict[str, Any], claims: Mapping[str, Any], *, delegated: bool) -> None:
    if not claims:
        return
    if claims.get("tid"):
        fields["TenantId"] = claims["tid"]
    app = claims.get("appid") or claims.get("azp")
    if app and not fields.get("ClientId"):
        fields["ClientId"] = app
    if claims.get("app_displayname"):
        fields["AppName"] = claims["app_displayname"]
    if delegated or claims.get("scp"):
        scp = claims.get("scp")
        if isinstance(scp, str) and scp:
            fields["Scopes"] = scp.split()
        account = claims.get("upn") or claims.get("unique_name") or claims.get("preferred_username")
        if account:
            fields["Account"] = account
    else:
        roles = claims.get("roles")
        if isinstance(roles, list):
            fields["Scopes"] = [str(r) for r in roles]


def _install(module: Module, saved: SavedContext, connection: Connection, secret: str | None) -> None:
    resolve.forget(module)
    STORE.set(saved)
    resolve.remember_secret(module, secret)
    resolve.set_live(module, connection)


def _client_secret_spec(p: _Params, tenant: str | None) -> tuple[CredentialSpec, str]:
    user, password = credential_parts(p.get("ClientSecretCredential"))
    if not user:
        raise _mg_param_error("Must specify 'ClientSecretCredential'.")
    if not tenant:
        raise _mg_param_error("Must specify 'TenantId'.")
    env_value = env_secret(SECRET_ENV)
    if password:
        source = f"EnvironmentVariable:{SECRET_ENV}" if password == env_value else "Process"
    elif env_value:
        password, source = env_value, f"EnvironmentVariable:{SECRET_ENV}"
    else:
        password = prompt_secret(f"Password for user {user}: ")
        source = "Process"
    if not password:
        raise ErrorRecord(
            f"No client secret for app '{user}'. pscompat never takes a secret from the command line: "
            f"set {SECRET_ENV}, run Connect-MgGraph on a terminal to be prompted, or pass a PSCredential "
            "from a script.", "ClientSecretNotFound", "InvalidArgument", command="Connect-MgGraph",
            fqid_suffix=CONNECT_MG_TYPE, terminating=True, exception_type="System.ArgumentException")
    spec = CredentialSpec(kind="client_secret", client_id=user, tenant_id=tenant, secret_source=source)
    return spec, password


def _certificate_spec(p: _Params, tenant: str | None) -> tuple[CredentialSpec, dict[str, Any]]:
    from .certstore import cert_store_dir, describe_certificate, find_certificate

    client_id = p.text("ClientId")
    thumbprint = p.text("CertificateThumbprint")
    subject = p.text("CertificateSubjectName")
    certificate = p.get("Certificate")
    if not client_id:
        raise _mg_param_error("Must specify 'ClientId'.")
    if not thumbprint and not subject and certificate is None:
        raise _mg_param_error("Must specify 'CertificateThumbprint or CertificateSubjectName or Certificate'.")
    if thumbprint and len(thumbprint) != 40:
        raise _mg_param_error("'CertificateThumbprint' must have a length of 40. Ensure you have the right "
                              "certificate thumbprint then try again.")
    if not tenant:
        raise _mg_param_error("Must specify 'TenantId'.")
    if certificate is not None:
        path = _certificate_path(certificate)
        info = describe_certificate(path) if path else None
        if info is None:
            raise _mg_connect_error(f"Cannot read a certificate from '{certificate}'. In pscompat, "
                                    "-Certificate takes the path of a PEM or PFX file.")
    else:
        info = find_certificate(thumbprint=thumbprint, subject_name=subject)
        if info is None:
            what = f"thumbprint '{thumbprint}'" if thumbprint else f"subject name '{subject}'"
            raise _mg_connect_error(f"No certificate with {what} was found in the pscompat certificate "
                                    f"store ({cert_store_dir()}).")
    spec = CredentialSpec(kind="certificate", client_id=client_id, tenant_id=tenant,
                          certificate_path=str(info.path), certificate_thumbprint=info.thumbprint)
    fields = {"ClientId": client_id, "AuthType": "AppOnly", "TokenCredentialType": "ClientCertificate",
              "CertificateThumbprint": thumbprint or (info.thumbprint if certificate is None else None),
              "CertificateSubjectName": subject, "Certificate": info.subject if certificate is not None else None}
    return spec, fields


def _certificate_path(value: Any) -> Any:
    from pathlib import Path
    if isinstance(value, str | os.PathLike):
        return Path(value).expanduser().resolve()
    for attr in ("path", "Path", "PSPath"):
        inner = getattr(value, attr, None)
        if isinstance(inner, str):
            return Path(inner).expanduser().resolve()
    return None


def _connect_access_token(p: _Params, endpoint: Endpoint, fields: dict[str, Any], scope: str,
                          host: Any) -> list[Any]:
    token = secret_text(p.get("AccessToken"))
    if not token:
        raise _mg_param_error("Must specify 'AccessToken'.")
    _secret(host, token)
    claims = claims_of(token)
    if claims is None:
        raise _mg_connect_error("The provided access token is invalid. Set a valid access token to "
                                "`-AccessToken` parameter and try again.")
    exp = claims.get("exp")
    if isinstance(exp, int | float) and exp <= time.time() + 5 * 60:
        raise _mg_connect_error("The provided access token has expired. Set a valid access token to "
                                "`-AccessToken` parameter and try again.")
    fields.update(AuthType="UserProvidedAccessToken", TokenCredentialType="UserProvidedAccessToken",
                  ClientId=claims.get("appid") or claims.get("azp"))
    _fill_from_claims(fields, claims, delegated=bool(claims.get("scp")))
    source = (f"EnvironmentVariable:{TOKEN_ENV}" if token == env_secret(TOKEN_ENV) or scope == "CurrentUser"
              else "Process")
    spec = CredentialSpec(kind="access_token", client_id=fields.get("ClientId"),
                          tenant_id=fields.get("TenantId"), secret_source=source)
    saved = SavedContext("mg", fields, endpoint, spec, scope)
    connection = TokenConnection("mg", endpoint.graph_url, lambda: token,
                                 verify=endpoint.ca_bundle or True, saved=saved,
                                 tap_available=endpoint.tap_available)
    _install("mg", saved, connection, token)
    if scope == "CurrentUser" and env_secret(TOKEN_ENV) != token:
        _warn(host, f"The access token is not saved. Later commands read it from {TOKEN_ENV}.")
    if not p.switch("NoWelcome"):
        _info(host, welcome_text("userprovidedaccesstoken", fields.get("ClientId")))
    return []


# ---------------------------------------------------------------------------- Get-MgContext / Disconnect

def _current_saved(module: Module) -> SavedContext | None:
    live = resolve._live.get(module)
    if live is not None and live.saved is not None:
        return live.saved
    return STORE.get(module)


def get_mg_context(invocation: Any = None, host: Any = None) -> list[Any]:
    """Get-MgContext: the context object, or nothing at all when not connected."""
    saved = _current_saved("mg")
    return [context_object(saved.fields)] if saved is not None else []


def disconnect_mg_graph(invocation: Any = None, host: Any = None) -> list[Any]:
    """Disconnect-MgGraph: forget the context (process and saved) and return it."""
    saved = _current_saved("mg")
    STORE.remove("mg")
    resolve.forget("mg")
    resolve.remember_secret("mg", None)
    if saved is None:
        return _fail(host, ErrorRecord(
            "No application to sign out from.", "", "CloseError", command="Disconnect-MgGraph",
            fqid_suffix=DISCONNECT_MG_TYPE, terminating=False, exception_type="System.ArgumentException"))
    return [context_object(saved.fields)]


# ---------------------------------------------------------------------------- PnP

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
    """Connect-PnPOnline: app-only certificate, managed identity, device login, access token, env."""
    p = _Params(invocation)
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

    if p.has("AccessToken"):
        token = secret_text(p.get("AccessToken"))
        _secret(host, token)
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
        _secret(host, secret)
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
                graph.get_token()
        except ErrorRecord as exc:
            failure = exc
        except Exception as exc:
            message = getattr(exc, "message", None) or str(exc)
            failure = _pnp_error(_scrub(str(message), secret),
                                 exception="Azure.Identity.AuthenticationFailedException")
        if failure is not None:
            graph.close()
            raise failure
        connection = graph
    if p.switch("ReturnConnection"):
        # PnP 3: -ReturnConnection does not make it the current connection.
        return [_pnp_object(connection, saved)]
    _install("pnp", saved, connection, secret)
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


def _pnp_certificate_spec(p: _Params, client_id: str | None, tenant: str | None) -> CredentialSpec:
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
    saved = _current_saved("pnp")
    STORE.remove("pnp")
    resolve.forget("pnp")
    resolve.remember_secret("pnp", None)
    if saved is None:
        raise _pnp_error("No connection to disconnect.", type_name=DISCONNECT_PNP_TYPE,
                         command="Disconnect-PnPOnline")
    return []
