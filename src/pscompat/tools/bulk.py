"""Bulk Temporary Access Pass issuance: ``pscompat bulk tap`` and :func:`issue_passes`.

Why a command and not a script loop: a 10,000-user run meets Entra's write quota (3,000 writes
per 150 s per app and tenant), gets killed, and must be restarted without ever giving a user a
second pass. So requests go in ``$batch`` envelopes of 20 sent concurrently, throttled items are
retried after their own ``Retry-After`` (and the run slows to the refill rate once Graph's
``x-ms-throttle-limit-percentage`` reaches 0.95, before any 429), and a journal beside the output records each user
before its request is sent (``sent``) and after its result is written (``done``). On restart,
``done`` users are skipped; a ``sent`` user without ``done`` may already hold a pass whose
secret was lost with the killed process: the run asks Graph for the user's passes and, if one
exists, reports the user as skipped instead of issuing another.

The output CSV holds the secrets: it is created 0600 and the secrets go nowhere else (not the
journal, not the progress line, not errors).
"""

from __future__ import annotations

import csv
import json
import math
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

import httpx

BATCH_SIZE = 20                  # Graph's $batch limit
WRITE_LIMIT, WRITE_WINDOW = 3000, 150   # write quota per app+tenant (facts/graph-throttling.md)
SLOW_DOWN_AT = 0.95             # x-ms-throttle-limit-percentage at which the run paces itself
COLUMNS = ["user", "pass", "start", "lifetime", "oneTime", "status", "error"]
_TAPS = "/users/{}/authentication/temporaryAccessPassMethods"


class BulkError(Exception):
    """A bulk run that cannot start (bad CSV, unwritable output): a user-facing message."""


@dataclass
class Row:
    """One user of the CSV with its options (the row's columns override the run's)."""

    user: str
    lifetime: int | None
    one_time: bool | None
    start: str | None


@dataclass
class Summary:
    issued: int = 0
    failed: int = 0
    skipped: list[str] = field(default_factory=list)
    throttled: int = 0
    batches: int = 0
    seconds: float = 0.0


def _flag(text: str) -> bool | None:
    word = text.strip().lower()
    if not word:
        return None
    if word in ("true", "1", "yes", "$true"):
        return True
    if word in ("false", "0", "no", "$false"):
        return False
    raise BulkError(f"not a boolean: {text!r} (use true or false)")


def read_rows(path: Path, lifetime: int | None, one_time: bool | None, start: str | None) -> list[Row]:
    """Users from a CSV with a ``UserPrincipalName``/``upn``/``user`` or ``id`` column;
    ``lifetime``/``LifetimeInMinutes``, ``oneTime``/``isUsableOnce`` and ``start`` per row."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            records = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise BulkError(f"cannot read {path}: {exc}") from exc
    rows: list[Row] = []
    seen: set[str] = set()
    for n, rec in enumerate(records, start=2):
        low = {(k or "").strip().lower(): (v or "").strip() for k, v in rec.items()}
        user = next((low[k] for k in ("userprincipalname", "upn", "user", "id", "userid") if low.get(k)), "")
        if not user:
            raise BulkError(f"{path}, line {n}: no UserPrincipalName (or upn, user, id) value")
        if user.lower() in seen:
            raise BulkError(f"{path}, line {n}: {user} appears twice (one pass per user)")
        seen.add(user.lower())
        life = low.get("lifetime") or low.get("lifetimeinminutes")
        try:
            row_life = int(life) if life else lifetime
        except ValueError as exc:
            raise BulkError(f"{path}, line {n}: lifetime {life!r} is not a whole number of minutes") from exc
        once = low.get("onetime") or low.get("isusableonce") or ""
        row_once = _flag(once)
        rows.append(Row(user, row_life, one_time if row_once is None else row_once,
                        low.get("start") or low.get("startdatetime") or start))
    return rows


def expected_seconds(count: int) -> float:
    """The floor the lab's quota model implies for ``count`` writes of one app, buckets full."""
    return max(0.0, (count - WRITE_LIMIT) / (WRITE_LIMIT / WRITE_WINDOW))


