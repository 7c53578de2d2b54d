"""CSV and JSON: Import/Export/ConvertTo/ConvertFrom-Csv, ConvertTo/ConvertFrom-Json."""

from __future__ import annotations

import csv
import datetime as _dt
import json
import os
import re
from decimal import Decimal
from typing import Any

from pscompat.errors import ErrorRecord
from pscompat.lang.dotnet import format_datetime, ps_string
from pscompat.script.binding import ParamSpec as P
from pscompat.script.builtins.files import path_not_found
from pscompat.script.builtins.registry import Call, builtin
from pscompat.script.scriptblock import ScriptBlockValue
from pscompat.values import DotNetObject, PSHashtable, PSObject, SecureString, TimeSpan, dotnet_kind

_U = "Microsoft.PowerShell.Commands"


def _columns(item: Any) -> list[str]:
    if isinstance(item, PSObject):
        return item.property_names()
    if isinstance(item, PSHashtable):
        return [ps_string(k) for k in item]
    return ["Length"] if isinstance(item, str) else []


def _csv_value(item: Any, column: str) -> str:
    if isinstance(item, (PSObject, PSHashtable)):
        value = item.get(column)
    else:
        from pscompat.script.members import get_property
        value = get_property(item, column)[1]
    if value is None:
        return ""
    if isinstance(value, _dt.datetime):
        return format_datetime(value, "M/d/yyyy h:mm:ss tt")
    if isinstance(value, list):
        return "System.Object[]"
    return ps_string(value)


def _to_csv_lines(items: list[Any], delimiter: str, columns: list[str] | None, header: bool) -> list[str]:
    if not items:
        return []
    cols = columns if columns is not None else _columns(items[0])
    lines = []

    def quote(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'
    if header:
        lines.append(delimiter.join(quote(c) for c in cols))
    for item in items:
        lines.append(delimiter.join(quote(_csv_value(item, c)) for c in cols))
    return lines


@builtin("Export-Csv", f"{_U}.ExportCsvCommand",
         [P("Path", "string", position=0, aliases=("FilePath",)), P("LiteralPath", "string"),
          P("InputObject", "object", mandatory=True, pipeline=True), P("NoTypeInformation", "switch", aliases=("NTI",)),
          P("IncludeTypeInformation", "switch", aliases=("ITI",)), P("Append", "switch"), P("Force", "switch"),
          P("NoClobber", "switch"), P("Delimiter", "string"), P("Encoding", "string"), P("UseQuotes", "string"),
          P("UseCulture", "switch"), P("QuoteFields", "string[]")], aliases=("epcsv",))
def export_csv(call: Call) -> list[Any]:
    target = call.get("Path") or call.get("LiteralPath")
    if target is None:
        raise call.error("Cannot perform operation because the path resolved to more than one file. This command "
                         "cannot operate on multiple files.", "CannotSpecifyPathAndLiteralPath", "InvalidData")
    path = call.path(target)
    items = [x for x in call.items() if x is not None]
    delimiter = ps_string(call.get("Delimiter") or ",")
    append = call.switch("Append") and os.path.exists(path) and os.path.getsize(path) > 0
    if not append and call.switch("NoClobber") and os.path.exists(path):
        raise call.error(f"The file '{path}' already exists.", "NoClobber", "ResourceExists", path,
                         "System.IO.IOException")
    columns = None
    if append:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            first = handle.readline()
        columns = next(csv.reader([first], delimiter=delimiter), None)
    lines: list[str] = []
    if call.switch("IncludeTypeInformation") and not append and items:
        first_item = items[0]
        lines.append("#TYPE " + (first_item.type_name if isinstance(first_item, PSObject) else
                                 "System.Collections.Hashtable"))
    lines.extend(_to_csv_lines(items, delimiter, columns, header=not append))
    with open(path, "a" if append else "w", encoding="utf-8", newline="") as handle:
        for line in lines:
            handle.write(line + "\n")
    return []


@builtin("ConvertTo-Csv", f"{_U}.ConvertToCsvCommand",
         [P("InputObject", "object", mandatory=True, position=0, pipeline=True), P("NoTypeInformation", "switch"),
          P("Delimiter", "string"), P("IncludeTypeInformation", "switch"), P("NoHeader", "switch")])
def convertto_csv(call: Call) -> list[Any]:
    items = [x for x in call.items() if x is not None]
    return _to_csv_lines(items, ps_string(call.get("Delimiter") or ","), None, header=not call.switch("NoHeader"))


def _rows_to_objects(rows: list[list[str]], header: list[str] | None) -> list[Any]:
    if not rows and header is None:
        return []
    if header is None:
        header, rows = rows[0], rows[1:]
    if header and header[0].startswith("#TYPE"):
        header, rows = (rows[0], rows[1:]) if rows else ([], [])
    names: list[str] = []
    for i, h in enumerate(header):
        names.append(h if h else f"H{i + 1}")
    out = []
    for row in rows:
        if not row:
            continue
        obj = PSObject(type_names=["System.Management.Automation.PSCustomObject"])
        for i, name in enumerate(names):
            obj.set(name, row[i] if i < len(row) else None)
        out.append(obj)
    return out


@builtin("Import-Csv", f"{_U}.ImportCsvCommand",
         [P("Path", "string[]", position=0, pipeline=True), P("LiteralPath", "string[]"), P("Delimiter", "string",
                                                                                            position=1),
          P("Header", "string[]"), P("Encoding", "string"), P("UseCulture", "switch")], aliases=("ipcsv",))
def import_csv(call: Call) -> list[Any]:
    out: list[Any] = []
    paths = call.get("Path") or call.get("LiteralPath") or (call.input or [])
    delimiter = ps_string(call.get("Delimiter") or ",")
    for p in paths if isinstance(paths, list) else [paths]:
        path = call.path(p)
        if not os.path.isfile(path):
            call.write_error(path_not_found(call, os.path.abspath(path)))
            continue
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle, delimiter=delimiter))
        header = [ps_string(h) for h in call.get("Header")] if call.has("Header") else None
        out.extend(_rows_to_objects(rows, header))
    return out


