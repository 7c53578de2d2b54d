"""The lab's store: one SQLite file (WAL), a versioned schema, and the domain's writes.

Secrets never enter this file: passes, client secrets and user passwords are kept as
HMAC-SHA256 digests (key from the lab's key file, a random salt per value).
All writes are ``BEGIN IMMEDIATE`` transactions, so concurrent writers (threads of one
process or several processes) serialise and a user never holds two passes
(``passes`` is keyed by ``user_id``).
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pscompat.lab.methods import MIGRATION as _METHODS_MIGRATION
from pscompat.lab.methods import SCHEMA as _METHODS_SCHEMA

SCHEMA_VERSION = 3

# Version 3: a user holds at most one pass, so the pass table is keyed by user_id alone
# (WITHOUT ROWID: one b-tree instead of a table and two unique indexes, which halved the cost of
# the create path's one write), and ``find_user``'s case-insensitive id probe gets an index
# (it scanned the users table). The same text creates a new store and upgrades an old one.
_PASSES_TABLE = """CREATE TABLE IF NOT EXISTS {name}(
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    created INTEGER NOT NULL,
    start INTEGER,
    lifetime INTEGER NOT NULL,
    usable_once INTEGER NOT NULL,
    salt BLOB NOT NULL,
    digest BLOB NOT NULL,
    used INTEGER) WITHOUT ROWID"""
_USERS_ID_INDEX = "CREATE INDEX IF NOT EXISTS users_id_nocase ON users(id COLLATE NOCASE)"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users(
    id TEXT PRIMARY KEY,
    upn TEXT NOT NULL UNIQUE COLLATE NOCASE,
    ord INTEGER NOT NULL,
    user_type TEXT NOT NULL,
    account_enabled INTEGER NOT NULL,
    external INTEGER NOT NULL,
    roles TEXT NOT NULL,
    groups TEXT NOT NULL,
    password_salt BLOB,
    password_hash BLOB,
    data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS groups(id TEXT PRIMARY KEY, display_name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS apps(
    client_id TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    sp_id TEXT NOT NULL,
    secret_salt BLOB,
    secret_hash BLOB,
    permissions TEXT NOT NULL,
    delegated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS signin(
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    failures INTEGER NOT NULL,
    locked_until INTEGER);
CREATE TABLE IF NOT EXISTS faults(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    spec TEXT NOT NULL,
    fired INTEGER NOT NULL DEFAULT 0,
    window_start INTEGER NOT NULL DEFAULT 0,
    window_count INTEGER NOT NULL DEFAULT 0);
"""

_SCHEMA += ";".join(["", _USERS_ID_INDEX, _PASSES_TABLE.format(name="passes"), _METHODS_SCHEMA])

_PASS_COLUMN_LIST = "user_id, id, created, start, lifetime, usable_once, salt, digest, used"
_PASSES_BY_USER = ";".join([
    _PASSES_TABLE.format(name="passes_v3"),
    f"INSERT INTO passes_v3({_PASS_COLUMN_LIST}) SELECT {_PASS_COLUMN_LIST} FROM passes",
    "DROP TABLE passes",
    "ALTER TABLE passes_v3 RENAME TO passes",
    _USERS_ID_INDEX])
# Upgrades from version N to N+1, applied in order inside one transaction.
_MIGRATIONS: dict[int, str] = {1: _METHODS_MIGRATION, 2: _PASSES_BY_USER}


class StoreError(Exception):
    pass


# Object and request ids are identifiers, never secrets (passes, salts and tokens come from
# os.urandom): a PRNG seeded from the OS, reseeded in a forked child so that two processes never
# share a sequence, costs no system call per id (two ids on every request's path).
_GUIDS = random.Random()
os.register_at_fork(after_in_child=_GUIDS.seed)
_GUID_CLEAR = ~((0xF << 76) | (0x3 << 62))
_GUID_SET = (0x4 << 76) | (0x2 << 62)


def new_guid() -> str:
    """A random (version 4, RFC 4122 variant) GUID, without importing ``uuid``."""
    h = f"{_GUIDS.getrandbits(128) & _GUID_CLEAR | _GUID_SET:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class User:
    __slots__ = ("id", "upn", "user_type", "account_enabled", "external", "roles", "groups", "_data")

    def __init__(self, row: tuple[Any, ...]) -> None:
        (self.id, self.upn, self.user_type, enabled, external, roles, groups, self._data) = row
        self.account_enabled = bool(enabled)
        self.external = bool(external)
        self.roles: list[str] = json.loads(roles)
        self.groups: list[str] = json.loads(groups)

    @property
    def data(self) -> dict[str, Any]:
        if isinstance(self._data, str):
            self._data = json.loads(self._data)
        return self._data  # type: ignore[no-any-return]

    @property
    def is_admin(self) -> bool:
        """Holds any directory role (what Authentication Administrators may not target)."""
        return bool(self.roles)


_USER_COLUMNS = "id, upn, user_type, account_enabled, external, roles, groups, data"
_USER_CACHE_MAX = 4096