def plan(rows: list[Row]) -> str:
    batches = math.ceil(len(rows) / BATCH_SIZE)
    return (f"{len(rows)} users, {batches} $batch requests of up to {BATCH_SIZE}; "
            f"write quota {WRITE_LIMIT}/{WRITE_WINDOW} s per app and tenant: "
            f"at least {expected_seconds(len(rows)):.0f} s")


def _open_0600(path: Path) -> IO[str]:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "a", encoding="utf-8", newline="")


class Journal:
    """``sent``/``done`` lines per user, fsynced, so a kill at any instant leaves a safe state."""

    def __init__(self, path: Path) -> None:
        self.sent: set[str] = set()
        self.done: set[str] = set()
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                kind, _, user = line.partition(" ")
                (self.sent if kind == "sent" else self.done if kind == "done" else set()).add(user)
        self._file = _open_0600(path)
        self._lock = threading.Lock()

    def mark(self, kind: str, users: Iterable[str]) -> None:
        with self._lock:
            self._file.write("".join(f"{kind} {u}\n" for u in users))
            self._file.flush()
            os.fsync(self._file.fileno())

    def close(self) -> None:
        self._file.close()


class Progress:
    """count/rate/ETA on one line of a TTY; silent otherwise."""

    def __init__(self, total: int, stream: IO[str] | None) -> None:
        self.total, self.stream, self.count = total, stream, 0
        self.started = time.monotonic()

    def add(self, n: int) -> None:
        self.count += n
        if self.stream is None:
            return
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = self.count / elapsed
        eta = (self.total - self.count) / rate if rate else 0.0
        self.stream.write(f"\r{self.count}/{self.total} passes  {rate:.1f}/s  ETA {eta:.0f} s ")
        self.stream.flush()

    def finish(self) -> None:
        if self.stream is not None:
            self.stream.write("\n")


def _body(row: Row) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if row.lifetime is not None:
        body["lifetimeInMinutes"] = row.lifetime
    if row.one_time is not None:
        body["isUsableOnce"] = row.one_time
    if row.start:
        body["startDateTime"] = row.start
    return body


def _header(headers: dict[str, Any], name: str) -> str | None:
    return next((str(v) for k, v in (headers or {}).items() if k.lower() == name), None)


class Runner:
    """Sends the batches; one instance per run."""

    def __init__(self, client: httpx.Client, writer: Any, out: IO[str], journal: Journal, progress: Progress,
                 sleep: Callable[[float], None], max_attempts: int) -> None:
        self.client, self.writer, self.out, self.journal = client, writer, out, journal
        self.progress, self.sleep, self.max_attempts = progress, sleep, max_attempts
        self.summary = Summary()
        self._lock = threading.Lock()
        self._pause_until = 0.0

    def _pace(self, seconds: float) -> None:
        """All workers hold back together: one throttled item means the bucket is empty."""
        with self._lock:
            self._pause_until = max(self._pause_until, time.monotonic() + seconds)

    def _wait(self) -> None:
        delay = self._pause_until - time.monotonic()
        if delay > 0:
            self.sleep(delay)

    def _record(self, row: Row, status: int, body: dict[str, Any]) -> None:
        error = ((body or {}).get("error") or {}).get("message", "") if status >= 300 else ""
        secret = (body or {}).get("temporaryAccessPass", "") if status < 300 else ""
        with self._lock:
            self.writer.writerow([row.user, secret, (body or {}).get("startDateTime", row.start or ""),
                                  (body or {}).get("lifetimeInMinutes", row.lifetime or ""),
                                  (body or {}).get("isUsableOnce", row.one_time if row.one_time is not None else ""),
                                  status, error])
            self.out.flush()
            os.fsync(self.out.fileno())
            if status < 300:
                self.summary.issued += 1
            else:
                self.summary.failed += 1
        self.journal.mark("done", [row.user])

    def batch(self, rows: list[Row]) -> None:
        pending = {str(i): r for i, r in enumerate(rows)}
        attempts = 0
        while pending:
            attempts += 1
            self._wait()
            self.journal.mark("sent", [r.user for r in pending.values()])
            requests = [{"id": i, "method": "POST", "url": _TAPS.format(quote(r.user, safe="")),
                         "headers": {"Content-Type": "application/json"}, "body": _body(r)}
                        for i, r in pending.items()]
            with self._lock:
                self.summary.batches += 1
            try:
                resp = self.client.post("/$batch", json={"requests": requests})
            except httpx.HTTPError:
                if attempts >= self.max_attempts:
                    raise
                self.sleep(min(2 ** attempts, 30))
                continue
            if resp.status_code in (429, 503, 504):
                retry = float(resp.headers.get("retry-after") or 2 ** attempts)
                self._pace(retry)
                continue
            if resp.status_code >= 300:
                for r in pending.values():
                    self._record(r, resp.status_code, _json(resp))
                self.progress.add(len(pending))
                return
            waits: list[float] = []
            usage = 0.0
            for item in resp.json().get("responses", []):
                row = pending.get(str(item.get("id")))
                if row is None:
                    continue
                status = int(item.get("status", 500))
                if status in (429, 503, 504) and attempts < self.max_attempts:
                    waits.append(float(_header(item.get("headers") or {}, "retry-after") or 2 ** attempts))
                    with self._lock:
                        self.summary.throttled += 1
                    continue
                usage = max(usage, _percentage(item.get("headers") or {}))
                self._record(row, status, item.get("body") or {})
                self.progress.add(1)
                del pending[str(item.get("id"))]
            if waits:
                self._pace(max(waits))
            elif usage >= SLOW_DOWN_AT:
                # Nearly at the quota: hold back for the time this batch's writes take to refill,
                # so the run settles at the refill rate instead of meeting 429s.
                self._pace(len(rows) / (WRITE_LIMIT / WRITE_WINDOW))


