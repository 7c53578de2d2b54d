"""Graph's DateTimeOffset text, read once for every stage (the output shapes check it, the
dispatcher turns it into DateTime values)."""

from __future__ import annotations

import datetime as _dt
import re

_ISO = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$")


def parse_iso_datetime(text: str) -> _dt.datetime | None:
    """Graph's DateTimeOffset text (up to 7+ fractional digits) -> aware UTC datetime."""
    m = _ISO.match(text.strip())
    if not m:
        return None
    frac = (m.group(2) or "")[:6].ljust(6, "0")
    zone = m.group(3) or "Z"
    try:
        value = _dt.datetime.fromisoformat(f"{m.group(1)}.{frac}{'+00:00' if zone == 'Z' else zone}")
    except ValueError:
        return None
    return value.astimezone(_dt.UTC)
