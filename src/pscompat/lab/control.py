"""The lab's control room: what an instructor can see and change, as one set of actions used
by the HTTP admin API (``/lab/admin/...``, moto-style, admin-token protected) and by the
instructor console (``/lab/console``, cookie + CSRF protected).

Admin API (JSON in, JSON out; ``Authorization: Bearer <admin token>``, from
``pscompat lab admin-token``):

=======  ==========================  =====================================================
GET      /lab/admin/state            users, methods, TAP states, faults, clock, sign-ins
POST     /lab/admin/reset            reset to the lab's scenario (a new tenant)
GET/POST /lab/admin/clock            ``{"advance": "+2h"}``, ``{"set": ISO, "freeze": true}``,
                                     ``{"reset": true}``
GET/PATCH /lab/admin/policy          the TAP policy; PATCH with Graph's property names
GET/POST /lab/admin/faults           list; add a fault spec (see faults.py)
DELETE   /lab/admin/faults[/{id}]    remove one, or all
GET      /lab/admin/requests         the recent Graph request log (``?limit=``)
POST     /lab/admin/tokens           ``{"user": UPN}`` or ``{}``: a bearer token to hand out
GET/POST /lab/admin/quota            Entra's quota model: ``{"mode": "on"|"off"|"virtual"|"scenario",
                                     "size": "S"|"M"|"L"|"auto", "resetBuckets": true}``
=======  ==========================  =====================================================

Nothing here returns a pass, a password or a secret; a token only where one is asked for.
"""

from __future__ import annotations

import hmac
import os
from typing import TYPE_CHECKING, Any

from pscompat.lab.http import GraphError, Request, Response
from pscompat.lab.limits import load_json

if TYPE_CHECKING:
    from pscompat.lab.core import Lab


class ActionError(ValueError):
    """An action refused (bad input): status 400 with this message."""


def _json(status: int, body: Any) -> Response:
    return Response(status, body, [("cache-control", "no-store")], content_type="application/json")


def _error(status: int, code: str, message: str) -> Response:
    return _json(status, {"error": {"code": code, "message": message}})


def admin_token_ok(lab: Lab, req: Request) -> bool:
    scheme, _, token = (req.header("authorization") or "").strip().partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), lab.admin_secret.encode())


# -- what the console and the API show ---------------------------------------------------------

def state(lab: Lab) -> dict[str, Any]:
    """A snapshot for the console: never a pass, a password or a hash."""
    from pscompat.lab import policy as tap_policy
    from pscompat.lab.clock import format_datetime
    from pscompat.lab.models import _PASS_COLUMNS, Pass
    lab.refresh()
    now = lab.clock.now()
    with lab.store.lock:
        passes = {p.user_id: p for p in (Pass(r) for r in lab.store.db.execute(f"SELECT {_PASS_COLUMNS} FROM passes"))}
    users = []
    password_ids: set[str] | None = None
    for u in lab.store.users():
        p = passes.get(u.id)
        methods: list[dict[str, Any]] = []
        if password_ids is None:
            with lab.store.lock:
                password_ids = {r[0] for r in lab.store.db.execute(
                    "SELECT id FROM users WHERE password_hash IS NOT NULL")}
        if u.id in password_ids:
            methods.append({"type": "password"})
        if p is not None:
            reason = tap_policy.usability(lab.policy, u.id, u.groups, created=p.created, start=p.start,
                                          lifetime=p.lifetime, usable_once=p.usable_once, used=p.used, now=now)
            methods.append({"type": "temporaryAccessPass", "id": p.id, "state": reason,
                            "isUsableOnce": p.usable_once, "lifetimeInMinutes": p.lifetime,
                            "startDateTime": format_datetime(p.start if p.start is not None else p.created)})
        users.append({"userPrincipalName": u.upn, "id": u.id, "accountEnabled": u.account_enabled,
                      "roles": u.roles, "methods": methods})
    counters = lab.store.fault_counters()
    return {
        "tenant": lab.tenant.get("domain"),
        "clock": {"now": format_datetime(now), "offsetSeconds": lab.clock.offset / 1e7,
                  "frozen": lab.clock.frozen is not None},
        "policy": lab.policy,
        "users": users,
        "faults": [{"id": fid, "fired": counters.get(fid, (0, 0, 0))[0], "spec": spec} for fid, spec in lab.store.faults()],
        "signins": lab.activity.recent_signins(30),
        "requests": lab.activity.recent_requests(30),
    }


