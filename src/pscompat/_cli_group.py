"""The ``pscompat`` click group (moved out of ``pscompat.cli`` so cmdlet scripts never import click)."""

from __future__ import annotations

import importlib
import re

import click

from pscompat.subcommands import SUBCOMMANDS as _SUBCOMMANDS

__all__ = ["group", "list_cmdlets"]


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
            return plain_help(_load(entry[0]))
        except (ImportError, AttributeError):
            return _unavailable(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_text) for name, (_, help_text) in sorted(_SUBCOMMANDS.items())]
        with formatter.section("Commands"):
            formatter.write_dl(rows)
        with formatter.section("Cmdlets"):
            formatter.write_text("pscompat <Cmdlet> [PowerShell arguments], or the cmdlet's own command; "
                                 "`pscompat cmdlets` lists them.")


_RST_LITERAL = re.compile(r"``(.+?)``")


def _plain(text: str) -> str:
    """Docstrings are written for Sphinx (``x``); --help shows them as 'x'."""
    return _RST_LITERAL.sub(r"'\1'", text)


def _first_sentence(text: str) -> str:
    """What click's short help takes (the first sentence of the first paragraph), but whole:
    click would cut it to 45 characters; the command list wraps it instead."""
    words = text.partition("\n\n")[0].split()
    if words and words[0] == "\b":
        words = words[1:]
    for i, word in enumerate(words):
        if word.endswith(".") and (i == len(words) - 1 or not words[i + 1][0].islower()):
            return " ".join(words[: i + 1])
    return " ".join(words)


def plain_help(command: click.Command) -> click.Command:
    """``command`` and its subcommands with help texts as people read them: no RST markup, and
    the command lists show each subcommand's first sentence whole (wrapped, never '...')."""
    if getattr(command, "_pscompat_plain", False):
        return command
    if command.help:
        command.help = _plain(command.help)
    if command.short_help:
        command.short_help = _plain(command.short_help)
    elif command.help:
        command.short_help = _first_sentence(command.help)
    for param in command.params:
        if isinstance(param, click.Option) and param.help:
            param.help = _plain(param.help)
    command._pscompat_plain = True  # type: ignore[attr-defined]
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None:
                plain_help(sub)
    return command


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
