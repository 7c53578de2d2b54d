"""The table of ``pscompat`` subcommands: a leaf module (no imports) shared by the entry point,
the click group and bash completion, so none of them has to import another to learn the names."""

from __future__ import annotations

# name -> "module:attribute" of a click command; imported only when used.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
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
    "cmdlets": ("pscompat._cli_group:list_cmdlets", "List the cmdlets pscompat knows."),
}
