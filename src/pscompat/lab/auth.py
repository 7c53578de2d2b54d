"""The lab's key, its bearer tokens (HS256 JWTs) and keyed hashes of secrets and passes.

One random key per lab lives in a 0600 file beside the database. Sub-keys are derived from it
for tokens, client secrets / user passwords, and passes, so that no value is used for two jobs.
Only the standard library is used: a token check costs a few microseconds and no import.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from pathlib import Path
from typing import Any

GRAPH_AUDIENCES = ("https://graph.microsoft.com", "https://graph.microsoft.com/",
                   "00000003-0000-0000-c000-000000000000")

# Directory role names -> role template ids (the ids Entra ID puts in the ``wids`` claim).
ROLE_TEMPLATE_IDS = {
    "Global Administrator": "62e90394-69f5-4237-9190-012177145e10",
    "Privileged Authentication Administrator": "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
    "Authentication Administrator": "c4e39bd9-1100-46d3-8c65-fb160da0071f",
    "Authentication Policy Administrator": "0526716b-113d-4c15-b2c8-68e3c22b9f80",
    "Global Reader": "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
    "User Administrator": "fe930be7-5e62-47db-91af-98c3a49a38b1",
    "Helpdesk Administrator": "729827e3-9c14-49f7-bb1b-9608f156bbb8",
    "Security Administrator": "194ae4cb-b126-40b2-bd5b-6091b380977d",
}
ROLE_NAMES = {v: k for k, v in ROLE_TEMPLATE_IDS.items()}


class TokenError(Exception):
    """A bearer token the lab cannot accept; ``str(e)`` is Graph's 401 message."""


def load_or_create_key(path: Path) -> bytes:
    """Read the lab key, creating it (32 random bytes, hex, mode 0600) when missing."""
    try:
        return bytes.fromhex(path.read_text().strip())
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = os.urandom(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race: use its key
        return bytes.fromhex(path.read_text().strip())
    with os.fdopen(fd, "w") as fh:
        fh.write(key.hex() + "\n")
    return key


def derive(key: bytes, purpose: bytes) -> bytes:
    return hmac.new(key, b"pscompat-lab/" + purpose, hashlib.sha256).digest()


def keyed_hash(key: bytes, salt: bytes, secret: str) -> bytes:
    """HMAC-SHA256(key, salt || secret): what the store keeps instead of a secret."""
    return hmac.digest(key, salt + secret.encode("utf-8"), "sha256")


def salted_hash(key: bytes, secret: str) -> tuple[bytes, bytes]:
    """A fresh 16-byte salt and ``keyed_hash`` of ``secret`` under it: what a row stores."""
    salt = os.urandom(16)
    return salt, keyed_hash(key, salt, secret)


def check_keyed_hash(key: bytes, salt: bytes, secret: str, digest: bytes) -> bool:
    return hmac.compare_digest(keyed_hash(key, salt, secret), digest)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_HEADER = _b64(b'{"alg":"HS256","typ":"JWT","kid":"pscompat-lab"}')


def sign_jwt(claims: dict[str, Any], key: bytes) -> str:
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{_HEADER}.{payload}".encode("ascii")
    return f"{_HEADER}.{payload}.{_b64(hmac.new(key, signing_input, hashlib.sha256).digest())}"


def verify_jwt(token: str, key: bytes, now_seconds: float) -> dict[str, Any]:
    """Check signature, algorithm, audience and lifetime; return the claims or raise TokenError."""
    parts = token.split(".")
    if len(parts) != 3:
        raise TokenError("IDX14100: JWT is not well formed, there are no dots (.).")
    try:
        header = json.loads(_unb64(parts[0]))
        signature = _unb64(parts[2])
    except (ValueError, UnicodeDecodeError) as exc:
        raise TokenError("IDX14102: Unable to decode the header as Base64Url encoded string.") from exc
    if not isinstance(header, dict) or header.get("alg") != "HS256":
        raise TokenError("Access token validation failure.")
    expected = hmac.new(key, f"{parts[0]}.{parts[1]}".encode("ascii"), hashlib.sha256).digest()
    if not hmac.compare_digest(expected, signature):
        raise TokenError("Access token validation failure.")
    try:
        claims = json.loads(_unb64(parts[1]))
    except (ValueError, UnicodeDecodeError) as exc:
        raise TokenError("Access token validation failure.") from exc
    if not isinstance(claims, dict):
        raise TokenError("Access token validation failure.")
    if claims.get("aud") not in GRAPH_AUDIENCES:
        raise TokenError("Access token validation failure. Invalid audience.")
    if not isinstance(claims.get("exp"), (int, float)) or claims["exp"] <= now_seconds:
        raise TokenError("Lifetime validation failed, the token is expired.")
    if isinstance(claims.get("nbf"), (int, float)) and claims["nbf"] > now_seconds + 300:
        raise TokenError("Lifetime validation failed, the token is not yet valid.")
    return claims


class Caller:
    """Who is calling, from a verified token: an app (application permissions) or a user
    (delegated scopes plus directory roles)."""

    __slots__ = ("app_id", "delegated", "permissions", "roles", "user_id", "upn", "claims")

    def __init__(self, claims: dict[str, Any]) -> None:
        self.claims = claims
        self.app_id: str = str(claims.get("appid") or claims.get("azp") or "")
        self.delegated = claims.get("idtyp") == "user" or "scp" in claims
        if self.delegated:
            self.permissions = frozenset(str(claims.get("scp") or "").split())
            self.user_id: str | None = str(claims.get("oid") or "") or None
            self.upn: str | None = claims.get("upn")
            self.roles = frozenset(ROLE_NAMES.get(w, w) for w in claims.get("wids") or ())
        else:
            self.permissions = frozenset(claims.get("roles") or ())
            self.user_id = None
            self.upn = None
            self.roles = frozenset()

    def has_any(self, *permissions: str) -> bool:
        return not self.permissions.isdisjoint(permissions)

    def has_role(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)
