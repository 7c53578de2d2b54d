"""Graph's /users/{id}/authentication/methods and the per-kind method collections
(phone, email, fido2, microsoftAuthenticator, softwareOath, windowsHelloForBusiness, password).

The TAP appears in the generic listing from the ``passes`` table, with its usability computed
as on its own endpoint; creating and deleting passes stays in ``responses``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from pscompat.lab import methods as m
from pscompat.lab.auth import Caller
from pscompat.lab.http import GraphError, Request, Response, bad_request

if TYPE_CHECKING:
    from pscompat.lab.core import Lab
    from pscompat.lab.models import User

METHOD_NOT_FOUND = "The requested authentication method '{id}' was not found."


def _target(lab: Lab, caller: Caller, p: dict[str, Any], write: bool) -> User:
    """The TAP endpoints' rules, without the TAP-only permissions (UserAuthMethod-TAP.*)."""
    from pscompat.lab.http import forbidden
    from pscompat.lab.responses import _tap_target
    if not any(perm.startswith("UserAuthenticationMethod.") and (not write or ".ReadWrite" in perm)
               for perm in caller.permissions):
        raise forbidden()
    return _tap_target(lab, caller, p, write=write)


def _context(req: Request, p: dict[str, Any], user: User, segment: str) -> str:
    ref = p["user"] if p["user"] is not None else user.id
    return (f"{req.scheme}://{req.host}/{p['version']}/$metadata#users('{quote(ref, safe='')}')"
            f"/authentication/{segment}")


def _not_found(method_id: str) -> GraphError:
    return GraphError(404, "itemNotFound", METHOD_NOT_FOUND.format(id=method_id), repeat=True)


def _all(lab: Lab, user: User) -> list[dict[str, Any]]:
    """Every method in Graph's listing order: password first, then the others, the TAP last."""
    from pscompat.lab.responses import _tap_json
    out = [meth.wire() for meth in m.list_methods(lab.store, user.id)]
    row = lab.store.get_pass(user.id)
    if row is not None:
        out.append(_tap_json(lab, user, row))
    return out


def list_all(lab: Lab, req: Request, caller: Caller, p: dict[str, Any]) -> Response:
    user = _target(lab, caller, p, write=False)
    return Response(200, {"@odata.context": _context(req, p, user, "methods"), "value": _all(lab, user)})


def get_any(lab: Lab, req: Request, caller: Caller, p: dict[str, Any]) -> Response:
    user = _target(lab, caller, p, write=False)
    for item in _all(lab, user):
        if item["id"].lower() == p["method"].lower():
            return Response(200, {"@odata.context": _context(req, p, user, "methods") + "/$entity", **item})
    raise _not_found(p["method"])


def list_kind(lab: Lab, req: Request, caller: Caller, p: dict[str, Any]) -> Response:
    user = _target(lab, caller, p, write=False)
    kind = m.KINDS[p["kind"]][0]
    items = [meth.wire(with_type=False) for meth in m.list_methods(lab.store, user.id, kind)]
    return Response(200, {"@odata.context": _context(req, p, user, m.SEGMENT_NAMES[p["kind"]]), "value": items})


def get_kind(lab: Lab, req: Request, caller: Caller, p: dict[str, Any]) -> Response:
    user = _target(lab, caller, p, write=False)
    kind = m.KINDS[p["kind"]][0]
    meth = m.get_method(lab.store, user.id, p["method"])
    if meth is None or meth.kind != kind:
        raise _not_found(p["method"])
    context = _context(req, p, user, m.SEGMENT_NAMES[p["kind"]]) + "/$entity"
    return Response(200, {"@odata.context": context, **meth.wire()})


def delete_kind(lab: Lab, req: Request, caller: Caller, p: dict[str, Any]) -> Response:
    user = _target(lab, caller, p, write=True)
    kind = m.KINDS[p["kind"]][0]
    try:
        deleted = m.delete_method(lab.store, user.id, kind, p["method"])
    except m.DeleteRefused as exc:
        raise GraphError(400, "badRequest", str(exc), repeat=True) from exc
    if not deleted:
        raise _not_found(p["method"])
    return Response(204)


def count_kind(lab: Lab, req: Request, caller: Caller, p: dict[str, Any]) -> Response:
    user = _target(lab, caller, p, write=False)
    if p.get("kind") is None:
        count = len(_all(lab, user))
    else:
        count = len(m.list_methods(lab.store, user.id, m.KINDS[p["kind"]][0]))
    return Response(200, content=str(count).encode(), content_type="text/plain")


def unknown_segment(segment: str) -> GraphError:
    return bad_request(f"Resource not found for the segment '{segment}'.")
