"""Command-line entry points: ``pscompat`` (click) and one console script per cmdlet.

Cmdlet entry points do not use click at all: PowerShell's argument syntax is not POSIX, so argv
goes straight to ``pscompat.invoke`` and the binder. Subcommand groups of ``pscompat`` are
imported lazily so that ``pscompat lab ...`` never pays for the binder and vice versa.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from pscompat.subcommands import SUBCOMMANDS as _SUBCOMMANDS


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
    from pscompat.cliguard import clean_argv, guard
    args = clean_argv(list(sys.argv[1:] if argv is None else argv))
    if args and not args[0].startswith("-") and args[0] not in _SUBCOMMANDS and "-" in args[0]:
        name = args[0]
        return guard(name, args[1:], lambda: _run_cmdlet(name, args[1:]))
    what = "pscompat" + (f" {args[0]}" if args and args[0] in _SUBCOMMANDS else "")

    def run() -> Any:
        from pscompat._cli_group import group
        return group.main(args=args, prog_name="pscompat")
    return guard(what, args, run)


def cmdlet_main() -> None:
    """Console script for every cmdlet name and alias: the name comes from argv[0]."""
    name = os.path.basename(sys.argv[0])
    if name.endswith((".exe", ".py")):
        name = name.rsplit(".", 1)[0]
    from pscompat.cliguard import clean_argv, guard
    args = clean_argv(sys.argv[1:])
    sys.exit(guard(name, args, lambda: _run_cmdlet(name, args)))


def _run_cmdlet(name: str, argv: list[str]) -> int:
    from pscompat.invoke import run_cmdlet_argv
    return run_cmdlet_argv(name, argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
