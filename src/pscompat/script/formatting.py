"""PowerShell's default output formatting (Out-Default / Out-String / Format-Table / Format-List).

Rules: scalars print one per line; a hashtable prints as a Name/Value table; an object with at
most 4 properties prints as a table, more as a list; consecutive objects of the same shape
share one table.  Kept in one module so ``pscompat.render`` can reuse or replace it
(``set_view_hook`` lets it supply a cmdlet's own view for its output types).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from pscompat.errors import ErrorRecord
from pscompat.lang.dotnet import default_datetime_text, format_datetime, ps_string
from pscompat.script.scriptblock import ScriptBlockValue
from pscompat.values import (
    DotNetObject,
    FormattedText,
    PSDictionary,
    PSHashtable,
    PSObject,
    SecureString,
    TimeSpan,
)

__all__ = ["format_objects", "format_table", "format_list", "cell_text", "format_for_file", "set_view_hook",
           "object_properties"]

# A hook returning (view, columns) for an object, e.g. from the cmdlet model's output view.
_VIEW_HOOK: list[Callable[[Any], tuple[str, list[str]] | None] | None] = [None]


def set_view_hook(hook: Callable[[Any], tuple[str, list[str]] | None] | None) -> None:
    _VIEW_HOOK[0] = hook


# Table views of PowerShell's own types that built-ins write (from its format data), by type name.
BUILTIN_TABLE_VIEWS: dict[str, list[str]] = {
    "System.Management.Automation.PSModuleInfo": ["ModuleType", "Version", "PreRelease", "Name", "PSEdition",
                                                  "ExportedCommands"],
    "Microsoft.PowerShell.Commands.GroupInfo": ["Count", "Name", "Group"],
    **{f"System.Management.Automation.{kind}Info": ["CommandType", "Name", "Version", "Source"]
       for kind in ("Alias", "Function", "Cmdlet")},
    "Microsoft.PowerShell.Commands.GroupInfoNoElement": ["Count", "Name"],
    "Microsoft.PowerShell.Commands.TextMeasureInfo": ["Lines", "Words", "Characters", "Property"],
    # Job objects (script/jobs.py): pwsh's table view of System.Management.Automation.Job
    **{name: ["Id", "Name", "PSJobTypeName", "State", "HasMoreData", "Location", "Command"]
       for name in ("ThreadJob.ThreadJob", "System.Management.Automation.PSRemotingJob",
                    "System.Management.Automation.PSTasks.PSTaskJob",
                    "System.Management.Automation.PSTasks.PSTaskChildJob",
                    "System.Management.Automation.PSRemotingChildJob")},
}


def _builtin_view(value: PSObject) -> list[str] | None:
    return BUILTIN_TABLE_VIEWS.get(value.type_name)


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, Decimal, bool, _dt.datetime, TimeSpan,
                                               ScriptBlockValue, SecureString))


def scalar_text(value: Any) -> str:
    if isinstance(value, _dt.datetime):
        return default_datetime_text(value)
    if isinstance(value, TimeSpan):
        return _timespan_list(value)
    return ps_string(value)


def _timespan_list(value: TimeSpan) -> str:
    names = ["Days", "Hours", "Minutes", "Seconds", "Milliseconds", "Ticks", "TotalDays", "TotalHours",
             "TotalMinutes", "TotalSeconds", "TotalMilliseconds"]
    width = max(len(n) for n in names)
    lines = [f"{n.ljust(width)} : {cell_text(value.member(n)[1])}" for n in names]
    return "\n" + "\n".join(lines) + "\n"


def cell_text(value: Any) -> str:
    """A value inside a table cell or list entry."""
    if value is None:
        return ""
    if isinstance(value, _dt.datetime):
        return format_datetime(value, "M/d/yyyy h:mm:ss tt")
    if isinstance(value, list):
        inner = ", ".join(cell_text(v) for v in value[:4])
        return "{" + inner + (", …" if len(value) > 4 else "") + "}"
    if isinstance(value, PSDictionary):   # IDictionary<,> enumerates as [key, value] pairs
        return "{" + ", ".join(f"[{k}, {cell_text(v)}]" for k, v in value.items()) + "}"
    if isinstance(value, PSHashtable):
        return "{" + ", ".join(f"[{k}, {cell_text(v)}]" for k, v in list(value.items())[:4]) + "}" \
            if False else ps_string(value)
    if isinstance(value, ErrorRecord):
        return value.message
    return ps_string(value)


def object_properties(value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, PSObject):
        return value.properties()
    if isinstance(value, ErrorRecord):
        return [("Exception", value.message), ("FullyQualifiedErrorId", value.fqid)]
    return []


def table_cell_text(value: Any) -> str:
    """A table cell (PowerShell 7.3+, PR #17650): a double, float or decimal is shown with the
    culture's number format, "N" with its NumberDecimalDigits (en-US: ``1,234.50``, ``3.14``,
    ``2.00``); Format-List and string conversion keep every digit."""
    if isinstance(value, (float, Decimal)) and not isinstance(value, bool):
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            return cell_text(value)
        return f"{value:,.2f}"
    return cell_text(value)


def _is_numeric(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def format_table(objects: list[Any], properties: list[str] | None = None, auto_size: bool = True,
                 hide_headers: bool = False) -> str:
    if not objects:
        return ""
    if properties is None:
        properties = [name for name, _ in object_properties(objects[0])]
    rows = [[_get(obj, p) for p in properties] for obj in objects]
    texts = [[table_cell_text(v) for v in row] for row in rows]
    right = [any(_is_numeric(row[i]) for row in rows) and all(_is_numeric(row[i]) or row[i] is None for row in rows)
             for i in range(len(properties))]
    widths = [max([len(p)] + [len(t[i]) for t in texts]) for i, p in enumerate(properties)]
    lines: list[str] = []

    def render(cells: list[str]) -> str:
        parts = []
        for i, cell in enumerate(cells):
            last = i == len(cells) - 1
            if right[i]:
                parts.append(cell.rjust(widths[i]))
            else:
                parts.append(cell if last else cell.ljust(widths[i]))
        return " ".join(parts).rstrip()

    if not hide_headers:
        lines.append(render(properties))
        lines.append(render(["-" * len(p) for p in properties]))
    for t in texts:
        lines.append(render(t))
    return "\n" + "\n".join(lines) + "\n\n"


def format_list(objects: list[Any], properties: list[str] | None = None) -> str:
    blocks: list[str] = []
    for obj in objects:
        if _is_scalar(obj):
            blocks.append(scalar_text(obj))
            continue
        props = properties if properties is not None else [n for n, _ in object_properties(obj)]
        if isinstance(obj, PSHashtable) and properties is None:
            blocks.append("\n".join(f"{'Name'.ljust(5)} : {ps_string(k)}\n{'Value'.ljust(5)} : {cell_text(v)}\n"
                                    for k, v in obj.items()).rstrip("\n"))
            continue
        width = max((len(p) for p in props), default=0)
        lines = []
        for p in props:
            text = cell_text(_get(obj, p))
            pad = "\n" + " " * (width + 3)
            lines.append(f"{p.ljust(width)} : {text.replace(chr(10), pad)}")
        blocks.append("\n".join(lines))
    return "\n" + "\n\n".join(blocks) + "\n\n" if blocks else ""


def _get(obj: Any, name: str) -> Any:
    if isinstance(obj, PSObject):
        return obj.get(name)
    if isinstance(obj, PSHashtable):
        return obj.get(name)
    from pscompat.script.members import get_property
    _, value = get_property(obj, name)
    return value


def _hashtable_table(table: PSHashtable) -> str:
    if not len(table):
        return ""
    lines = [f"{'Name'.ljust(30)} Value", f"{'----'.ljust(30)} -----"]
    for k, v in table.items():
        lines.append(f"{ps_string(k).ljust(30)} {cell_text(v)}".rstrip())
    return "\n" + "\n".join(lines) + "\n\n"


def _shape(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, PSObject):
        return (value.type_name, *value.property_names())
    return None


def format_objects(values: list[Any]) -> str:
    """Out-Default: the text PowerShell's host prints for these output objects."""
    from pscompat.render.errors import render_script_error as render_error
    out: list[str] = []
    i = 0
    while i < len(values):
        value = values[i]
        if isinstance(value, ErrorRecord):
            out.append(render_error(value))
            i += 1
            continue
        if isinstance(value, FormattedText):
            out.append(str(value))
            i += 1
            continue
        if isinstance(value, PSHashtable):
            out.append(_hashtable_table(value))
            i += 1
            continue
        if isinstance(value, PSObject):
            shape = _shape(value)
            j = i
            while j < len(values) and _shape(values[j]) == shape:
                j += 1
            group = values[i:j]
            view = _VIEW_HOOK[0](value) if _VIEW_HOOK[0] else None
            if view is not None:
                kind, columns = view
                out.append(_cmdlet_view(group, kind, columns))
            elif _builtin_view(value) is not None:
                out.append(format_table(group, _builtin_view(value)))
            elif len(value.property_names()) <= 4:
                out.append(format_table(group))
            else:
                out.append(format_list(group))
            i = j
            continue
        if isinstance(value, list):
            out.append(format_objects(value))
            i += 1
            continue
        if value is None:
            i += 1
            continue
        if isinstance(value, DotNetObject) and value.table_view:
            j = i
            while j < len(values) and type(values[j]) is type(value):
                j += 1
            out.append(_fixed_table(values[i:j]))
            i = j
            continue
        out.append(scalar_text(value) + "\n")
        i += 1
    return "".join(out)


