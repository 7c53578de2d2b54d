"""Entra's identity-and-access throttling: token buckets per app+tenant, per app and per
tenant, charged with the documented resource-unit (RU) cost of each request.

Separate from faults.py (Dev-Proxy-style random faults and RateLimit headers): this module
models the quota itself, so that a bulk run meets the limits a real tenant would impose and
its duration can be compared with the floor the model implies. Numbers and header names are
those of /work/shared/facts/graph-throttling.md (Microsoft Learn, "Identity and access service
limits"). The page does not give the bucket size; the lab's buckets start full at the limit
and refill continuously at limit/window, so 10,000 writes from one app take at least
(10,000 - 3,000) / 20 = 350 s of lab time.

Time is the lab clock's (ticks), so ``lab clock advance`` refills buckets. In virtual-time
mode a throttled request advances the lab clock by the exact time its bucket needs to refill
the request's cost (Retry-After is that, rounded up): the caller's wait can then be scaled
down to nothing, a 10,000-pass run costs seconds of wall time, and, as every refusal credits
the tokens of one request, the lab-clock duration of the run stays at the quota's floor.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

TICKS_PER_SECOND = 10_000_000

# (limit, window seconds) by tenant size; the size comes from the lab's user count.
RU_APP_TENANT = {"S": (3500, 10), "M": (5000, 10), "L": (8000, 10)}
WRITE_APP_TENANT = (3000, 150)
RU_APP = (150_000, 20)
WRITE_APP = (35_000, 300)
WRITE_TENANT = (18_000, 300)
WARN_FRACTION = 0.8
# A low-priority request is refused while a bucket is below this share of its capacity
# ("low is throttled first; limits unchanged").
LOW_PRIORITY_RESERVE = 0.1
_WRITES = ("POST", "PATCH", "PUT", "DELETE")


def tenant_size(user_count: int) -> str:
    """S under 50 users, M 50 to 500, L above 500."""
    return "S" if user_count < 50 else ("M" if user_count <= 500 else "L")


def cost(method: str, path: str, query: dict[str, str]) -> tuple[int, int]:
    """(resource units, writes) of one request on an identity path (``users...``, ``me...``).

    ``GET users`` (the list) costs 2 RU, any other GET 1 RU; a write costs 1 RU and 1 write.
    ``$select`` -1, ``$expand`` +1, ``$top`` below 20 -1; never below 1 RU.
    """
    segs = [s for s in path.split("/") if s]
    method = method.upper()
    if method in _WRITES:
        units, writes = 1, 1
    else:
        units, writes = (2 if [s.lower() for s in segs] == ["users"] else 1), 0
    keys = {k.lower(): v for k, v in query.items()}
    if "$select" in keys:
        units -= 1
    if "$expand" in keys:
        units += 1
    top = keys.get("$top")
    if top is not None and top.strip().isdigit() and int(top) < 20:
        units -= 1
    return max(units, 1), writes


def is_identity_path(path: str) -> bool:
    first = next((s for s in path.split("/") if s), "").lower()
    return first in ("users", "me")


class Bucket:
    """A token bucket that starts full at ``limit`` and refills at limit/window per second."""

    __slots__ = ("limit", "window", "tokens", "stamp")

    def __init__(self, limit: int, window: int, now: int) -> None:
        self.limit, self.window = limit, window
        self.tokens = float(limit)
        self.stamp = now

    @property
    def rate(self) -> float:
        return self.limit / self.window

    def refill(self, now: int) -> None:
        if now > self.stamp:
            self.tokens = min(float(self.limit), self.tokens + (now - self.stamp) / TICKS_PER_SECOND * self.rate)
        self.stamp = max(self.stamp, now)

    def wait(self, amount: float, reserve: float = 0.0) -> float:
        """Seconds until ``amount`` can be taken while keeping ``reserve`` (a share) back."""
        missing = amount + reserve * self.limit - self.tokens
        return 0.0 if missing <= 1e-9 else missing / self.rate   # float dust is not a wait

    def used(self) -> float:
        """Share of the limit in use: 0 when full, 1.0 when empty."""
        return 1.0 - self.tokens / self.limit


@dataclass
class Decision:
    """The outcome of charging one request: headers for the response, and for a throttled
    request the seconds to wait, the scope and the information header."""

    units: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    retry_after: int | None = None
    wait: float = 0.0           # exact seconds until the request could pass (virtual time)
    scope: str = ""
    information: str = ""


@dataclass
class QuotaConfig:
    """What a scenario (``settings.quota``) or ``PSCOMPAT_LAB_QUOTA`` asks for."""

    enabled: bool = False
    virtual_time: bool = False
    size: str | None = None     # S/M/L; None: from the lab's user count

    @classmethod
    def parse(cls, spec: Any) -> QuotaConfig:
        """``on``, ``off``, ``virtual``, or a mapping {enabled, virtualTime, size}."""
        if spec is None or spec is False:
            return cls()
        if spec is True:
            return cls(enabled=True)
        if isinstance(spec, str):
            word = spec.strip().lower()
            if word in ("", "off", "0", "false", "no"):
                return cls()
            if word in ("on", "1", "true", "yes"):
                return cls(enabled=True)
            if word == "virtual":
                return cls(enabled=True, virtual_time=True)
            raise ValueError(f"quota must be on, off or virtual, not {spec!r}")
        if isinstance(spec, dict):
            size = spec.get("size")
            if size is not None and str(size).upper() not in RU_APP_TENANT:
                raise ValueError(f"quota size must be S, M or L, not {size!r}")
            return cls(enabled=bool(spec.get("enabled", True)), virtual_time=bool(spec.get("virtualTime", False)),
                       size=None if size is None else str(size).upper())
        raise ValueError(f"quota must be on, off, virtual or a mapping, not {spec!r}")

    @property
    def mode(self) -> str:
        return "virtual" if self.enabled and self.virtual_time else ("on" if self.enabled else "off")

    def to_spec(self) -> dict[str, Any]:
        """The mapping form ``parse`` reads back (what the lab stores)."""
        return {"enabled": self.enabled, "virtualTime": self.virtual_time, "size": self.size}


class Quota:
    """The buckets of one lab. Thread-safe: the served lab charges from several threads."""

    def __init__(self, config: QuotaConfig, now: Callable[[], int], user_count: Callable[[], int]) -> None:
        self.config = config
        self._now = now
        self._user_count = user_count
        self._buckets: dict[tuple[str, ...], Bucket] = {}
        self._lock = threading.Lock()
        self._size: tuple[str, float] | None = None

    def _bucket(self, key: tuple[str, ...], limit: int, window: int, now: int) -> Bucket:
        b = self._buckets.get(key)
        if b is None or b.limit != limit:
            b = self._buckets[key] = Bucket(limit, window, now)
        b.refill(now)
        return b

    def size(self) -> str:
        """The configured size, else from the user count (looked up at most every 10 s)."""
        if self.config.size:
            return self.config.size
        if self._size is None or time.monotonic() - self._size[1] > 10:
            self._size = (tenant_size(self._user_count()), time.monotonic())
        return self._size[0]

    def charge(self, app_id: str, tenant_id: str, method: str, path: str, query: dict[str, str],
               priority: str | None = None) -> Decision:
        """Take the request's cost from every bucket it counts against, or refuse it whole.

        The first limit that cannot pay throttles (scope and information name it); nothing is
        taken from any bucket then, as a refused request consumes no quota.
        """
        units, writes = cost(method, path, query)
        if not is_identity_path(path):
            return Decision(units, [("x-ms-resource-unit", str(units))])
        reserve = LOW_PRIORITY_RESERVE if (priority or "").strip().lower() == "low" else 0.0
        with self._lock:
            now = self._now()
            ru_limit, ru_window = RU_APP_TENANT[self.size()]
            checks: list[tuple[Bucket, int, str, str, str]] = [
                (self._bucket(("ru", app_id, tenant_id), ru_limit, ru_window, now), units,
                 "Tenant_Application", "ReadWrite", "ResourceUnitLimitExceeded"),
                (self._bucket(("ru", app_id), *RU_APP, now), units,
                 "Application", "ReadWrite", "ResourceUnitLimitExceeded"),
            ]
            if writes:
                checks += [
                    (self._bucket(("w", app_id, tenant_id), *WRITE_APP_TENANT, now), writes,
                     "Tenant_Application", "Write", "WriteLimitExceeded"),
                    (self._bucket(("w", app_id), *WRITE_APP, now), writes,
                     "Application", "Write", "WriteLimitExceeded"),
                    (self._bucket(("w", "", tenant_id), *WRITE_TENANT, now), writes,
                     "Tenant", "Write", "WriteLimitExceeded"),
                ]
            for bucket, amount, scope, limit, info in checks:
                seconds = bucket.wait(amount, reserve)
                if seconds > 0:
                    retry = max(1, math.ceil(seconds))
                    subject = tenant_id if scope != "Application" else app_id
                    overload = 1.0 + max(0.0, amount - bucket.tokens) / bucket.limit
                    return Decision(units, [
                        ("x-ms-resource-unit", str(units)),
                        ("x-ms-throttle-limit-percentage", f"{min(overload, 1.8):.1f}"),
                    ], retry, seconds, f"{scope}/{limit}/{app_id}/{subject}", info)
            for bucket, amount, *_ in checks:
                bucket.tokens -= amount
            used = max(b.used() for b, *_ in checks)
        headers = [("x-ms-resource-unit", str(units))]
        if used > WARN_FRACTION:
            headers.append(("x-ms-throttle-limit-percentage", f"{used:.1f}"))
        return Decision(units, headers)

    def floor_seconds(self, writes: int) -> float:
        """Least lab time ``writes`` write requests from one app take, buckets starting full."""
        limit, window = WRITE_APP_TENANT
        return max(0.0, (writes - limit) / (limit / window))

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()

    def snapshot(self) -> list[dict[str, Any]]:
        """Every bucket in use: what it limits, its limit per window, and how full it is now."""
        names = {"ru": "resource units", "w": "writes"}
        out = []
        with self._lock:
            now = self._now()
            for key, bucket in sorted(self._buckets.items()):
                bucket.refill(now)
                kind, *who = key
                scope = ("Tenant" if who[0] == "" else "Tenant_Application") if len(who) == 2 else "Application"
                out.append({"scope": scope, "kind": names.get(kind, kind),
                            "app": who[0] or None, "tenant": who[1] if len(who) == 2 else None,
                            "limit": bucket.limit, "windowSeconds": bucket.window,
                            "available": round(bucket.tokens, 1), "usedPercent": round(bucket.used() * 100, 1)})
        return out
