"""The error view: how PowerShell 7 prints an ErrorRecord. The one place that lays it out.

ConciseView (PowerShell 7's default, ours too): ``<command>: <message>``, then the record's
extra lines (Mg's ``Status:``/``ErrorCode:``/``Headers:`` block, after a blank line).
NormalView (``--error-view normal`` / ``PSCOMPAT_ERROR_VIEW=normal``, Windows PowerShell's
only view, and what the script runner always shows)::

    Get-Foo : The term 'Get-Foo' is not recognized ...
    At /path/x.ps1:3 char:1
    + Get-Foo -X 1
    + ~~~~~~~
        + CategoryInfo          : ObjectNotFound: (Get-Foo:String) [], CommandNotFoundException
        + FullyQualifiedErrorId : CommandNotFoundException

The ``At``/``+`` position lines need script text, so they come only from the caller that has
it: the script runner passes a :class:`ScriptPosition` (file, line, column, source line) and
the command it names as the CategoryInfo activity. A cmdlet typed in bash has neither; its
activity is the record's command (``script_position``/``script_activity`` read what the
evaluator recorded in ``record.details["position"]``). The script runner also ends each error with a blank line
(``script_error_text``); bash callers add their own newline.

Imports only ``pscompat.errors`` up front: the bash cold path pays for nothing else unless a
NormalView record has a target object.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pscompat.errors import ErrorRecord

__all__ = ["ScriptPosition", "category_info", "format_error", "position_lines", "render_script_error", "script_activity",
           "script_error_text", "script_position"]


@dataclass(frozen=True)
class ScriptPosition:
    """Where in a script an error happened, supplied by the script runner.

    ``path`` None is a script without a file (``-c``, the shell): ``At line:N char:M``.
    ``length`` is how many columns the ``~`` underline covers (cut at the end of the line).
    """

    line: int
    column: int
    line_text: str = ""
    path: str | None = None
    length: int = 1


def position_lines(position: ScriptPosition) -> str:
    """``At <file>:<line> char:<col>``, the source line and its ``~`` underline, each ending in a newline."""
    where = f"At {position.path}:{position.line} char:{position.column}" if position.path else \
        f"At line:{position.line} char:{position.column}"
    text, col = position.line_text, position.column
    length = max(1, min(position.length, max(1, len(text) - col + 1)))
    return f"{where}\n+ {text}\n+ {' ' * (col - 1)}{'~' * length}\n"


def _target(value: Any) -> tuple[str, str]:
    """CategoryInfo's ``(name:type)``: the target's string form and its .NET type's short name."""
    if value is None:
        return "", ""
    from pscompat.lang.dotnet import ps_string, type_name_of
    return ps_string(value), type_name_of(value).rsplit(".", 1)[-1]


def category_info(record: ErrorRecord, activity: str | None = None) -> str:
    """``InvalidArgument: (:) [New-X], ParameterBindingException``.

    ``activity`` is the command in brackets; None means the record's own command (a cmdlet run
    from bash). The script runner passes the command its invocation names (often none).
    """
    name, type_name = _target(record.target)
    if activity is None:
        activity = record.command or ""
    reason = record.exception_type.rsplit(".", 1)[-1]
    name, type_name, activity, reason = (_ellipsize(part) for part in (name, type_name, activity, reason))
    return f"{record.category}: ({name}:{type_name}) [{activity}], {reason}"


def _ellipsize(text: str) -> str:
    """ErrorCategoryInfo.Ellipsize: a part over 40 characters keeps its first and last 15."""
    return text if len(text) <= 40 else f"{text[:15]}\u2026{text[-15:]}"


def format_error(record: ErrorRecord, view: str = "concise", *, position: ScriptPosition | None = None,
                 activity: str | None = None) -> str:
    """The record in ConciseView or NormalView, without a trailing newline.

    ``position`` and ``activity`` are the script runner's (see the module docstring); they
    only show in NormalView.
    """
    if view != "normal":
        message = record.message + ("\n" + record.extra_text if record.extra_text else "")
        return f"{record.command}: {message}" if record.command else message
    head = f"{record.command} : {record.message}" if record.command else record.message
    lines = head + "\n"
    if record.extra_text:
        lines += record.extra_text.rstrip("\n") + "\n"
    if position is not None:
        lines += position_lines(position)
    return (f"{lines}    + CategoryInfo          : {category_info(record, activity)}\n"
            f"    + FullyQualifiedErrorId : {record.fqid}")


def script_error_text(record: ErrorRecord, position: ScriptPosition | None, activity: str) -> str:
    """An error as the script runner prints it: NormalView with the position, then a blank line."""
    return format_error(record, "normal", position=position, activity=activity) + "\n\n"


def script_position(record: ErrorRecord) -> ScriptPosition | None:
    """The position the script evaluator attached to ``record`` (``details["position"]``), if any."""
    pos: Any = record.details.get("position")
    if not pos:
        return None
    return ScriptPosition(line=pos["line"], column=pos["column"], line_text=pos.get("line_text", ""),
                          path=pos.get("path") or None, length=pos.get("length", 1))


def script_activity(record: ErrorRecord) -> str:
    """The command in CategoryInfo's brackets: the command that wrote the record (``[Get-Item]``,
    Mg's internal ``[New-Mg..._CreateExpanded]``); runtime errors (``throw``, ``1/0``) have none."""
    if record.exception_type.endswith("WriteErrorException"):
        return "Write-Error"
    return record.command


def render_script_error(record: ErrorRecord) -> str:
    """``record`` as a script shows it: NormalView with its recorded position, then a blank line."""
    return script_error_text(record, script_position(record), script_activity(record))
