"""-WhatIf and -Confirm: ShouldProcess's text and the console host's confirmation question.

The text itself comes from ``pscompat.render.whatif`` (set name and path template from
cmdlets/*.yaml); a local fallback keeps -WhatIf working if that module is unavailable.
"""

from __future__ import annotations

from collections.abc import Callable

from pscompat.errors import ErrorRecord
from pscompat.model import CmdletDef

__all__ = ["should_process_text", "whatif_line", "confirm", "CONFIRM_CHOICES"]

CONFIRM_CHOICES = "[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  [?] Help (default is \"Y\"): "
_HELP = (
    "Y - Continue with only the next step of the operation.",
    "A - Continue with all the steps of the operation.",
    "N - Skip this operation and proceed with the next operation.",
    "L - Skip this operation and all subsequent operations.",
    "S - Pause the current pipeline and return to the command prompt. Type \"exit\" to resume the pipeline.",
)


def should_process_text(cmdlet: CmdletDef, parameter_set: str) -> str:
    """``Performing the operation "<action>" on target "<target>".``"""
    try:
        from pscompat.render.whatif import should_process_text as render_text
        text = render_text(cmdlet, parameter_set)
        if text:
            return text
    except ImportError:
        pass
    # Fallback: the same rule from the raw operations table.
    op = cmdlet.operations.get(parameter_set) or next(iter(cmdlet.operations.values()), {})
    action = op.get("internal_cmdlet") or cmdlet.name
    target = f"Call remote '{op.get('method', 'POST')} {op.get('path', '')}' operation"
    return f'Performing the operation "{action}" on target "{target}".'


def whatif_line(cmdlet: CmdletDef, parameter_set: str) -> str:
    return "What if: " + should_process_text(cmdlet, parameter_set)


def confirm(cmdlet: CmdletDef, parameter_set: str, ask: Callable[[str], str | None],
            write: Callable[[str], None]) -> bool:
    """Ask PowerShell's confirmation question; True = go ahead.

    ``ask(prompt)`` returns the answer line or None at end of input; ``write`` prints text.
    End of input is PowerShell's non-interactive failure (an ErrorRecord).
    """
    write("\nConfirm\nAre you sure you want to perform this action?\n"
          + should_process_text(cmdlet, parameter_set) + "\n")
    while True:
        answer = ask(CONFIRM_CHOICES)
        if answer is None:
            raise ErrorRecord(
                message="PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.",
                error_id="System.Management.Automation.PSInvalidOperationException", category="InvalidOperation",
                command=cmdlet.name, fqid_suffix=cmdlet.type_name,
                exception_type="System.Management.Automation.PSInvalidOperationException")
        choice = answer.strip().upper()
        if choice in ("", "Y", "A"):
            return True
        if choice in ("N", "L"):
            return False
        if choice == "?":
            write("\n".join(_HELP) + "\n")
        # S (Suspend) needs a nested prompt pscompat does not have; PowerShell re-asks on bad input.
