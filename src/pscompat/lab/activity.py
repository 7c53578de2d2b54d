"""What happened recently in a served lab, for the instructor console and the admin API:
Graph requests (method, path, status, caller, latency) and pass sign-ins (who, outcome).

Kept in memory, bounded (a ring per kind), in the process that serves: the console watches
the server it is part of, and a request log must cost the request path almost nothing (one
tuple appended). Paths are stored with their query string dropped, and nothing here ever
holds a pass, a token or a secret.
"""

from __future__ import annotations

import itertools
import time
from collections import deque
from typing import Any

MAX_REQUESTS = 2000
MAX_SIGNINS = 500


class Activity:
    """Two rings and a sequence number per entry (so pollers can ask for what is new)."""

    # No lock: deque.append, list(deque) and next(count) are each atomic under the GIL, and
    # this is on every request's path.
    def __init__(self) -> None:
        self._seq = itertools.count(1)
        self.requests: deque[tuple[int, float, str, str, int, str, float]] = deque(maxlen=MAX_REQUESTS)
        self.signins: deque[tuple[int, float, str, bool, str]] = deque(maxlen=MAX_SIGNINS)

    def request(self, method: str, path: str, status: int, caller: str, seconds: float) -> None:
        """One Graph request; ``path`` is the path only (the query is never logged: a $filter may
        quote a UPN, never a secret, but the log has no need for it)."""
        self.requests.append((next(self._seq), time.time(), method, path, status, caller, seconds))

    def signin(self, upn: str, ok: bool, outcome: str) -> None:
        self.signins.append((next(self._seq), time.time(), upn[:256], ok, outcome))

    def recent_requests(self, limit: int = 50, since: int = 0) -> list[dict[str, Any]]:
        rows = [r for r in list(self.requests) if r[0] > since][-limit:]
        return [{"seq": r[0], "time": r[1], "method": r[2], "path": r[3].split("?", 1)[0], "status": r[4],
                 "caller": r[5], "latencyMs": round(r[6] * 1000, 2)} for r in reversed(rows)]

    def recent_signins(self, limit: int = 50) -> list[dict[str, Any]]:
        rows = list(self.signins)[-limit:]
        return [{"seq": r[0], "time": r[1], "userPrincipalName": r[2], "success": r[3], "outcome": r[4]}
                for r in reversed(rows)]

    def clear(self) -> None:
        self.requests.clear()
        self.signins.clear()
