"""PowerShell's default views (table, list) and ``--format json|csv`` for output objects.

Table (Format-Table with the module's view): columns in the view's order, each as wide as the
longer of its header and its widest value, one space between columns, every cell left-aligned
(the Mg view's sample shows ``60`` left-aligned under LifetimeInMinutes), the header underlined
with as many dashes as the header has characters, trailing spaces trimmed, a blank line before
and after. List (Format-List): ``Name : Value`` with names padded to the longest, one blank line
around each object. Objects without a view: a table up to four properties, a list beyond
(PowerShell's default formatting rule).
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from pscompat.values import PSHashtable, PSObject, TimeSpan

from .culture import format_datetime


def cell(value: Any, culture: str) -> str:
    """A value as a table/list cell shows it (``ToString()`` with PowerShell's collections)."""
    if value is None:
        return ""
    if value is True:
        return "True"
    if value is False:
        return "False"
    if isinstance(value, _dt.datetime):
        return format_datetime(value, culture)
    if isinstance(value, Mapping | PSHashtable):
        return "{" + ", ".join(f"[{k}, {cell(v, culture)}]" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "{" + ", ".join(cell(v, culture) for v in value) + "}"
    if isinstance(value, PSObject):
        return "@{" + "; ".join(f"{k}={cell(v, culture)}" for k, v in value.properties()) + "}"
    if isinstance(value, TimeSpan):
        return value.ps_string()
    return str(value)


def _props(obj: Any) -> list[tuple[str, Any]]:
    if isinstance(obj, PSObject):
        return obj.properties()
    if isinstance(obj, Mapping):
        return [(str(k), v) for k, v in obj.items()]
    return [("Value", obj)]


def format_table(objects: Sequence[Any], columns: Sequence[str], culture: str = "en-US") -> str:
    rows = [[cell(o.get(c) if isinstance(o, PSObject) else None, culture) for c in columns] for o in objects]
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(columns)]

    def line(cells: Sequence[str]) -> str:
        return " ".join(text.ljust(widths[i]) for i, text in enumerate(cells)).rstrip()

    out = [line(columns), line(["-" * len(c) for c in columns])] + [line(r) for r in rows]
    return "\n" + "\n".join(out) + "\n\n"


def format_list(objects: Sequence[Any], culture: str = "en-US", columns: Sequence[str] | None = None) -> str:
    blocks = []
    for obj in objects:
        props = _props(obj)
        if columns and isinstance(obj, PSObject):
            props = [(c, obj.get(c)) for c in columns]
        width = max((len(k) for k, _ in props), default=0)
        blocks.append("\n".join(f"{k.ljust(width)} : {cell(v, culture)}".rstrip() for k, v in props))
    return "\n" + "\n\n".join(blocks) + "\n\n" if blocks else ""


def _json_value(value: Any) -> Any:
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_dt.UTC)
            return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond:06d}0Z"
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond:06d}0"
    if isinstance(value, PSObject):
        return {k: _json_value(v) for k, v in value.properties()}
    if isinstance(value, Mapping | PSHashtable):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    return value


def format_json(objects: Sequence[Any]) -> str:
    """Like ``ConvertTo-Json -Depth 10``: one object alone, several as an array; dates ISO 8601."""
    data = _json_value(objects[0]) if len(objects) == 1 else [_json_value(o) for o in objects]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _csv_cell(value: Any, culture: str) -> str:
    if isinstance(value, PSHashtable):
        text = value.type_name
    elif isinstance(value, Mapping):
        text = "System.Collections.Hashtable"
    elif isinstance(value, list | tuple):
        text = "System.Object[]"
    else:
        text = cell(value, culture)
    return '"' + text.replace('"', '""') + '"'


def format_csv(objects: Sequence[Any], culture: str = "en-US") -> str:
    """Like PowerShell 7's ``ConvertTo-Csv`` (no #TYPE line, every field quoted)."""
    if not objects:
        return ""
    names = [k for k, _ in _props(objects[0])]
    lines = [",".join(f'"{n}"' for n in names)]
    for obj in objects:
        values = dict((k.casefold(), v) for k, v in _props(obj))
        lines.append(",".join(_csv_cell(values.get(n.casefold()), culture) for n in names))
    return "\n".join(lines) + "\n"


def format_output(objects: Sequence[Any], *, view: str | None = None, columns: Sequence[str] = (),
                  fmt: str | None = None, culture: str = "en-US") -> str:
    """Render a cmdlet's output: ``fmt`` (table|list|json|csv) or the cmdlet's default ``view``."""
    if not objects:
        return ""
    if fmt == "json":
        return format_json(objects)
    if fmt == "csv":
        return format_csv(objects, culture)
    if all(not isinstance(o, PSObject | Mapping) for o in objects):
        return "".join(cell(o, culture) + "\n" for o in objects)
    kind = fmt or view
    if kind is None:
        kind = "table" if len(_props(objects[0])) <= 4 else "list"
    if kind == "table":
        cols = list(columns) or [k for k, _ in _props(objects[0])]
        return format_table(objects, cols, culture)
    return format_list(objects, culture)
