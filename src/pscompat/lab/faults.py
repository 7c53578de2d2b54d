"""Fault injection: throttling (429 + Retry-After, by rate or by a requests-per-window limit),
503/504, latency and malformed responses. Faults come from the scenario or are added at run
time (``pscompat lab fault add``); their counters live in the store so that they hold across
the short processes of the in-process mode.

A fault spec (JSON-able dict)::

    {"kind": "throttle", "rate": 0.2, "retryAfter": 2}
    {"kind": "throttle", "limit": 10, "window": 60}            # >10 requests per 60 s -> 429
    {"kind": "unavailable", "status": 503, "times": 2}         # the next two requests -> 503
    {"kind": "latency", "ms": 250, "jitterMs": 50}
    {"kind": "malformed", "field": "lifetimeInMinutes", "value": "sixty"}
    {"kind": "malformed", "raw": "{not json"}

Common keys: ``method`` (e.g. POST), ``path`` (glob on the path after /v1.0 or /beta, e.g.
``/users/*/authentication/temporaryAccessPassMethods``), ``rate`` (probability, default 1),
``times`` (fire at most N times), ``seed`` (for a repeatable ``rate``).
"""

from __future__ import annotations

import fnmatch
import math
import re
from contextlib import nullcontext
from typing import Any

KINDS = ("throttle", "unavailable", "latency", "malformed")
_ALIASES = {"429": "throttle", "throttling": "throttle", "503": "unavailable",
            "504": "unavailable", "delay": "latency", "malformed-response": "malformed"}
MALFORMED_DEFAULTS: dict[str, Any] = {
    "lifetimeInMinutes": "sixty",
    "methodUsabilityReason": "UnknownFutureReason",
    "isUsable": "yes",
    "isUsableOnce": "no",
    "createdDateTime": "yesterday",
    "startDateTime": "soon",
    "id": 12345,
    "temporaryAccessPass": 12345678,
}


class FaultError(ValueError):
    pass


def _number(spec: dict[str, Any], key: str, low: float, high: float | None = None,
            integer: bool = False) -> Any:
    value = spec[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not float(value).is_integer()):
        raise FaultError(f"'{key}' must be a{'n integer' if integer else ' number'}")
    if value < low or (high is not None and value > high):
        raise FaultError(f"'{key}' must be between {low} and {high}" if high is not None
                         else f"'{key}' must be at least {low}")
    return int(value) if integer else float(value)


