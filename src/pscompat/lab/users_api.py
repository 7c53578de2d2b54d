"""Graph's user writes: POST/PATCH/DELETE /users, revokeSignInSessions, and ``$search``.

Reads (list/get/$filter/$count) live in ``responses``; this module adds what admin scripts do
to users. A password from ``passwordProfile`` is kept only as the lab's salted keyed hash.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from pscompat.lab import methods as m
from pscompat.lab.auth import Caller, salted_hash
from pscompat.lab.http import (
    GraphError,
    Request,
    Response,
    bad_request,
    forbidden,
    not_found,
    unknown_property,
)
from pscompat.lab.models import User

if TYPE_CHECKING:
    from pscompat.lab.core import Lab

USERS_WRITE = ("User.ReadWrite.All", "Directory.ReadWrite.All")
REVOKE = ("User.RevokeSessions.All",) + USERS_WRITE
WRITE_ROLES = ("Global Administrator", "User Administrator")
# Writable on POST/PATCH; the rest of USER_PROPS (id, createdDateTime, ...) is read-only.
_STRING_PROPS = ("displayName", "givenName", "surname", "jobTitle", "mail", "mobilePhone", "officeLocation",
                 "preferredLanguage", "department", "companyName", "usageLocation", "userPrincipalName",
                 "mailNickname", "userType")
_REQUIRED = ("accountEnabled", "displayName", "mailNickname", "passwordProfile", "userPrincipalName")
UPN_TAKEN = "Another object with the same value for property userPrincipalName already exists."
BAD_DOMAIN = ("The domain portion of the userPrincipalName property is invalid. "
              "You must use one of the verified domain names in your organization.")


def _invalid_value(prop: str) -> GraphError:
    return bad_request(f"Invalid value specified for property '{prop}' of resource 'User'.",
                       code="Request_BadRequest")


def _check_write(caller: Caller, allowed: tuple[str, ...] = USERS_WRITE) -> None:
    if not caller.has_any(*allowed):
        raise forbidden()
    if caller.delegated and not caller.has_role(*WRITE_ROLES):
        raise forbidden()


def _body(req: Request) -> dict[str, Any]:
    from pscompat.lab.responses import _body_object
    return _body_object(req)


def _parse(lab: Lab, body: dict[str, Any], creating: bool) -> tuple[dict[str, Any], str | None]:
    """Validated changes (JSON names) and the new password, if any."""
    changes: dict[str, Any] = {}
    password = None
    for key, value in body.items():
        if "@" in key:
            continue
        if key in _STRING_PROPS:
            if value is not None and not isinstance(value, str):
                raise _invalid_value(key)
            changes[key] = value
        elif key == "accountEnabled":
            if not isinstance(value, bool):
                raise _invalid_value(key)
            changes[key] = value
        elif key in ("businessPhones", "otherMails"):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise _invalid_value(key)
            changes[key] = value
        elif key == "passwordProfile":
            if not isinstance(value, dict) or not isinstance(value.get("password"), str) or not value["password"]:
                raise _invalid_value("passwordProfile")
            for inner in value:
                if inner not in ("password", "forceChangePasswordNextSignIn",
                                 "forceChangePasswordNextSignInWithMfa"):
                    raise unknown_property(inner, "passwordProfile")
            password = value["password"]
            changes["forceChangePasswordNextSignIn"] = bool(value.get("forceChangePasswordNextSignIn", True))
        elif key in ("id", "createdDateTime", "creationType", "externalUserState"):
            raise bad_request(f"Property '{key}' is read-only and cannot be set.", code="Request_BadRequest")
        else:
            raise unknown_property(key, "user")
    if creating:
        for key in _REQUIRED:
            if changes.get(key) is None and not (key == "passwordProfile" and password):
                raise _invalid_value(key)
    upn = changes.get("userPrincipalName")
    if "userPrincipalName" in changes:
        if not isinstance(upn, str) or upn.count("@") != 1 or not upn.split("@")[0]:
            raise _invalid_value("userPrincipalName")
        domain = upn.split("@")[1].lower()
        if domain not in (lab.tenant["domain"].lower(), lab.tenant["initialDomain"].lower()):
            raise bad_request(BAD_DOMAIN, code="Request_BadRequest")
    if changes.get("userType") not in (None, "Member", "Guest"):
        raise _invalid_value("userType")
    return changes, password


def _entity(lab: Lab, req: Request, version: str, user_data: dict[str, Any]) -> dict[str, Any]:
    from pscompat.lab.scenario import USER_DEFAULT_SELECT
    body: dict[str, Any] = {"@odata.context": f"{req.scheme}://{req.host}/{version}/$metadata#users/$entity",
                            "id": user_data["id"]}
    body.update((p, user_data.get(p)) for p in USER_DEFAULT_SELECT if p != "id")
    return body


def create_user(lab: Lab, req: Request, caller: Caller, p: dict[str, Any]) -> Response:
    _check_write(caller)
    changes, password = _parse(lab, _body(req), creating=True)
    from pscompat.lab.clock import format_datetime
    from pscompat.lab.models import new_guid
    uid = new_guid()
    upn = changes["userPrincipalName"]
    data: dict[str, Any] = {
        "businessPhones": [], "displayName": None, "givenName": None, "jobTitle": None, "mail": None,
        "mobilePhone": None, "officeLocation": None, "preferredLanguage": None, "surname": None,
        "userPrincipalName": upn, "id": uid, "accountEnabled": True, "userType": "Member",
        "department": None, "companyName": None, "usageLocation": None,
        "createdDateTime": format_datetime(lab.clock.now()).split(".")[0].rstrip("Z") + "Z",
        "creationType": None, "externalUserState": None, "otherMails": [],
    }
    data.update(changes)
    data.pop("forceChangePasswordNextSignIn", None)
    data["id"] = uid
    assert password is not None
    salt, digest = salted_hash(lab.secret_key, password)
    created = m.seed_for_user({"id": uid, "upn": upn, "external": False, "data": data}, [])
    with lab.store.write() as db:
        if db.execute("SELECT 1 FROM users WHERE upn=?", (upn,)).fetchone():
            raise bad_request(UPN_TAKEN, code="Request_BadRequest")
        ord_ = db.execute("SELECT coalesce(max(ord), -1) + 1 FROM users").fetchone()[0]
        db.execute(
            "INSERT INTO users(id, upn, ord, user_type, account_enabled, external, roles, groups,"
            " password_salt, password_hash, data) VALUES(?,?,?,?,?,0,'[]','[]',?,?,?)",
            (uid, upn, ord_, data["userType"], int(data["accountEnabled"]), salt, digest,
             json.dumps(data, separators=(",", ":"))))
        m.add_methods(db, uid, created)
    return Response(201, _entity(lab, req, p["version"], data))


def _target(lab: Lab, p: dict[str, Any]) -> User:
    user = lab.store.find_user(p["user"])
    if user is None:
        raise not_found(p["user"])
    return user


def patch_user(lab: Lab, req: Request, caller: Caller, p: dict[str, Any]) -> Response:
    _check_write(caller)
    changes, password = _parse(lab, _body(req), creating=False)
    user = _target(lab, p)
    if password is not None and caller.delegated and user.is_admin and not caller.has_role("Global Administrator"):
        raise forbidden()
    changes.pop("forceChangePasswordNextSignIn", None)
    with lab.store.write() as db:
        row = db.execute("SELECT data FROM users WHERE id=?", (user.id,)).fetchone()
        if row is None:
            raise not_found(p["user"])
        data = json.loads(row[0])
        upn = changes.get("userPrincipalName") or data["userPrincipalName"]
        if upn.lower() != data["userPrincipalName"].lower() and \
                db.execute("SELECT 1 FROM users WHERE upn=?", (upn,)).fetchone():
            raise bad_request(UPN_TAKEN, code="Request_BadRequest")
        data.update(changes)
        db.execute("UPDATE users SET upn=?, user_type=?, account_enabled=?, data=? WHERE id=?",
                   (upn, data.get("userType") or "Member", int(bool(data.get("accountEnabled", True))),
                    json.dumps(data, separators=(",", ":")), user.id))
        if password is not None:
            salt, digest = salted_hash(lab.secret_key, password)
            db.execute("UPDATE users SET password_salt=?, password_hash=? WHERE id=?", (salt, digest, user.id))
    return Response(204)


def delete_user(lab: Lab, req: Request, caller: Caller, p: dict[str, Any]) -> Response:
    _check_write(caller)
    user = _target(lab, p)
    if caller.delegated and user.is_admin and not caller.has_role("Global Administrator"):
        raise forbidden()
    with lab.store.write() as db:
        db.execute("DELETE FROM users WHERE id=?", (user.id,))
    return Response(204)


def revoke_sessions(lab: Lab, req: Request, caller: Caller, p: dict[str, Any]) -> Response:
    """Every token issued to the user before now stops working (in this and other processes)."""
    if not caller.has_any(*REVOKE):
        raise forbidden()
    user = _target(lab, p) if p["user"] is not None else lab.store.find_user(caller.user_id or "")
    if user is None:
        raise bad_request("/me request is only valid with delegated authentication flow.")
    if caller.delegated and (caller.user_id or "").lower() != user.id.lower() and \
            not caller.has_role(*WRITE_ROLES, "Helpdesk Administrator", "Privileged Authentication Administrator"):
        raise forbidden()
    after = time.time_ns() // 1000
    m.revoke(lab.store, user.id, after)
    lab.revoked[user.id.lower()] = after
    return Response(200, {"@odata.context": f"{req.scheme}://{req.host}/{p['version']}/$metadata#Edm.Boolean",
                          "value": True})


# -- $search ------------------------------------------------------------------------------------

SEARCHABLE = {p.lower(): p for p in ("displayName", "mail", "userPrincipalName", "givenName", "surname",
                                     "jobTitle", "department", "mailNickname")}
SEARCH_NEEDS_EVENTUAL = ("Request with $search query parameter only works through MSGraph with a special "
                         "request header: 'ConsistencyLevel: eventual'")


def parse_search(req: Request) -> list[list[tuple[str, str]]] | None:
    """``$search="displayName:ad" OR "mail:x"`` -> OR of AND groups of (property, token)."""
    text = req.query.get("$search")
    if text is None:
        return None
    if (req.header("consistencylevel") or "").lower() != "eventual":
        raise bad_request(SEARCH_NEEDS_EVENTUAL, code="Request_UnsupportedQuery")
    groups: list[list[tuple[str, str]]] = [[]]
    rest = text.strip()
    while rest:
        if not rest.startswith('"'):
            word, _, rest = rest.partition(" ")
            if word.upper() == "OR" and groups[-1]:
                groups.append([])
            elif word.upper() != "AND" or not groups[-1]:
                raise bad_request(f"Invalid search request: {text}", code="Request_UnsupportedQuery")
            rest = rest.strip()
            continue
        end = rest.find('"', 1)
        if end < 0:
            raise bad_request(f"Invalid search request: {text}", code="Request_UnsupportedQuery")
        clause, rest = rest[1:end], rest[end + 1:].strip()
        prop, sep, token = clause.partition(":")
        canonical = SEARCHABLE.get(prop.strip().lower())
        if not sep or canonical is None:
            raise bad_request(f"Invalid search request: {text}", code="Request_UnsupportedQuery")
        groups[-1].append((canonical, token.strip().lower()))
    if not groups[-1]:
        raise bad_request(f"Invalid search request: {text}", code="Request_UnsupportedQuery")
    return groups


def search_matches(groups: list[list[tuple[str, str]]], data: dict[str, Any]) -> bool:
    """Graph's directory search tokenises values on spaces and punctuation and matches a word prefix."""
    import re
    for group in groups:
        ok = True
        for prop, token in group:
            value = str(data.get(prop) or "").lower()
            words = re.split(r"[\s.,_@-]+", value)
            if not (value.startswith(token) or any(w.startswith(token) for w in words if w)):
                ok = False
                break
        if ok:
            return True
    return False
