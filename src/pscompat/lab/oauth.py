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

from pscompat.lab import policy as tap_policy
from pscompat.lab.auth import ROLE_TEMPLATE_IDS, check_keyed_hash
from pscompat.lab.clock import TICKS_PER_MINUTE, format_datetime
from pscompat.lab.http import GraphError, Request, Response
from pscompat.lab.limits import load_json

if TYPE_CHECKING:
    from pscompat.lab.core import Lab
    from pscompat.lab.models import User

GRAPH_RESOURCE = "https://graph.microsoft.com"
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
    # password grant (a lab user with a password in the scenario)
    username, password = form.get("username", ""), form.get("password", "")
    user = lab.store.find_user(username) if username else None
    salt, digest = lab.store.user_password(user.id) if user else (None, None)
    if user is None or salt is None or digest is None or \
            not check_keyed_hash(lab.secret_key, salt, password, digest):
        return _oauth_error(400, "invalid_grant", 50126,
                            "Error validating credentials due to invalid username or password.")
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


def token_claims(lab: Lab, app: dict[str, Any], user: User | None, scopes: list[str] | None,
                 permissions: list[str] | None, lifetime: int) -> dict[str, Any]:
    now = int(time.time())
    tid = lab.tenant["id"]
    claims: dict[str, Any] = {
        "aud": GRAPH_RESOURCE, "iss": f"https://sts.windows.net/{tid}/", "iat": now, "nbf": now,
        "exp": now + lifetime, "app_displayname": app["displayName"], "appid": app["clientId"],
        "idtyp": "user" if user else "app", "tid": tid, "ver": "1.0",
        "uti": base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("="),
    }
    if user is None:
        claims.update(oid=app["servicePrincipalId"], sub=app["servicePrincipalId"],
                      roles=list(app["permissions"] if permissions is None else permissions))
    else:
        claims.update(oid=user.id, sub=user.id, upn=user.upn, unique_name=user.upn,
                      name=user.data.get("displayName"),
                      scp=" ".join(app["delegated"] if scopes is None else scopes),
                      wids=[ROLE_TEMPLATE_IDS[r] for r in user.roles if r in ROLE_TEMPLATE_IDS])
    return claims


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


def verify_pass(lab: Lab, upn: str, secret: str) -> dict[str, Any]:
    """The sign-in rule, in one write transaction (a one-time pass can be used once only)."""
    settings = lab.settings["signin"]
    user = lab.store.find_user(upn)
    now = lab.clock.now()
    dummy = (b"\0" * 16, b"\0" * 32)
    with lab.store.write() as db:
        if user is None:
            check_keyed_hash(lab.pass_key, dummy[0], secret, dummy[1])  # same work, no oracle
            return {"ok": False, "error": "invalid"}
        row = db.execute("SELECT failures, locked_until FROM signin WHERE user_id=?", (user.id,)).fetchone()
        failures, locked_until = (row[0], row[1]) if row else (0, None)
        if locked_until is not None and now < locked_until:
            return {"ok": False, "error": "locked", "until": locked_until}
        if locked_until is not None:
            failures = 0
        prow = db.execute("SELECT id, created, start, lifetime, usable_once, salt, digest, used "
                          "FROM passes WHERE user_id=?", (user.id,)).fetchone()
        salt, digest = (prow[5], prow[6]) if prow else dummy
        good = check_keyed_hash(lab.pass_key, salt, secret, digest) and prow is not None
        if not good:
            failures += 1
            lock = None
            if failures >= int(settings["maxFailures"]):
                lock = now + int(settings["lockoutMinutes"]) * TICKS_PER_MINUTE
            db.execute("INSERT OR REPLACE INTO signin(user_id, failures, locked_until) VALUES(?,?,?)",
                       (user.id, failures, lock))
            if lock is not None:
                return {"ok": False, "error": "locked", "until": lock}
            return {"ok": False, "error": "invalid"}
        assert prow is not None
        if not user.account_enabled:
            return {"ok": False, "error": "disabled"}
        reason = tap_policy.usability(lab.policy, user.id, user.groups, created=prow[1], start=prow[2],
                                      lifetime=prow[3], usable_once=bool(prow[4]), used=prow[7], now=now)
        db.execute("DELETE FROM signin WHERE user_id=?", (user.id,))
        if reason != tap_policy.ENABLED_BY_POLICY:
            return {"ok": False, "error": "notUsable", "reason": reason}
        if prow[4]:
            db.execute("UPDATE passes SET used=? WHERE id=?", (now, prow[0]))
            reason = tap_policy.ONE_TIME_USED
        return {"ok": True, "user": user, "reason": reason}
