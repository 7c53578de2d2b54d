"""Command-line entry points: ``pscompat`` (click) and one console script per cmdlet.

Cmdlet entry points do not use click at all: PowerShell's argument syntax is not POSIX, so argv
goes straight to ``pscompat.invoke`` and the binder. Subcommand groups of ``pscompat`` are
imported lazily so that ``pscompat lab ...`` never pays for the binder and vice versa.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

# name -> "module:attribute" of a click command; imported only when used.
_SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "docs": ("pscompat.docs.commands:docs", "Import platyPS cmdlet docs into paramsets YAML."),
    "help": ("pscompat.docs.commands:help_command", "Get-Help for a cmdlet: pscompat help <Cmdlet> [-Full|-Examples|-Parameter Name]."),
    "completion": ("pscompat.docs.commands:completion", "Print a bash completion script."),
    "lab": ("pscompat.lab.commands:lab", "The embedded lab tenant: serve, reset, users, policy, token, signin, clock, status."),
    "run": ("pscompat.script.commands:run", "Run a .ps1 script."),
    "shell": ("pscompat.script.commands:shell", "An interactive PowerShell-like prompt."),
    "matrix": ("pscompat.tools.commands:matrix", "Write compat-matrix.md from the YAML (--check: fail when stale)."),
    "translate": ("pscompat.tools.commands:translate", "Rewrite PnP TAP calls in a .ps1 script into Mg calls."),
    "parity": ("pscompat.tools.commands:parity", "Run two commands or scripts against identical labs and compare."),
    "cmdlets": ("pscompat.cli:list_cmdlets", "List the cmdlets pscompat knows."),
}


def _load(target: str) -> click.Command:
    module_name, attr = target.split(":")
    return getattr(importlib.import_module(module_name), attr)  # type: ignore[no-any-return]


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = _SUBCOMMANDS.get(cmd_name)
        if entry is None:
            return None
        try:
            return _load(entry[0])
        except (ImportError, AttributeError):
            return _unavailable(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_text) for name, (_, help_text) in sorted(_SUBCOMMANDS.items())]
        with formatter.section("Commands"):
            formatter.write_dl(rows)
        with formatter.section("Cmdlets"):
            formatter.write_text("pscompat <Cmdlet> [PowerShell arguments], or the cmdlet's own command; "
                                 "`pscompat cmdlets` lists them.")


def _unavailable(name: str) -> click.Command:
    @click.command(name=name, context_settings={"ignore_unknown_options": True})
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def _cmd(args: tuple[str, ...]) -> None:
        raise click.ClickException(f"'pscompat {name}' is not available in this build.")
    return _cmd


@click.command(name="cmdlets")
def list_cmdlets() -> None:
    """List the cmdlets (and aliases) pscompat knows."""
    from pscompat.model import cmdlet_names
    for name in cmdlet_names():
        click.echo(name)


@click.group(cls=_LazyGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-c", "command", metavar="COMMAND", help="Run a PowerShell command line, as pwsh -c.")
@click.version_option(package_name="pscompat")
@click.pass_context
def group(ctx: click.Context, command: str | None) -> None:
    """pscompat: Microsoft Graph PowerShell and PnP.PowerShell cmdlets without PowerShell."""
    if command is not None:
        runner = _load("pscompat.script.commands:run_command_line")
        ctx.exit(runner(command))
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


def main(argv: list[str] | None = None) -> Any:
    """``pscompat``; ``pscompat <Cmdlet> args...`` runs a cmdlet with PowerShell's syntax."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-") and args[0] not in _SUBCOMMANDS and "-" in args[0]:
        return _run_cmdlet(args[0], args[1:])
    return group.main(args=args, prog_name="pscompat")


def cmdlet_main() -> None:
    """Console script for every cmdlet name and alias: the name comes from argv[0]."""
    name = os.path.basename(sys.argv[0])
    if name.endswith((".exe", ".py")):
        name = name.rsplit(".", 1)[0]
    sys.exit(_run_cmdlet(name, sys.argv[1:]))


def _run_cmdlet(name: str, argv: list[str]) -> int:
    from pscompat.invoke import run_cmdlet_argv
    return run_cmdlet_argv(name, argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
