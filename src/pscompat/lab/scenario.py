"""Scenario files (YAML) -> the normalised data a lab is seeded from.

Only ``open_lab`` on a new store and ``Lab.reset`` come here, so PyYAML is imported lazily.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from pscompat.lab import policy as tap_policy
from pscompat.lab.auth import ROLE_TEMPLATE_IDS

DEFAULT_SCENARIO = Path(__file__).parent / "scenarios" / "default.yaml"

# Lab behaviours where Graph's is not documented (docs/lab.md, "Choices"). Scenario key: behaviour.
BEHAVIOUR_DEFAULTS: dict[str, Any] = {
    "startDateTimeWhenAbsent": "created",   # "created": echo the creation instant; "null"
    "entityContext": True,                  # "@odata.context" on single-entity responses
    "policyDeleteResetsTo": "graph-defaults",  # or "scenario"
    "pageSize": 100,                        # GET /users page size without $top
}
# Messages Graph has not been seen to return; the lab's choices. Scenario key: messages.
MESSAGE_DEFAULTS: dict[str, str] = {
    "reusableWhileOneTime": "Invalid IsUsableOnce specified. The policy only allows one-time use "
                            "Temporary Access Passes.",
    "externalGuest": "Temporary Access Pass cannot be added to an external guest user.",
    "methodNotFound": "The requested Temporary Access Pass method '{id}' was not found.",
    "throttled": "Too many requests. Retry after {seconds} seconds.",
    "unavailable": "The service is temporarily unavailable. Please retry later.",
    "gatewayTimeout": "The gateway did not receive a response in time.",
    "internal": "An unspecified error has occurred.",
    "badGateway": "The gateway received an invalid response from the upstream service.",
    "insufficientStorage": "The maximum data quota has been reached.",
    "rateLimited": "Rate limit exceeded. Retry after {seconds} seconds.",
}
SIGNIN_DEFAULTS: dict[str, Any] = {"maxFailures": 5, "lockoutMinutes": 15}
TOKEN_DEFAULTS: dict[str, Any] = {"lifetimeSeconds": 3599}

_USER_DEFAULT_PROPS = ("businessPhones", "displayName", "givenName", "jobTitle", "mail",
                       "mobilePhone", "officeLocation", "preferredLanguage", "surname",
                       "userPrincipalName", "id")
_USER_EXTRA_PROPS = ("accountEnabled", "userType", "department", "companyName", "usageLocation",
                     "createdDateTime", "creationType", "externalUserState", "otherMails")
USER_PROPS = _USER_DEFAULT_PROPS + _USER_EXTRA_PROPS
USER_DEFAULT_SELECT = _USER_DEFAULT_PROPS
_USER_KEYS = set(USER_PROPS) | {"upn", "roles", "groups", "password", "external"}


class ScenarioError(ValueError):
    pass


def _guid_for(namespace: str, name: str) -> str:
    import uuid
    return str(uuid.uuid5(uuid.UUID(namespace), name.lower()))


def load(path: Path | None = None) -> dict[str, Any]:
    """Read and normalise a scenario file (the packaged default when ``path`` is None)."""
    import yaml
    source = Path(path) if path is not None else DEFAULT_SCENARIO
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScenarioError(f"cannot read scenario {source}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"scenario {source} is not UTF-8 text (byte {exc.start}): is it a YAML file?") from exc
    except (yaml.YAMLError, RecursionError) as exc:
        raise ScenarioError(f"scenario {source} is not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ScenarioError(f"scenario {source}: the top level must be a mapping")
    data = normalise(raw)
    data["source"] = {"path": str(source.resolve()), "name": data["name"]}
    return data


def _section(raw: dict[str, Any], key: str, kind: type) -> Any:
    value = raw.get(key)
    if value is None:
        return kind()
    if not isinstance(value, kind):
        raise ScenarioError(f"scenario: '{key}' must be a {'list' if kind is list else 'mapping'}")
    return value


def normalise(raw: dict[str, Any]) -> dict[str, Any]:
    tenant_raw = _section(raw, "tenant", dict)
    domain = str(tenant_raw.get("domain") or "contoso.lab")
    initial = str(tenant_raw.get("initialDomain") or domain.split(".")[0] + ".onmicrosoft.com")
    tenant_id = str(tenant_raw.get("id") or _guid_for("6ba7b811-9dad-11d1-80b4-00c04fd430c8", domain))
    tenant = {"id": tenant_id.lower(), "displayName": str(tenant_raw.get("displayName") or domain),
              "domain": domain, "initialDomain": initial}

    groups = []
    by_name: dict[str, str] = {}
    for g in _section(raw, "groups", list):
        if not isinstance(g, dict) or not g.get("displayName"):
            raise ScenarioError("scenario: every group needs a displayName")
        gid = str(g.get("id") or _guid_for(tenant_id, "group:" + g["displayName"])).lower()
        groups.append({"id": gid, "displayName": str(g["displayName"])})
        by_name[g["displayName"].lower()] = gid
        by_name[gid] = gid

    users = []
    seen: set[str] = set()
    for u in _section(raw, "users", list):
        users.append(_user(u, tenant_id, by_name, seen))

    apps = []
    for a in _section(raw, "apps", list):
        if not isinstance(a, dict) or not a.get("clientId"):
            raise ScenarioError("scenario: every app needs a clientId")
        for key in ("permissions", "delegated"):
            if not isinstance(a.get(key, []), list):
                raise ScenarioError(f"scenario: app {a['clientId']}: '{key}' must be a list")
        cid = str(a["clientId"]).lower()
        apps.append({"clientId": cid, "displayName": str(a.get("displayName") or cid),
                     "servicePrincipalId": str(a.get("servicePrincipalId")
                                               or _guid_for(tenant_id, "sp:" + cid)),
                     "secret": None if a.get("secret") is None else str(a["secret"]),
                     "permissions": [str(p) for p in a.get("permissions") or []],
                     "delegated": [str(p) for p in a.get("delegated") or []]})

    policy_raw = tap_policy.defaults()
    policy_raw.update(_section(raw, "policy", dict))
    try:
        policy = tap_policy.validate(policy_raw)
    except tap_policy.PolicyError as exc:
        raise ScenarioError(f"scenario: policy: {exc}") from exc

    from pscompat.lab.faults import FaultError, normalise_fault
    faults = []
    for f in _section(raw, "faults", list):
        try:
            faults.append(normalise_fault(f))
        except FaultError as exc:
            raise ScenarioError(f"scenario: faults: {exc}") from exc

    settings = {
        "behaviour": {**BEHAVIOUR_DEFAULTS, **_section(raw, "behaviour", dict)},
        "messages": {**MESSAGE_DEFAULTS, **_section(raw, "messages", dict)},
        "signin": {**SIGNIN_DEFAULTS, **_section(raw, "signin", dict)},
        "tokens": {**TOKEN_DEFAULTS, **_section(raw, "tokens", dict)},
    }
    if settings["behaviour"]["startDateTimeWhenAbsent"] not in ("created", "null", None):
        raise ScenarioError("scenario: behaviour.startDateTimeWhenAbsent must be 'created' or 'null'")
    if settings["behaviour"]["policyDeleteResetsTo"] not in ("graph-defaults", "scenario"):
        raise ScenarioError("scenario: behaviour.policyDeleteResetsTo must be 'graph-defaults' or 'scenario'")
    settings["scenarioPolicy"] = copy.deepcopy(policy)
    return {"name": str(raw.get("name") or "scenario"), "tenant": tenant, "groups": groups,
            "users": users, "apps": apps, "policy": policy, "faults": faults, "settings": settings}


def _user(u: Any, tenant_id: str, groups: dict[str, str], seen: set[str]) -> dict[str, Any]:
    if not isinstance(u, dict):
        raise ScenarioError("scenario: every user must be a mapping")
    upn = u.get("userPrincipalName") or u.get("upn")
    if not upn or not isinstance(upn, str) or "@" not in upn:
        raise ScenarioError(f"scenario: user {u!r} needs a userPrincipalName (name@domain)")
    unknown = set(u) - _USER_KEYS
    if unknown:
        raise ScenarioError(f"scenario: user {upn}: unknown keys {sorted(unknown)}")
    if upn.lower() in seen:
        raise ScenarioError(f"scenario: user {upn} is listed twice")
    seen.add(upn.lower())
    external = bool(u.get("external", "#EXT#" in upn.upper()))
    user_type = u.get("userType") or ("Guest" if external else "Member")
    if user_type not in ("Member", "Guest"):
        raise ScenarioError(f"scenario: user {upn}: userType must be Member or Guest")
    roles = u.get("roles") or []
    for role in roles:
        if role not in ROLE_TEMPLATE_IDS:
            raise ScenarioError(f"scenario: user {upn}: unknown directory role {role!r} "
                                f"(known: {', '.join(sorted(ROLE_TEMPLATE_IDS))})")
    member_of = []
    for g in u.get("groups") or []:
        gid = groups.get(str(g).lower())
        if gid is None:
            raise ScenarioError(f"scenario: user {upn}: unknown group {g!r}")
        member_of.append(gid)
    uid = str(u.get("id") or _guid_for(tenant_id, upn)).lower()
    local = upn.split("@")[0]
    data: dict[str, Any] = {
        "businessPhones": list(u.get("businessPhones") or []),
        "displayName": u.get("displayName") or local,
        "givenName": u.get("givenName"),
        "jobTitle": u.get("jobTitle"),
        "mail": u.get("mail", None if external else upn),
        "mobilePhone": u.get("mobilePhone"),
        "officeLocation": u.get("officeLocation"),
        "preferredLanguage": u.get("preferredLanguage", "en-US"),
        "surname": u.get("surname"),
        "userPrincipalName": upn,
        "id": uid,
        "accountEnabled": bool(u.get("accountEnabled", True)),
        "userType": user_type,
        "department": u.get("department"),
        "companyName": u.get("companyName"),
        "usageLocation": u.get("usageLocation", "US"),
        "createdDateTime": u.get("createdDateTime", "2024-01-15T09:00:00Z"),
        "creationType": u.get("creationType", "Invitation" if external else None),
        "externalUserState": u.get("externalUserState", "Accepted" if external else None),
        "otherMails": list(u.get("otherMails") or ([data_mail] if (data_mail := u.get("mail")) and external else [])),
    }
    return {"id": uid, "upn": upn, "userType": user_type, "accountEnabled": data["accountEnabled"],
            "external": external, "roles": list(roles), "groups": member_of,
            "password": None if u.get("password") is None else str(u["password"]), "data": data}
