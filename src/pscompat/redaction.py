"""The redaction rules, in one place: secrets in a text (:func:`redact`) and secret fields of a
JSON or form body (:data:`SECRET_FIELDS`, :func:`redact_json`).

Longest first because a secret may contain another (a client secret that starts with a pass):
replacing the short one first would leave the long one's tail in clear. Values shorter than
``MIN_SECRET`` are not treated as secrets (replacing every "a" would garble the text and hide
nothing). Hosts, the Debug renderer, the connection cmdlets, the trace comparer and the lab's
request recorder all call this module (a leaf: it imports nothing of pscompat's).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["REDACTED", "MIN_SECRET", "SECRET_FIELDS", "redact", "redact_json"]

REDACTED = "<redacted>"
MIN_SECRET = 4
# Body fields (compared case-insensitively) whose values are secrets wherever they appear: a
# pass, OAuth tokens and assertions, client secrets, passwords.
SECRET_FIELDS = frozenset({"temporaryaccesspass", "access_token", "refresh_token", "id_token", "client_secret",
                           "client_assertion", "assertion", "password", "secret", "credential", "pass"})


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` with every secret (of at least MIN_SECRET characters) replaced, longest first."""
    usable = {s for s in secrets if isinstance(s, str) and len(s) >= MIN_SECRET}
    for secret in sorted(usable, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


def redact_json(value: Any) -> Any:
    """A parsed JSON value with every non-empty secret field's value replaced, at any depth."""
    if isinstance(value, dict):
        return {k: REDACTED if k.casefold() in SECRET_FIELDS and _present(v) else redact_json(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [redact_json(v) for v in value]
    return value


def _present(value: Any) -> bool:
    """An absent or empty value reveals nothing (and shows that the field was empty)."""
    return value is not None and value != ""
