"""A cmdlet called from bash: argv -> bound invocation -> (help | What if | dispatch) -> exit code.

Kept small on purpose: each step lives in its own package (binder, docs.help, render, dispatch).
The -WhatIf path imports only the model and the binder, never msgraph/httpx/click.
"""

from __future__ import annotations

import sys
from typing import TextIO

from pscompat.errors import ErrorRecord

__all__ = ["run_cmdlet_argv"]


def _not_recognized(name: str) -> ErrorRecord:
    return ErrorRecord(
        message=(f"The term '{name}' is not recognized as a name of a cmdlet, function, script file, or "
                 "executable program.\nCheck the spelling of the name, or if a path was included, verify "
                 "that the path is correct and try again."),
        error_id="CommandNotFoundException", category="ObjectNotFound", command=name,
        exception_type="System.Management.Automation.CommandNotFoundException")


def _write_error(record: ErrorRecord, err: TextIO, view: str = "concise") -> int:
    from pscompat.render.errors import format_error
    err.write(format_error(record, view=view).rstrip("\n") + "\n")
    err.flush()
    return 1


def _help(name: str, out: TextIO) -> int:
    from pscompat.docs.help import render_help
    out.write(render_help(name))
    return 0


def run_cmdlet_argv(name: str, argv: list[str], *, stdout: TextIO | None = None,
                    stderr: TextIO | None = None, stdin: TextIO | None = None) -> int:
    """Run cmdlet ``name`` with bash ``argv``; 0 on success, 1 after an error record on stderr."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    if "--help" in argv:  # what a bash user types first; PowerShell's own spelling is -?
        argv = ["-?" if arg == "--help" else arg for arg in argv]
    from pscompat.host import split_options
    try:
        options, argv = split_options(argv)  # pscompat's own --format/--culture/--strict/--error-view
    except ValueError as exc:
        err.write(f"pscompat: {exc}\n")
        return 2
    try:
        from pscompat.model import find_cmdlet
        cmdlet = find_cmdlet(name)
        if cmdlet is None:
            return _write_error(_not_recognized(name), err)
        if "-?" in argv:
            return _help(name, out)
        from pscompat.binder.session import bind_argv, stdin_is_terminal, terminal_prompt
        interactive = stdin_is_terminal() if stdin is None else stdin.isatty()
        prompt = terminal_prompt(stdin, err) if interactive else None
        invocation = bind_argv(cmdlet, argv, interactive=interactive, prompt=prompt, invocation_name=name,
                               strict=options.strict, culture=options.culture)
        if invocation.what_if and cmdlet.acts_on_should_process:
            from pscompat.binder.shouldprocess import whatif_line
            out.write(whatif_line(cmdlet, invocation.parameter_set) + "\n")
            return 0
        if invocation.confirm and cmdlet.acts_on_should_process and not _confirmed(invocation, stdin, err):
            return 0
        return _dispatch(invocation, out, err, options)
    except ErrorRecord as record:
        return _write_error(record, err, options.error_view)


def _confirmed(invocation: object, stdin: TextIO | None, err: TextIO) -> bool:
    """-Confirm: ask on the terminal; piped stdin answers like a redirected console; EOF fails."""
    from pscompat.binder.shouldprocess import confirm
    source = stdin or sys.stdin

    def ask(text: str) -> str | None:
        err.write(text)
        err.flush()
        line = source.readline() if source is not None else ""
        if not line:
            err.write("\n")
            return None
        piped[0] = not _is_tty(source)
        return line.rstrip("\r\n")

    def write(text: str) -> None:
        err.write(text)

    piped = [False]
    cmdlet = invocation.cmdlet  # type: ignore[attr-defined]
    yes = bool(confirm(cmdlet, invocation.parameter_set, ask, write))  # type: ignore[attr-defined]
    if yes and piped[0]:
        err.write("\n")  # a piped answer is not echoed: end the prompt line before anything else is written
    return yes


def _dispatch(invocation: object, out: TextIO, err: TextIO, options: object) -> int:
    """Dispatch, check and render (pscompat.dispatch.run); connections come from pscompat.connect."""
    from pscompat.dispatch.run import dispatch_invocation
    return dispatch_invocation(invocation, out, err, options)


def _is_tty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except (OSError, ValueError):
        return False
