"""Graph's handlers: users, Temporary Access Pass methods, the TAP policy, JSON batching.

Every handler takes ``(lab, request, caller, params)`` and returns a Response or raises a
GraphError; the pipeline (``core.Lab.handle``) adds headers, faults and the error envelope.
"""

from __future__ import annotations

import base64
import copy
import functools
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from pscompat.lab import policy as tap_policy
from pscompat.lab import query as q
from pscompat.lab.auth import Caller
from pscompat.lab.clock import format_datetime, parse_datetime
from pscompat.lab.http import (
    POLICY_DISALLOWS,
    GraphError,
    Request,
    Response,
    bad_request,
    forbidden,
    invalid_json,
    lifetime_out_of_range,
    not_found,
    tap_bad_request,
    unknown_property,
    wrong_type,
)
from pscompat.lab.limits import load_json
from pscompat.lab.models import Pass, User, new_guid

if TYPE_CHECKING:
    from pscompat.lab.core import Lab

TAP_TYPE = "#microsoft.graph.temporaryAccessPassAuthenticationMethod"
TAP_CONFIG_TYPE = "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration"
TAP_PROPS = ("id", "temporaryAccessPass", "createdDateTime", "startDateTime", "lifetimeInMinutes",
             "isUsableOnce", "isUsable", "methodUsabilityReason")
_TAP_READ_ONLY = {"id", "temporaryAccessPass", "createdDateTime", "isUsable", "methodUsabilityReason"}
PASS_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-=!@%&"

# Permissions (facts/graph-tap.md, "Permissions").
TAP_WRITE_ALL = ("UserAuthenticationMethod.ReadWrite.All", "UserAuthMethod-TAP.ReadWrite.All")
TAP_READ_ALL = TAP_WRITE_ALL + ("UserAuthenticationMethod.Read.All", "UserAuthMethod-TAP.Read.All")
TAP_WRITE_SELF = TAP_WRITE_ALL + ("UserAuthenticationMethod.ReadWrite", "UserAuthMethod-TAP.ReadWrite")
TAP_READ_SELF = TAP_READ_ALL + TAP_WRITE_SELF + ("UserAuthenticationMethod.Read", "UserAuthMethod-TAP.Read")
USERS_READ = ("User.Read.All", "User.ReadWrite.All", "User.ReadBasic.All", "Directory.Read.All",
              "Directory.ReadWrite.All", "Directory.AccessAsUser.All")
POLICY_READ = ("Policy.Read.All", "Policy.ReadWrite.AuthenticationMethod")
POLICY_WRITE = ("Policy.ReadWrite.AuthenticationMethod",)
GA, PAA, AA = "Global Administrator", "Privileged Authentication Administrator", "Authentication Administrator"
GR, APA = "Global Reader", "Authentication Policy Administrator"


# Headers a $batch item keeps: each inner request is charged and throttled on its own
# (facts/graph-throttling.md), so its quota headers travel with it.
_ITEM_HEADERS = ("content-type", "retry-after", "location", "x-ms-resource-unit", "x-ms-throttle-limit-percentage",
                 "x-ms-throttle-scope", "x-ms-throttle-information")

def _base(lab: Lab, req: Request, version: str) -> str:
    return f"{req.scheme}://{req.host}/{version}"


def _body_object(req: Request) -> dict[str, Any]:
    if not req.body.strip():
        raise bad_request("Empty Payload. JSON content expected.")
    body = load_json(req.body)
    if not isinstance(body, dict):
        raise invalid_json()
    return body


# -- users ------------------------------------------------------------------------------------

def _user_json(user: User, select: list[str] | None) -> dict[str, Any]:
    from pscompat.lab.scenario import USER_DEFAULT_SELECT
    data = user.data
    return {p: data.get(p) for p in (select or USER_DEFAULT_SELECT)}


def _check_users_read(caller: Caller, me: bool = False) -> None:
    if caller.has_any(*USERS_READ) or (me and caller.delegated and caller.has_any("User.Read", "User.ReadWrite")):
        return
    raise forbidden()


