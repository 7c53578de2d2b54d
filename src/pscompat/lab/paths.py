"""Where a lab lives on disk: the SQLite file and, beside it, the key file and TLS material.

No platformdirs here (it costs ~20 ms to import): the XDG rule is three lines.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_DB = "PSCOMPAT_LAB_DB"


def data_dir() -> Path:
    """The user's data directory (XDG on Linux and BSDs, the platform's own elsewhere)."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base)
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support"
    xdg = os.environ.get("XDG_DATA_HOME")
    return Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".local" / "share"


def default_lab_path() -> Path:
    """``$PSCOMPAT_LAB_DB`` or ``<data dir>/pscompat/lab/lab.db``."""
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env).expanduser()
    return data_dir() / "pscompat" / "lab" / "lab.db"


def key_path(db: Path) -> Path:
    """The lab's secret key (0600), beside the database and never inside it."""
    return db.with_name(db.stem + ".key")


def tls_paths(db: Path) -> tuple[Path, Path]:
    """The server's leaf certificate and its private key (0600) for ``lab serve --tls``
    (the lab CA that signs it: :func:`pscompat.lab.certs.tls_files`)."""
    return db.with_name(db.stem + "-cert.pem"), db.with_name(db.stem + "-tls-key.pem")
