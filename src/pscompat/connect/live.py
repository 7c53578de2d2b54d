"""This process's connection state: live connections, secrets handed over in memory, the
one-time notices, and Connect-* attempts that failed.

Its own module so that resolve (which builds connections) and labconnect/handler (which
install them) both import it instead of each other.
"""

from __future__ import annotations

import threading
from typing import Any

from .context import Module

lock = threading.RLock()
live: dict[str, Any] = {}             # connections built in this process, per module
embedded: dict[str, Any] = {}         # the embedded lab's connection, per module
noticed: set[str] = set()
# Secrets handed over in this process (a PSCredential in a script, a typed secret). Memory only.
process_secrets: dict[str, str] = {}
# Modules whose last Connect-* failed: later cmdlets fail as the real module does (not connected),
# never silently on the embedded lab.
failed: set[str] = set()


def remember_secret(module: Module, secret: str | None) -> None:
    """Keep a secret for this process only (never written anywhere)."""
    with lock:
        if secret:
            process_secrets[module] = secret
        else:
            process_secrets.pop(module, None)


def forget(module: Module | None = None) -> None:
    """Drop live connections (after Connect/Disconnect, or between tests)."""
    with lock:
        for name in ([module] if module else list(live)):
            conn = live.pop(name, None)
            if conn is not None:
                conn.close()
        if module is None:
            process_secrets.clear()
            noticed.clear()
            failed.clear()


def set_live(module: Module, connection: Any) -> None:
    """Install a connection built by Connect-* so this process reuses it (and its token)."""
    with lock:
        old = live.get(module)
        if old is not None and old is not connection:
            old.close()
        live[module] = connection
        failed.discard(module)


def mark_failed(module: Module, failed_now: bool = True) -> None:
    """Record that a Connect-* of ``module`` failed (or, False, that the module disconnected)."""
    with lock:
        if failed_now:
            failed.add(module)
        else:
            failed.discard(module)
