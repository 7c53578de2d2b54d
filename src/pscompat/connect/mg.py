"""Connect-MgGraph, Get-MgContext and Disconnect-MgGraph (Microsoft.Graph.Authentication).

Each parameter set of Connect-MgGraph becomes one azure-identity credential (docs/connect.md);
the sign-in happens at connect time, as in the module, and the context is filled from the
token's claims. The context is saved without secrets (``context``); the live connection is kept
for the rest of this process (``resolve``).
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from collections.abc import Mapping
from typing import Any

from pscompat.errors import ErrorRecord

from . import resolve
from .connection import GraphConnection, TokenConnection, context_object
from .context import STORE, CredentialSpec, SavedContext
from .environments import Endpoint, mg_cloud, resolve_endpoint
from .handler import (
    Params,
    current_saved,
    fail,
    info,
    install,
    long_lived,
    scrub,
    stderr_line,
    tell_secret,
    warn,
)
from .jwt import claims_of
from .secrets import SECRET_ENV, TOKEN_ENV, credential_parts, env_secret, prompt_secret, secret_text

__all__ = ["connect_mg_graph", "get_mg_context", "disconnect_mg_graph", "welcome_text"]

CONNECT_MG_TYPE = "Microsoft.Graph.PowerShell.Authentication.Cmdlets.ConnectMgGraph"
GET_MG_CONTEXT_TYPE = "Microsoft.Graph.PowerShell.Authentication.Cmdlets.GetMgContext"
DISCONNECT_MG_TYPE = "Microsoft.Graph.PowerShell.Authentication.Cmdlets.DisconnectMgGraph"

DEFAULT_SCOPES = ("User.Read",)


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
    return _mg_connect_error(scrub(str(message), *secrets))


_MG_SETS = ("UserParameterSet", "AppCertificateParameterSet", "AppSecretCredentialParameterSet",
            "IdentityParameterSet", "AccessTokenParameterSet", "EnvironmentVariableParameterSet")


def _infer_mg_set(p: Params) -> str:
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


def _scope_for(p: Params, set_name: str) -> str:
    bound = p.text("ContextScope")
    if bound:
        return "Process" if bound.casefold() == "process" else "CurrentUser"
    if set_name == "UserParameterSet" or not long_lived():
        return "CurrentUser"
    return "Process"


def connect_mg_graph(invocation: Any, host: Any = None) -> list[Any]:
    """Connect-MgGraph: sign in with azure-identity, save the context (no secret), welcome."""
    try:
        return _connect_mg_graph(invocation, host)
    except ErrorRecord as record:
        from .live import mark_failed
        mark_failed("mg")      # later Mg cmdlets: "Authentication needed", not the lab
        return fail(host, record)


def _connect_mg_graph(invocation: Any, host: Any) -> list[Any]:
    p = Params(invocation)
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
        from .labsignin import connect_embedded_lab, lab_signin_requested
        if lab_signin_requested():
            kind = "DeviceCode" if p.switch("UseDeviceCode") else "InteractiveBrowser"
            saved, lab_conn = connect_embedded_lab("mg", list(scopes), fields, endpoint, scope, kind)
            install("mg", saved, lab_conn, None)
            if not p.switch("NoWelcome"):
                info(host, welcome_text("delegated", fields.get("ClientId")))
            return []
        use_device = p.switch("UseDeviceCode")
        if not use_device and not _browser_available():
            warn(host, "No web browser can be opened here (no display); signing in with a device code "
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
        tell_secret(host, secret)
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
        validate_explicit(spec, endpoint, secret)
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
    install("mg", saved, connection, secret)
    if not p.switch("NoWelcome"):
        # "Connected via <AuthType in lower case> access using <ClientId>", as the module formats it.
        info(host, welcome_text(str(fields["AuthType"]).lower(), fields.get("ClientId")))
    if not endpoint.tap_available:
        warn(host, f"Temporary Access Pass is not available in the {cloud.name} cloud; the TAP "
                    "cmdlets will be rejected by Microsoft Graph there.")
    return []


def _browser_available() -> bool:
    """Can InteractiveBrowserCredential open a browser? Not on Linux without a display (SSH,
    containers, CI) unless $BROWSER names one; there the module's own answer is device code."""
    if not sys.platform.startswith("linux"):
        return True
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"))


def validate_explicit(spec: CredentialSpec, endpoint: Endpoint, secret: str | None) -> None:
    """Explicit app credentials (a client secret, a certificate) are checked against the
    authority with a cache-less credential: a token cached for the same app says nothing about
    the secret given now, and must not make a wrong one look right (issue 16)."""
    if spec.kind not in {"client_secret", "certificate"}:
        return
    from .credentials import graph_scopes
    fresh = _credential(spec, endpoint, secret, persistent=False)
    try:
        fresh.get_token(*graph_scopes(endpoint, ()))
    finally:
        close = getattr(fresh, "close", None)
        if callable(close):
            close()


def _credential(spec: CredentialSpec, endpoint: Endpoint, secret: str | None, *, persistent: bool = True) -> Any:
    from .credentials import build_credential
    return build_credential(spec, endpoint, secret=secret,
                            certificate_password=os.environ.get("PSCOMPAT_CERTIFICATE_PASSWORD"),
                            prompt=stderr_line, persistent=persistent)


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


def _client_secret_spec(p: Params, tenant: str | None) -> tuple[CredentialSpec, str]:
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


def _certificate_spec(p: Params, tenant: str | None) -> tuple[CredentialSpec, dict[str, Any]]:
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


def _connect_access_token(p: Params, endpoint: Endpoint, fields: dict[str, Any], scope: str,
                          host: Any) -> list[Any]:
    token = secret_text(p.get("AccessToken"))
    if not token:
        raise _mg_param_error("Must specify 'AccessToken'.")
    tell_secret(host, token)
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
    install("mg", saved, connection, token)
    if scope == "CurrentUser" and env_secret(TOKEN_ENV) != token:
        warn(host, f"The access token is not saved. Later commands read it from {TOKEN_ENV}.")
    if not p.switch("NoWelcome"):
        info(host, welcome_text("userprovidedaccesstoken", fields.get("ClientId")))
    return []


def get_mg_context(invocation: Any = None, host: Any = None) -> list[Any]:
    """Get-MgContext: the context object, or nothing at all when not connected."""
    saved = current_saved("mg")
    return [context_object(saved.fields)] if saved is not None else []


def disconnect_mg_graph(invocation: Any = None, host: Any = None) -> list[Any]:
    """Disconnect-MgGraph: forget the context (process and saved) and return it."""
    saved = current_saved("mg")
    STORE.remove("mg")
    resolve.forget("mg")
    resolve.remember_secret("mg", None)
    if saved is None:
        return fail(host, ErrorRecord(
            "No application to sign out from.", "", "CloseError", command="Disconnect-MgGraph",
            fqid_suffix=DISCONNECT_MG_TYPE, terminating=False, exception_type="System.ArgumentException"))
    return [context_object(saved.fields)]
