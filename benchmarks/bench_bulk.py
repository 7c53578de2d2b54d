"""Bulk issuance through the served lab with Entra's quota on, in virtual time (issue 15, 5a).

N users (default 10,000) are added to a fresh lab, the lab is served over loopback, and
tools.bulk.issue_passes issues one pass each with the client's sleeps scaled to zero (the lab
clock advances by each throttled request's wait instead). Reported: failures, duplicates (users
holding more than one pass), the lab-clock duration against the floor the quota model implies
((N - 3,000) / 20 writes per second: buckets start full), and wall time.
Run: .venv/bin/python benchmarks/bench_bulk.py [--users N] [--concurrency C]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    import httpx
    import yaml

    from pscompat.lab import open_lab, serve_in_thread
    from pscompat.lab.clock import TICKS_PER_SECOND
    from pscompat.lab.scenario import DEFAULT_SCENARIO
    from pscompat.tools.bulk import Row, expected_seconds, issue_passes

    tmp = Path(tempfile.mkdtemp(prefix="pscompat-bulk-"))
    data = yaml.safe_load(DEFAULT_SCENARIO.read_text())
    upns = [f"hire{i:05d}@contoso.lab" for i in range(args.users)]
    data["users"].extend({"id": str(uuid.UUID(int=i + 1)), "userPrincipalName": upn, "displayName": f"Hire {i}"}
                         for i, upn in enumerate(upns))
    data["quota"] = "virtual"
    scenario = tmp / "scenario.yaml"
    scenario.write_text(yaml.safe_dump(data))
    os.environ.pop("PSCOMPAT_LAB_QUOTA", None)
    lab = open_lab(tmp / "lab.db", scenario=scenario)
    lab.clock.set("2030-01-01T00:00:00Z", freeze=True)   # lab time passes only by the quota's waits
    url, stop, _ = serve_in_thread(lab)
    client = httpx.Client(base_url=url + "/v1.0", headers={"Authorization": f"Bearer {lab.issue_token()}"},
                          timeout=120)
    lab_start, wall = lab.clock.now(), time.perf_counter()
    summary = issue_passes(client, [Row(u, 480, True, None) for u in upns], tmp / "passes.csv",
                           concurrency=args.concurrency, sleep=lambda s: None, max_attempts=1000)
    wall = time.perf_counter() - wall
    lab_seconds = (lab.clock.now() - lab_start) / TICKS_PER_SECOND
    client.close()
    stop()
    with (tmp / "passes.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    issued = [r["user"] for r in rows if r["status"] == "201"]
    per_user = {upn: lab.store.get_pass(str(uuid.UUID(int=i + 1))) for i, upn in enumerate(upns)}
    lab.close()
    floor = expected_seconds(args.users)
    duplicates = len(issued) - len(set(issued))
    missing = sum(1 for p in per_user.values() if p is None)
    print(f"bulk tap, {args.users} users, served lab, quota virtual: issued {summary.issued}, "
          f"failed {summary.failed}, duplicates {duplicates}, users without a pass {missing}, "
          f"throttled items {summary.throttled}, batches {summary.batches}")
    print(f"lab-clock duration {lab_seconds:.1f} s vs floor {floor:.1f} s "
          f"({(lab_seconds / floor - 1) * 100 if floor else 0:+.1f}%); wall {wall:.1f} s")
    ok = summary.failed == 0 and duplicates == 0 and missing == 0 and (floor == 0 or lab_seconds <= floor * 1.1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
