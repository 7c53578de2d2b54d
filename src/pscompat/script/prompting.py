"""PowerShell's prompt for missing mandatory parameters, in scripts and the shell.

When a command is run without a mandatory parameter and the host can ask (stdin is a
terminal), PowerShell prompts instead of failing::

    cmdlet New-MgUserAuthenticationTemporaryAccessPassMethod at command pipeline position 1
    Supply values for the following parameters:
    UserId:

The bash entry points already do (binder/session.py); this gives the script runner and
``pscompat shell`` the same prompt for Mg/PnP cmdlets and for the script's own functions. A
host whose stdin is not a terminal, and a ``ForEach-Object -Parallel`` task or a job, never
prompts: they fail with MissingMandatoryParameter, as ``pwsh -NonInteractive`` does.
"""

from __future__ import annotations

from typing import Any

__all__ = ["mandatory_prompt", "prompt_missing"]


def mandatory_prompt(interp: Any) -> Any:
    """A binder Prompt for this interpreter's host, or None when it must not ask."""
    if getattr(interp, "task", None) is not None:   # a parallel task or a job runs unattended
        return None
    host = getattr(interp, "host", None)
    stdin = getattr(host, "stdin", None)
    try:
        tty = bool(stdin is not None and stdin.isatty())
    except (ValueError, OSError):
        tty = False
    if not tty:
        return None
    from pscompat.binder.session import terminal_prompt
    return terminal_prompt(stdin, getattr(host, "stderr", None))


def prompt_missing(interp: Any, command: str, names: list[str]) -> dict[str, str] | None:
    """Ask for each missing parameter of a script function; None when the host cannot ask or the
    user ends the input (the caller then raises MissingMandatoryParameter)."""
    prompt = mandatory_prompt(interp)
    if prompt is None:
        return None
    answers: dict[str, str] = {}
    caption = [f"cmdlet {command} at command pipeline position 1", "Supply values for the following parameters:"]
    for index, name in enumerate(names):
        answer = prompt(caption if index == 0 else [], f"{name}: ")
        if answer is None:
            return None
        answers[name] = answer
    return answers