def _require_eventual(req: Request) -> None:
    if (req.header("consistencylevel") or "").lower() != "eventual":
        raise bad_request("$count is not currently supported.", code="Request_BadRequest")


def list_users(lab: Lab, req: Request, caller: Caller, p: dict[str, Any]) -> Response:
    from pscompat.lab.scenario import USER_PROPS
    _check_users_read(caller)
    select = q.parse_select(req.query.get("$select"), USER_PROPS, "user")
    top = q.parse_top(req.query.get("$top"))
    order = q.parse_orderby(req.query.get("$orderby"))
    from pscompat.lab.users_api import parse_search, search_matches
    search = parse_search(req)
    users = lab.store.users()
    if "$filter" in req.query:
        node = q.parse_filter(req.query["$filter"])
        users = [u for u in users if q.matches(node, u.data)]
    if search is not None:
        users = [u for u in users if search_matches(search, u.data)]
    if order:
        users.sort(key=lambda u: (u.data.get(order[0]) or "").lower(), reverse=order[1])
    count = (req.query.get("$count") or "").lower() == "true"
    if count:
        _require_eventual(req)
    offset = 0
    token = req.query.get("$skiptoken")
    if token:
        try:
            offset = int(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode().split(":")[1])
        except (ValueError, IndexError, UnicodeDecodeError) as exc:
            raise bad_request("Invalid skip token.", code="Request_BadRequest") from exc
    size = top or int(lab.settings["behaviour"]["pageSize"])
    page = users[offset:offset + size]
    base = _base(lab, req, p["version"])
    context = f"{base}/$metadata#users" + (f"({','.join(select)})" if select else "")
    body: dict[str, Any] = {"@odata.context": context}
    if count:
        body["@odata.count"] = len(users)
    if offset + size < len(users):
        params = [(k, v) for k, v in _query_pairs(req) if k.lower() != "$skiptoken"]
        skip = base64.urlsafe_b64encode(f"lab:{offset + size}".encode()).decode().rstrip("=")
        params.append(("$skiptoken", skip))
        body["@odata.nextLink"] = f"{base}/users?" + urlencode(params, safe="$,'", quote_via=quote)
    body["value"] = [_user_json(u, select) for u in page]
    return Response(200, body)


def _query_pairs(req: Request) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl
    return parse_qsl(req.raw_query, keep_blank_values=True)


def count_users(lab: Lab, req: Request, caller: Caller, p: dict[str, Any]) -> Response:
    _check_users_read(caller)
    _require_eventual(req)
    from pscompat.lab.users_api import parse_search, search_matches
    search = parse_search(req)
    users = lab.store.users()
    if "$filter" in req.query:
        node = q.parse_filter(req.query["$filter"])
        users = [u for u in users if q.matches(node, u.data)]
    if search is not None:
        users = [u for u in users if search_matches(search, u.data)]
    return Response(200, content=str(len(users)).encode(), content_type="text/plain")


def get_user(lab: Lab, req: Request, caller: Caller, p: dict[str, Any]) -> Response:
    from pscompat.lab.scenario import USER_PROPS
    me = p["user"] is None
    _check_users_read(caller, me=me)
    user = _resolve_user(lab, caller, p)
    select = q.parse_select(req.query.get("$select"), USER_PROPS, "user")
    base = _base(lab, req, p["version"])
    context = f"{base}/$metadata#users" + (f"({','.join(select)})" if select else "") + "/$entity"
    return Response(200, {"@odata.context": context, **_user_json(user, select)})


def _resolve_user(lab: Lab, caller: Caller, p: dict[str, Any]) -> User:
    ref = p["user"]
    if ref is None:  # /me
        if not caller.delegated or not caller.user_id:
            raise bad_request("/me request is only valid with delegated authentication flow.")
        ref = caller.user_id
    user = lab.store.find_user(ref)
    if user is None:
        raise not_found(ref)
    return user


# -- Temporary Access Pass methods --------------------------------------------------------------

