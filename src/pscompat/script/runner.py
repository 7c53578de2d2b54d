"""Running a script end to end: parse everything first, bind ``param()``, run, show errors, exit code.

A script that does not parse never starts (no side effect); a statement-terminating error is
shown and the script goes on; an uncaught script-terminating error (``throw``, ``-ErrorAction
Stop``) is shown in PowerShell's error view and gives exit code 1; ``exit N`` gives N; a script
that runs to its end gives 0, as ``pwsh -File`` does.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from pscompat.errors import ErrorRecord
from pscompat.lang.literal import LiteralError, argument_value
from pscompat.lang.parser import ParseError, decode_script_bytes, parse_script
from pscompat.script.binding import NO_VALUE, CommandArgument
from pscompat.script.evaluator import BreakFlow, CommandInvoker, ContinueFlow, ExitFlow, Interpreter
from pscompat.script.formatting import OutDefault, StreamingOutput, format_objects
from pscompat.script.scripthost import ScriptHost

__all__ = ["run_script", "run_file", "argv_to_arguments"]

_PARAM_TOKEN = __import__("re").compile(r"^[-\u2013\u2014\u2015]([A-Za-z_?][^:\s]*)(:?)(.*)$", __import__("re").S)


def argv_to_arguments(argv: list[str]) -> list[CommandArgument]:
    """Script arguments from bash: ``-Name value``, ``-Name:value``, switches, positionals."""
    out: list[CommandArgument] = []
    for token in argv:
        m = _PARAM_TOKEN.match(token)
        if m:
            name, colon, rest = m.group(1), m.group(2), m.group(3)
            if colon:
                out.append(CommandArgument(name, _value(rest) if rest else None, True, f"-{name}:"))
            else:
                out.append(CommandArgument(name, NO_VALUE, False, f"-{name}"))
            continue
        out.append(CommandArgument(None, _value(token), False, token))
    return out


def _value(token: str) -> Any:
    try:
        return argument_value(token)
    except LiteralError:
        return token


def print_sink(interp: Interpreter) -> Any:
    def sink(values: list[Any]) -> None:
        if values:
            text = format_objects(values)
            if text:
                interp.host.write_output_text(text)
    return sink


def run_script(text: str, path: str | None = None, args: list[str] | None = None, *, host: ScriptHost | None = None,
               invoker: CommandInvoker | None = None, interp: Interpreter | None = None) -> int:
    """Parse and run ``text``; returns the process exit code."""
    host = host or (interp.host if interp else ScriptHost())
    if sys.getrecursionlimit() < 20000:
        sys.setrecursionlimit(20000)
    try:
        block = parse_script(text, path)
    except ParseError as exc:
        host.write_error_text(exc.render() + "\n")
        return 1
    interp = interp or Interpreter(host, invoker, path)
    if path and "-?" in (args or []):   # `pscompat run x.ps1 -?`: the script's help, not a run
        from pscompat.script.comment_help import help_for_script
        host.write_output_text(help_for_script(interp, path, block))
        return 0
    if block.using_modules:   # ``using module X``: imported before the first statement runs
        imported = interp.__dict__.setdefault("imported_modules", {})
        for name, _ in block.using_modules:
            imported[name.lower()] = name
    name = path or "<script>"
    printer = OutDefault(interp.host.write_output_text)
    try:
        interp.run_script_block(block, argv_to_arguments(list(args or [])), name=name,
                                stream=StreamingOutput(printer))
        printer.close()
    except ExitFlow as flow:
        printer.push(flow.output)
        printer.close()
        return flow.code
    except ErrorRecord as record:
        printer.close()
        interp.report_error(record)   # $Error once, then the error view
        return 1
    except (BreakFlow, ContinueFlow):
        printer.close()
        return 0
    except KeyboardInterrupt:
        printer.close()
        host.write_error_text("\n")
        return 130
    except RecursionError:
        host.write_error_text("The script failed due to call depth overflow.\n")
        return 1
    except Exception as exc:  # noqa: BLE001 - a pscompat bug: one line, never a traceback
        host.write_error_text(host.redact(f"pscompat: internal error ({type(exc).__name__}): {exc}") + "\n")
        return 1
    return 0


MAX_SCRIPT_BYTES = 64 * 1024 * 1024   # larger than any script; bounds a FIFO that never ends


class ScriptFileError(Exception):
    """A script path pwsh -File would refuse: message and pwsh's exit code (64)."""

    def __init__(self, message: str, code: int = 64) -> None:
        super().__init__(message)
        self.code = code


def read_script_bytes(path: str) -> bytes:
    """The bytes of a script file; directories, devices (``/dev/zero``) and sockets are refused
    as pwsh refuses them, a pipe (``<(...)``) is read up to MAX_SCRIPT_BYTES."""
    import stat as _stat
    not_a_script = (f"The argument '{path}' is not recognized as the name of a script file. Check the spelling of "
                    "the name, or if a path was included, verify that the path is correct and try again.")
    try:
        mode = os.stat(path).st_mode
        if not (_stat.S_ISREG(mode) or _stat.S_ISFIFO(mode)):
            raise ScriptFileError(not_a_script)
        with open(path, "rb") as handle:
            data = handle.read(MAX_SCRIPT_BYTES + 1)
    except OSError:
        raise ScriptFileError(not_a_script) from None
    if len(data) > MAX_SCRIPT_BYTES:
        raise ScriptFileError(f"The script file '{path}' is larger than {MAX_SCRIPT_BYTES // (1024 * 1024)} MB.", 1)
    return data


def run_file(path: str, args: list[str] | None = None, *, host: ScriptHost | None = None,
             invoker: CommandInvoker | None = None) -> int:
    host = host or ScriptHost()
    if path == "-":
        text = host.stdin.read()
        return run_script(text, None, args, host=host, invoker=invoker)
    try:
        text = decode_script_bytes(read_script_bytes(path))
    except ScriptFileError as exc:
        host.write_error_text(f"{exc}\n")
        return exc.code
    return run_script(text, path, args, host=host, invoker=invoker)
