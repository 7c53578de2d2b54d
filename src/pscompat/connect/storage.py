"""Where pscompat keeps per-user connection state, and how it writes it.

The saved contexts are small JSON files in the user's config directory. They never hold a
secret, but they do reveal which tenant and app a user works with, so every file is created
0600 from the first byte: written to a temporary file opened with mode 0600 in the same
directory, flushed, fsynced and renamed over the target. A reader therefore sees either the old
file or the new one, never half of one, and there is no moment where the file is world-readable.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

__all__ = ["config_dir", "write_private_json", "read_json", "remove_file"]

FILE_MODE = 0o600
DIR_MODE = 0o700


def config_dir() -> Path:
    """``$PSCOMPAT_CONFIG_DIR``, else ``$XDG_CONFIG_HOME/pscompat``, else ``~/.config/pscompat``.

    Computed on every call (not cached) so tests and scripts that change the environment see
    the change; it costs one ``os.environ`` lookup.
    """
    explicit = os.environ.get("PSCOMPAT_CONFIG_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CONFIG_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".config"
    return base / "pscompat"


def _ensure_dir(path: Path) -> None:
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)


def write_private_json(path: Path, data: Any) -> None:
    """Atomically replace ``path`` with ``data`` as JSON, the file being 0600 throughout."""
    import tempfile  # only writers pay for it; readers are on every cmdlet call

    _ensure_dir(path.parent)
    text = json.dumps(data, indent=2, sort_keys=False) + "\n"
    # mkstemp opens with O_EXCL and mode 0600 regardless of the umask.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise


def read_json(path: Path) -> Any | None:
    """The parsed file, or None when it is missing or unreadable as JSON (treated as absent)."""
    try:
        with path.open("r", encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return None


def remove_file(path: Path) -> bool:
    """Delete ``path``; True when it existed."""
    try:
        path.unlink()
        return True
    except FileNotFoundError:
        return False