def _authorize_tap(caller: Caller, target: User, write: bool, create: bool = False) -> None:
    """Role and self-target rules for delegated callers (permissions were checked already)."""
    if not caller.delegated:
        if not caller.has_any(*(TAP_WRITE_ALL if write else TAP_READ_ALL)):
            raise forbidden()
        return
    if caller.user_id and caller.user_id.lower() == target.id.lower():
        if create or not caller.has_any(*(TAP_WRITE_SELF if write else TAP_READ_SELF)):
            raise forbidden()
        return
    if not caller.has_any(*(TAP_WRITE_ALL if write else TAP_READ_ALL)):
        raise forbidden()
    if caller.has_role(GA, PAA) or (caller.has_role(AA) and not target.is_admin) or \
            (not write and caller.has_role(GR)):
        return
    raise forbidden()


def _tap_target(lab: Lab, caller: Caller, p: dict[str, Any], write: bool, create: bool = False) -> User:
    needed = (TAP_WRITE_SELF if write else TAP_READ_SELF) if caller.delegated else \
        (TAP_WRITE_ALL if write else TAP_READ_ALL)
    if not caller.has_any(*needed):
        raise forbidden()
    user = _resolve_user(lab, caller, p)
    _authorize_tap(caller, user, write, create)
    return user


def _tap_json(lab: Lab, user: User, row: Any, *, secret: str | None = None,
              select: list[str] | None = None, context: str | None = None,
              with_type: bool = True) -> dict[str, Any]:
    policy = lab.policy
    reason = tap_policy.usability(policy, user.id, user.groups, created=row.created, start=row.start,
                                  lifetime=row.lifetime, usable_once=row.usable_once, used=row.used,
                                  now=lab.clock.now())
    start = row.start
    if start is None and lab.settings["behaviour"]["startDateTimeWhenAbsent"] == "created":
        start = row.created
    full = {
        "id": row.id,
        "temporaryAccessPass": secret,
        "createdDateTime": format_datetime(row.created),
        "startDateTime": None if start is None else format_datetime(start),
        "lifetimeInMinutes": row.lifetime,
        "isUsableOnce": row.usable_once,
        "isUsable": reason == tap_policy.ENABLED_BY_POLICY,
        "methodUsabilityReason": reason,
    }
    out: dict[str, Any] = {}
    if context is not None:
        out["@odata.context"] = context
    if with_type:
        out["@odata.type"] = TAP_TYPE
    if select:
        out.update((k, full[k]) for k in select)
    else:
        out.update(full)
    return out


@functools.lru_cache(maxsize=1024)   # the same few users' keys, request after request
def _quoted_key(ref: str) -> str:
    return quote(ref, safe="")


def _collection_context(lab: Lab, req: Request, p: dict[str, Any], user: User) -> str:
    ref = p["user"] if p["user"] is not None else user.id
    return (f"{_base(lab, req, p['version'])}/$metadata#users('{_quoted_key(ref)}')"
            "/authentication/temporaryAccessPassMethods")


def _entity_context(lab: Lab, req: Request, p: dict[str, Any], user: User,
                    select: list[str] | None) -> str | None:
    if not lab.settings["behaviour"]["entityContext"]:
        return None
    sel = f"({','.join(select)})" if select else ""
    return _collection_context(lab, req, p, user) + sel + "/$entity"


def _parse_tap_body(body: dict[str, Any]) -> tuple[int | None, int | None, bool | None]:
    start = lifetime = usable_once = None
    for key, value in body.items():
        if "@" in key:
            if key == "@odata.type" and (not isinstance(value, str) or
                                         value.lstrip("#").lower() != TAP_TYPE[1:].lower()):
                raise bad_request(f"A type named '{str(value).lstrip('#')}' could not be resolved by the model. "
                                  "When a model is available, each type name must resolve to a valid type.")
            continue
        if key == "startDateTime":
            if value is None:
                continue
            if not isinstance(value, str):
                raise wrong_type("DateTimeOffset")
            try:
                start = parse_datetime(value)
            except ValueError as exc:
                raise bad_request(f"Cannot convert the literal '{value}' to the expected type "
                                  "'Edm.DateTimeOffset'.") from exc
        elif key == "lifetimeInMinutes":
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or not -2**31 <= value < 2**31:
                raise wrong_type("Int32")
            lifetime = value
        elif key == "isUsableOnce":
            if value is None:
                continue
            if not isinstance(value, bool):
                raise wrong_type("Boolean")
            usable_once = value
        elif key not in _TAP_READ_ONLY:
            raise unknown_property(key, "temporaryAccessPassAuthenticationMethod")
    return start, lifetime, usable_once