# -- what the console and the API change -------------------------------------------------------

def do_reset(lab: Lab) -> dict[str, Any]:
    from pscompat.lab.core import LabError
    try:
        lab.reset()
    except LabError as exc:
        raise ActionError(str(exc)) from None
    return {"reset": True, "scenario": lab.scenario_source.get("name")}


def do_clock(lab: Lab, body: dict[str, Any]) -> dict[str, Any]:
    from pscompat.lab.clock import format_datetime
    c = lab.clock
    before = c.state()
    try:
        if body.get("reset"):
            c.reset()
        elif body.get("advance"):
            c.advance(str(body["advance"]))
        elif body.get("set"):
            c.set(str(body["set"]), freeze=bool(body.get("freeze")))
        elif body.get("freeze") is not None:
            c.set(c.now(), freeze=bool(body["freeze"]))
        format_datetime(c.now())  # a time the lab cannot show is a time it refuses
    except (ValueError, OverflowError, OSError) as exc:
        c.load(before)  # nothing half-done: put the saved clock back as it was
        c._save()
        raise ActionError(f"the clock cannot move there: {exc}") from None
    return {"now": format_datetime(c.now()), "offsetSeconds": c.offset / 1e7, "frozen": c.frozen is not None}


def do_policy(lab: Lab, changes: dict[str, Any]) -> dict[str, Any]:
    from pscompat.lab import policy as tap_policy
    allowed = {"state", "defaultLifetimeInMinutes", "minimumLifetimeInMinutes", "maximumLifetimeInMinutes",
               "defaultLength", "isUsableOnce"}
    unknown = set(changes) - allowed
    if unknown:
        raise ActionError(f"unknown policy settings: {sorted(unknown)} (allowed: {sorted(allowed)})")
    try:
        lab.save_policy(tap_policy.merge(lab.policy, changes))
    except tap_policy.PolicyError as exc:
        raise ActionError(str(exc)) from None
    return lab.policy


def do_add_fault(lab: Lab, spec: Any) -> dict[str, Any]:
    from pscompat.lab.faults import FaultError, normalise_fault
    try:
        normal = normalise_fault(spec)
    except FaultError as exc:
        raise ActionError(str(exc)) from None
    fid = lab.store.add_fault(normal)
    lab.reload_faults()
    return {"id": fid, "spec": normal}


def do_remove_fault(lab: Lab, fault_id: int | None) -> dict[str, Any]:
    removed = lab.store.clear_faults(fault_id)
    lab.reload_faults()
    return {"removed": removed}


def do_token(lab: Lab, body: dict[str, Any]) -> dict[str, Any]:
    from pscompat.lab.core import LabError
    user = body.get("user") or None
    if user is not None and not isinstance(user, str):
        raise ActionError("'user' must be a user principal name")
    try:
        token = lab.issue_token(None, user)
    except LabError as exc:
        raise ActionError(str(exc)) from None
    return {"user": user, "token_type": "Bearer", "access_token": token}


def quota_state(lab: Lab) -> dict[str, Any]:
    config = lab.quota_config()
    source = ("environment" if os.environ.get("PSCOMPAT_LAB_QUOTA")
              else "lab" if lab.quota_override is not None else "scenario")
    size = config.size or (lab.quota.size() if lab.quota is not None else None)
    return {"mode": config.mode, "size": size, "sizeFrom": "setting" if config.size else "user count",
            "source": source, "buckets": lab.quota.snapshot() if lab.quota is not None else []}


def do_quota(lab: Lab, body: dict[str, Any]) -> dict[str, Any]:
    """Change the quota model: mode, tenant size, and/or refill every bucket."""
    from pscompat.lab.core import LabError
    unknown = set(body) - {"mode", "size", "resetBuckets"}
    if unknown:
        raise ActionError(f"unknown quota settings: {sorted(unknown)} (allowed: mode, size, resetBuckets)")
    mode, size = body.get("mode"), body.get("size")
    if mode is not None and mode not in ("on", "off", "virtual", "scenario"):
        raise ActionError(f"mode must be on, off, virtual or scenario, not {mode!r}")
    if size is not None and (not isinstance(size, str) or size.upper() not in ("S", "M", "L", "AUTO")):
        raise ActionError(f"size must be S, M, L or auto, not {size!r}")
    if mode is not None or size is not None:
        current = lab.quota_config()
        if mode == "scenario":
            spec: Any = None
        else:
            base = mode or current.mode
            chosen = current.size if size is None else (None if size.upper() == "AUTO" else size.upper())
            spec = {"enabled": base != "off", "virtualTime": base == "virtual", "size": chosen}
        try:
            lab.configure_quota(spec)
        except LabError as exc:
            raise ActionError(str(exc)) from None
    if body.get("resetBuckets") and lab.quota is not None:
        lab.quota.reset()
    return quota_state(lab)


