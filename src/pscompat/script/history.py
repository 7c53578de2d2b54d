"""What ``pscompat shell`` saves to its history file: never a line that may hold a secret.

The rule is PSReadLine's default ``AddToHistoryHandler``: a line matching
``password|asplaintext|token|apikey|secret`` (any case) is kept in memory for the session
(Up-arrow still finds it) but never written to the history file. pscompat adds ``pass`` as a
whole word (``pscompat lab signin -Pass ...``), and skips PSReadLine's
refinement that saves such a line when the word is only a variable name or a SecretManagement
command: without a full AST check, skipping more is the safe side. The file is 0600.
"""

from __future__ import annotations

import contextlib
import os
import re
from typing import Any

__all__ = ["SENSITIVE", "is_sensitive", "save_history"]

SENSITIVE = re.compile(r"password|asplaintext|token|apikey|secret|\bpass\b", re.IGNORECASE)


def is_sensitive(line: str) -> bool:
    """True when PSReadLine would keep ``line`` out of the history file (plus pscompat's words)."""
    return SENSITIVE.search(line) is not None


def save_history(readline: Any, path: str) -> None:
    """Write the session's history without its sensitive lines; the in-memory list is rebuilt
    from the kept lines first, because readline can only write all of it."""
    items = [readline.get_history_item(i) for i in range(1, readline.get_current_history_length() + 1)]
    kept = [item for item in items if item is not None and not is_sensitive(item)]
    readline.clear_history()
    for item in kept:
        readline.add_history(item)
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)
    readline.write_history_file(path)