def generate_pass(length: int) -> str:
    """``length`` characters drawn uniformly from PASS_ALPHABET with the OS's CSPRNG: one
    ``urandom`` call for the whole pass (rejection sampling keeps it uniform), not one per
    character as ``secrets.choice`` would, which was a fifth of a create's cost."""
    import os
    size = len(PASS_ALPHABET)
    limit = 256 - 256 % size
    out: list[str] = []
    while len(out) < length:
        out.extend(PASS_ALPHABET[b % size] for b in os.urandom(2 * length) if b < limit)
    return "".join(out[:length])


def create_tap(lab: Lab, req: Request, caller: Caller, p: dict[str, Any]) -> Response:
    user = _tap_target(lab, caller, p, write=True, create=True)
    start, lifetime, usable_once = _parse_tap_body(_body_object(req))
    policy = lab.policy
    messages = lab.settings["messages"]
    if not tap_policy.applies_to(policy, user.id, user.groups):
        raise tap_bad_request(POLICY_DISALLOWS)
    if user.external:
        raise tap_bad_request(messages["externalGuest"])
    low, high = policy["minimumLifetimeInMinutes"], policy["maximumLifetimeInMinutes"]
    if lifetime is None:
        lifetime = policy["defaultLifetimeInMinutes"]
    elif not low <= lifetime <= high:
        raise lifetime_out_of_range(low, high)
    if usable_once is None:
        usable_once = policy["isUsableOnce"]
    elif policy["isUsableOnce"] and not usable_once:
        raise tap_bad_request(messages["reusableWhileOneTime"])
    secret = generate_pass(policy["defaultLength"])
    method_id = new_guid()
    created = lab.clock.now()
    salt, digest = lab.hash_pass(secret)
    if not lab.store.replace_pass(user.id, method_id, created, start, lifetime, usable_once, salt, digest):
        raise not_found(p["user"] or user.id)
    row = Pass((method_id, user.id, created, start, lifetime, int(usable_once), None))
    body = _tap_json(lab, user, row, secret=secret, context=_entity_context(lab, req, p, user, None))
    return Response(201, body)


def list_taps(lab: Lab, req: Request, caller: Caller, p: dict[str, Any]) -> Response:
    user = _tap_target(lab, caller, p, write=False)
    select = q.parse_select(req.query.get("$select"), TAP_PROPS, "temporaryAccessPassAuthenticationMethod")
    row = lab.store.get_pass(user.id)
    context = _collection_context(lab, req, p, user) + (f"({','.join(select)})" if select else "")
    items = [] if row is None else [_tap_json(lab, user, row, select=select, with_type=False)]
    return Response(200, {"@odata.context": context, "value": items})


def count_taps(lab: Lab, req: Request, caller: Caller, p: dict[str, Any]) -> Response:
    user = _tap_target(lab, caller, p, write=False)
    count = 0 if lab.store.get_pass(user.id) is None else 1
    return Response(200, content=str(count).encode(), content_type="text/plain")


def _method_not_found(lab: Lab, method_id: str) -> GraphError:
    return GraphError(404, "itemNotFound", lab.settings["messages"]["methodNotFound"].format(id=method_id),
                      repeat=True)


def get_tap(lab: Lab, req: Request, caller: Caller, p: dict[str, Any]) -> Response:
    user = _tap_target(lab, caller, p, write=False)
    select = q.parse_select(req.query.get("$select"), TAP_PROPS, "temporaryAccessPassAuthenticationMethod")
    row = lab.store.get_pass(user.id)
    if row is None or row.id.lower() != p["method"].lower():
        raise _method_not_found(lab, p["method"])
    return Response(200, _tap_json(lab, user, row, select=select,
                                   context=_entity_context(lab, req, p, user, select)))


