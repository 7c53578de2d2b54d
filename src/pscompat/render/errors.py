"""The error view: how PowerShell 7 prints an ErrorRecord.

ConciseView (PowerShell 7's default, ours too): ``<command>: <message>``, then the record's
extra lines (Mg's ``Status:``/``ErrorCode:``/``Headers:`` block, after a blank line).
NormalView (``--error-view normal`` / ``PSCOMPAT_ERROR_VIEW=normal``, Windows PowerShell's
only view): ``<command> : <message>`` then the indented ``+ CategoryInfo`` and
``+ FullyQualifiedErrorId`` lines. Neither shows a script position for a command typed in
bash (there is no script text to point at).
"""

from __future__ import annotations

from typing import Any

from pscompat.errors import ErrorRecord


def _message(record: ErrorRecord) -> str:
    return record.message + ("\n" + record.extra_text if record.extra_text else "")


def _target(value: Any) -> tuple[str, str]:
    if value is None:
        return "", ""
    from pscompat.values import PSHashtable, PSObject
    if isinstance(value, PSHashtable):
        return "System.Collections.Hashtable", "Hashtable"
    if isinstance(value, PSObject):
        return value.type_name, value.type_name.rsplit(".", 1)[-1]
    text = str(value)
    return (text if len(text) <= 40 else text[:37] + "..."), type(value).__name__.replace("str", "String")


def category_info(record: ErrorRecord) -> str:
    """``InvalidArgument: (:) [New-X], ParameterBindingException``."""
    name, type_name = _target(record.target)
    reason = record.exception_type.rsplit(".", 1)[-1]
    activity = record.command or ""
    return f"{record.category}: ({name}:{type_name}) [{activity}], {reason}"


def format_error(record: ErrorRecord, view: str = "concise") -> str:
    if view == "normal":
        head = f"{record.command} : {_message(record)}" if record.command else _message(record)
        return (f"{head}\n    + CategoryInfo          : {category_info(record)}\n"
                f"    + FullyQualifiedErrorId : {record.fqid}")
    head = f"{record.command}: {_message(record)}" if record.command else _message(record)
    return head
