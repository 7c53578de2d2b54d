"""Graph JSON -> the PSObjects the real cmdlets write.

Property names and order follow the output shape (the view's columns first, as the module's
model declares them); DateTimes become UTC datetimes (both modules keep them in UTC); JSON
keys the shape does not know go into ``AdditionalProperties`` as a hashtable, as Mg's models
(and PnP's user model) do.
"""

from __future__ import annotations

from typing import Any

from pscompat.lang.isodate import parse_iso_datetime
from pscompat.shapes import Shape
from pscompat.values import PSDictionary, PSObject


def to_psobject(payload: dict[str, Any], shape: Shape | None, type_name: str,
                additional: bool = True) -> PSObject:
    props: list[tuple[str, Any]] = []
    if shape is None:
        for key, value in payload.items():
            props.append((key[:1].upper() + key[1:], value))
        return PSObject(props, type_names=(type_name, "System.Object"))
    known = set()
    for p in shape.properties:
        known.add(p.wire)
        value = payload.get(p.wire)
        if p.type == "DateTime" and isinstance(value, str):
            value = parse_iso_datetime(value) or value
        elif p.type == "Guid" and isinstance(value, str):
            value = value.lower()
        props.append((p.name, value))
    if additional:
        extra = PSDictionary((k, v) for k, v in payload.items() if k not in known)
        props.append(("AdditionalProperties", extra))
    return PSObject(props, type_names=(type_name, "System.Object"))


def collection_items(payload: Any) -> list[dict[str, Any]]:
    if isinstance(payload, dict) and isinstance(payload.get("value"), list):
        return [v for v in payload["value"] if isinstance(v, dict)]
    return []
