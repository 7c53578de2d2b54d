"""What every connection cmdlet handler shares: bound parameters, the host's streams, the context.

A handler gets the binder's ``BoundInvocation`` (``parameter_set``, ``parameters``: canonical name
-> value) and an optional host (``pscompat.host.Host``, or anything with ``write_text`` /
``write_warning`` / ``write_error`` / ``add_secret``; without one, information goes to stdout and
warnings to stderr). Errors are ``ErrorRecord``s; ``terminating=False`` marks the ones the real
cmdlet only writes (``WriteError``), so the host applies -ErrorAction to them.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from pscompat.errors import ErrorRecord

from . import live as _live
from .connection import Connection
from .context import STORE, Module, SavedContext

__all__ = ["Params", "info", "warn", "fail", "tell_secret", "stderr_line", "scrub", "install",
           "current_saved", "set_long_lived_process", "long_lived"]

# At the bash prompt every cmdlet is a process of its own, so a Process-scoped context would be
# gone before the next command: there the default scope is CurrentUser for every set. A .ps1
# run, the shell and Python callers live longer; they call set_long_lived_process(True) and get
# the Mg module's own defaults (Process for app-only, managed identity, env vars, tokens).
_long_lived = False


def set_long_lived_process(value: bool = True) -> None:
    """Declare that this process runs more than one command (script runner, shell, Python)."""
    global _long_lived
    _long_lived = value


def long_lived() -> bool:
    return _long_lived


class Params:
    """Bound parameters with case-insensitive lookup (the binder gives canonical names)."""

    def __init__(self, invocation: Any) -> None:
        raw = getattr(invocation, "parameters", None)
        if raw is None and isinstance(invocation, Mapping):
            raw = invocation
        self._data = {str(k).casefold(): v for k, v in dict(raw or {}).items()}
        self.set_name: str | None = getattr(invocation, "parameter_set", None)

    def has(self, name: str) -> bool:
        return name.casefold() in self._data

    def get(self, name: str, default: Any = None) -> Any:
        return self._data.get(name.casefold(), default)

    def switch(self, name: str) -> bool:
        return bool(self._data.get(name.casefold(), False))

    def text(self, name: str) -> str | None:
        value = self._data.get(name.casefold())
        if value is None:
            return None
        return str(value)


def info(host: Any, text: str) -> None:
    """The information stream (what Write-Host shows): stdout in bash, not pipeline output."""
    writer = (getattr(host, "write_information", None) or getattr(host, "write_host", None)
              or getattr(host, "write_text", None))
    if writer is not None:
        writer(text)
    else:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()


def warn(host: Any, text: str) -> None:
    writer = getattr(host, "write_warning", None)
    if writer is not None:
        writer(text)
    else:
        sys.stderr.write(f"WARNING: {text}\n")
        sys.stderr.flush()


def fail(host: Any, record: ErrorRecord) -> list[Any]:
    """Report ``record``: a non-terminating one goes to the host's error stream (-ErrorAction
    applies); a terminating one, or any without a host that can take it, is raised."""
    writer = getattr(host, "write_error", None)
    if record.terminating or writer is None:
        raise record
    writer(record)
    return []


def tell_secret(host: Any, value: str | None) -> None:
    """Tell the host a secret so that every text it writes shows ``<redacted>`` instead."""
    adder = getattr(host, "add_secret", None)
    if adder is not None and value:
        adder(value)


def stderr_line(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def scrub(text: str, *secrets: str | None) -> str:
    from pscompat.redaction import redact
    return redact(text, secrets)


def install(module: Module, saved: SavedContext, connection: Connection, secret: str | None) -> None:
    _live.forget(module)
    STORE.set(saved)
    _live.remember_secret(module, secret)
    _live.set_live(module, connection)


def current_saved(module: Module) -> SavedContext | None:
    live = _live.live.get(module)
    if live is not None and live.saved is not None:
        return live.saved
    return STORE.get(module)
