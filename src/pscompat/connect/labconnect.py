"""Connecting to a *served* lab (``pscompat lab serve``) by its URL: ``pscompat lab connect URL``.

A served lab is a Graph look-alike with its own token endpoint. pscompat signs in to it the way
an app signs in to Entra ID -- OAuth2 client credentials, a lab app's client id and secret --
so the lab sees exactly what it would see from any other client:

- ``https://`` labs: azure-identity's ClientSecretCredential with the lab as authority (the same
  path as Microsoft Graph; this is ``Connect-MgGraph`` pointed at the lab, see docs/connect.md).
- ``http://`` labs: azure-identity only accepts TLS authorities, so pscompat posts the same
  client-credentials form itself (httpx, lab connections only).

The secret is never saved: it comes from ``AZURE_CLIENT_SECRET`` in every process (the lab
scenario's apps and their public secrets are listed by ``pscompat lab`` commands).
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlparse

from pscompat.errors import ErrorRecord

from .connection import Connection, GraphConnection, TokenConnection
from .context import STORE, CredentialSpec, Module, SavedContext
from .environments import Endpoint
from .secrets import SECRET_ENV, env_secret

__all__ = ["connect_lab", "connect_student", "lab_connection_from_saved", "fetch_client_credentials_token",
           "LAB_ADMIN_CLIENT_ID"]

# The default scenario's admin app (scenarios/default.yaml).
LAB_ADMIN_CLIENT_ID = "f0c70170-e0d3-40a7-8b9c-6db6c67bb257"
GRAPH_DEFAULT_SCOPE = "https://graph.microsoft.com/.default"


def _error(message: str) -> ErrorRecord:
    return ErrorRecord(message, "LabConnectionFailed", "ConnectionError", command="pscompat lab connect",
                       terminating=True, exception_type="System.InvalidOperationException")


def fetch_client_credentials_token(base_url: str, tenant: str, client_id: str, secret: str,
                                   verify: str | bool = True) -> str:
    """POST the client-credentials form to the lab's token endpoint; the access token."""
    import httpx

    url = f"{base_url.rstrip('/')}/{tenant}/oauth2/v2.0/token"
    try:
        response = httpx.post(url, data={"grant_type": "client_credentials", "client_id": client_id,
                                         "client_secret": secret, "scope": GRAPH_DEFAULT_SCOPE},
                              verify=verify, timeout=30.0, trust_env=False)
    except httpx.HTTPError as exc:
        raise _error(f"Cannot reach the lab at {base_url}: {type(exc).__name__}.") from None
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code != 200 or not isinstance(body, dict) or "access_token" not in body:
        detail = body.get("error_description") if isinstance(body, dict) else None
        raise _error(f"The lab at {base_url} refused the sign-in ({response.status_code}): "
                     f"{detail or response.reason_phrase}")
    return str(body["access_token"])


def _spec_secret(saved: SavedContext) -> str:
    secret = env_secret(SECRET_ENV)
    if not secret:
        raise _error(f"The lab connection signs in app {saved.credential.client_id} with a client secret, "
                     f"which pscompat never stores. Set {SECRET_ENV}.")
    return secret


def lab_connection_from_saved(saved: SavedContext) -> Connection:
    """The live connection for a saved ``kind: lab`` context."""
    endpoint = saved.endpoint
    spec = saved.credential
    secret = _spec_secret(saved)
    if urlparse(endpoint.authority_host).scheme == "https":
        def factory() -> Any:
            from .credentials import build_credential
            return build_credential(spec.with_(kind="client_secret"), endpoint, secret=secret)
        return GraphConnection(saved, factory)
    verify: str | bool = endpoint.ca_bundle or True
    return TokenConnection(saved.module, endpoint.graph_url,
                           lambda: fetch_client_credentials_token(endpoint.authority_host,
                                                                  spec.tenant_id or "organizations",
                                                                  spec.client_id or "", secret, verify),
                           verify=verify, saved=saved)


def connect_lab(url: str, *, modules: tuple[Module, ...] = ("mg", "pnp"), client_id: str | None = None,
                tenant: str | None = None, ca_bundle: str | None = None) -> list[SavedContext]:
    """Save a connection to the served lab at ``url`` for each module; checks it signs in first."""
    parsed = urlparse(url)
    if parsed.scheme not in {"http", "https"} or not parsed.hostname:
        raise _error(f"'{url}' is not a lab URL (http://HOST:PORT or https://HOST:PORT).")
    base = f"{parsed.scheme}://{parsed.netloc}"
    ca = os.path.abspath(ca_bundle) if ca_bundle else None
    if parsed.scheme == "https":
        _check_certificate(base, ca)
    endpoint = Endpoint("Global", base, base, ca, True, "https://graph.microsoft.com")
    spec = CredentialSpec(kind="lab", client_id=client_id or LAB_ADMIN_CLIENT_ID,
                          tenant_id=tenant or "organizations",
                          secret_source=f"EnvironmentVariable:{SECRET_ENV}")
    from .mg import _pscompat_version
    saved_list = []
    for module in modules:
        fields: dict[str, Any] = {"ClientId": spec.client_id, "TenantId": spec.tenant_id, "AuthType": "AppOnly",
                  "TokenCredentialType": "ClientSecret", "ContextScope": "CurrentUser",
                  "Environment": "Global", "AppName": None, "PSHostVersion": _pscompat_version()}
        saved = SavedContext(module, fields, endpoint, spec, "CurrentUser", extra={"Url": base, "Lab": True})
        connection = lab_connection_from_saved(saved)
        token = _token_now(connection)
        from .jwt import claims_of
        claims = claims_of(token) or {}
        fields.update(TenantId=claims.get("tid") or spec.tenant_id, AppName=claims.get("app_displayname"),
                      Scopes=list(claims.get("roles") or []) or None)
        saved = SavedContext(module, fields, endpoint, spec, "CurrentUser", extra=saved.extra)
        connection.saved = saved
        from . import live
        live.forget(module)
        STORE.set(saved)
        live.set_live(module, connection)
        saved_list.append(saved)
    return saved_list