def request_log(lab: Lab, limit: int = 2000) -> list[dict[str, Any]]:
    return lab.activity.recent_requests(limit)


def run_action(lab: Lab, action: str, body: dict[str, Any]) -> Any:
    """One console/API action by name; ActionError for bad input."""
    if action == "reset":
        return do_reset(lab)
    if action == "clock":
        return do_clock(lab, body)
    if action == "policy":
        return do_policy(lab, body)
    if action == "fault-add":
        return do_add_fault(lab, body.get("spec", body))
    if action == "fault-remove":
        fid = body.get("id")
        if fid is not None and (isinstance(fid, bool) or not isinstance(fid, int)):
            raise ActionError("'id' must be a fault id")
        return do_remove_fault(lab, fid)
    if action == "token":
        return do_token(lab, body)
    if action == "quota":
        return do_quota(lab, body)
    raise ActionError(f"unknown action {action!r}")


# -- the admin API ----------------------------------------------------------------------------

def _body(req: Request) -> dict[str, Any]:
    if not req.body:
        return {}
    if "json" not in (req.header("content-type") or "").lower():
        raise ActionError("send JSON (Content-Type: application/json)")
    try:
        body = load_json(req.body)
    except GraphError:
        raise ActionError("the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise ActionError("the body must be a JSON object")
    return body


def admin(lab: Lab, req: Request, rest: list[str]) -> Response:
    """``/lab/admin/...``: 401 without the admin token, 404 for an unknown path, 405 for a
    method the path does not take, 400 with the reason for bad input."""
    if not admin_token_ok(lab, req):
        resp = _error(401, "adminTokenRequired", "The lab admin API needs 'Authorization: Bearer <admin token>' "
                                                 "(pscompat lab admin-token).")
        resp.headers.append(("www-authenticate", 'Bearer realm="pscompat-lab-admin"'))
        return resp
    m = req.method
    routes: dict[tuple[str, ...], dict[str, Any]] = {
        ("state",): {"GET": lambda b: state(lab)},
        ("reset",): {"POST": lambda b: do_reset(lab)},
        ("clock",): {"GET": lambda b: do_clock(lab, {}), "POST": lambda b: do_clock(lab, b)},
        ("policy",): {"GET": lambda b: lab.policy, "PATCH": lambda b: do_policy(lab, b)},
        ("faults",): {"GET": lambda b: state(lab)["faults"], "POST": lambda b: do_add_fault(lab, b),
                      "DELETE": lambda b: do_remove_fault(lab, None)},
        ("requests",): {"GET": lambda b: request_log(lab, _limit(req))},
        ("tokens",): {"POST": lambda b: do_token(lab, b)},
        ("quota",): {"GET": lambda b: quota_state(lab), "POST": lambda b: do_quota(lab, b)},
    }
    key = tuple(rest)
    if len(rest) == 2 and rest[0] == "faults" and rest[1].isdigit():
        if m != "DELETE":
            return _error(405, "methodNotAllowed", f"{m} is not allowed here.")
        return _json(200, do_remove_fault(lab, int(rest[1])))
    if key not in routes:
        return _error(404, "notFound", "No such lab admin endpoint.")
    handler = routes[key].get(m)
    if handler is None:
        return _error(405, "methodNotAllowed", f"{m} is not allowed here (allowed: {', '.join(routes[key])}).")
    try:
        result = handler(_body(req) if m in ("POST", "PATCH") else {})
    except ActionError as exc:
        return _error(400, "invalidRequest", str(exc))
    return _json(201 if key == ("faults",) and m == "POST" else 200, result)


def _limit(req: Request) -> int:
    raw = req.query.get("limit", "")
    return max(1, min(int(raw), 2000)) if raw.isdigit() else 2000
