"""The lab's routing table: the one module that imports the route handlers. The core (core.py)
gets this table when a lab is opened (``open_lab``) and never imports a handler itself, so
adding an endpoint is a handler module plus a line here (Graph paths: urls.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pscompat.lab.http import Request, Response
from pscompat.lab.urls import VERSIONS, resolve_graph

if TYPE_CHECKING:
    from pscompat.lab.core import Lab

__all__ = ["VERSIONS", "non_graph", "resolve_graph"]


def non_graph(lab: Lab, req: Request, segs: list[str]) -> Response | None:
    from pscompat.lab import oauth
    low = [s.lower() for s in segs]
    if low[:1] == ["lab"]:
        if low == ["lab", "signin"]:
            from pscompat.lab import console
            # The JSON sign-in needs a JSON content type: a cross-site page cannot send one
            # without a CORS preflight, so it cannot lock anyone out (the form needs CSRF).
            if req.method == "POST" and "json" in (req.header("content-type") or "").lower():
                return oauth.signin(lab, req)
            return console.signin_page(lab, req)
        if low[1:2] == ["admin"]:
            from pscompat.lab import control
            return control.admin(lab, req, low[2:])
        if low[1:2] == ["console"]:
            from pscompat.lab import console
            return console.handle(lab, req, low[2:])
        if low in (["lab", "openapi.json"], ["lab", "openapi.yaml"]) and req.method == "GET":
            from pscompat.lab.openapi import openapi_response
            return openapi_response(lab, req, low[1].endswith("yaml"))
        if low == ["lab", "health"] and req.method == "GET":
            return Response(200, {"status": "ok", "tenant": lab.tenant["id"]}, content_type="application/json")
        return Response(404, {"error": {"code": "notFound", "message": "No such lab endpoint."}},
                        content_type="application/json")
    if low == ["openapi.json"] and req.method == "GET":
        from pscompat.lab.openapi import openapi_response
        return openapi_response(lab, req, False)
    if len(low) >= 2:
        tenant = segs[0]
        rest = low[1:]
        if rest == ["oauth2", "v2.0", "token"] and req.method == "POST":
            return oauth.token_endpoint(lab, req, tenant)
        if rest in (["v2.0", ".well-known", "openid-configuration"],
                    [".well-known", "openid-configuration"]) and req.method == "GET":
            return oauth.openid_configuration(lab, req, tenant)
        if rest == ["discovery", "instance"] and req.method == "GET":
            return oauth.instance_discovery(lab, req)
        if rest in (["discovery", "v2.0", "keys"], ["discovery", "keys"]) and req.method == "GET":
            return oauth.jwks(lab, req)
    return None