class Pass:
    __slots__ = ("id", "user_id", "created", "start", "lifetime", "usable_once", "used")

    def __init__(self, row: tuple[Any, ...]) -> None:
        (self.id, self.user_id, self.created, self.start, self.lifetime, usable_once, self.used) = row
        self.usable_once = bool(usable_once)


_PASS_COLUMNS = "id, user_id, created, start, lifetime, usable_once, used"


class Store:
    """A SQLite connection shared by the threads of one process (guarded by a lock)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.RLock()
        self.db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False,
                                  timeout=10.0)
        self.db.execute("PRAGMA busy_timeout=10000")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        # find_user's answers, valid while no connection changes the users table: this
        # connection's changes empty it through temporary triggers (_watch_users), other
        # connections' commits through PRAGMA data_version (the lab reads it at each request's start).
        self._users: dict[str, User | None] = {}
        self._seen_version: int | None = None

    # -- schema -------------------------------------------------------------------------
    def version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def data_version(self) -> int:
        """Changes when another connection commits (this connection's writes leave it as is)."""
        version = int(self.db.execute("PRAGMA data_version").fetchone()[0])
        if version != self._seen_version:
            self._seen_version = version
            self._users.clear()
        return version

    def ensure_schema(self) -> bool:
        """Create or migrate the schema. True when the store is new (needs seeding)."""
        new = self._ensure_schema()
        self._watch_users()
        return new

    def _watch_users(self) -> None:
        """Temporary (this connection's) triggers that empty find_user's cache whenever this
        connection inserts, updates or deletes a user, however the statement was issued."""
        self.db.create_function("pscompat_users_changed", 0, self._users.clear)
        for event in ("INSERT", "UPDATE", "DELETE"):
            self.db.execute(f"CREATE TEMP TRIGGER IF NOT EXISTS pscompat_users_{event.lower()} AFTER {event} "
                            "ON main.users BEGIN SELECT pscompat_users_changed(); END")

    def _ensure_schema(self) -> bool:
        version = self.version()
        if version == SCHEMA_VERSION:
            return False
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path} was written by a newer pscompat (schema {version}, "
                             f"this one knows {SCHEMA_VERSION})")
        if version == 0:
            self.db.execute("PRAGMA journal_mode=WAL")
        with self.write():
            version = self.version()  # another process may have done it meanwhile
            if version == 0:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                return True
            while version < SCHEMA_VERSION:
                for statement in _MIGRATIONS[version].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                version += 1
                self.db.execute(f"PRAGMA user_version={version}")
        return False

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT), rolled back on any error."""
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def close(self) -> None:
        with self.lock:
            self.db.close()

    # -- meta -----------------------------------------------------------------------------
    def meta(self) -> dict[str, Any]:
        with self.lock:
            return {k: json.loads(v) for k, v in self.db.execute("SELECT key, value FROM meta")}

    def set_meta(self, key: str, value: Any, db: sqlite3.Connection | None = None) -> None:
        text = json.dumps(value, separators=(",", ":"))
        if db is not None:
            db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", (key, text))
            return
        with self.write() as conn:
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", (key, text))

    # -- seeding --------------------------------------------------------------------------
    def seed(self, scenario: dict[str, Any], key_for_secrets: bytes, only_if_unseeded: bool = False) -> None:
        """Replace everything with the scenario (one transaction). ``only_if_unseeded``: do
        nothing when another process seeded the store meanwhile."""
        from pscompat.lab.auth import salted_hash
        with self.write() as db:
            if only_if_unseeded and db.execute("SELECT 1 FROM meta WHERE key='tenant'").fetchone():
                return
            from pscompat.lab.methods import add_methods, delete_all
            delete_all(db)
            for table in ("passes", "signin", "faults", "users", "groups", "apps", "meta"):
                db.execute(f"DELETE FROM {table}")
            for name in ("tenant", "settings", "policy"):
                self.set_meta(name, scenario[name], db)
            self.set_meta("clock", {"offset": 0, "frozen": None}, db)
            self.set_meta("scenario", scenario["source"], db)
            for group in scenario["groups"]:
                db.execute("INSERT INTO groups(id, display_name) VALUES(?, ?)",
                           (group["id"], group["displayName"]))
            for ord_, user in enumerate(scenario["users"]):
                salt, digest = salted_hash(key_for_secrets, user["password"]) if user.get("password") else (None, None)
                db.execute(
                    "INSERT INTO users(id, upn, ord, user_type, account_enabled, external, roles,"
                    " groups, password_salt, password_hash, data) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
                    (user["id"], user["upn"], ord_, user["userType"], int(user["accountEnabled"]),
                     int(user["external"]), json.dumps(user["roles"]), json.dumps(user["groups"]),
                     salt, digest, json.dumps(user["data"], separators=(",", ":"))))
                add_methods(db, user["id"], user.get("methods") or [])
            for app in scenario["apps"]:
                salt, digest = salted_hash(key_for_secrets, app["secret"]) if app.get("secret") else (None, None)
                db.execute(
                    "INSERT INTO apps(client_id, display_name, sp_id, secret_salt, secret_hash,"
                    " permissions, delegated) VALUES(?,?,?,?,?,?,?)",
                    (app["clientId"], app["displayName"], app["servicePrincipalId"], salt, digest,
                     json.dumps(app["permissions"]), json.dumps(app["delegated"])))
            for fault in scenario["faults"]:
                db.execute("INSERT INTO faults(spec) VALUES(?)", (json.dumps(fault),))

    # -- users ----------------------------------------------------------------------------
    def find_user(self, ref: str) -> User | None:
        """By object id or userPrincipalName (case-insensitive). The answer is as fresh as the
        last :meth:`data_version` call (every lab request makes one first); answers read inside
        a transaction are not kept (a rollback would make them wrong)."""
        with self.lock:
            if ref in self._users:
                return self._users[ref]
            row = self.db.execute(
                f"SELECT {_USER_COLUMNS} FROM users WHERE id=? COLLATE NOCASE OR upn=?",
                (ref, ref)).fetchone()
            user = User(row) if row else None
            if self._seen_version is not None and not self.db.in_transaction:
                if len(self._users) >= _USER_CACHE_MAX:
                    self._users.clear()
                self._users[ref] = user
            return user

    def users(self) -> list[User]:
        with self.lock:
            rows = self.db.execute(f"SELECT {_USER_COLUMNS} FROM users ORDER BY ord").fetchall()
        return [User(r) for r in rows]

    def user_password(self, user_id: str) -> tuple[bytes | None, bytes | None]:
        with self.lock:
            row = self.db.execute("SELECT password_salt, password_hash FROM users WHERE id=?",
                                  (user_id,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def groups(self) -> dict[str, str]:
        with self.lock:
            return dict(self.db.execute("SELECT id, display_name FROM groups ORDER BY display_name"))

    # -- apps -----------------------------------------------------------------------------
    def app(self, client_id: str) -> dict[str, Any] | None:
        with self.lock:
            row = self.db.execute(
                "SELECT client_id, display_name, sp_id, secret_salt, secret_hash, permissions,"
                " delegated FROM apps WHERE client_id=? COLLATE NOCASE", (client_id,)).fetchone()
        if row is None:
            return None
        return {"clientId": row[0], "displayName": row[1], "servicePrincipalId": row[2],
                "secret_salt": row[3], "secret_hash": row[4],
                "permissions": json.loads(row[5]), "delegated": json.loads(row[6])}

    def apps(self) -> list[dict[str, Any]]:
        with self.lock:
            ids = [r[0] for r in self.db.execute("SELECT client_id FROM apps ORDER BY rowid")]
        return [a for a in (self.app(i) for i in ids) if a is not None]

    # -- passes ---------------------------------------------------------------------------
    def get_pass(self, user_id: str) -> Pass | None:
        with self.lock:
            row = self.db.execute(f"SELECT {_PASS_COLUMNS} FROM passes WHERE user_id=?",
                                  (user_id,)).fetchone()
        return Pass(row) if row else None

    def replace_pass(self, user_id: str, method_id: str, created: int, start: int | None,
                     lifetime: int, usable_once: bool, salt: bytes, digest: bytes) -> bool:
        """Replace the user's pass (if any) with the new one, atomically: one statement (the
        table is keyed by user_id, so REPLACE overwrites the old row) in its own transaction. False when the
        user no longer exists (the foreign key refuses the row). One statement, not five: this
        is the create path every pass goes through."""
        with self.lock:
            try:
                self.db.execute(
                    "INSERT OR REPLACE INTO passes(id, user_id, created, start, lifetime, usable_once, salt, digest)"
                    " VALUES(?,?,?,?,?,?,?,?)",
                    (method_id, user_id, created, start, lifetime, int(usable_once), salt, digest))
            except sqlite3.IntegrityError:
                return False
        return True

    def delete_pass(self, user_id: str, method_id: str) -> bool:
        with self.write() as db:
            cur = db.execute("DELETE FROM passes WHERE user_id=? AND id=? COLLATE NOCASE",
                             (user_id, method_id))
        return cur.rowcount > 0

    def count_passes(self) -> int:
        with self.lock:
            return int(self.db.execute("SELECT count(*) FROM passes").fetchone()[0])

    # -- faults ---------------------------------------------------------------------------
    def faults(self) -> list[tuple[int, dict[str, Any]]]:
        with self.lock:
            return [(r[0], json.loads(r[1])) for r in
                    self.db.execute("SELECT id, spec FROM faults ORDER BY id")]

    def fault_counters(self) -> dict[int, tuple[int, int, int]]:
        with self.lock:
            return {r[0]: (r[1], r[2], r[3]) for r in
                    self.db.execute("SELECT id, fired, window_start, window_count FROM faults")}

    def add_fault(self, spec: dict[str, Any]) -> int:
        with self.write() as db:
            cur = db.execute("INSERT INTO faults(spec) VALUES(?)", (json.dumps(spec),))
        return int(cur.lastrowid or 0)

    def clear_faults(self, fault_id: int | None = None) -> int:
        with self.write() as db:
            if fault_id is None:
                cur = db.execute("DELETE FROM faults")
            else:
                cur = db.execute("DELETE FROM faults WHERE id=?", (fault_id,))
        return cur.rowcount