def connect_student(url: str, upn: str, secret: str, ca_bundle: str | None = None) -> tuple[SavedContext, str]:
    """Sign a student in to a served lab with their Temporary Access Pass (``POST /lab/signin``,
    the lab's own Entra rules and lockout) and save an Mg connection with the delegated token
    it returns. The token itself is never saved: it is returned for the caller to hand to the
    shell (``PSCOMPAT_ACCESS_TOKEN``), as ``Connect-MgGraph -AccessToken`` does from bash."""
    from pscompat.lab.classroom import RemoteSigninError, remote_signin

    from .jwt import claims_of
    from .mg import _pscompat_version
    from .secrets import TOKEN_ENV
    parsed = urlparse(url)
    if parsed.scheme not in {"http", "https"} or not parsed.hostname:
        raise _error(f"'{url}' is not a lab URL (http://HOST:PORT or https://HOST:PORT).")
    base = f"{parsed.scheme}://{parsed.netloc}"
    ca = os.path.abspath(ca_bundle) if ca_bundle else None
    try:
        status, body = remote_signin(base, upn, secret, ca)
    except RemoteSigninError as exc:
        raise _error(str(exc)) from None
    token = body.get("access_token") if status == 200 else None
    if not isinstance(token, str) or not token:
        err = body.get("error")
        message = err.get("message") if isinstance(err, dict) else None
        raise _error(f"The lab refused the sign-in ({status}): {message or 'the lab gave no reason'}")
    claims = claims_of(token) or {}
    endpoint = Endpoint("Global", base, base, ca, True, "https://graph.microsoft.com")
    spec = CredentialSpec(kind="access_token", client_id=claims.get("appid") or claims.get("azp"),
                          tenant_id=claims.get("tid"), secret_source=f"EnvironmentVariable:{TOKEN_ENV}")
    fields: dict[str, Any] = {
        "ClientId": spec.client_id, "TenantId": spec.tenant_id, "Scopes": str(claims.get("scp") or "").split() or None,
        "AuthType": "UserProvidedAccessToken", "TokenCredentialType": "UserProvidedAccessToken",
        "Account": body.get("userPrincipalName") or upn, "ContextScope": "CurrentUser", "Environment": "Global",
        "AppName": claims.get("app_displayname"), "PSHostVersion": _pscompat_version()}
    saved = SavedContext("mg", fields, endpoint, spec, "CurrentUser", extra={"Url": base, "Lab": True})
    from . import live
    live.forget("mg")
    STORE.set(saved)
    return saved, token


def _check_certificate(base: str, ca: str | None) -> None:
    """One TLS handshake before any sign-in: a certificate this client does not trust is said at
    once as the client's refusal (azure-identity would retry it for seconds, then blame the lab)."""
    import ssl

    import httpx
    try:
        verify: Any = ssl.create_default_context(cafile=ca) if ca else True
    except (OSError, ssl.SSLError) as exc:
        raise _error(f"Cannot read the CA file {ca}: {exc}.") from None
    try:
        httpx.get(f"{base}/lab/health", verify=verify, timeout=5.0, trust_env=False)
    except httpx.ConnectError as exc:
        seen: BaseException | None = exc
        while seen is not None:
            if isinstance(seen, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(seen):
                reason = getattr(seen, "verify_message", None) or "certificate verify failed"
                raise _error(f"This client refused the certificate of {base} ({reason}). Pass the lab's CA "
                             "file with --ca-bundle (the instructor's 'lab serve --tls' prints where it is).") \
                    from None
            seen = seen.__cause__ or seen.__context__
    except httpx.HTTPError:
        pass  # not a certificate problem: the sign-in that follows reports it


def _token_now(connection: Connection) -> str:
    if isinstance(connection, GraphConnection):
        failure: ErrorRecord | None = None
        try:
            return connection.get_token()
        except ErrorRecord:
            raise
        except Exception as exc:
            message = getattr(exc, "message", None) or str(exc)
            failure = _error(f"The lab refused the sign-in: {message}")
        connection.close()
        raise failure
    fetch = getattr(connection, "_fetch", None)
    assert fetch is not None
    return str(fetch())
