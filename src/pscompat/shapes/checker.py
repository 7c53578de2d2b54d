"""Build shapes from the docs and check response payloads against them."""

from __future__ import annotations

import functools
import re
from typing import Any, NamedTuple

from pscompat.lang.isodate import parse_iso_datetime
from pscompat.model import CmdletDef, data_root
from pscompat.model.loader import read_yaml

_TYPES = {
    "string": "String", "system.string": "String", "guid": "Guid", "system.guid": "Guid",
    "int32": "Int32", "int32?": "Int32", "system.int32": "Int32",
    "boolean": "Boolean", "boolean?": "Boolean", "bool": "Boolean", "switch": "Boolean",
    "datetime": "DateTime", "datetime?": "DateTime", "system.datetime": "DateTime",
    "string[]": "String[]", "object": "Object", "hashtable": "Object",
}


class ShapeProperty(NamedTuple):
    name: str                      # PowerShell name (PascalCase)
    wire: str                      # JSON name
    type: str                      # String | Guid | Int32 | Boolean | DateTime | String[] | Object
    values: tuple[str, ...] = ()   # documented value set, if any
    creation_only: bool = False    # present (non-null) only in the response to a create
    nullable: bool = True


class Shape(NamedTuple):
    name: str
    type_name: str
    properties: tuple[ShapeProperty, ...]
    open: bool = False             # unknown properties allowed (AdditionalProperties)
    polymorphic: bool = False      # other keys are expected: a base type (authenticationMethod) or a
                                   # model listed in part (user); kept in AdditionalProperties silently

    def property(self, wire: str) -> ShapeProperty | None:
        for p in self.properties:
            if p.wire == wire:
                return p
        return None


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


_REASONS = re.compile(r"(?:Reasons can include|Possible values are|values are):\s*([A-Za-z, ]+)\.?")


def _from_paramsets(cmdlet: CmdletDef) -> Shape | None:
    complex_params = cmdlet.paramsets.complex_parameters
    body = complex_params.get("BODYPARAMETER")
    if body is None:
        return None
    props = []
    for p in body.properties:
        if p.name.startswith("("):   # "(Any) <Object>": additional properties allowed
            continue
        values: tuple[str, ...] = ()
        m = _REASONS.search(p.description)
        if m:
            values = tuple(v.strip() for v in m.group(1).split(",") if v.strip())
        props.append(ShapeProperty(
            name=p.name, wire=_camel(p.name), type=_TYPES.get(p.type.casefold(), p.type),
            values=values, creation_only="only on creation" in p.description.casefold()))
    type_name = cmdlet.output.type if cmdlet.output else body.type
    return Shape(name=cmdlet.output.shape if cmdlet.output else body.type, type_name=type_name,
                 properties=tuple(props), open=True)


@functools.cache
def _yaml_shapes() -> dict[str, Shape]:
    raw = read_yaml(data_root() / "cmdlets" / "_shapes.yaml") or {}
    shapes = {}
    for name, s in raw.items():
        props = tuple(ShapeProperty(name=p["name"], wire=p.get("wire", _camel(p["name"])), type=p["type"],
                                    values=tuple(p.get("values") or ()),
                                    creation_only=bool(p.get("creation_only", False)))
                      for p in s["properties"])
        shapes[name] = Shape(name=name, type_name=s["type_name"], properties=props, open=bool(s.get("open")),
                             polymorphic=bool(s.get("polymorphic")))
    return shapes


def shape_for(cmdlet: CmdletDef) -> Shape | None:
    """The output shape of ``cmdlet``: the YAML shapes first, else the doc's NOTES list."""
    if cmdlet.output is None:
        return None
    if not cmdlet.output.shape:
        return None
    known = _yaml_shapes().get(cmdlet.output.shape)
    if known is not None:
        return known
    source = (cmdlet.raw.get("output") or {}).get("shape_from")
    if source:
        from pscompat.model import load_cmdlet
        return _from_paramsets(load_cmdlet(source))
    return _from_paramsets(cmdlet)


def _type_ok(value: Any, ptype: str) -> bool:
    if ptype == "String":
        return isinstance(value, str)
    if ptype == "Guid":
        return isinstance(value, str) and re.fullmatch(
            r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", value) is not None
    if ptype == "Int32":
        return isinstance(value, int) and not isinstance(value, bool) and -2**31 <= value < 2**31
    if ptype == "Boolean":
        return isinstance(value, bool)
    if ptype == "DateTime":
        return isinstance(value, str) and parse_iso_datetime(value) is not None
    if ptype == "String[]":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return True


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return "null"


def check(shape: Shape, payload: Any, *, creation: bool = False) -> list[str]:
    """Mismatches between one JSON object from Graph and ``shape`` (empty list: it fits)."""
    where = shape.type_name
    if not isinstance(payload, dict):
        return [f"The response is {_json_type(payload)}, not the object {where} documents."]
    problems: list[str] = []
    for prop in shape.properties:
        # An absent property reads as $null in both modules' models (and $select leaves most out),
        # so absence is only a mismatch for the secret a create must return.
        value = payload.get(prop.wire)
        if value is None:
            if prop.creation_only and creation:
                problems.append(f"The response to a create has no '{prop.wire}' value, which {where} "
                                "documents as returned on creation.")
            continue
        if prop.creation_only and not creation:
            problems.append(f"The response carries a '{prop.wire}' value, which {where} documents as "
                            "returned only on creation.")
        if not _type_ok(value, prop.type):
            problems.append(f"The response's '{prop.wire}' is {_json_type(value)}, but {where} documents "
                            f"{prop.name} as {prop.type}.")
        elif prop.values and value not in prop.values:
            problems.append(f"The response's '{prop.wire}' is '{value}', which is not one of the values "
                            f"{where} documents ({', '.join(prop.values)}).")
    if shape.polymorphic:
        return problems
    if not shape.open:
        for key in payload:
            if not key.startswith("@odata.") and shape.property(key) is None:
                problems.append(f"The response has a property '{key}' that {where} does not document.")
    else:
        for key in payload:
            if not key.startswith("@odata.") and shape.property(key) is None:
                problems.append(f"The response has a property '{key}' that {where} does not document "
                                "(kept in AdditionalProperties).")
    return problems
