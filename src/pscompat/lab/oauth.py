"""The lab's identity endpoints: OpenID discovery and the OAuth2 token endpoint (client
credentials for lab apps, the password grant for lab users), and the lab-only TAP sign-in.

What azure-identity / MSAL need: ``GET /{tenant}/v2.0/.well-known/openid-configuration`` and
``POST /{tenant}/oauth2/v2.0/token``, over HTTPS (``lab serve --tls``); the tenant may be its id,
either domain, ``organizations`` or ``common``.
"""

from __future__ import annotations

import base64
import json
import os
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote

from pscompat.lab.auth import check_keyed_hash
from pscompat.lab.clock import format_datetime
from pscompat.lab.http import GraphError, Request, Response
from pscompat.lab.limits import load_json
from pscompat.lab.signins import (
    _DUMMY,
    ACCOUNT_LOCKED,
    GRAPH_RESOURCE,
    clear_failures,
    lockout_state,
    record_failure,
)

if TYPE_CHECKING:
    from pscompat.lab.core import Lab

_GRAPH_RESOURCES = (GRAPH_RESOURCE, "00000003-0000-0000-c000-000000000000")
_OIDC_SCOPES = {"openid", "profile", "email", "offline_access"}


def _oauth_error(status: int, error: str, code: int, description: str) -> Response:
    trace = os.urandom(16).hex()
    body = {
        "error": error,
        "error_description": f"AADSTS{code}: {description} Trace ID: {trace} Timestamp: "
                             f"{time.strftime('%Y-%m-%d %H:%M:%SZ', time.gmtime())}",
        "error_codes": [code],
        "timestamp": time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime()),
        "trace_id": trace,
        "correlation_id": trace,
        "error_uri": f"https://login.microsoftonline.com/error?code={code}",
    }
    return Response(status, body, [("cache-control", "no-store, no-cache")], content_type="application/json; charset=utf-8")


def known_tenant(lab: Lab, tenant: str) -> bool:
    t = lab.tenant
    return tenant.lower() in {t["id"], t["domain"].lower(), t["initialDomain"].lower(),
                              "organizations", "common"}


