"""The one redaction rule: every secret in a text becomes ``<redacted>``, longest first.

Longest first because a secret may contain another (a client secret that starts with a pass):
replacing the short one first would leave the long one's tail in clear. Values shorter than
``MIN_SECRET`` are not treated as secrets (replacing every "a" would garble the text and hide
nothing). Hosts, the Debug renderer and the connection cmdlets all call this function.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["REDACTED", "MIN_SECRET", "redact"]

REDACTED = "<redacted>"
MIN_SECRET = 4


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` with every secret (of at least MIN_SECRET characters) replaced, longest first."""
    usable = {s for s in secrets if isinstance(s, str) and len(s) >= MIN_SECRET}
    for secret in sorted(usable, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text
