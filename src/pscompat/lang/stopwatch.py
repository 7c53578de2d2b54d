"""``System.Diagnostics.Stopwatch``, which scripts use to time a run (``::StartNew()``,
``.Elapsed``, ``.ElapsedMilliseconds``), on Python's monotonic clock."""

from __future__ import annotations

import datetime as _dt
import time
from typing import Any

from pscompat.values import DotNetObject, TimeSpan

__all__ = ["Stopwatch"]


class Stopwatch(DotNetObject):
    type_names = ("System.Diagnostics.Stopwatch", "System.Object")
    type_keys = ("diagnostics.stopwatch",)
    void_methods = frozenset({"start", "stop", "reset", "restart"})
    __slots__ = ("_elapsed", "_started")

    def __init__(self) -> None:
        self._elapsed = 0.0
        self._started: float | None = None

    @classmethod
    def start_new(cls) -> Stopwatch:
        watch = cls()
        watch._started = time.perf_counter()
        return watch

    def _seconds(self) -> float:
        running = time.perf_counter() - self._started if self._started is not None else 0.0
        return self._elapsed + running

    def ps_property(self, name: str) -> tuple[bool, Any]:
        key = name.lower()
        elapsed = _dt.timedelta(seconds=self._seconds())   # one reading, at TimeSpan's resolution
        ticks = elapsed // _dt.timedelta(microseconds=1) * 10
        values = {"elapsed": TimeSpan(elapsed), "elapsedmilliseconds": ticks // 10_000,
                  "elapsedticks": ticks, "isrunning": self._started is not None}
        return (True, values[key]) if key in values else (False, None)

    def ps_call(self, name: str, args: list[Any]) -> Any:
        key = name.lower()
        if key == "start":
            if self._started is None:
                self._started = time.perf_counter()
        elif key == "stop":
            self._elapsed = self._seconds()
            self._started = None
        elif key == "reset":
            self._elapsed, self._started = 0.0, None
        elif key == "restart":
            self._elapsed, self._started = 0.0, time.perf_counter()
        elif key == "tostring":
            return self.type_name
        else:
            raise AttributeError(name)
        return None

    def ps_string(self) -> str:
        return self.type_name