def openid_configuration(lab: Lab, req: Request, tenant: str) -> Response:
    if not known_tenant(lab, tenant):
        return _oauth_error(400, "invalid_tenant", 90002,
                            f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID "
                            "and are signing into the correct cloud.")
    base = f"{req.scheme}://{req.host}"
    tid = lab.tenant["id"]
    body = {
        "token_endpoint": f"{base}/{tid}/oauth2/v2.0/token",
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "jwks_uri": f"{base}/{tid}/discovery/v2.0/keys",
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["HS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": f"{base}/{tid}/v2.0",
        "request_uri_parameter_supported": False,
        "userinfo_endpoint": f"{base}/oidc/userinfo",
        "authorization_endpoint": f"{base}/{tid}/oauth2/v2.0/authorize",
        "device_authorization_endpoint": f"{base}/{tid}/oauth2/v2.0/devicecode",
        "http_logout_supported": True,
        "frontchannel_logout_supported": True,
        "end_session_endpoint": f"{base}/{tid}/oauth2/v2.0/logout",
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nbf", "name", "oid", "tid", "upn"],
        "tenant_region_scope": "NA",
        "cloud_instance_name": "pscompat.lab",
        "cloud_graph_host_name": req.host,
        "msgraph_host": req.host,
    }
    return Response(200, body, content_type="application/json; charset=utf-8")


def instance_discovery(lab: Lab, req: Request) -> Response:
    base = f"{req.scheme}://{req.host}"
    host = req.host
    body = {"tenant_discovery_endpoint": f"{base}/{lab.tenant['id']}/v2.0/.well-known/openid-configuration",
            "api-version": "1.1",
            "metadata": [{"preferred_network": host, "preferred_cache": host, "aliases": [host]}]}
    return Response(200, body, content_type="application/json; charset=utf-8")


def jwks(lab: Lab, req: Request) -> Response:
    # The lab signs with a symmetric key (HS256), which is never published.
    return Response(200, {"keys": []}, content_type="application/json; charset=utf-8")


def _requested(scope: str) -> tuple[str | None, list[str]]:
    """-> (resource, scopes): ``https://graph.microsoft.com/.default`` -> (graph, ['.default'])."""
    resource = None
    scopes = []
    for item in scope.split():
        if item.lower() in _OIDC_SCOPES:
            continue
        if "/" in item and item.startswith(("https://", "http://", "api://")) or item.startswith("00000003-"):
            res, _, name = item.rpartition("/")
            resource = res.rstrip("/")
            scopes.append(name)
        else:
            resource = resource or GRAPH_RESOURCE
            scopes.append(item)
    return resource, scopes


def token_endpoint(lab: Lab, req: Request, tenant: str) -> Response:
    if not known_tenant(lab, tenant):
        return _oauth_error(400, "invalid_request", 90002,
                            f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID "
                            "and are signing into the correct cloud.")
    try:
        form = dict(parse_qsl(req.body.decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError:
        form = {}
    client_id = form.get("client_id", "")
    client_secret = form.get("client_secret")
    basic = req.header("authorization") or ""
    if basic.lower().startswith("basic "):
        try:
            cid, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
            client_id, client_secret = unquote(cid), unquote(secret)
        except (ValueError, UnicodeDecodeError):
            pass
    grant = form.get("grant_type", "")
    if grant not in ("client_credentials", "password"):
        return _oauth_error(400, "unsupported_grant_type", 70003,
                            "The app requested an unsupported grant type.")
    if not client_id:
        return _oauth_error(400, "invalid_request", 900144,
                            "The request body must contain the following parameter: 'client_id'.")
    app = lab.store.app(client_id)
    if app is None:
        return _oauth_error(400, "unauthorized_client", 700016,
                            f"Application with identifier '{client_id}' was not found in the directory "
                            f"'{lab.tenant['displayName']}'.")
    resource, scopes = _requested(form.get("scope", ""))
    if resource is None or resource not in _GRAPH_RESOURCES:
        return _oauth_error(400, "invalid_resource", 500011,
                            f"The resource principal named {resource} was not found in the tenant named "
                            f"{lab.tenant['displayName']}.")
    if grant == "client_credentials":
        if client_secret is None:
            return _oauth_error(401, "invalid_client", 7000218,
                                "The request body must contain the following parameter: 'client_assertion' "
                                "or 'client_secret'.")
        if app["secret_hash"] is None or not check_keyed_hash(lab.secret_key, app["secret_salt"],
                                                              client_secret, app["secret_hash"]):
            return _oauth_error(401, "invalid_client", 7000215,
                                "Invalid client secret provided. Ensure the secret being sent in the request "
                                f"is the client secret value, not the client secret ID, for a secret added to "
                                f"app '{app['clientId']}'.")
        if scopes != [".default"]:
            return _oauth_error(400, "invalid_scope", 1002012,
                                f"The provided value for scope {form.get('scope', '')} is not valid. Client "
                                "credential flows must have a scope value with /.default suffixed to the "
                                "resource identifier (application ID URI).")
        token, lifetime = lab.make_token(app, None)
        return Response(200, {"token_type": "Bearer", "expires_in": lifetime, "ext_expires_in": lifetime,
                              "access_token": token}, [("cache-control", "no-store, no-cache")],
                        content_type="application/json; charset=utf-8")
    # password grant (a lab user with a password in the scenario): the same lockout as the
    # pass sign-in, and an unknown user answered exactly as a wrong password (same work too).
    username, password = form.get("username", ""), form.get("password", "")
    user = lab.store.find_user(username) if username else None
    now = lab.clock.now()
    with lab.store.write() as db:
        failures, locked_until = lockout_state(lab, db, user, username, now)
        salt, digest = lab.store.user_password(user.id) if user else (None, None)
        good = check_keyed_hash(lab.secret_key, salt or _DUMMY[0], password, digest or _DUMMY[1]) \
            and user is not None and salt is not None
        if locked_until is not None:
            return _oauth_error(400, "invalid_grant", 50053, ACCOUNT_LOCKED)
        if not good:
            if record_failure(lab, db, user, username, now, failures) is not None:
                return _oauth_error(400, "invalid_grant", 50053, ACCOUNT_LOCKED)
            return _oauth_error(400, "invalid_grant", 50126,
                                "Error validating credentials due to invalid username or password.")
        assert user is not None
        clear_failures(db, user)
    if not user.account_enabled:
        return _oauth_error(400, "invalid_grant", 50057, "The user account is disabled.")
    granted = app["delegated"] if scopes in ([], [".default"]) else [s for s in scopes if s in app["delegated"]]
    token, lifetime = lab.make_token(app, user, granted)
    body: dict[str, Any] = {"token_type": "Bearer", "scope": " ".join(granted), "expires_in": lifetime,
                            "ext_expires_in": lifetime, "access_token": token}
    if form.get("client_info") == "1":
        info = json.dumps({"uid": user.id, "utid": lab.tenant["id"]}).encode()
        body["client_info"] = base64.urlsafe_b64encode(info).decode().rstrip("=")
    return Response(200, body, [("cache-control", "no-store, no-cache")],
                    content_type="application/json; charset=utf-8")


# -- the lab-only TAP sign-in -------------------------------------------------------------------

def _signin_error(status: int, code: str, message: str, **extra: Any) -> Response:
    return Response(status, {"error": {"code": code, "message": message, **extra}},
                    content_type="application/json")


SIGNIN_SCOPES = ["User.Read", "UserAuthenticationMethod.ReadWrite"]


def signin(lab: Lab, req: Request) -> Response:
    """``POST /lab/signin`` ``{"userPrincipalName": ..., "temporaryAccessPass": ...}``.

    Checks the pass in constant time against its window, the policy and the one-time rule;
    marks a one-time pass used; locks the account after repeated failures.
    """
    try:
        body = load_json(req.body or b"{}")
    except GraphError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("userPrincipalName"), str) \
            or not isinstance(body.get("temporaryAccessPass"), str):
        return _signin_error(400, "invalidRequest",
                             "Send JSON with 'userPrincipalName' and 'temporaryAccessPass'.")
    result = lab.verify_pass(body["userPrincipalName"], body["temporaryAccessPass"])
    if result["ok"]:
        user = result["user"]
        app = lab.default_app()
        token, lifetime = lab.make_token(app, user, SIGNIN_SCOPES)
        return Response(200, {"userPrincipalName": user.upn, "id": user.id,
                              "methodUsabilityReason": result["reason"],
                              "token_type": "Bearer", "expires_in": lifetime, "access_token": token},
                        content_type="application/json")
    if result["error"] == "locked":
        return _signin_error(403, "accountLocked",
                             "The account is locked after repeated failed sign-in attempts. Try again "
                             f"after {format_datetime(result['until'])}.",
                             lockedUntil=format_datetime(result["until"]))
    if result["error"] == "disabled":
        return _signin_error(403, "accountDisabled", "The user account is disabled.")
    if result["error"] == "notUsable":
        return _signin_error(403, "passNotUsable",
                             f"The Temporary Access Pass is not usable: {result['reason']}.",
                             methodUsabilityReason=result["reason"])
    return _signin_error(401, "invalidCredentials",
                         "The user name or Temporary Access Pass is incorrect.")
