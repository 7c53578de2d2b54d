"""Routing: the Graph namespace (/v1.0, /beta), the identity endpoints and the lab's own.

A route is matched on decoded path segments; literal segments compare case-insensitively, as
Graph's do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pscompat.lab import methods_api as ma
from pscompat.lab import methods_policy as mp
from pscompat.lab import responses as r
from pscompat.lab import users_api as ua
from pscompat.lab.http import GraphError, bad_request
from pscompat.lab.methods import KINDS

VERSIONS = ("v1.0", "beta")
Handler = Callable[..., Any]

_TAP = "temporaryaccesspassmethods"


def _method_not_allowed() -> GraphError:
    return GraphError(405, "BadRequest", "Specified HTTP method is not allowed for the request target.")


def resolve_graph(method: str, segs: list[str]) -> tuple[Handler, dict[str, Any]]:
    """``segs`` after the version. Returns (handler, params) or raises GraphError."""
    low = [s.lower() for s in segs]
    n = len(segs)
    params: dict[str, Any] = {}

    def pick(table: dict[str, Handler]) -> tuple[Handler, dict[str, Any]]:
        handler = table.get(method)
        if handler is None:
            raise _method_not_allowed()
        return handler, params

    if n == 0:
        raise bad_request("Invalid request.")
    if low[0] == "$batch" and n == 1:
        return pick({"POST": r.batch})
    if low[0] in ("users", "me"):
        if low[0] == "users":
            if n == 1:
                return pick({"GET": r.list_users, "POST": ua.create_user})
            if low[1] == "$count" and n == 2:
                return pick({"GET": r.count_users})
            params["user"] = segs[1]
            rest = low[2:]
        else:
            params["user"] = None
            rest = low[1:]
        if not rest:
            if low[0] == "me":
                return pick({"GET": r.get_user})
            return pick({"GET": r.get_user, "PATCH": ua.patch_user, "DELETE": ua.delete_user})
        if rest == ["revokesigninsessions"]:
            return pick({"POST": ua.revoke_sessions})
        if rest[0] != "authentication":
            raise bad_request(f"Resource not found for the segment '{segs[n - len(rest)]}'.")
        if len(rest) == 1:
            raise bad_request("Resource not found for the segment 'authentication'.")
        if rest[1] == "methods" or rest[1] in KINDS:
            params["kind"] = None if rest[1] == "methods" else rest[1]
            if len(rest) == 2:
                return pick({"GET": ma.list_all if rest[1] == "methods" else ma.list_kind})
            if len(rest) == 3:
                if rest[2] == "$count":
                    return pick({"GET": ma.count_kind})
                params["method"] = segs[n - 1]
                if rest[1] == "methods":
                    return pick({"GET": ma.get_any})
                if rest[1] == "passwordmethods":
                    return pick({"GET": ma.get_kind})
                return pick({"GET": ma.get_kind, "DELETE": ma.delete_kind})
            raise bad_request(f"Resource not found for the segment '{segs[n - len(rest) + 3]}'.")
        if rest[1] != _TAP:
            raise bad_request(f"Resource not found for the segment '{segs[n - len(rest) + 1]}'.")
        if len(rest) == 2:
            return pick({"GET": r.list_taps, "POST": r.create_tap})
        if len(rest) == 3:
            if rest[2] == "$count":
                return pick({"GET": r.count_taps})
            params["method"] = segs[n - 1]
            return pick({"GET": r.get_tap, "DELETE": r.delete_tap})
        raise bad_request(f"Resource not found for the segment '{segs[n - len(rest) + 3]}'.")
    if low[0] == "policies":
        if low[1:] == ["authenticationmethodspolicy"]:
            return pick({"GET": mp.get_root})
        expected = ["policies", "authenticationmethodspolicy", "authenticationmethodconfigurations"]
        for i, name in enumerate(expected):
            if i >= n or low[i] != name:
                seg = segs[i] if i < n else segs[-1]
                raise bad_request(f"Resource not found for the segment '{seg}'.")
        if n == 4:
            params["config"] = segs[3]
            return pick({"GET": mp.get_config, "PATCH": mp.patch_config, "DELETE": r.delete_policy})
        raise bad_request(f"Resource not found for the segment '{segs[min(n - 1, 4)]}'.")
    raise bad_request(f"Resource not found for the segment '{segs[0]}'.")
