"""Click commands ``pscompat run`` and ``pscompat shell``, and ``pscompat -c`` (``run_command_line``)."""

from __future__ import annotations

import sys

import click

__all__ = ["run", "shell", "run_command_line"]


@click.command(name="run", context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False,
                                             "help_option_names": ["-h", "--help"]})
@click.option("--parse-only", is_flag=True, help="Parse the script, print nothing on success (exit 1 on a parse error).")
@click.option("--ast", "show_ast", is_flag=True, help="Print the parsed AST instead of running the script.")
@click.argument("script", metavar="FILE.ps1|-")
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def run(parse_only: bool, show_ast: bool, script: str, args: tuple[str, ...]) -> None:
    """Run a .ps1 script (``-`` reads it from stdin); ARGS bind to its param() block."""
    from pscompat.script.runner import run_file
    if parse_only or show_ast:
        from pscompat.lang.dump import dump
        from pscompat.lang.parser import ParseError, decode_script_bytes, parse_script
        from pscompat.script.runner import ScriptFileError, read_script_bytes
        try:
            data = sys.stdin.buffer.read() if script == "-" else read_script_bytes(script)
        except ScriptFileError as exc:
            click.echo(str(exc), err=True)
            sys.exit(exc.code)
        try:
            block = parse_script(decode_script_bytes(data), None if script == "-" else script)
        except ParseError as exc:
            click.echo(exc.render(), err=True)
            sys.exit(1)
        if show_ast:
            click.echo(dump(block), nl=False)
        sys.exit(0)
    sys.exit(run_file(script, list(args)))


def run_command_line(text: str) -> int:
    """``pscompat -c 'COMMAND LINE'``: run the text as a script and return its exit code.

    As ``pwsh -Command``: ``exit N`` gives N, a terminating error 1, and otherwise the status
    of the last statement decides: 0 when ``$?`` is true, 1 when it is false (a Graph error
    written by the last cmdlet fails the bash command line, as it does under pwsh)."""
    from pscompat.script.evaluator import Interpreter
    from pscompat.script.runner import run_script
    interp = Interpreter()
    code = run_script(text, None, interp=interp)
    if code == 0 and not interp.last_success:
        return 1
    return code


@click.command(name="shell")
@click.option("--no-profile", is_flag=True, hidden=True)
def shell(no_profile: bool) -> None:
    """An interactive PowerShell-like prompt (PS <cwd>>), with history and tab completion."""
    from pscompat.script.shell import run_shell
    sys.exit(run_shell())
