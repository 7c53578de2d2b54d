"""The Temporary Access Pass policy: defaults, ranges, targeting and usability.

Pure functions over plain dicts (the policy in Graph's JSON shape) so that the ASGI handlers,
the CLI and the scenario loader share one set of rules.
"""

from __future__ import annotations

import copy
from typing import Any

from pscompat.lab.clock import TICKS_PER_MINUTE

API_MIN_LIFETIME, API_MAX_LIFETIME = 10, 43200
MIN_LENGTH, MAX_LENGTH = 8, 48
ALL_USERS = "all_users"

# Graph's defaults for a new tenant (facts/graph-tap.md), in Graph's key order.
DEFAULTS: dict[str, Any] = {
    "state": "disabled",
    "defaultLifetimeInMinutes": 60,
    "defaultLength": 8,
    "minimumLifetimeInMinutes": 60,
    "maximumLifetimeInMinutes": 480,
    "isUsableOnce": False,
    "includeTargets": [{"targetType": "group", "id": ALL_USERS, "isRegistrationRequired": False}],
    "excludeTargets": [],
}
_INT_FIELDS = ("defaultLifetimeInMinutes", "defaultLength", "minimumLifetimeInMinutes",
               "maximumLifetimeInMinutes")
FIELDS = tuple(DEFAULTS)

ENABLED_BY_POLICY = "EnabledByPolicy"
DISABLED_BY_POLICY = "DisabledByPolicy"
NOT_YET_VALID = "NotYetValid"
EXPIRED = "Expired"
ONE_TIME_USED = "OneTimeUsed"
REASONS = (ENABLED_BY_POLICY, DISABLED_BY_POLICY, EXPIRED, NOT_YET_VALID, ONE_TIME_USED)


class PolicyError(ValueError):
    """An invalid policy value; ``str(e)`` is the lab's 400 message (documented in docs/lab.md)."""


def defaults() -> dict[str, Any]:
    return copy.deepcopy(DEFAULTS)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _range_message(name: str, low: int, high: int) -> str:
    return f"Invalid {name[0].upper()}{name[1:]} specified. The valid range between {low} and {high}."


def _check_targets(name: str, value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise PolicyError(f"Invalid {name} specified.")
    targets = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
            raise PolicyError(f"Invalid {name} specified.")
        target_type = item.get("targetType", "group")
        if target_type not in ("group", "user"):
            raise PolicyError(f"Invalid {name} specified.")
        target = {"targetType": target_type, "id": item["id"]}
        if name == "includeTargets":
            reg = item.get("isRegistrationRequired", False)
            if not isinstance(reg, bool):
                raise PolicyError(f"Invalid {name} specified.")
            target["isRegistrationRequired"] = reg
        targets.append(target)
    return targets


def validate(policy: dict[str, Any]) -> dict[str, Any]:
    """Check a complete policy; return it normalised (Graph key order) or raise PolicyError."""
    out: dict[str, Any] = {}
    state = policy.get("state")
    if state not in ("enabled", "disabled"):
        raise PolicyError(f"Invalid State specified: '{state}'. Valid values: enabled, disabled.")
    out["state"] = state
    for name in _INT_FIELDS:
        if not _is_int(policy.get(name)):
            raise PolicyError(f"Invalid {name[0].upper()}{name[1:]} specified.")
    low, high = policy["minimumLifetimeInMinutes"], policy["maximumLifetimeInMinutes"]
    for name in ("minimumLifetimeInMinutes", "maximumLifetimeInMinutes"):
        if not API_MIN_LIFETIME <= policy[name] <= API_MAX_LIFETIME:
            raise PolicyError(_range_message(name, API_MIN_LIFETIME, API_MAX_LIFETIME))
    if low > high:
        raise PolicyError("MinimumLifetimeInMinutes cannot be greater than MaximumLifetimeInMinutes.")
    if not low <= policy["defaultLifetimeInMinutes"] <= high:
        raise PolicyError(_range_message("defaultLifetimeInMinutes", low, high))
    if not MIN_LENGTH <= policy["defaultLength"] <= MAX_LENGTH:
        raise PolicyError(_range_message("defaultLength", MIN_LENGTH, MAX_LENGTH))
    if not isinstance(policy.get("isUsableOnce"), bool):
        raise PolicyError("Invalid IsUsableOnce specified.")
    out["defaultLifetimeInMinutes"] = policy["defaultLifetimeInMinutes"]
    out["defaultLength"] = policy["defaultLength"]
    out["minimumLifetimeInMinutes"] = low
    out["maximumLifetimeInMinutes"] = high
    out["isUsableOnce"] = policy["isUsableOnce"]
    out["includeTargets"] = _check_targets("includeTargets", policy.get("includeTargets", []))
    out["excludeTargets"] = _check_targets("excludeTargets", policy.get("excludeTargets", []))
    return out


def merge(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """PATCH semantics: the given properties replace the current ones; then validate."""
    merged = dict(current)
    for name in FIELDS:
        if name in changes and changes[name] is not None:
            merged[name] = changes[name]
    return validate(merged)


def _matches(targets: list[dict[str, Any]], user_id: str, groups: list[str], include: bool) -> bool:
    for t in targets:
        if t["targetType"] == "user" and t["id"].lower() == user_id.lower():
            return True
        if t["targetType"] == "group" and ((include and t["id"] == ALL_USERS) or t["id"] in groups):
            return True
    return False


def applies_to(policy: dict[str, Any], user_id: str, groups: list[str]) -> bool:
    """Enabled, and the user is included and not excluded."""
    return (policy["state"] == "enabled"
            and _matches(policy["includeTargets"], user_id, groups, include=True)
            and not _matches(policy["excludeTargets"], user_id, groups, include=False))


def usability(policy: dict[str, Any], user_id: str, groups: list[str], *, created: int,
              start: int | None, lifetime: int, usable_once: bool, used: int | None,
              now: int) -> str:
    """methodUsabilityReason, with the precedence of facts/graph-tap.md."""
    if not applies_to(policy, user_id, groups) or (policy["isUsableOnce"] and not usable_once):
        return DISABLED_BY_POLICY
    begin = created if start is None else start
    if now < begin:
        return NOT_YET_VALID
    if now >= begin + lifetime * TICKS_PER_MINUTE:
        return EXPIRED
    if usable_once and used is not None:
        return ONE_TIME_USED
    return ENABLED_BY_POLICY
