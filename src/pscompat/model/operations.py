"""The ``operations`` part of ``cmdlets/*.yaml``, validated into typed specs.

The model keeps ``CmdletDef.operations`` as raw data; this module is the one place that knows
its schema (documented in docs/cmdlets.md), so a typo in the YAML fails loudly at load time
instead of sending a wrong request. The specs are NamedTuples, not frozen dataclasses: a frozen
dataclass costs ~0.7 ms to define, a measurable share of a cold cmdlet.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from pscompat.model import ALL_SETS, CmdletDef, ModelError

_METHODS = frozenset({"GET", "POST", "PATCH", "PUT", "DELETE"})
_FIELD_TYPES = frozenset({"string", "int", "bool", "datetime", "object"})
_RESPONSES = frozenset({"object", "collection", "none", "first_or_null", "value"})  # value: an action's {"value": x}


class PathParam(NamedTuple):
    """Where one ``{segment}`` of the path template comes from."""

    name: str
    parameter: str              # the bound parameter that carries it
    identity: str | None = None  # key inside an identity object (Mg's InputObject.UserId)
    pipe_bind: str | None = None  # a named pipe-bind resolver (PnP's EntraIDUserPipeBind: "user")
    encode: str = "simple"      # simple: RFC 3986 unreserved only (.NET EscapeDataString); reserved: as typed


class BodyField(NamedTuple):
    wire: str
    parameter: str | None = None
    type: str = "string"
    constant: Any = None
    always: bool = False        # sent even when the parameter is not bound (PnP's isUsableOnce)
    default: Any = None
    secret: bool = False


class BodySpec(NamedTuple):
    source: str                 # expanded | body_parameter
    fields: tuple[BodyField, ...]
    parameter: str | None = None             # BodyParameter, for source body_parameter
    additional_properties: str | None = None  # the hashtable merged at the root


class QueryParam(NamedTuple):
    name: str                   # wire name, e.g. $top
    parameter: str | None = None  # "Top|PageSize": the first bound one wins
    constant: str | None = None
    value: str | None = None    # sent instead of the parameter's value ($count=true for -CountVariable)


class OperationSpec(NamedTuple):
    set_name: str
    method: str
    api_version: str
    path: str
    path_params: tuple[PathParam, ...] = ()
    query: tuple[QueryParam, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    header_params: tuple[tuple[str, str], ...] = ()   # header name -> parameter (If-Match <- IfMatch)
    body: BodySpec | None = None
    response: str = "object"
    creation: bool = False      # the response may carry the secret (TemporaryAccessPass)
    paging: str | None = None   # parameter that turns on following @odata.nextLink (All), or "always"
    internal_cmdlet: str = ""
    hook: str | None = None     # a named hook in pscompat.dispatch.hooks
    unsupported: str | None = None  # a set pscompat cannot run: this message as an error record
    extra: Mapping[str, Any] = MappingProxyType({})

    @property
    def whatif_target(self) -> str:
        return f"Call remote '{self.method} {self.path}' operation"


def _field(raw: dict[str, Any], origin: str) -> BodyField:
    if "wire" not in raw:
        raise ModelError(f"{origin}: body field without 'wire': {raw!r}")
    ftype = raw.get("type", "string")
    if ftype not in _FIELD_TYPES:
        raise ModelError(f"{origin}: body field {raw['wire']!r} has unknown type {ftype!r}")
    if raw.get("parameter") is None and "constant" not in raw:
        raise ModelError(f"{origin}: body field {raw['wire']!r} needs 'parameter' or 'constant'")
    return BodyField(wire=raw["wire"], parameter=raw.get("parameter"), type=ftype,
                     constant=raw.get("constant"), always=bool(raw.get("always", False)),
                     default=raw.get("default"), secret=bool(raw.get("secret", False)))


def parse_operation(set_name: str, raw: dict[str, Any], origin: str) -> OperationSpec:
    """One set's operation; raises ModelError naming the file and the problem."""
    where = f"{origin} operations.{set_name}"
    try:
        method = str(raw["method"]).upper()
        path = str(raw["path"])
        api_version = str(raw["api_version"])
    except KeyError as exc:
        raise ModelError(f"{where}: missing {exc}") from exc
    if method not in _METHODS:
        raise ModelError(f"{where}: unknown method {method!r}")
    params = []
    for name, src in (raw.get("path_params") or {}).items():
        if f"{{{name}}}" not in path:
            raise ModelError(f"{where}: path parameter {name!r} is not in {path!r}")
        if not isinstance(src, dict) or "parameter" not in src:
            raise ModelError(f"{where}: path parameter {name!r} needs a 'parameter'")
        params.append(PathParam(name=name, parameter=src["parameter"], identity=src.get("identity"),
                                pipe_bind=src.get("pipe_bind"),
                                encode=src.get("encode", "reserved" if src.get("pipe_bind") else "simple")))
    body = None
    if raw.get("body") is not None:
        b = raw["body"]
        source = b.get("from", "expanded")
        if source not in {"expanded", "body_parameter"}:
            raise ModelError(f"{where}: body.from must be expanded or body_parameter")
        body = BodySpec(source=source, fields=tuple(_field(f, where) for f in b.get("fields") or ()),
                        parameter=b.get("parameter"), additional_properties=b.get("additional_properties"))
        if source == "body_parameter" and not body.parameter:
            raise ModelError(f"{where}: body.from body_parameter needs body.parameter")
    query = tuple(QueryParam(name=q["name"], parameter=q.get("parameter"), constant=q.get("constant"),
                             value=q.get("as"))
                  for q in raw.get("query") or ())
    resp = raw.get("response") or {}
    kind = resp.get("kind", "object")
    if kind not in _RESPONSES:
        raise ModelError(f"{where}: unknown response kind {kind!r}")
    return OperationSpec(
        set_name=set_name, method=method, api_version=api_version, path=path,
        path_params=tuple(params), query=query,
        headers=tuple((str(k), str(v)) for k, v in (raw.get("headers") or {}).items()),
        header_params=tuple((str(k), str(v)) for k, v in (raw.get("header_params") or {}).items()),
        body=body, response=kind, creation=bool(resp.get("creation", False)),
        paging=raw.get("paging"), internal_cmdlet=raw.get("internal_cmdlet", ""),
        hook=raw.get("hook"), unsupported=raw.get("unsupported"), extra=MappingProxyType(dict(raw.get("extra") or {})))


