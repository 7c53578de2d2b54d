"""What happened recently in a served lab, for the instructor console and the admin API:
Graph requests (method, path, status, caller, latency) and pass sign-ins (who, outcome).

Kept in memory, bounded (a ring per kind), in the process that serves: the console watches
the server it is part of, and a request log must cost the request path almost nothing (one
tuple appended). Paths are stored with their query string dropped, and nothing here ever
holds a pass, a token or a secret.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from typing import Any

MAX_REQUESTS = 2000
MAX_SIGNINS = 500


class Activity:
    """Two rings and a sequence number per entry (so pollers can ask for what is new)."""

    def __init__(self) -> None:
        self._seq = itertools.count(1)
        self._lock = threading.Lock()
        self.requests: deque[tuple[int, float, str, str, int, str, float]] = deque(maxlen=MAX_REQUESTS)
        self.signins: deque[tuple[int, float, str, bool, str]] = deque(maxlen=MAX_SIGNINS)

    def request(self, method: str, path: str, status: int, caller: str, seconds: float) -> None:
        """One Graph request; ``path`` without its query (a $filter may quote a UPN, never a secret,
        but the log has no need for it)."""
        with self._lock:
            self.requests.append((next(self._seq), time.time(), method, path.split("?", 1)[0], status, caller,
                                  round(seconds * 1000, 2)))

    def signin(self, upn: str, ok: bool, outcome: str) -> None:
        with self._lock:
            self.signins.append((next(self._seq), time.time(), upn[:256], ok, outcome))

    def recent_requests(self, limit: int = 50, since: int = 0) -> list[dict[str, Any]]:
        with self._lock:
            rows = [r for r in self.requests if r[0] > since][-limit:]
        return [{"seq": r[0], "time": r[1], "method": r[2], "path": r[3], "status": r[4], "caller": r[5],
                 "latencyMs": r[6]} for r in reversed(rows)]

    def recent_signins(self, limit: int = 50) -> list[dict[str, Any]]:
        with self._lock:
            rows = list(self.signins)[-limit:]
        return [{"seq": r[0], "time": r[1], "userPrincipalName": r[2], "success": r[3], "outcome": r[4]}
                for r in reversed(rows)]

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()
            self.signins.clear()