def _percentage(headers: dict[str, Any]) -> float:
    try:
        return float(_header(headers, "x-ms-throttle-limit-percentage") or 0)
    except ValueError:
        return 0.0


def _json(resp: httpx.Response) -> dict[str, Any]:
    try:
        data = resp.json()
    except (json.JSONDecodeError, ValueError):
        return {"error": {"message": f"HTTP {resp.status_code}"}}
    return data if isinstance(data, dict) else {}


def _has_pass(client: httpx.Client, user: str) -> bool:
    r = client.get(_TAPS.format(quote(user, safe="")))
    return r.status_code == 200 and bool(r.json().get("value"))


def issue_passes(client: httpx.Client, rows: list[Row], out_path: Path, *, concurrency: int = 4,
                 progress: IO[str] | None = None, sleep: Callable[[float], None] = time.sleep,
                 max_attempts: int = 10) -> Summary:
    """Issue one pass per row through ``client`` (base URL ``.../v1.0``, authenticated);
    resumable through ``<out>.journal``."""
    started = time.monotonic()
    journal = Journal(out_path.with_name(out_path.name + ".journal"))
    try:
        new_file = not out_path.exists() or out_path.stat().st_size == 0
        out = _open_0600(out_path)
    except OSError as exc:
        journal.close()
        raise BulkError(f"cannot write {out_path}: {exc.strerror}") from exc
    writer = csv.writer(out)
    if new_file:
        writer.writerow(COLUMNS)
        out.flush()
    todo: list[Row] = []
    skipped: list[str] = []
    for row in rows:
        if row.user in journal.done:
            skipped.append(row.user)
        elif row.user in journal.sent and _has_pass(client, row.user):
            skipped.append(row.user)     # issued by the killed run; its secret died with it
            journal.mark("done", [row.user])
        else:
            todo.append(row)
    bar = Progress(len(todo), progress)
    runner = Runner(client, writer, out, journal, bar, sleep, max_attempts)
    try:
        chunks = [todo[i:i + BATCH_SIZE] for i in range(0, len(todo), BATCH_SIZE)]
        with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
            for _ in pool.map(runner.batch, chunks):
                pass
    finally:
        bar.finish()
        out.close()
        journal.close()
    runner.summary.skipped = skipped
    runner.summary.seconds = time.monotonic() - started
    return runner.summary


def tty_stream(quiet: bool) -> IO[str] | None:
    return None if quiet or not sys.stderr.isatty() else sys.stderr
