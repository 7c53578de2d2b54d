"""Request bodies, serialized byte for byte the way each module does it.

- Mg (AutoRest.PowerShell runtime ``JsonWriter``, pretty by default): two-space indentation,
  ``"key": value``, newline ``\\n`` (PowerShell 7 on Linux; ``\\r\\n`` on Windows), strings
  escaped like ``HttpUtility.JavaScriptStringEncode``; DateTimes ``ToUniversalTime()`` with seven
  fractional digits (``2022-06-05T00:00:00.0000000Z``).
- PnP (Newtonsoft.Json defaults, nulls ignored by the model): compact, DateTimes as UTC in
  Newtonsoft's round-trip form with trailing fraction zeros trimmed (``2022-06-05T00:00:00Z``).

We serialize ourselves instead of using msgraph-sdk's typed models: those cost ~1.5 s of
imports and re-order/re-format keys differently from both modules.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping
from typing import Any

from pscompat.errors import ErrorRecord
from pscompat.lang.isodate import parse_iso_datetime
from pscompat.model.operations import BodyField, BodySpec
from pscompat.values import PSHashtable, PSObject, to_utc

NEWLINE = "\n"


# ---------------------------------------------------------------- dates

def mg_datetime(value: _dt.datetime) -> str:
    """``ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffffffK")``."""
    utc = to_utc(value)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond:06d}0Z"


def pnp_datetime(value: _dt.datetime) -> str:
    """Newtonsoft's ISO form of a UTC DateTime: ``.FFFFFFF`` (zeros trimmed) then ``Z``."""
    utc = to_utc(value)
    frac = f"{utc.microsecond:06d}0".rstrip("0")
    return utc.strftime("%Y-%m-%dT%H:%M:%S") + (f".{frac}" if frac else "") + "Z"


# ---------------------------------------------------------------- JSON writers

_JS_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _js_string(text: str) -> str:
    """``HttpUtility.JavaScriptStringEncode`` (also escapes ' < > & as \\u00XX)."""
    out = []
    for ch in text:
        if ch in _JS_ESCAPES:
            out.append(_JS_ESCAPES[ch])
        elif ord(ch) < 0x20 or ch in "'<>&\u0085\u2028\u2029":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _plain(value: Any) -> Any:
    """PowerShell values -> JSON-able Python values (dates stay datetimes for the writers)."""
    if isinstance(value, PSObject):
        return {k: _plain(v) for k, v in value.properties()}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _scalar(value: Any, date: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, _dt.datetime):
        return '"' + date(value) + '"'
    if isinstance(value, int | float):
        return json.dumps(value)
    return _js_string(str(value))


def write_mg_json(value: Any, level: int = 0) -> str:
    """AutoRest's pretty JsonWriter (see module docstring)."""
    value = _plain(value)
    if isinstance(value, dict):
        parts = ["{"]
        for i, (key, item) in enumerate(value.items()):
            parts.append(("," if i else "") + NEWLINE + "  " * (level + 1) + _js_string(key) + ": "
                         + write_mg_json(item, level + 1))
        parts.append(NEWLINE + "  " * level + "}")
        return "".join(parts)
    if isinstance(value, list):
        nested = any(isinstance(v, dict | list) for v in value)
        parts = ["["]
        for i, item in enumerate(value):
            sep = NEWLINE + "  " * (level + 1) if nested else " "
            parts.append(("," if i else "") + sep + write_mg_json(item, level + 1))
        parts.append(NEWLINE + "  " * level + "]" if nested else " ]")
        return "".join(parts)
    return _scalar(value, mg_datetime)


