"""Command-line entry points: ``pscompat`` (click) and one console script per cmdlet.

Cmdlet entry points do not use click at all: PowerShell's argument syntax is not POSIX, so argv
goes straight to ``pscompat.invoke`` and the binder. Subcommand groups of ``pscompat`` are
imported lazily so that ``pscompat lab ...`` never pays for the binder and vice versa.
"""

from __future__ import annotations

import os
import sys
from typing import Any

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
    "bulk": ("pscompat.tools.bulk_commands:bulk", "Bulk TAP issuance from a CSV: batched, throttle-aware, resumable."),
    "parity": ("pscompat.tools.commands:parity", "Run two commands or scripts against identical labs and compare."),
    "cmdlets": ("pscompat.cli:list_cmdlets", "List the cmdlets pscompat knows."),
}


def __getattr__(name: str) -> Any:
    """``group``, ``list_cmdlets`` and the click helpers live in ``pscompat._cli_group``.

    Importing click costs ~30 ms; cmdlet console scripts import this module but never need it.
    """
    if name in {"group", "list_cmdlets", "_LazyGroup", "_load", "_unavailable"}:
        from pscompat import _cli_group
        return getattr(_cli_group, name)
    raise AttributeError(name)


def main(argv: list[str] | None = None) -> Any:
    """``pscompat``; ``pscompat <Cmdlet> args...`` runs a cmdlet with PowerShell's syntax."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-") and args[0] not in _SUBCOMMANDS and "-" in args[0]:
        return _run_cmdlet(args[0], args[1:])
    from pscompat._cli_group import group
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
