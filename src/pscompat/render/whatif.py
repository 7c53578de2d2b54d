"""ShouldProcess text: ``What if: ...`` under -WhatIf, ``VERBOSE: ...`` under -Verbose.

Mg's internal cmdlets call ``ShouldProcess(target, action)`` with the action = the internal
cmdlet's name and the target = ``Call remote '<METHOD> <path template>' operation`` (the
template, not the values), so the text changes with the parameter set.
"""

from __future__ import annotations

from pscompat.model import CmdletDef


def should_process_text(cmdlet: CmdletDef, parameter_set: str | None) -> str | None:
    """``Performing the operation "<action>" on target "<target>".``; None if the cmdlet has none."""
    if not cmdlet.supports_should_process:
        return None
    from pscompat.model.operations import operation_for
    op = operation_for(cmdlet, parameter_set)
    action = op.internal_cmdlet or cmdlet.name
    return f'Performing the operation "{action}" on target "{op.whatif_target}".'


def whatif_line(cmdlet: CmdletDef, parameter_set: str | None) -> str | None:
    text = should_process_text(cmdlet, parameter_set)
    return None if text is None else "What if: " + text


def verbose_text(cmdlet: CmdletDef, parameter_set: str | None) -> str | None:
    """The text after ``VERBOSE: `` that ShouldProcess writes when -Verbose is on."""
    return should_process_text(cmdlet, parameter_set)
