"""--help of every pscompat command: loads (a broken lazy import fails here), plain text, not cut."""

from __future__ import annotations

import click
from click.testing import CliRunner

from pscompat._cli_group import group


def _paths() -> list[list[str]]:
    paths: list[list[str]] = []
    stack: list[tuple[list[str], click.Command]] = [([], group)]
    while stack:
        path, command = stack.pop()
        paths.append(path)
        if isinstance(command, click.Group):
            ctx = click.Context(command)
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None, f"pscompat {' '.join([*path, name])} does not load"
                stack.append(([*path, name], sub))
    return paths


def test_every_help_loads_and_reads_as_plain_text() -> None:
    paths = _paths()
    assert ["lab", "serve"] in paths and ["run"] in paths and ["lab", "connect"] in paths
    runner = CliRunner()
    for path in paths:
        result = runner.invoke(group, [*path, "--help"], terminal_width=100)
        where = "pscompat " + " ".join(path)
        assert result.exit_code == 0, (where, result.output)
        assert "not available in this build" not in result.output, where
        assert "``" not in result.output and ":func:" not in result.output, where
        assert not [line for line in result.output.splitlines() if line.rstrip().endswith("...")
                    and not line.lstrip().startswith(("Usage:", "-"))], (where, result.output)


def test_run_help_is_help_not_a_script_name() -> None:
    result = CliRunner().invoke(group, ["run", "-h"], prog_name="pscompat")
    assert result.exit_code == 0 and result.output.startswith("Usage: pscompat run")
    assert "'-' reads it from stdin" in result.output