_CACHE: dict[int, tuple[CmdletDef, dict[str, OperationSpec]]] = {}


def _operations(cmdlet: CmdletDef) -> dict[str, OperationSpec]:
    # CmdletDef holds dicts (unhashable): cache by identity, keeping the object alive.
    hit = _CACHE.get(id(cmdlet))
    if hit is not None and hit[0] is cmdlet:
        return hit[1]
    origin = f"cmdlets/{cmdlet.name}.yaml"
    ops = {name: parse_operation(name, dict(raw), origin) for name, raw in cmdlet.operations.items()}
    _CACHE[id(cmdlet)] = (cmdlet, ops)
    return ops


def operation_for(cmdlet: CmdletDef, parameter_set: str | None) -> OperationSpec:
    """The operation of the chosen set; a cmdlet with a single (implicit) set has one."""
    ops = _operations(cmdlet)
    if parameter_set in ops:
        return ops[parameter_set]  # type: ignore[index]
    if len(ops) == 1:
        return next(iter(ops.values()))
    if ALL_SETS in ops:
        return ops[ALL_SETS]
    raise ModelError(f"cmdlets/{cmdlet.name}.yaml: no operation for parameter set {parameter_set!r}")


def all_operations(cmdlet: CmdletDef) -> dict[str, OperationSpec]:
    """Every set's operation (validation in tests, compat matrix)."""
    return dict(_operations(cmdlet))


def dialect(cmdlet: CmdletDef) -> str:
    """``mg`` or ``pnp``: which module's wire format, error view and dumps apply."""
    value = cmdlet.raw.get("dialect") or ("pnp" if cmdlet.kind == "compiled" else "mg")
    return str(value)