@builtin("ConvertFrom-Csv", f"{_U}.ConvertFromCsvCommand",
         [P("InputObject", "string[]", mandatory=True, position=0, pipeline=True), P("Delimiter", "string"),
          P("Header", "string[]")])
def convertfrom_csv(call: Call) -> list[Any]:
    lines: list[str] = []
    for item in call.items():
        lines.extend(ps_string(item).splitlines())
    rows = list(csv.reader(lines, delimiter=ps_string(call.get("Delimiter") or ",")))
    header = [ps_string(h) for h in call.get("Header")] if call.has("Header") else None
    return _rows_to_objects(rows, header)


def json_datetime(value: _dt.datetime) -> str:
    """Newtonsoft's round-trip ISO text, as ConvertTo-Json writes a DateTime."""
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    frac = f"{value.microsecond:06d}0".rstrip("0")
    if frac:
        text += "." + frac
    kind = dotnet_kind(value)
    if kind == "Utc":
        return text + "Z"
    if kind == "Local":
        return text + format_datetime(value, "zzz")
    return text


class _Truncated(Exception):
    pass


def to_json_value(value: Any, depth: int, level: int, truncated: list[bool]) -> Any:
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    if isinstance(value, _dt.datetime):
        return json_datetime(value)
    if isinstance(value, (ScriptBlockValue, SecureString)):
        return ps_string(value)
    if isinstance(value, TimeSpan):
        value = PSObject([(n, value.member(n)[1]) for n in ("Ticks", "Days", "Hours", "Milliseconds", "Minutes",
                                                             "Seconds", "TotalDays", "TotalHours",
                                                             "TotalMilliseconds", "TotalMinutes", "TotalSeconds")])
    if isinstance(value, DotNetObject) and value.json_properties:
        value = PSObject([(n, value.ps_property(n)[1]) for n in value.json_properties])
    if isinstance(value, ErrorRecord):
        value = PSObject({"Exception": {"Message": value.message}, "FullyQualifiedErrorId": value.fqid,
                          "CategoryInfo": value.category, "TargetObject": value.target})
    if level > depth:
        truncated[0] = True
        return ps_string(value)
    if isinstance(value, list):
        return [to_json_value(v, depth, level + 1, truncated) for v in value]
    if isinstance(value, PSHashtable):
        return {ps_string(k): to_json_value(v, depth, level + 1, truncated) for k, v in value.items()}
    if isinstance(value, dict):
        return {ps_string(k): to_json_value(v, depth, level + 1, truncated) for k, v in value.items()}
    if isinstance(value, PSObject):
        return {k: to_json_value(v, depth, level + 1, truncated) for k, v in value.properties()}
    return ps_string(value)


