"""The minimal-permissions report (``pscompat lab permissions FILE.har``), as Dev Proxy's
MinimalPermissionsPlugin gives it: for each recorded Graph request, the least-privileged
permission it needs and whether the caller's token covered it; per caller, the minimal set
and the granted permissions beyond it (excessive).

Least-privileged choices follow the Graph permission references of each API (list/get user:
``User.ReadBasic.All`` delegated, ``User.Read.All`` application; Temporary Access Pass:
``UserAuthMethod-TAP.*``; policy: ``Policy.Read.All`` / ``Policy.ReadWrite.AuthenticationMethod``);
what each request *accepts* is the lab's own enforcement table in responses.py.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from pscompat.lab import responses as r
from pscompat.lab.http import GraphError
from pscompat.lab.urls import VERSIONS, resolve_graph

_USER_READ = ("User.Read.All", "User.ReadBasic.All")
# handler name -> (application least-privileged, delegated least-privileged, delegated on /me, accepted)
_TABLE: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "list_users": (*_USER_READ, "User.ReadBasic.All", r.USERS_READ),
    "count_users": (*_USER_READ, "User.ReadBasic.All", r.USERS_READ),
    "get_user": (*_USER_READ, "User.Read", (*r.USERS_READ, "User.Read", "User.ReadWrite")),
    "list_taps": ("UserAuthMethod-TAP.Read.All", "UserAuthMethod-TAP.Read.All", "UserAuthMethod-TAP.Read",
                  r.TAP_READ_SELF),
    "get_tap": ("UserAuthMethod-TAP.Read.All", "UserAuthMethod-TAP.Read.All", "UserAuthMethod-TAP.Read",
                r.TAP_READ_SELF),
    "count_taps": ("UserAuthMethod-TAP.Read.All", "UserAuthMethod-TAP.Read.All", "UserAuthMethod-TAP.Read",
                   r.TAP_READ_SELF),
    "create_tap": ("UserAuthMethod-TAP.ReadWrite.All", "UserAuthMethod-TAP.ReadWrite.All",
                   "UserAuthMethod-TAP.ReadWrite", r.TAP_WRITE_ALL),
    "delete_tap": ("UserAuthMethod-TAP.ReadWrite.All", "UserAuthMethod-TAP.ReadWrite.All",
                   "UserAuthMethod-TAP.ReadWrite", r.TAP_WRITE_SELF),
    "get_policy": ("Policy.Read.All", "Policy.Read.All", "Policy.Read.All", r.POLICY_READ),
    "patch_policy": ("Policy.ReadWrite.AuthenticationMethod",) * 3 + (r.POLICY_WRITE,),
    "delete_policy": ("Policy.ReadWrite.AuthenticationMethod",) * 3 + (r.POLICY_WRITE,),
}


def needed(method: str, url: str, delegated: bool) -> tuple[str | None, tuple[str, ...]]:
    """(least-privileged permission, permissions the lab accepts) for one Graph request; (None, ())
    for what is not a Graph call the table knows ($batch, the token endpoint, the lab's pages)."""
    parts = urlsplit(url)
    segs = [unquote(s) for s in parts.path.split("/") if s]
    if not segs or segs[0].lower() not in VERSIONS:
        return None, ()
    try:
        handler, _ = resolve_graph(method.upper(), segs[1:])
    except GraphError:
        return None, ()
    row = _TABLE.get(getattr(handler, "__name__", ""))
    if row is None:
        return None, ()
    app, deleg, me, accepted = row
    on_me = len(segs) > 1 and segs[1].lower() == "me"
    return (me if on_me else deleg) if delegated else app, accepted


def report(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Per request and per caller, from HAR entries with ``_pscompat`` caller data."""
    rows = []
    callers: dict[str, dict[str, Any]] = {}
    for e in entries:
        info = e.get("_pscompat")
        req = e.get("request") or {}
        if not isinstance(info, dict) or not isinstance(req.get("url"), str):
            continue
        granted = [str(p) for p in info.get("granted") or []]
        need, accepted = needed(str(req.get("method", "GET")), req["url"], bool(info.get("delegated")))
        if need is None:
            continue
        covered = any(p in accepted for p in granted)
        path = urlsplit(req["url"]).path
        rows.append({"method": req.get("method"), "path": path, "status": (e.get("response") or {}).get("status"),
                     "caller": info.get("caller"), "needed": need, "granted": covered})
        c = callers.setdefault(str(info.get("caller")), {"granted": set(), "minimal": set()})
        c["granted"].update(granted)
        c["minimal"].add(need)
    summary = {name: {"granted": sorted(c["granted"]), "minimal": sorted(c["minimal"]),
                      "excessive": sorted(c["granted"] - c["minimal"]),
                      "missing": sorted(c["minimal"] - c["granted"])} for name, c in callers.items()}
    return {"requests": rows, "callers": summary}


def format_report(data: dict[str, Any]) -> str:
    lines = []
    for row in data["requests"]:
        lines.append(f"{row['method']:<6} {row['path']}  {row['status']}  needs {row['needed']}  "
                     f"{'granted' if row['granted'] else 'NOT GRANTED'}  ({row['caller']})")
    for name, c in data["callers"].items():
        lines += ["", f"Caller {name}",
                  f"  minimal permissions: {', '.join(c['minimal']) or '-'}",
                  f"  granted:             {', '.join(c['granted']) or '-'}",
                  f"  excessive:           {', '.join(c['excessive']) or '-'}"]
        if c["missing"]:
            lines.append(f"  not granted (least-privileged): {', '.join(c['missing'])}")
    return "\n".join(lines) if lines else "No Graph requests with a known caller in this recording."