def normalise_fault(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise FaultError("a fault must be a mapping with a 'kind'")
    kind = str(raw.get("kind", "")).lower()
    kind = _ALIASES.get(kind, kind)
    if kind not in KINDS:
        raise FaultError(f"unknown fault kind {raw.get('kind')!r} (kinds: {', '.join(KINDS)})")
    spec: dict[str, Any] = {"kind": kind}
    allowed = {"kind", "method", "path", "rate", "times", "seed"}
    if raw.get("method"):
        spec["method"] = str(raw["method"]).upper()
    if raw.get("path"):
        spec["path"] = str(raw["path"])
    if raw.get("rate") is not None:
        spec["rate"] = _number(raw, "rate", 0.0, 1.0)
    if raw.get("times") is not None:
        spec["times"] = _number(raw, "times", 1, integer=True)
    if raw.get("seed") is not None:
        spec["seed"] = _number(raw, "seed", 0, integer=True)
    if kind == "throttle":
        allowed |= {"limit", "window", "retryAfter"}
        if raw.get("limit") is not None or raw.get("window") is not None:
            if raw.get("limit") is None or raw.get("window") is None:
                raise FaultError("a throttle by window needs both 'limit' and 'window' (seconds)")
            spec["limit"] = _number(raw, "limit", 0, integer=True)
            spec["window"] = _number(raw, "window", 1, integer=True)
        if raw.get("retryAfter") is not None:
            spec["retryAfter"] = _number(raw, "retryAfter", 0, integer=True)
    elif kind == "unavailable":
        allowed |= {"status", "retryAfter"}
        status = raw.get("status", 503 if str(raw.get("kind")) != "504" else 504)
        if status not in (503, 504):
            raise FaultError("'status' must be 503 or 504")
        spec["status"] = status
        if raw.get("retryAfter") is not None:
            spec["retryAfter"] = _number(raw, "retryAfter", 0, integer=True)
    elif kind == "latency":
        allowed |= {"ms", "jitterMs"}
        if raw.get("ms") is None:
            raise FaultError("a latency fault needs 'ms'")
        spec["ms"] = _number(raw, "ms", 0, 600_000)
        if raw.get("jitterMs") is not None:
            spec["jitterMs"] = _number(raw, "jitterMs", 0, 600_000)
    else:  # malformed
        allowed |= {"field", "value", "remove", "raw"}
        if raw.get("raw") is not None:
            spec["raw"] = str(raw["raw"])
        else:
            spec["field"] = str(raw.get("field") or "lifetimeInMinutes")
            if raw.get("remove"):
                spec["remove"] = True
            else:
                spec["value"] = raw["value"] if "value" in raw else MALFORMED_DEFAULTS.get(spec["field"], "malformed")
    unknown = set(raw) - allowed
    if unknown:
        raise FaultError(f"unknown keys for a {kind} fault: {sorted(unknown)}")
    return spec


class Fault:
    """A compiled spec with its store id."""

    __slots__ = ("id", "spec", "kind", "method", "pattern", "rate", "times", "rng")

    def __init__(self, fault_id: int, spec: dict[str, Any]) -> None:
        self.id = fault_id
        self.spec = spec
        self.kind = spec["kind"]
        self.method = spec.get("method")
        path = spec.get("path")
        self.pattern = re.compile(fnmatch.translate(path), re.I) if path else None
        self.rate = spec.get("rate")
        self.times = spec.get("times")
        self.rng: Any = None
        if self.rate is not None and self.rate < 1.0:
            import random
            self.rng = random.Random(spec.get("seed"))

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method != method:
            return False
        return self.pattern is None or self.pattern.match(path) is not None

    def rolls(self) -> bool:
        return self.rng is None or self.rng.random() < float(self.rate or 0.0)


class Outcome:
    """What the faults decided for one request."""

    __slots__ = ("error", "delay", "malformed")

    def __init__(self) -> None:
        self.error: tuple[int, str, str, int | None] | None = None  # status, code, message key, retry-after
        self.delay = 0.0
        self.malformed: list[dict[str, Any]] = []


def evaluate(faults: list[Fault], store: Any, method: str, path: str, real_seconds: float) -> Outcome:
    """Decide the faults for one request; counters are updated in one transaction."""
    outcome = Outcome()
    matching = [f for f in faults if f.matches(method, path)]
    if not matching:
        return outcome
    needs_write = any(f.times is not None or "limit" in f.spec for f in matching)
    with store.write() if needs_write else nullcontext(None) as db:
        counters: dict[int, tuple[int, int, int]] = {}
        if db is not None:
            counters = {r[0]: (r[1], r[2], r[3]) for r in db.execute(
                "SELECT id, fired, window_start, window_count FROM faults")}
        for f in matching:
            _apply(f, counters.get(f.id, (0, 0, 0)), db, outcome, real_seconds)
    return outcome


def _apply(f: Fault, counters: tuple[int, int, int], db: Any, outcome: Outcome,
           real_seconds: float) -> None:
    fired, window_start, window_count = counters
    if f.times is not None and fired >= f.times:
        return
    retry_after: int | None = f.spec.get("retryAfter")
    if f.kind == "throttle" and "limit" in f.spec:
        window = f.spec["window"]
        now = int(real_seconds)
        if now >= window_start + window:
            window_start, window_count = now - (now % window), 0
        window_count += 1
        db.execute("UPDATE faults SET window_start=?, window_count=? WHERE id=?",
                   (window_start, window_count, f.id))
        if window_count <= f.spec["limit"] or outcome.error is not None or not f.rolls():
            return
        if retry_after is None:
            retry_after = max(1, math.ceil(window_start + window - real_seconds))
    elif (outcome.error is not None and f.kind in ("throttle", "unavailable")) or not f.rolls():
        return
    if f.times is not None:
        db.execute("UPDATE faults SET fired=fired+1 WHERE id=?", (f.id,))
    if f.kind == "latency":
        jitter = f.spec.get("jitterMs", 0)
        if jitter:
            import random
            outcome.delay += max(0.0, (f.spec["ms"] + (f.rng or random).uniform(-jitter, jitter)) / 1000.0)
        else:
            outcome.delay += f.spec["ms"] / 1000.0
    elif f.kind == "malformed":
        outcome.malformed.append(f.spec)
    elif f.kind == "throttle":
        outcome.error = (429, "TooManyRequests", "throttled", 1 if retry_after is None else retry_after)
    elif f.spec["status"] == 504:
        outcome.error = (504, "gatewayTimeout", "gatewayTimeout", retry_after)
    else:
        outcome.error = (503, "serviceNotAvailable", "unavailable", retry_after)


def corrupt(body: Any, specs: list[dict[str, Any]]) -> Any:
    """Apply malformed-response faults to a JSON body; returns bytes for a ``raw`` fault."""
    for spec in specs:
        if "raw" in spec:
            return spec["raw"].encode("utf-8")
        if not isinstance(body, dict):
            continue
        targets = [body]
        if isinstance(body.get("value"), list):
            targets = [t for t in body["value"] if isinstance(t, dict)] or [body]
        for target in targets:
            if spec.get("remove"):
                target.pop(spec["field"], None)
            else:
                target[spec["field"]] = spec["value"]
    return body
