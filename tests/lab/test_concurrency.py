"""Concurrent writers: one pass per user, no 5xx, no lost write, a consistent store after kill -9."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from pscompat.lab import open_lab
from pscompat.lab.core import Lab
from tests.lab.conftest import ADELE, POLICY, taps

MEMBERS = ["AdeleV", "AlexW", "DiegoS", "GradyA", "HenriettaM", "IsaiahL", "JohannaL", "JoniS", "LeeG", "LidiaH",
           "MeganB", "NestorW", "o'brien", "former.employee", "contractor", "admin", "authadmin", "privauthadmin",
           "reader", "policyadmin"]


def check_store(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        dupes = conn.execute("SELECT user_id, count(*) FROM passes GROUP BY user_id HAVING count(*) > 1").fetchall()
        assert dupes == []
    finally:
        conn.close()


def test_50_concurrent_creates_for_one_user_leave_one_pass(lab: Lab, served: str) -> None:
    token = lab.issue_token()

    async def run() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=f"{served}/v1.0", headers={"Authorization": f"Bearer {token}"},
                                     limits=httpx.Limits(max_connections=50)) as c:
            return await asyncio.gather(*(c.post(taps(ADELE), json={"lifetimeInMinutes": 60}) for _ in range(50)))

    responses = asyncio.run(run())
    assert [r.status_code for r in responses] == [201] * 50
    ids = {r.json()["id"] for r in responses}
    assert len(ids) == 50
    with httpx.Client(base_url=f"{served}/v1.0", headers={"Authorization": f"Bearer {token}"}) as c:
        listed = c.get(taps(ADELE)).json()["value"]
    assert len(listed) == 1 and listed[0]["id"] in ids
    check_store(lab.path)


def test_concurrent_creates_from_threads_and_processes_leave_one_pass(lab: Lab) -> None:
    """Writers in other processes (each with its own connection) and threads of this one."""
    code = ("import sys; from pscompat.lab import open_lab; from pscompat.lab.http import Request\n"
            "lab = open_lab(sys.argv[1]); t = 'Bearer ' + lab.issue_token()\n"
            "for _ in range(15):\n"
            "    r = lab.handle(Request('POST', '/v1.0/users/" + ADELE + "/authentication/temporaryAccessPassMethods',"
            " '', {'authorization': t}, b'{}'))\n"
            "    assert r.status == 201, r.finish()\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(lab.path)]) for _ in range(3)]
    from tests.lab.conftest import Graph
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            g = Graph(lab)
            for _ in range(15):
                assert g.post(taps(ADELE), json={}).status_code == 201
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert [p.wait(60) for p in procs] == [0, 0, 0]
    assert not errors
    check_store(lab.path)
    conn = sqlite3.connect(lab.path)
    assert conn.execute("SELECT count(*) FROM passes WHERE user_id=?", (ADELE,)).fetchone()[0] == 1
    conn.close()


def test_1000_mixed_requests_from_20_clients(lab: Lab, served: str) -> None:
    token = lab.issue_token()
    statuses: dict[int, int] = {}
    final: dict[str, str | None] = {}

    async def client(i: int, c: httpx.AsyncClient) -> None:
        upn = f"{MEMBERS[i]}@contoso.lab"
        current: str | None = None
        for step in range(50):
            kind = step % 5
            if kind in (0, 3):
                r = await c.post(taps(upn), json={})
                if r.status_code == 201:
                    current = r.json()["id"]
            elif kind == 1:
                r = await c.get(taps(upn))
                assert [m["id"] for m in r.json()["value"]] == ([current] if current else [])
            elif kind == 2:
                r = await c.get(POLICY) if i % 2 else await c.get("/users", params={"$top": "5"})
            else:
                if current and step % 10 == 4:
                    r = await c.delete(f"{taps(upn)}/{current}")
                    current = None
                else:
                    r = await c.get(f"{taps(upn)}/$count")
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
        final[upn] = current

    async def run() -> None:
        async with httpx.AsyncClient(base_url=f"{served}/v1.0", headers={"Authorization": f"Bearer {token}"},
                                     limits=httpx.Limits(max_connections=20), timeout=30) as c:
            await asyncio.gather(*(client(i, c) for i in range(20)))

    asyncio.run(run())
    assert sum(statuses.values()) == 1000
    assert not [s for s in statuses if s >= 500], statuses
    assert set(statuses) <= {200, 201, 204}, statuses
    for upn, current in final.items():      # no lost write: the store holds what each client did last
        row = lab.store.get_pass(lab.store.find_user(upn).id)  # type: ignore[union-attr]
        assert (row.id if row else None) == current, upn
    check_store(lab.path)


def test_store_consistent_after_kill_9_mid_run(tmp_path: Path) -> None:
    db = tmp_path / "lab" / "lab.db"
    lab = open_lab(db)
    token = lab.issue_token()
    lab.close()
    proc = subprocess.Popen([sys.executable, "-c", "from pscompat.cli import main; main()", "lab", "serve", "--port",
                             "0", "--no-access-log", "--log-level", "warning"],
                            env=dict(os.environ, PSCOMPAT_LAB_DB=str(db)), stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()  # type: ignore[union-attr]
    m = re.search(r"at (http://127\.0\.0\.1:\d+)", line)
    assert m, line
    acked: dict[str, list[str]] = {u: [] for u in MEMBERS[:12]}
    stop = time.monotonic() + 20

    async def client(upn: str, c: httpx.AsyncClient) -> None:
        while time.monotonic() < stop:
            try:
                r = await c.post(taps(f"{upn}@contoso.lab"), json={})
            except httpx.HTTPError:
                return
            assert r.status_code == 201
            acked[upn].append(r.json()["id"])

    async def run() -> None:
        async with httpx.AsyncClient(base_url=f"{m.group(1)}/v1.0", headers={"Authorization": f"Bearer {token}"},
                                     timeout=10) as c:
            async def killer() -> None:
                while sum(len(v) for v in acked.values()) < 300 and time.monotonic() < stop:
                    await asyncio.sleep(0.01)
                os.kill(proc.pid, signal.SIGKILL)
            await asyncio.gather(killer(), *(client(u, c) for u in acked))

    asyncio.run(run())
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    assert sum(len(v) for v in acked.values()) >= 300
    check_store(db)
    conn = sqlite3.connect(db)
    users = dict(conn.execute("SELECT upn, id FROM users"))
    for upn, ids in acked.items():
        row = conn.execute("SELECT id FROM passes WHERE user_id=?", (users[f"{upn}@contoso.lab"],)).fetchone()
        assert row is not None, upn
        # the last acknowledged pass, or a newer one whose 201 was lost with the server; never an older one
        assert row[0] == ids[-1] or row[0] not in ids, upn
    conn.close()
    reopened = open_lab(db)     # and the lab opens and serves again
    assert reopened.store.count_passes() == len(acked)
    reopened.close()


def test_a_served_lab_sees_every_commit_made_before_a_request_was_sent(lab: Lab, served: str) -> None:
    """The served lab picks up other processes' commits once per event-loop pass: a request
    sent after another connection committed (here: the TAP policy switched off and on, twenty
    times, on one keep-alive connection) always sees that commit."""
    other = open_lab(lab.path)
    token = lab.issue_token()
    enabled = dict(other.policy, state="enabled")
    disabled = dict(other.policy, state="disabled")
    try:
        with httpx.Client(base_url=f"{served}/v1.0", headers={"Authorization": f"Bearer {token}"}) as c:
            for i in range(20):
                other.save_policy(disabled if i % 2 else enabled)
                status = c.post(taps(ADELE), json={}).status_code
                assert status == (400 if i % 2 else 201), (i, status)
    finally:
        other.close()


def test_one_refresh_per_event_loop_pass_in_a_server_only(lab: Lab) -> None:
    """Requests made ready in one pass share one refresh; the next pass refreshes again; an
    in-process app (whose caller can answer and resend within a pass) refreshes every time."""
    from pscompat.lab.app import LabApp
    calls: list[int] = []
    real = lab.refresh

    def counting() -> None:
        calls.append(1)
        real()

    lab.refresh = counting  # type: ignore[method-assign]

    async def passes(app: LabApp) -> list[bool]:
        first = [app._refreshed_this_tick() for _ in range(3)]
        await asyncio.sleep(0)
        return first + [app._refreshed_this_tick()]

    assert asyncio.run(passes(LabApp(lab, refresh_per_pass=True))) == [True] * 4
    assert len(calls) == 2
    calls.clear()
    assert asyncio.run(passes(LabApp(lab))) == [False] * 4
    assert calls == []  # handle() refreshes for each of them itself
