"""The lab's clock: real time plus a persisted offset, or a frozen instant.

Instants are integers in .NET ticks (100 ns) since the Unix epoch, so that the seven
fractional digits Graph prints survive a round trip through the store.
"""

from __future__ import annotations

import calendar
import functools
import re
import time
from collections.abc import Callable
from typing import Any

TICKS_PER_SECOND = 10_000_000
TICKS_PER_MINUTE = 60 * TICKS_PER_SECOND

_ISO = re.compile(
    r"^(\d{4,})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
    r"\s*(Z|z|[+-]\d{2}:?\d{2})?$")
_DELTA = re.compile(r"^([+-])?\s*(\d+(?:\.\d+)?)\s*(w|d|h|m|min|s|ms)?$", re.I)
_MIN_SECONDS = -62135596800   # 0001-01-01T00:00:00Z
_MAX_SECONDS = 253402300799    # 9999-12-31T23:59:59Z
_UNIT_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "min": 60, "s": 1, "ms": 0.001}


def parse_datetime(text: str) -> int:
    """ISO 8601 date-time -> ticks (UTC). No zone means UTC. Raises ValueError."""
    m = _ISO.match(text.strip())
    if not m:
        raise ValueError(f"not an ISO 8601 date-time: {text!r}")
    year, month, day, hour, minute = (int(m.group(i)) for i in range(1, 6))
    second = int(m.group(6) or 0)
    if not (1 <= year <= 9999 and 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]
            and hour < 24 and minute < 60 and second < 60):
        raise ValueError(f"not a valid date-time: {text!r}")
    frac = (m.group(7) or "")[:7].ljust(7, "0")
    seconds = calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0))
    zone = m.group(8)
    if zone and zone not in ("Z", "z"):
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        zone_hours, zone_minutes = int(digits[:2]), int(digits[2:])
        # .NET's DateTimeOffset: minutes < 60 and at most 14 hours either way.
        if zone_minutes >= 60 or zone_hours * 60 + zone_minutes > 14 * 60:
            raise ValueError(f"offset out of range (at most 14 hours): {text!r}")
        seconds -= sign * (zone_hours * 3600 + zone_minutes * 60)
    if not _MIN_SECONDS <= seconds <= _MAX_SECONDS:
        raise ValueError(f"out of the DateTimeOffset range: {text!r}")
    return seconds * TICKS_PER_SECOND + int(frac)


@functools.lru_cache(maxsize=256)   # a response formats the same few seconds over and over
def _utc_text(seconds: int) -> str:
    t = time.gmtime(seconds)
    return f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}T{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}"


def format_datetime(ticks: int) -> str:
    """Ticks -> Graph's form: UTC, ``Z``, fraction without trailing zeros (none when zero)."""
    seconds, frac = divmod(ticks, TICKS_PER_SECOND)
    text = _utc_text(seconds)
    if frac:
        text += "." + f"{frac:07d}".rstrip("0")
    return text + "Z"


def format_error_date(ticks: int) -> str:
    """``yyyy-MM-ddTHH:mm:ss`` without zone, as in Graph's innerError.date."""
    return _utc_text(ticks // TICKS_PER_SECOND)


def parse_delta(text: str) -> int:
    """``+2h``, ``-30m``, ``1d``, ``90s``, ``+1.5h`` -> ticks. Raises ValueError."""
    m = _DELTA.match(text.strip())
    if not m:
        raise ValueError(f"not a time offset: {text!r} (examples: +2h, -30m, +1d, +90s)")
    unit = (m.group(3) or "s").lower()
    value = float(m.group(2)) * _UNIT_SECONDS[unit]
    if m.group(1) == "-":
        value = -value
    if abs(value) > _MAX_SECONDS - _MIN_SECONDS:
        raise ValueError(f"time offset out of range: {text!r} (.NET's DateTime spans 0001-01-01 to 9999-12-31)")
    return int(round(value * TICKS_PER_SECOND))


def check_range(ticks: int) -> int:
    """Refuse an instant .NET's DateTime cannot hold (Graph could not print it)."""
    if not _MIN_SECONDS * TICKS_PER_SECOND <= ticks <= (_MAX_SECONDS + 1) * TICKS_PER_SECOND - 1:
        raise ValueError("the lab clock would leave .NET's DateTime range (0001-01-01 to 9999-12-31); "
                         "nothing was changed")
    return ticks


class Clock:
    """``now()`` in ticks = real time + offset, or the frozen instant when frozen.

    ``persist`` (set by the lab) stores the state so that other processes see it; tests may
    pass their own ``source`` (a callable returning ticks) to control real time as well.
    """

    def __init__(self, offset: int = 0, frozen: int | None = None,
                 source: Callable[[], int] | None = None,
                 persist: Callable[[dict[str, Any]], None] | None = None) -> None:
        self.offset = offset
        self.frozen = frozen
        self._source = source or (lambda: time.time_ns() // 100)
        self._persist = persist

    def now(self) -> int:
        return self.frozen if self.frozen is not None else self._source() + self.offset

    def state(self) -> dict[str, Any]:
        return {"offset": self.offset, "frozen": self.frozen}

    def load(self, state: dict[str, Any]) -> None:
        self.offset = int(state.get("offset") or 0)
        frozen = state.get("frozen")
        self.frozen = None if frozen is None else int(frozen)

    def _save(self) -> None:
        if self._persist is not None:
            self._persist(self.state())

    def advance(self, delta: int | float | str) -> None:
        """Move the lab's time: ticks, seconds (float) or text such as ``+2h``."""
        ticks = parse_delta(delta) if isinstance(delta, str) else (
            int(delta * TICKS_PER_SECOND) if isinstance(delta, float) else int(delta))
        check_range(self.now() + ticks)
        if self.frozen is not None:
            self.frozen += ticks
        else:
            self.offset += ticks
        self._save()

    def set(self, when: int | str, freeze: bool = False) -> None:
        """Jump to an instant (ticks or ISO text); ``freeze`` stops the clock there."""
        ticks = check_range(parse_datetime(when) if isinstance(when, str) else int(when))
        if freeze:
            self.frozen, self.offset = ticks, 0
        else:
            self.frozen, self.offset = None, ticks - self._source()
        self._save()

    def reset(self) -> None:
        self.offset, self.frozen = 0, None
        self._save()