def _fixed_table(group: list[Any]) -> str:
    """A .NET type's own table view: its columns at their format-data widths, left-aligned."""
    view = group[0].table_view

    def line(cells: list[str]) -> str:
        return " ".join(text[:width].ljust(width) for text, (_, width) in zip(cells, view, strict=True)).rstrip()

    rows = [line([cell_text(item.ps_property(name)[1]) for name, _ in view]) for item in group]
    header = line([name for name, _ in view])
    dashes = line(["-" * len(name) for name, _ in view])
    return "\n" + "\n".join([header, dashes, *rows]) + "\n\n"


def _cmdlet_view(group: list[Any], kind: str, columns: list[str]) -> str:
    """A modelled cmdlet's own view, rendered by pscompat.render exactly as for a single cmdlet call."""
    try:
        from pscompat.render.views import format_output
    except ImportError:
        return format_table(group, columns) if kind == "table" else format_list(group, columns)
    text = format_output(group, view=kind, columns=columns)
    return text if text.startswith("\n") else "\n" + text


def format_for_file(values: list[Any]) -> str:
    """``> file`` / Out-File: the same text as the console."""
    return format_objects(values)


class OutDefault:
    """Out-Default as a stream: output is printed as statements produce it.

    A table keeps its header and column widths while objects of the same shape keep coming
    (across loop iterations and ``Write-Host`` lines in between, as in PowerShell); the blank
    line after a table is written when something else follows or at ``close()``.
    """

    def __init__(self, write: Callable[[str], None]) -> None:
        self.write = write
        self.table: tuple[Any, list[str], list[int], list[bool], Callable[[Any], str]] | None = None

    def close(self) -> None:
        if self.table is not None:
            self.write("\n")
            self.table = None

    def push(self, values: list[Any]) -> None:
        i = 0
        while i < len(values):
            value = values[i]
            if isinstance(value, PSHashtable):
                # a hashtable writes DictionaryEntry objects: consecutive ones share one Name/Value table
                if not len(value):
                    i += 1
                    continue
                if self.table is None or self.table[0] != ("hashtable",):
                    self.close()
                    self.table = (("hashtable",), ["Name", "Value"], [30, 5], [False, False], cell_text)
                    self.write(f"\n{'Name'.ljust(30)} Value\n{'----'.ljust(30)} -----\n")
                self.write("".join(f"{ps_string(k).ljust(30)} {cell_text(v)}".rstrip() + "\n"
                                   for k, v in value.items()))
                i += 1
                continue
            spec = self._table_spec(value)
            if spec is None:
                if value is None:
                    i += 1
                    continue
                self.close()
                j = i + 1
                while j < len(values) and self._table_spec(values[j]) is None and \
                        _shape(values[j]) is not None and _shape(values[j]) == _shape(value):
                    j += 1
                self.write(format_objects(values[i:j]))
                i = j
                continue
            key, columns, cell, right_align = spec
            j = i
            while j < len(values) and self._table_key(values[j]) == key:
                j += 1
            group = values[i:j]
            rows = [[cell(_get(obj, c)) for c in columns] for obj in group]
            if self.table is not None and self.table[0] == key:
                _, columns, widths, right, _ = self.table
            else:
                self.close()
                right = [right_align and any(_is_numeric(_get(o, c)) for o in group) and
                         all(_is_numeric(_get(o, c)) or _get(o, c) is None for o in group) for c in columns]
                widths = [max([len(c)] + [len(r[k]) for r in rows]) for k, c in enumerate(columns)]
                self.table = (key, columns, widths, right, cell)
                self.write("\n" + _row(columns, widths, right) + "\n" +
                           _row(["-" * len(c) for c in columns], widths, right) + "\n")
            self.write("".join(_row(r, widths, right) + "\n" for r in rows))
            i = j

    def _table_key(self, value: Any) -> Any:
        spec = self._table_spec(value)
        return spec[0] if spec else None

    def _table_spec(self, value: Any) -> tuple[Any, list[str], Callable[[Any], str], bool] | None:
        if not isinstance(value, PSObject):
            return None
        view = _VIEW_HOOK[0](value) if _VIEW_HOOK[0] else None
        if view is not None:
            kind, columns = view
            if kind != "table":
                return None
            try:
                from pscompat.render.views import cell as render_cell
            except ImportError:
                return (("view", _shape(value)), list(columns), table_cell_text, True)
            return (("view", _shape(value)), list(columns), lambda v: render_cell(v, "en-US"), False)
        builtin_view = _builtin_view(value)
        if builtin_view is not None:
            # one table for every type that shares the view (CmdletInfo, FunctionInfo, AliasInfo)
            return (("builtin", tuple(builtin_view)), builtin_view, table_cell_text, True)
        names = value.property_names()
        if len(names) > 4 or not names:
            return None
        return (("default", _shape(value)), names, table_cell_text, True)


def _row(cells: list[str], widths: list[int], right: list[bool]) -> str:
    parts = []
    for k, text in enumerate(cells):
        width = widths[k] if k < len(widths) else len(text)
        if right[k] if k < len(right) else False:
            parts.append(text.rjust(width))
        else:
            parts.append(text if k == len(cells) - 1 else text.ljust(width))
    return " ".join(parts).rstrip()


class StreamingOutput(list[Any]):
    """The output list of a top-level statement: what is added is printed at once."""

    streaming = True

    def __init__(self, printer: OutDefault) -> None:
        super().__init__()
        self.printer = printer

    def append(self, value: Any) -> None:
        self.printer.push([value])

    def extend(self, values: Any) -> None:
        items = list(values)
        if items:
            self.printer.push(items)
