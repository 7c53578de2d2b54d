"""Binding one call from bash: argv -> BoundInvocation, with the terminal as the host.

The prompt for missing mandatory parameters is PowerShell's console host text; it is asked
only when stdin is a terminal (PowerShell's non-interactive hosts fail with
MissingMandatoryParameter instead).
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

from pscompat.model import CmdletDef

from .arguments import argv_to_arguments
from .core import BoundInvocation, CommandBinder, Prompt

__all__ = ["bind_argv", "strict_mode", "terminal_prompt", "stdin_is_terminal"]


def strict_mode() -> bool:
    """PSCOMPAT_STRICT=1: exact parity, no pscompat conveniences (compat aliases, true/false words)."""
    return os.environ.get("PSCOMPAT_STRICT", "").strip().lower() not in ("", "0", "false", "no", "off")


def stdin_is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):
        return False


def terminal_prompt(stream_in: TextIO | None = None, stream_out: TextIO | None = None) -> Prompt:
    """A Prompt reading answers from ``stream_in`` and writing the captions to ``stream_out``."""

    def prompt(caption: list[str], label: str) -> str | None:
        out = stream_out or sys.stderr
        for line in caption:
            out.write(line + "\n")
        out.write(label)
        out.flush()
        try:
            line = (stream_in or sys.stdin).readline()
        except KeyboardInterrupt:  # Ctrl+C at the prompt: no value, no traceback
            line = ""
        if not line:
            out.write("\n")
            return None
        return line.rstrip("\r\n")

    return prompt


def bind_argv(cmdlet: CmdletDef, argv: list[str], host: object | None = None, *,
              strict: bool | None = None, interactive: bool | None = None,
              prompt: Prompt | None = None, invocation_name: str | None = None,
              culture: str | None = None) -> BoundInvocation:
    """Bind bash argv to ``cmdlet``; raises the ErrorRecord PowerShell would report."""
    if interactive is None:
        interactive = stdin_is_terminal()
    binder = CommandBinder(cmdlet, interactive=interactive,
                           prompt=prompt or (terminal_prompt() if interactive else None),
                           strict=strict_mode() if strict is None else strict,
                           invocation_name=invocation_name, culture=culture)
    binder.bind_arguments(argv_to_arguments(argv))
    return binder.finish()
