"""Authentication methods other than the TAP: their kinds, wire shapes, storage and seeding.

One row per method in the ``methods`` table (kind, position, JSON data, default flag); the TAP
stays in ``passes``. The password method has Graph's well-known id and is never stored in
clear: its ``password`` property is always ``null`` on the wire, as Graph returns it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pscompat.lab.models import Store

# Graph's fixed id of every user's password method (documented in passwordAuthenticationMethod).
PASSWORD_METHOD_ID = "28c10230-6103-485e-b985-444c60001490"

# path segment (lower case) -> (kind, @odata.type name, properties in Graph's order)
KINDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "phonemethods": ("phone", "phoneAuthenticationMethod", ("id", "phoneNumber", "phoneType", "smsSignInState")),
    "emailmethods": ("email", "emailAuthenticationMethod", ("id", "emailAddress")),
    "fido2methods": ("fido2", "fido2AuthenticationMethod",
                     ("id", "displayName", "createdDateTime", "aaGuid", "model", "attestationCertificates",
                      "attestationLevel")),
    "microsoftauthenticatormethods": ("microsoftAuthenticator", "microsoftAuthenticatorAuthenticationMethod",
                                      ("id", "displayName", "deviceTag", "phoneAppVersion", "createdDateTime")),
    "softwareoathmethods": ("softwareOath", "softwareOathAuthenticationMethod", ("id", "secretKey")),
    "windowshelloforbusinessmethods": ("windowsHelloForBusiness", "windowsHelloForBusinessAuthenticationMethod",
                                       ("id", "displayName", "createdDateTime", "keyStrength")),
    "passwordmethods": ("password", "passwordAuthenticationMethod", ("id", "password", "createdDateTime")),
}
BY_KIND = {kind: (seg, type_name, props) for seg, (kind, type_name, props) in KINDS.items()}
SEGMENT_NAMES = {seg: name for seg, name in (
    ("phonemethods", "phoneMethods"), ("emailmethods", "emailMethods"), ("fido2methods", "fido2Methods"),
    ("microsoftauthenticatormethods", "microsoftAuthenticatorMethods"),
    ("softwareoathmethods", "softwareOathMethods"),
    ("windowshelloforbusinessmethods", "windowsHelloForBusinessMethods"),
    ("passwordmethods", "passwordMethods"))}
# Properties a secret sits in: never stored, always null on the wire.
SECRET_PROPS = {"password", "secretKey"}

SCHEMA = """
CREATE TABLE IF NOT EXISTS methods(
    id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    ord INTEGER NOT NULL,
    is_default INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY(user_id, id));
CREATE TABLE IF NOT EXISTS revocations(
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    after_us INTEGER NOT NULL)
"""


# Upgrading a version-1 lab: every member gets the password method (the others come with a reset).
MIGRATION = SCHEMA + f""";
INSERT OR IGNORE INTO methods(id, user_id, kind, ord, is_default, data)
    SELECT '{PASSWORD_METHOD_ID}', id, 'password', 0, 0,
           json_object('createdDateTime', json_extract(data, '$.createdDateTime'))
    FROM users WHERE external = 0
"""


class Method:
    __slots__ = ("id", "user_id", "kind", "is_default", "data")

    def __init__(self, row: tuple[Any, ...]) -> None:
        self.id, self.user_id, self.kind, default, data = row
        self.is_default = bool(default)
        self.data: dict[str, Any] = json.loads(data)

    def wire(self, with_type: bool = True) -> dict[str, Any]:
        """Graph's JSON: ``@odata.type`` first, then the kind's properties in Graph's order."""
        _, type_name, props = BY_KIND[self.kind]
        out: dict[str, Any] = {"@odata.type": f"#microsoft.graph.{type_name}"} if with_type else {}
        for prop in props:
            out[prop] = self.id if prop == "id" else (None if prop in SECRET_PROPS else self.data.get(prop))
        return out


_COLUMNS = "id, user_id, kind, is_default, data"


def ensure_schema(db: sqlite3.Connection) -> None:
    for statement in SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


