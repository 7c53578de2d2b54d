"""PowerShell's NormalView error text, with the script position::

    Get-Foo : The term 'Get-Foo' is not recognized ...
    At /path/x.ps1:3 char:1
    + Get-Foo -X 1
    + ~~~~~~~
        + CategoryInfo          : ObjectNotFound: (Get-Foo:String) [], CommandNotFoundException
        + FullyQualifiedErrorId : CommandNotFoundException
"""

from __future__ import annotations

from pscompat.errors import ErrorRecord
from pscompat.lang.dotnet import ps_string, type_name_of

__all__ = ["render_error", "category_info"]


def category_info(record: ErrorRecord) -> str:
    target = record.target
    target_name = ps_string(target) if target is not None else ""
    target_type = type_name_of(target).rsplit(".", 1)[-1] if target is not None else ""
    activity = record.command if record.exception_type.endswith("ParameterBindingException") or \
        record.details.get("show_activity") else ""
    if record.exception_type.endswith("WriteErrorException"):
        activity = "Write-Error"
    if record.target is None and activity == "Write-Error":
        target_name = target_type = ""
    reason = record.exception_type.rsplit(".", 1)[-1]
    return f"{record.category}: ({target_name}:{target_type}) [{activity}], {reason}"


def position_message(record: ErrorRecord) -> str:
    pos = record.details.get("position")
    if not pos:
        return ""
    where = f"At {pos['path']}:{pos['line']} char:{pos['column']}" if pos.get("path") else \
        f"At line:{pos['line']} char:{pos['column']}"
    line_text = pos.get("line_text", "")
    col = pos["column"]
    length = max(1, min(pos.get("length", 1), max(1, len(line_text) - col + 1)))
    return f"{where}\n+ {line_text}\n+ {' ' * (col - 1)}{'~' * length}\n"


def render_error(record: ErrorRecord) -> str:
    head = f"{record.command} : {record.message}" if record.command else record.message
    text = head + "\n"
    if record.extra_text:
        text += record.extra_text.rstrip("\n") + "\n"
    text += position_message(record)
    text += f"    + CategoryInfo          : {category_info(record)}\n"
    text += f"    + FullyQualifiedErrorId : {record.fqid}\n"
    return text + "\n"
