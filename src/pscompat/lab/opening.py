"""Opening a lab: the store, its key and its seed, wired to the routing table (lab/routes.py).
Kept out of core.py so that the core never imports a route handler."""

from __future__ import annotations

import os
from pathlib import Path

from pscompat.lab.auth import derive, load_or_create_key
from pscompat.lab.clock import Clock
from pscompat.lab.core import Lab, LabError
from pscompat.lab.models import Store
from pscompat.lab.paths import default_lab_path, key_path


def open_lab(path: Path | str | None = None, scenario: Path | str | None = None, *,
             clock: Clock | None = None) -> Lab:
    """Open the lab at ``path`` (default: ``$PSCOMPAT_LAB_DB`` or the XDG data dir), creating
    and seeding it from ``scenario`` (default: the packaged contoso.lab scenario) when new.
    An existing lab is opened as it is: ``scenario`` is used only to seed a new one."""
    db_path = Path(path).expanduser() if path is not None else default_lab_path()
    new_dir = not db_path.parent.exists()
    db_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if new_dir:
        os.chmod(db_path.parent, 0o700)
    key_file = key_path(db_path)
    new_key = not key_file.exists()
    key = load_or_create_key(key_file)
    existed = db_path.exists()
    try:
        store = Store(db_path)
        store.ensure_schema()
    except Exception as exc:
        import sqlite3
        if isinstance(exc, sqlite3.DatabaseError):
            raise LabError(f"{db_path} is not a usable lab database: {exc}") from exc
        if type(exc).__name__ == "StoreError":
            raise LabError(str(exc)) from exc
        raise
    if not existed:
        os.chmod(db_path, 0o600)
    data_version = store.data_version()
    meta = store.meta()
    if "tenant" not in meta or (new_key and existed):
        from pscompat.lab import scenario as scenario_mod
        source = scenario
        if source is None and new_key and meta.get("scenario", {}).get("path"):
            last = Path(meta["scenario"]["path"])
            source = last if last.exists() else None
        try:
            data = scenario_mod.load(Path(source) if source is not None else None)
        except scenario_mod.ScenarioError as exc:
            store.close()
            raise LabError(str(exc)) from exc
        store.seed(data, derive(key, b"secret"), only_if_unseeded=not new_key)
        data_version = store.data_version()
        meta = store.meta()
    from pscompat.lab import routes
    return Lab(db_path, store, key, meta, clock, data_version, routes=routes)
