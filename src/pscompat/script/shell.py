"""``pscompat shell``: an interactive prompt with PowerShell's look (``PS <cwd>> ``).

History (readline, saved under the XDG state directory), tab completion of command names,
parameter names and variables, multi-line input (``>> `` while braces, parentheses or a string
are still open) and the same output and error view as ``pscompat run``.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from typing import Any

from pscompat.errors import ErrorRecord
from pscompat.lang.parser import ParseError, parse_script
from pscompat.script.evaluator import BreakFlow, ContinueFlow, ExitFlow, Interpreter
from pscompat.script.formatting import OutDefault, StreamingOutput
from pscompat.script.scripthost import ScriptHost

__all__ = ["run_shell", "is_incomplete", "Completer"]

_INCOMPLETE_IDS = {"MissingEndCurlyBrace", "MissingEndParenthesisInExpression", "TerminatorExpectedAtEndOfString",
                   "MissingEndParenthesisInSubexpression", "MissingStatementBlock", "UnexpectedEndOfInput",
                   "ExpectedExpression", "MissingEndParenthesisAfterStatement", "MissingEndParenthesisInMethodCall",
                   "MissingEndParenthesisInFunctionParameterList", "MissingEndMultiLineComment",
                   "MissingStatementInHashLiteral", "MissingCatchOrFinally", "MissingWhileOrUntilInDoWhile",
                   "MissingFunctionBody", "ParameterRequiresArgument", "MissingFileSpecification"}


def is_incomplete(text: str) -> bool:
    """True when ``text`` only fails to parse because it stops too early (more lines may follow)."""
    if text.rstrip().endswith(("`", "|")):
        return True
    try:
        parse_script(text)
    except ParseError as exc:
        if exc.error_id not in _INCOMPLETE_IDS:
            return False
        if exc.error_id in ("MissingEndCurlyBrace", "TerminatorExpectedAtEndOfString",
                            "MissingEndParenthesisInExpression", "MissingEndParenthesisInSubexpression",
                            "MissingEndMultiLineComment", "MissingCatchOrFinally"):
            return True
        # the error must sit at the very end of the input
        lines = text.rstrip().split("\n")
        return exc.line >= len(lines)
    return False


class Completer:
    """readline completer: commands at a command position, ``-Param`` names, ``$variables``."""

    def __init__(self, interp: Interpreter) -> None:
        self.interp = interp
        self.matches: list[str] = []

    def command_names(self) -> list[str]:
        names = {b.name for b in self.interp.builtins.values()}
        scope: Any = self.interp.global_scope
        names.update(fn.name for fn in scope.functions.values())
        try:
            from pscompat.model import cmdlet_names
            names.update(cmdlet_names())
        except Exception:  # noqa: BLE001 - completion must never break the prompt
            pass
        return sorted(names, key=str.lower)

    def parameter_names(self, command: str) -> list[str]:
        entry = self.interp.builtins.get(command.lower())
        if entry is not None:
            names = [p.name for p in entry.params]
        else:
            fn = self.interp.global_scope.find_function(command.lower())
            if fn is not None:
                specs, _ = self.interp.param_specs(fn.body.param_block)
                names = [s.name for s in specs]
            else:
                names = []
                try:
                    from pscompat.model import find_cmdlet
                    cmdlet = find_cmdlet(command)
                    if cmdlet is not None:
                        names = [p.name for p in cmdlet.paramsets.parameters]
                        if cmdlet.supports_should_process:
                            names += ["WhatIf", "Confirm"]
                except Exception:  # noqa: BLE001
                    names = []
        from pscompat.script.binding import COMMON
        return names + [c for c, _, _ in COMMON]

    def candidates(self, line: str, word: str) -> list[str]:
        if word.startswith("$"):
            prefix = word[1:].lower()
            names: set[str] = set()
            scope: Any = self.interp.global_scope
            names.update(self.interp.var_names.get(k, k) for k in scope.vars)
            names.update(("true", "false", "null"))
            return sorted("$" + n for n in names if n.lower().startswith(prefix))
        segment = re.split(r"[|;{(=]", line)[-1].lstrip()
        if word.startswith("-"):
            command = segment.split()[0] if segment.split() else ""
            return ["-" + n for n in self.parameter_names(command) if n.lower().startswith(word[1:].lower())]
        if segment == word or not segment.strip():
            commands = [n for n in self.command_names() if n.lower().startswith(word.lower())]
            if commands or not word.startswith((".", "/", "~")):
                return commands
        return self.paths(word)

    @staticmethod
    def paths(word: str) -> list[str]:
        """File and directory names, as PowerShell completes an argument (directories end with '/')."""
        import glob
        expanded = os.path.expanduser(word)
        found = sorted(glob.glob(glob.escape(expanded) + "*"))[:200]
        out = []
        for path in found:
            shown = word + path[len(expanded):] if path.startswith(expanded) else path
            out.append(shown + ("/" if os.path.isdir(path) else ""))
        return out

    def complete(self, text: str, state: int) -> str | None:
        if state == 0:
            import readline
            line = readline.get_line_buffer()[:readline.get_endidx()]
            try:
                self.matches = self.candidates(line, text)
            except Exception:  # noqa: BLE001
                self.matches = []
        return self.matches[state] if state < len(self.matches) else None


def _history_path() -> str:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return os.path.join(base, "pscompat", "shell_history")


def _setup_readline(interp: Interpreter) -> Any:
    try:
        import readline
    except ImportError:  # pragma: no cover - Windows without pyreadline
        return None
    completer = Completer(interp)
    readline.set_completer(completer.complete)
    readline.set_completer_delims(" \t\n;|(){}=,")
    if "libedit" in (readline.__doc__ or ""):
        readline.parse_and_bind("bind ^I rl_complete")
    else:
        readline.parse_and_bind("tab: complete")
    path = _history_path()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if os.path.exists(path):
            readline.read_history_file(path)
    except OSError:
        pass
    readline.set_history_length(1000)
    return readline


def run_shell(host: ScriptHost | None = None) -> int:
    host = host or ScriptHost(interactive=True)
    interp = Interpreter(host)
    readline = _setup_readline(interp)
    code = 0
    try:
        while True:
            try:
                text = input(f"PS {os.getcwd()}> ")
            except EOFError:
                host.write_output_text("\n")
                break
            except KeyboardInterrupt:
                host.write_output_text("\n")
                continue
            while is_incomplete(text):
                try:
                    more = input(">> ")
                except EOFError:
                    break
                except KeyboardInterrupt:
                    text = ""
                    host.write_output_text("\n")
                    break
                if more == "":
                    break
                text += "\n" + more
            if not text.strip():
                continue
            try:
                block = parse_script(text)
            except ParseError as exc:
                host.write_error_text(exc.render() + "\n")
                continue
            printer = OutDefault(host.write_output_text)
            try:
                interp.run_script_block(block, [], name="<shell>", stream=StreamingOutput(printer))
                printer.close()
            except ExitFlow as flow:
                printer.push(flow.output)
                printer.close()
                code = flow.code
                break
            except ErrorRecord as record:
                printer.close()
                interp.report_error(record)   # $Error once, then the error view
            except (BreakFlow, ContinueFlow):
                pass
            except KeyboardInterrupt:
                host.write_output_text("\n")
    finally:
        if readline is not None:
            from .history import save_history
            with contextlib.suppress(OSError):
                save_history(readline, _history_path())
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run_shell())