def write_pnp_json(value: Any) -> str:
    """Newtonsoft.Json, Formatting.None."""
    value = _plain(value)
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + write_pnp_json(v)
                              for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(write_pnp_json(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return _scalar(value, pnp_datetime)


# ---------------------------------------------------------------- conversion of model values

class _Drop(Exception):
    """A BodyParameter value that does not convert: the Mg model silently drops it."""


def _convert(value: Any, ftype: str) -> Any:
    if value is None:
        return None
    if ftype == "datetime":
        if isinstance(value, _dt.datetime):
            return value
        if isinstance(value, str):
            parsed = parse_iso_datetime(value) or _parse_loose_date(value)
            if parsed is not None:
                return parsed
        raise _Drop
    if ftype == "int":
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                raise _Drop from None
        raise _Drop
    if ftype == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return bool(value)
        raise _Drop
    if ftype == "string":
        return value if isinstance(value, str) else str(value)
    return value


def _parse_loose_date(text: str) -> _dt.datetime | None:
    for fmt in ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%m/%d/%Y", "%m/%d/%Y %H:%M:%S"):
        try:
            return _dt.datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    return None


# ---------------------------------------------------------------- building bodies

_ODATA_PROPERTIES = {"odatatype": "@odata.type", "odataid": "@odata.id"}


def wire_name(model_property: str) -> str:
    """An AutoRest model property's JSON name (``ForceChangePasswordNextSignIn`` ->
    ``forceChangePasswordNextSignIn``, ``OdataType`` -> ``@odata.type``)."""
    return _ODATA_PROPERTIES.get(model_property.lower()) or model_property[:1].lower() + model_property[1:]


def as_model(value: Any, properties: tuple[str, ...]) -> Any:
    """A hashtable given for a complex parameter (``-PasswordProfile @{Password=..}``), as the Mg
    module's model serializes it: known properties matched case-insensitively, under their JSON
    names, in the model's order; other keys after them as typed (AdditionalProperties)."""
    if not isinstance(value, Mapping | PSObject):
        return value
    given = {key.lower(): (key, item) for key, item in _plain(value).items()}
    known = [p for p in properties if p != "(Any)"]
    out = {wire_name(p): given.pop(p.lower())[1] for p in known if p.lower() in given}
    out.update(given.values())
    return out


def _field_value(f: BodyField, value: Any, models: Mapping[str, tuple[str, ...]] | None) -> Any:
    """A field's value; a complex field's hashtable keyed as its model (see :func:`as_model`)."""
    properties = models.get(f.parameter) if models and f.parameter else None
    return as_model(value, properties) if properties else value


def expanded_body(spec: BodySpec, params: Mapping[str, Any],
                  models: Mapping[str, tuple[str, ...]] | None = None) -> dict[str, Any]:
    """Only bound parameters, in the model's order; constants and ``always`` fields added;
    ``-AdditionalProperties`` keys merged at the root as typed. ``models``: complex fields and
    their model's properties (dispatch.call._body_models)."""
    body: dict[str, Any] = {}
    for f in spec.fields:
        if f.parameter is None:
            body[f.wire] = f.constant
        elif f.parameter in params:
            body[f.wire] = _field_value(f, params[f.parameter], models)
        elif f.always:
            body[f.wire] = f.default
    extra = params.get(spec.additional_properties) if spec.additional_properties else None
    if isinstance(extra, Mapping | PSObject):
        body.update(_plain(extra))
    return body


def body_parameter_body(spec: BodySpec, value: Any, command: str, fqid_suffix: str,
                        models: Mapping[str, tuple[str, ...]] | None = None) -> dict[str, Any]:
    """``-BodyParameter``: a hashtable (keys matched case-insensitively to the model, unknown
    keys kept as typed, unconvertible values dropped) or JSON text (exact wire names)."""
    if isinstance(value, str):
        try:
            raw = json.loads(value, object_pairs_hook=dict)
        except ValueError as exc:
            raise ErrorRecord(
                message=f"Cannot convert the JSON string to {fqid_suffix and 'the body model'}: {exc}",
                error_id="", category="InvalidArgument", command=command,
                fqid_suffix=fqid_suffix, exception_type="System.ArgumentException") from None
        if not isinstance(raw, dict):
            raw = {}
        return _from_mapping(spec.fields, raw, exact=True)
    if isinstance(value, PSObject):
        value = PSHashtable(value.properties())
    if isinstance(value, Mapping):
        return _from_mapping(spec.fields, value, exact=False, models=models)
    return {}


def _from_mapping(fields: tuple[BodyField, ...], source: Mapping[Any, Any], exact: bool,
                  models: Mapping[str, tuple[str, ...]] | None = None) -> dict[str, Any]:
    table = source if exact or isinstance(source, PSHashtable) else PSHashtable(source)
    used: set[str] = set()
    body: dict[str, Any] = {}
    for f in fields:
        if f.parameter is None:
            continue
        key = f.wire if exact else f.parameter
        if key in table:
            used.add(str(key).casefold())
            try:
                converted = _convert(table[key], f.type)
            except _Drop:
                continue
            if converted is not None:
                body[f.wire] = _field_value(f, converted, models)
    for key, item in source.items():
        if str(key).casefold() not in used:
            body[str(key)] = _plain(item)
    return body


def serialize(dialect: str, body: dict[str, Any]) -> bytes:
    text = write_pnp_json(body) if dialect == "pnp" else write_mg_json(body)
    return text.encode("utf-8")