def _dump_json(value: Any, compress: bool) -> str:
    if compress:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return _pretty(value, 0)


def _scalar_json(value: Any) -> str:
    if isinstance(value, float):
        if value == int(value) and abs(value) < 1e16:
            return f"{value:.1f}"
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False)


def _pretty(value: Any, indent: int) -> str:
    pad = "  " * (indent + 1)
    end = "  " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f'{pad}{json.dumps(k, ensure_ascii=False)}: {_pretty(v, indent + 1)}' for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + end + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        items = [pad + _pretty(v, indent + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + end + "]"
    return _scalar_json(value)


@builtin("ConvertTo-Json", f"{_U}.ConvertToJsonCommand",
         [P("InputObject", "object", position=0, pipeline=True), P("Depth", "int"), P("Compress", "switch"),
          P("AsArray", "switch"), P("EnumsAsStrings", "switch"), P("EscapeHandling", "string")])
def convertto_json(call: Call) -> list[Any]:
    depth = call.get("Depth") if call.has("Depth") else 2
    if depth > 100:
        raise call.error(f"Cannot validate argument on parameter 'Depth'. The {depth} argument is greater than the "
                         "maximum allowed range of 100. Supply an argument that is less than or equal to 100 and then "
                         "try the command again.", "ParameterArgumentValidationError", "InvalidData")
    if call.input is not None:
        items = call.input
        value: Any = items[0] if len(items) == 1 and not call.switch("AsArray") else list(items)
    else:
        value = call.get("InputObject")
        if call.switch("AsArray") and not isinstance(value, list):
            value = [value]
    truncated = [False]
    converted = to_json_value(value, depth, 0, truncated)
    if truncated[0]:
        call.ctx.write_warning(f"Resulting JSON is truncated as serialization has exceeded the set depth of {depth}.")
    return [_dump_json(converted, call.switch("Compress"))]


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$")


def from_json_value(value: Any, as_hashtable: bool) -> Any:
    if isinstance(value, dict):
        pairs = [(k, from_json_value(v, as_hashtable)) for k, v in value.items()]
        if as_hashtable:
            return PSHashtable(pairs, ordered=True)
        return PSObject(pairs)
    if isinstance(value, list):
        return [from_json_value(v, as_hashtable) for v in value]
    if isinstance(value, str) and _ISO_DATE.match(value):
        text = value
        utc = text.endswith("Z")
        text = re.sub(r"(\.\d{6})\d+", r"\1", text.replace("Z", "+00:00"))
        try:
            parsed = _dt.datetime.fromisoformat(text)
        except ValueError:
            return value
        if utc:
            return parsed.astimezone(_dt.UTC)
        return parsed.astimezone() if parsed.tzinfo else parsed
    return value


@builtin("ConvertFrom-Json", f"{_U}.ConvertFromJsonCommand",
         [P("InputObject", "string", mandatory=True, position=0, pipeline=True), P("AsHashtable", "switch"),
          P("Depth", "int"), P("NoEnumerate", "switch"), P("DateKind", "string")])
def convertfrom_json(call: Call) -> list[Any]:
    text = "\n".join(ps_string(x) for x in call.items())
    try:
        data = json.loads(text, parse_float=float)
    except json.JSONDecodeError as exc:
        raise call.error(f"Conversion from JSON failed with error: {exc.msg}. Path '', line {exc.lineno}, position "
                         f"{exc.colno}.", "System.ArgumentException", "NotSpecified", text,
                         "System.ArgumentException") from None
    value = from_json_value(data, call.switch("AsHashtable"))
    if isinstance(value, list) and not call.switch("NoEnumerate"):
        return value
    return [value]
