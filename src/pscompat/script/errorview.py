"""The script runner's half of the error view: what only the runner knows about a record.

``pscompat.render.errors`` owns the text (NormalView, the position lines, CategoryInfo); this
module hands it the script position the evaluator recorded (``record.details["position"]``:
file, line, column, source line, underline length) and the command CategoryInfo names.
"""

from __future__ import annotations

from typing import Any

from pscompat.errors import ErrorRecord
from pscompat.render.errors import ScriptPosition, script_error_text

__all__ = ["render_error", "script_activity", "script_position"]


def script_position(record: ErrorRecord) -> ScriptPosition | None:
    """The position the evaluator attached to ``record``, if any."""
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


def render_error(record: ErrorRecord) -> str:
    """``record`` as a script shows it: NormalView with its position, then a blank line."""
    return script_error_text(record, script_position(record), script_activity(record))
