"""The served lab with the instructor console open: ``python benchmarks/bench_console.py``.

``pscompat lab serve`` runs in a subprocess; in this process an instructor's console session
(signed in over HTTP, polling ``/lab/console/state`` every second as the page does) runs in a
thread while a load generator sends create-pass POSTs on raw keep-alive connections:

1. throughput with 20 keep-alive clients (budget: >= 2,500 requests/s);
2. per-request latency with 200 concurrent keep-alive clients, each sending its next request as
   soon as the last is answered (a closed loop: the server is saturated), measured once all 200
   are connected (budget: p99 < 50 ms).

Both share the machine's cores with the load generator and the poller.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_lab import MEMBERS, _load, _run  # noqa: E402

RPS_BUDGET = 2500.0
P99_BUDGET_MS = 50.0


class ConsolePoller(threading.Thread):
    """Signs in to the console like a browser and polls its state feed every ``interval`` s."""

    def __init__(self, base: str, credential: str, interval: float) -> None:
        super().__init__(daemon=True, name="console-poller")
        self.base, self.credential, self.interval = base, credential, interval
        self.stop = threading.Event()
        self.polls = 0
        self.failures = 0

    def run(self) -> None:
        import httpx
        with httpx.Client(base_url=self.base, trust_env=False, timeout=10) as c:
            pre = re.search(r'name="csrf" value="(\w+)"', c.get("/lab/console/login").text)
            assert pre is not None
            r = c.post("/lab/console/login", data={"credential": self.credential, "csrf": pre.group(1)})
            if r.status_code != 303:
                raise RuntimeError(f"console sign-in failed: {r.status_code}")
            while not self.stop.wait(self.interval):
                ok = c.get("/lab/console/state").status_code == 200
                self.polls += 1
                self.failures += not ok


async def _latency_client(host: str, port: int, token: str, n: int, upn: str, out: list[float],
                          ready: asyncio.Barrier) -> None:
    """One keep-alive client: connect and send one unmeasured request, wait until every client
    is connected (connection set-up is not request latency), then time ``n`` requests."""
    reader, writer = await asyncio.open_connection(host, port)
    body = b'{"lifetimeInMinutes":60}'
    request = (f"POST /v1.0/users/{upn}%40contoso.lab/authentication/temporaryAccessPassMethods HTTP/1.1\r\n"
               f"Host: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
               f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body

    async def one() -> float:
        start = time.perf_counter()
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))  # type: ignore[union-attr]
        await reader.readexactly(length)
        return (time.perf_counter() - start) * 1000

    try:
        await one()
        await ready.wait()
        for _ in range(n):
            out.append(await one())
    finally:
        writer.close()


async def _latency(host: str, port: int, token: str, clients: int, per_client: int) -> list[float]:
    out: list[float] = []
    ready = asyncio.Barrier(clients)
    await asyncio.gather(*(_latency_client(host, port, token, per_client, MEMBERS[i % len(MEMBERS)], out, ready)
                           for i in range(clients)))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--per-client", type=int, default=250)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--latency-clients", type=int, default=200)
    ap.add_argument("--latency-per-client", type=int, default=20)
    ap.add_argument("--poll", type=float, default=1.0, help="Console poll interval in seconds.")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="pscompat-bench-") as tmp:
        db = Path(tmp) / "lab.db"
        from pscompat.lab import open_lab
        with open_lab(db) as lab:
            token, credential = lab.issue_token(), lab.admin_secret
        proc = subprocess.Popen([sys.executable, "-c", "from pscompat.cli import main; main()", "lab", "serve",
                                 "--port", "0", "--no-access-log", "--log-level", "warning"],
                                env=dict(os.environ, PSCOMPAT_LAB_DB=str(db)), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            line = proc.stdout.readline()  # type: ignore[union-attr]
            m = re.search(r"at http://([\d.]+):(\d+)", line)
            if not m:
                raise RuntimeError(f"server did not start: {line}")
            host, port = m.group(1), int(m.group(2))
            poller = ConsolePoller(f"http://{host}:{port}", credential, args.poll)
            poller.start()
            rates = []
            for _ in range(args.rounds):
                elapsed, _st = _run(_load(host, port, token, args.clients, args.per_client))
                rates.append(args.clients * args.per_client / elapsed)
            lat = sorted(_run(_latency(host, port, token, args.latency_clients, args.latency_per_client)))  # type: ignore[arg-type]
            poller.stop.set()
            poller.join(5)
        finally:
            proc.terminate()
            proc.wait(10)
    p99 = lat[max(0, int(len(lat) * 0.99) - 1)]
    report = {"rps_median": round(statistics.median(rates)), "rps_rounds": [round(r) for r in rates],
              "clients": args.clients, "latency_clients": args.latency_clients, "latency_requests": len(lat),
              "p50_ms": round(lat[len(lat) // 2], 2), "p99_ms": round(p99, 2), "console_polls": poller.polls,
              "console_poll_failures": poller.failures,
              "budgets": {"rps_min": RPS_BUDGET, "p99_ms_max": P99_BUDGET_MS}}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"with the console polling every {args.poll:g} s ({poller.polls} polls, {poller.failures} failed):")
        print(f"  create-pass, {args.clients} keep-alive clients: median {report['rps_median']} req/s "
              f"{report['rps_rounds']}  budget >= {RPS_BUDGET:.0f}  "
              f"{'OK' if report['rps_median'] >= RPS_BUDGET else 'OVER BUDGET'}")
        print(f"  {args.latency_clients} concurrent clients, {len(lat)} requests: p50 {report['p50_ms']} ms, "
              f"p99 {report['p99_ms']} ms  budget < {P99_BUDGET_MS:.0f} ms  "
              f"{'OK' if p99 < P99_BUDGET_MS else 'OVER BUDGET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
