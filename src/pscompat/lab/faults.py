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
    {"kind": "error", "status": 507}                           # 500, 502, 503, 504 or 507
    {"kind": "random", "rate": 0.5, "seed": 7}                 # Dev Proxy's GraphRandomErrorPlugin:
                                                               # one of 429/500/502/503/504/507
    {"kind": "ratelimit", "limit": 120, "window": 60, "cost": 2}   # Dev Proxy's RateLimitingPlugin

``random`` draws a status from ``statuses`` (default all six) with the fault's seeded
generator and answers with Graph's error envelope for it (``ERRORS``); 429 and 503 carry
``Retry-After`` (``retryAfter``, default 5 s as Dev Proxy). ``ratelimit`` keeps a budget of
``limit`` resources per ``window`` seconds, each request costing ``cost``: once more than
``warningPercent`` (default 80) of it is used, responses carry ``RateLimit-Limit``,
``RateLimit-Remaining`` and ``RateLimit-Reset`` (seconds left, or the reset time in UTC epoch
seconds with ``resetFormat: UtcEpochSeconds``); past the budget a 429 with ``Retry-After``.
Both are separate from Entra's quota model: they simulate the client-visible behaviour only.

Every firing of every fault is counted (``lab fault list`` shows ``fired``).

Common keys: ``method`` (e.g. POST), ``path`` (glob on the path after /v1.0 or /beta, e.g.
``/users/*/authentication/temporaryAccessPassMethods``), ``rate`` (probability, default 1),
``times`` (fire at most N times), ``seed`` (for a repeatable ``rate``).
"""

from __future__ import annotations

import fnmatch
import math
import re
from typing import Any

KINDS = ("throttle", "unavailable", "error", "latency", "malformed", "random", "ratelimit")
# Status -> (Graph error code, message key in settings.messages) for simulated failures.
ERRORS: dict[int, tuple[str, str]] = {
    429: ("TooManyRequests", "throttled"),
    500: ("generalException", "internal"),
    502: ("BadGateway", "badGateway"),
    503: ("serviceNotAvailable", "unavailable"),
    504: ("gatewayTimeout", "gatewayTimeout"),
    507: ("quotaLimitReached", "insufficientStorage"),
}
RANDOM_STATUSES = (429, 500, 502, 503, 504, 507)
RANDOM_RETRY_AFTER = 5
_ALIASES = {"429": "throttle", "throttling": "throttle", "503": "unavailable",
            "504": "unavailable", "delay": "latency", "malformed-response": "malformed",
            "500": "error", "502": "error", "507": "error", "random-error": "random", "rate-limit": "ratelimit",
            "ratelimiting": "ratelimit"}
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
    elif kind in ("unavailable", "error"):
        allowed |= {"status", "retryAfter"}
        named = str(raw.get("kind"))
        status = raw.get("status", int(named) if named.isdigit() else 503)
        if kind == "unavailable" and status not in (503, 504):
            raise FaultError("'status' must be 503 or 504")
        if status not in ERRORS or status == 429:
            raise FaultError("'status' must be 500, 502, 503, 504 or 507 (429: a throttle fault)")
        spec["status"] = status
        if raw.get("retryAfter") is not None:
            spec["retryAfter"] = _number(raw, "retryAfter", 0, integer=True)
    elif kind == "random":
        allowed |= {"statuses", "retryAfter"}
        statuses = raw.get("statuses")
        if statuses is None:
            statuses = list(RANDOM_STATUSES)
        if not isinstance(statuses, list) or not statuses or any(s not in RANDOM_STATUSES for s in statuses):
            raise FaultError(f"'statuses' must be a non-empty list of {', '.join(map(str, RANDOM_STATUSES))}")
        spec["statuses"] = sorted(set(statuses))
        spec["retryAfter"] = RANDOM_RETRY_AFTER if raw.get("retryAfter") is None else \
            _number(raw, "retryAfter", 0, integer=True)
        spec.setdefault("rate", 0.5)
    elif kind == "ratelimit":
        allowed |= {"limit", "window", "cost", "warningPercent", "resetFormat"}
        spec["limit"] = _number(raw, "limit", 1, integer=True) if raw.get("limit") is not None else 120
        spec["window"] = _number(raw, "window", 1, integer=True) if raw.get("window") is not None else 60
        spec["cost"] = _number(raw, "cost", 1, integer=True) if raw.get("cost") is not None else 2
        spec["warningPercent"] = (_number(raw, "warningPercent", 0, 100, integer=True)
                                  if raw.get("warningPercent") is not None else 80)
        fmt = raw.get("resetFormat", "SecondsLeft")
        if fmt not in ("SecondsLeft", "UtcEpochSeconds"):
            raise FaultError("'resetFormat' must be SecondsLeft or UtcEpochSeconds")
        spec["resetFormat"] = fmt
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
        if (self.rate is not None and self.rate < 1.0) or self.kind == "random":
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

    __slots__ = ("error", "delay", "malformed", "headers")

    def __init__(self) -> None:
        self.error: tuple[int, str, str, int | None] | None = None  # status, code, message key, retry-after
        self.delay = 0.0
        self.malformed: list[dict[str, Any]] = []
        self.headers: list[tuple[str, str]] = []  # added to the response, error or not


def evaluate(faults: list[Fault], store: Any, method: str, path: str, real_seconds: float) -> Outcome:
    """Decide the faults for one request; counters are updated in one transaction."""
    outcome = Outcome()
    matching = [f for f in faults if f.matches(method, path)]
    if not matching:
        return outcome
    # Every firing is counted in the store (other processes show it), so a matching fault
    # always costs one write transaction; requests no fault matches cost nothing.
    with store.write() as db:
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
    if f.kind == "ratelimit":
        if not _rate_limit(f, window_start, window_count, db, outcome, real_seconds):
            return
        db.execute("UPDATE faults SET fired=fired+1 WHERE id=?", (f.id,))
        return
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
    elif (outcome.error is not None and f.kind in ("throttle", "unavailable", "error", "random")) or not f.rolls():
        return
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
    elif f.kind == "random":
        status = f.rng.choice(f.spec["statuses"])
        code, key = ERRORS[status]
        outcome.error = (status, code, key, retry_after if status in (429, 503) else None)
    else:
        code, key = ERRORS[f.spec["status"]]
        outcome.error = (f.spec["status"], code, key, retry_after)


def _rate_limit(f: Fault, window_start: int, used: int, db: Any, outcome: Outcome, real_seconds: float) -> bool:
    """Dev Proxy's RateLimitingPlugin: charge ``cost`` against the window's budget, add the
    RateLimit headers past the warning threshold, 429 past the budget. True when it fired
    (headers or 429)."""
    spec = f.spec
    window, limit, cost = spec["window"], spec["limit"], spec["cost"]
    now = int(real_seconds)
    if now >= window_start + window:
        window_start, used = now, 0
    used += cost
    db.execute("UPDATE faults SET window_start=?, window_count=? WHERE id=?", (window_start, used, f.id))
    reset_at = window_start + window
    seconds_left = max(1, math.ceil(reset_at - real_seconds))
    exceeded = used > limit
    if not exceeded and used * 100 <= limit * spec["warningPercent"]:
        return False
    reset = str(reset_at) if spec["resetFormat"] == "UtcEpochSeconds" else str(seconds_left)
    outcome.headers += [("ratelimit-limit", str(limit)), ("ratelimit-remaining", str(max(0, limit - used))),
                        ("ratelimit-reset", reset)]
    if exceeded and outcome.error is None:
        outcome.error = (429, "TooManyRequests", "rateLimited", seconds_left)
    return True


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