def list_methods(store: Store, user_id: str, kind: str | None = None) -> list[Method]:
    sql = f"SELECT {_COLUMNS} FROM methods WHERE user_id=?"
    args: tuple[Any, ...] = (user_id,)
    if kind is not None:
        sql += " AND kind=?"
        args += (kind,)
    with store.lock:
        rows = store.db.execute(sql + " ORDER BY ord", args).fetchall()
    return [Method(r) for r in rows]


def get_method(store: Store, user_id: str, method_id: str) -> Method | None:
    with store.lock:
        row = store.db.execute(f"SELECT {_COLUMNS} FROM methods WHERE user_id=? AND id=? COLLATE NOCASE",
                               (user_id, method_id)).fetchone()
    return Method(row) if row else None


class DeleteRefused(Exception):
    """Graph refuses to delete this method (``str(e)`` is the message)."""


DEFAULT_IN_USE = ("Cannot delete default method with other methods configured. "
                  "Please change default method before deletion.")


def delete_method(store: Store, user_id: str, kind: str, method_id: str) -> bool:
    """Delete one method (one transaction). False: no such method of that kind.

    Graph's rules: the default MFA method cannot go while other MFA methods remain (the
    password does not count); a mobile phone cannot go while an alternateMobile remains.
    So a default goes only as the last one, and no other method needs to inherit the flag."""
    with store.write() as db:
        rows = [Method(r) for r in db.execute(
            f"SELECT {_COLUMNS} FROM methods WHERE user_id=? ORDER BY ord", (user_id,))]
        target = next((m for m in rows if m.kind == kind and m.id.lower() == method_id.lower()), None)
        if target is None:
            return False
        others = [m for m in rows if m is not target and m.kind != "password"]
        if target.is_default and others:
            raise DeleteRefused(DEFAULT_IN_USE)
        if kind == "phone" and target.data.get("phoneType") == "mobile" and \
                any(m.kind == "phone" and m.data.get("phoneType") == "alternateMobile" for m in others):
            raise DeleteRefused("A user can't have an alternateMobile number without a mobile number.")
        db.execute("DELETE FROM methods WHERE user_id=? AND id=?", (user_id, target.id))
    return True


def delete_all(db: sqlite3.Connection) -> None:
    db.execute("DELETE FROM methods")
    db.execute("DELETE FROM revocations")


def add_methods(db: sqlite3.Connection, user_id: str, methods: list[dict[str, Any]], start: int = 0) -> None:
    for i, m in enumerate(methods):
        data = {k: v for k, v in m.items() if k not in ("id", "kind", "isDefault") and k not in SECRET_PROPS}
        db.execute("INSERT INTO methods(id, user_id, kind, ord, is_default, data) VALUES(?,?,?,?,?,?)",
                   (m["id"], user_id, m["kind"], start + i, int(bool(m.get("isDefault"))),
                    json.dumps(data, separators=(",", ":"))))


# -- revocation ("tokens valid after") -------------------------------------------------------------

def revoke(store: Store, user_id: str, after_us: int) -> None:
    with store.write() as db:
        db.execute("INSERT OR REPLACE INTO revocations(user_id, after_us) VALUES(?, ?)", (user_id, after_us))


REVOKED = ("Continuous access evaluation resulted in challenge with result: InteractionRequired "
           "and code: TokenIssuedBeforeRevocationTimestamp")


class RevokedToken(Exception):
    """A token issued before its user's revokeSignInSessions; ``str(e)`` is the 401 message."""


def check_not_revoked(revoked: dict[str, int], claims: dict[str, Any]) -> None:
    """401 for a delegated token issued before its user's last revokeSignInSessions."""
    after = revoked.get(str(claims.get("oid") or "").lower())
    if after is None or claims.get("idtyp") != "user":
        return
    issued = claims.get("lab_iat_us")
    if not isinstance(issued, int):
        issued = int(claims.get("iat") or 0) * 1_000_000
    if issued <= after:
        raise RevokedToken(REVOKED)