def delete_tap(lab: Lab, req: Request, caller: Caller, p: dict[str, Any]) -> Response:
    user = _tap_target(lab, caller, p, write=True)
    if not lab.store.delete_pass(user.id, p["method"]):
        raise _method_not_found(lab, p["method"])
    return Response(204)


# -- the TAP policy ---------------------------------------------------------------------------

def _policy_target(caller: Caller, p: dict[str, Any], write: bool) -> None:
    if not caller.has_any(*(POLICY_WRITE if write else POLICY_READ)):
        raise forbidden()
    if caller.delegated and not (caller.has_role(GA, APA) or (not write and caller.has_role(GR, "Security Administrator"))):
        raise forbidden()
    if p["config"].lower() != "temporaryaccesspass":
        raise GraphError(404, "itemNotFound" if p["config"] else "BadRequest",
                         f"Authentication method configuration '{p['config']}' was not found.", repeat=True)


def get_policy(lab: Lab, req: Request, caller: Caller, p: dict[str, Any]) -> Response:
    _policy_target(caller, p, write=False)
    base = _base(lab, req, p["version"])
    pol = lab.policy
    body: dict[str, Any] = {
        "@odata.context": f"{base}/$metadata#policies/authenticationMethodsPolicy/authenticationMethodConfigurations/$entity",
        "@odata.type": TAP_CONFIG_TYPE,
        "id": "TemporaryAccessPass",
        "state": pol["state"],
        "defaultLifetimeInMinutes": pol["defaultLifetimeInMinutes"],
        "defaultLength": pol["defaultLength"],
        "minimumLifetimeInMinutes": pol["minimumLifetimeInMinutes"],
        "maximumLifetimeInMinutes": pol["maximumLifetimeInMinutes"],
        "isUsableOnce": pol["isUsableOnce"],
        "includeTargets@odata.context": (
            f"{base}/$metadata#policies/authenticationMethodsPolicy/authenticationMethodConfigurations"
            "('TemporaryAccessPass')/microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration"
            "/includeTargets"),
        "includeTargets": copy.deepcopy(pol["includeTargets"]),
        "excludeTargets": copy.deepcopy(pol["excludeTargets"]),
    }
    return Response(200, body)


_POLICY_WRITABLE = set(tap_policy.FIELDS)
_POLICY_IGNORED = {"id"}
_POLICY_TYPES = {"state": "String", "defaultLifetimeInMinutes": "Int32", "defaultLength": "Int32",
                 "minimumLifetimeInMinutes": "Int32", "maximumLifetimeInMinutes": "Int32",
                 "isUsableOnce": "Boolean"}


def patch_policy(lab: Lab, req: Request, caller: Caller, p: dict[str, Any]) -> Response:
    _policy_target(caller, p, write=True)
    body = _body_object(req)
    changes: dict[str, Any] = {}
    for key, value in body.items():
        if "@" in key:
            if key == "@odata.type" and (not isinstance(value, str) or
                                         value.lstrip("#").lower() != TAP_CONFIG_TYPE[1:].lower()):
                raise bad_request(f"A type named '{str(value).lstrip('#')}' could not be resolved by the model. "
                                  "When a model is available, each type name must resolve to a valid type.")
            continue
        if key in _POLICY_IGNORED:
            continue
        if key not in _POLICY_WRITABLE:
            raise unknown_property(key, "temporaryAccessPassAuthenticationMethodConfiguration")
        edm = _POLICY_TYPES.get(key)
        if value is not None and edm is not None:
            ok = (isinstance(value, bool) if edm == "Boolean" else isinstance(value, str) if edm == "String"
                  else isinstance(value, int) and not isinstance(value, bool))
            if not ok:
                raise wrong_type(edm)
        if key in ("includeTargets", "excludeTargets") and value is not None:
            if not isinstance(value, list):
                raise wrong_type("Collection")
            value = [{k: v for k, v in t.items() if "@" not in k} if isinstance(t, dict) else t for t in value]
        changes[key] = value
    try:
        merged = tap_policy.merge(lab.policy, changes)
    except tap_policy.PolicyError as exc:
        raise tap_bad_request(str(exc)) from exc
    lab.save_policy(merged)
    return Response(204)


def delete_policy(lab: Lab, req: Request, caller: Caller, p: dict[str, Any]) -> Response:
    _policy_target(caller, p, write=True)
    if lab.settings["behaviour"]["policyDeleteResetsTo"] == "scenario":
        lab.save_policy(copy.deepcopy(lab.settings["scenarioPolicy"]))
    else:
        lab.save_policy(tap_policy.defaults())
    return Response(204)


# -- JSON batching ----------------------------------------------------------------------------

MAX_BATCH = 20


def batch(lab: Lab, req: Request, caller: Caller, p: dict[str, Any]) -> Response:
    body = _body_object(req)
    requests = body.get("requests")
    if not isinstance(requests, list) or not requests:
        raise bad_request("Invalid batch payload format.")
    if len(requests) > MAX_BATCH:
        raise bad_request(f"The number of batch requests exceeds the limit of {MAX_BATCH}.")
    seen: dict[str, int] = {}
    for item in requests:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"] \
                or not isinstance(item.get("method"), str) or not isinstance(item.get("url"), str):
            raise bad_request("Invalid batch payload format.")
        if item["id"] in seen:
            raise bad_request(f"Batch request ids must be unique: '{item['id']}'.")
        deps = item.get("dependsOn") or []
        if not isinstance(deps, list) or any(not isinstance(d, str) or d not in seen for d in deps):
            raise bad_request("Invalid dependsOn: a request may depend only on requests listed before it.")
        seen[item["id"]] = 1
    status_of: dict[str, int] = {}
    responses = []
    delay = 0.0
    for item in requests:
        failed = [d for d in item.get("dependsOn") or [] if not 200 <= status_of[d] < 300]
        if failed:
            status_of[item["id"]] = 424
            responses.append({"id": item["id"], "status": 424, "headers": {"Content-Type": "application/json"},
                              "body": {"error": {"code": "FailedDependency",
                                                 "message": "The request depends on a request that failed."}}})
            continue
        inner = _inner_request(req, item)
        resp = lab.handle(inner, version_hint=p["version"], batched=True)
        content = resp.finish()
        status_of[item["id"]] = resp.status
        out: dict[str, Any] = {"id": item["id"], "status": resp.status}
        headers = {}
        for k, v in resp.headers:
            if k in _ITEM_HEADERS:
                headers["-".join(w.capitalize() for w in k.split("-"))] = v
        out["headers"] = headers
        if content:
            try:
                out["body"] = json.loads(content) if (resp.header("content-type") or "").startswith(
                    "application/json") else base64.b64encode(content).decode()
            except ValueError:  # a malformed-response fault
                out["body"] = base64.b64encode(content).decode()
        responses.append(out)
        delay += resp.delay
    result = Response(200, {"responses": responses})
    result.delay = delay
    return result


def _inner_request(outer: Request, item: dict[str, Any]) -> Request:
    url = item["url"]
    if "://" in url:
        raise bad_request("Batch request urls must be relative.")
    path, _, query = url.partition("?")
    if "$batch" in path.lower():
        raise bad_request("A batch request cannot contain another batch request.")
    headers = {k.lower(): str(v) for k, v in (item.get("headers") or {}).items()} \
        if isinstance(item.get("headers"), dict) else {}
    for name in ("authorization", "client-request-id"):
        if name in outer.headers and name not in headers:
            headers[name] = outer.headers[name]
    body = b""
    if "body" in item and item["body"] is not None:
        body = json.dumps(item["body"]).encode() if not isinstance(item["body"], str) else item["body"].encode()
    inner = Request(item["method"], "/" + path.lstrip("/"), query, headers, body, outer.scheme, outer.host)
    return inner