def revocations(store: Store) -> dict[str, int]:
    with store.lock:
        return {r[0]: int(r[1]) for r in store.db.execute("SELECT user_id, after_us FROM revocations")}


# -- seeding ------------------------------------------------------------------------------------

_SPREAD = (  # a realistic mix: most have the Authenticator and a phone, some FIDO2/OATH/WHfB/email
    ("microsoftAuthenticator", "phone"),
    ("phone", "email"),
    ("microsoftAuthenticator", "fido2", "windowsHelloForBusiness"),
    ("microsoftAuthenticator", "phone", "softwareOath"),
    ("phone",),
    ("fido2", "microsoftAuthenticator", "email"),
    (),
    ("windowsHelloForBusiness", "microsoftAuthenticator", "phone"),
)
_FIDO2_MODELS = (("cb69481e-8ff7-4039-93ec-0a2729a154a8", "YubiKey 5 Series"),
                 ("ee882879-721c-4913-9775-3dfcce97072a", "YubiKey 5 NFC"))
_DEVICES = (("iPhone 15", "iOS", "6.8.7"), ("Pixel 8", "Android", "6.2404.2444"), ("SM-S918B", "Android", "6.2403.1977"))


def _method_id(user_id: str, name: str) -> str:
    return str(uuid.uuid5(uuid.UUID(user_id), name))


def seed_for_user(user: dict[str, Any], explicit: list[Any] | None) -> list[dict[str, Any]]:
    """The methods a scenario user starts with: ``methods:`` from the scenario, or a spread
    picked from the UPN (deterministic); every member has the password method, guests none."""
    if user["external"]:
        return []
    uid, upn, data = user["id"], user["upn"], user["data"]
    if explicit is None:
        pick = int(hashlib.sha256(upn.lower().encode()).hexdigest(), 16)
        kinds: list[Any] = list(_SPREAD[pick % len(_SPREAD)])
    else:
        kinds = list(explicit)
    created = data.get("createdDateTime") or "2024-01-15T09:00:00Z"
    out: list[dict[str, Any]] = [{"kind": "password", "id": PASSWORD_METHOD_ID, "createdDateTime": created}]
    n = int(hashlib.sha256(uid.encode()).hexdigest()[:6], 16)
    for i, kind in enumerate(kinds):
        extra: dict[str, Any] = {}
        if isinstance(kind, dict):
            extra = {k: v for k, v in kind.items() if k != "kind"}
            kind = kind.get("kind")
        if kind not in BY_KIND or kind == "password":
            raise ValueError(f"unknown authentication method kind {kind!r} "
                             f"(known: {', '.join(sorted(k for k in BY_KIND if k != 'password'))})")
        mid = _method_id(uid, f"{kind}:{i}")
        m: dict[str, Any] = {"kind": kind, "id": mid}
        if kind == "phone":
            m.update(phoneNumber=f"+1 425555{n % 10000:04d}", phoneType="mobile", smsSignInState="notEnabled")
        elif kind == "email":
            m.update(emailAddress=f"{upn.split('@')[0].lower()}@outlook.example")
        elif kind == "fido2":
            aaguid, model = _FIDO2_MODELS[n % len(_FIDO2_MODELS)]
            m.update(displayName="Security key", createdDateTime=created, aaGuid=aaguid, model=model,
                     attestationCertificates=["dbe793efdf1945e2df25d93653a1e8a3268a9075"],
                     attestationLevel="attested")
        elif kind == "microsoftAuthenticator":
            name, tag, version = _DEVICES[n % len(_DEVICES)]
            m.update(displayName=name, deviceTag="SoftwareTokenActivated", phoneAppVersion=version,
                     createdDateTime=created)
        elif kind == "softwareOath":
            pass
        elif kind == "windowsHelloForBusiness":
            m.update(displayName=f"{data.get('givenName') or 'WIN'}-LAPTOP", createdDateTime=created,
                     keyStrength="normal")
        m.update(extra)
        out.append(m)
    if len(out) > 1:
        out[1]["isDefault"] = True
    return out
