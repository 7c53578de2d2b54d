"""The bulk command SIGKILLed three times at random points of a 2,000-user run, then completed
(issue 15, 5c): every user ends with exactly one pass, and the pass in the lab is the one in
the output (its secret signs in, so no later POST replaced it) unless the user is reported as
skipped (killed between sending and writing: the journal knows it was sent).
Run: .venv/bin/python benchmarks/bench_bulk_kill.py [--users N] [--seed S]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
PSCOMPAT = str(Path(sys.executable).parent / "pscompat")


def _written(out: Path) -> int:
    try:
        return max(0, out.read_bytes().count(b"\n") - 1)
    except FileNotFoundError:
        return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    import yaml

    from pscompat.lab import open_lab
    from pscompat.lab.scenario import DEFAULT_SCENARIO

    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="pscompat-bulk-kill-"))
    data = yaml.safe_load(DEFAULT_SCENARIO.read_text())
    upns = [f"hire{i:05d}@contoso.lab" for i in range(args.users)]
    data["users"].extend({"id": str(uuid.UUID(int=i + 1)), "userPrincipalName": upn, "displayName": f"Hire {i}"}
                         for i, upn in enumerate(upns))
    scenario = tmp / "scenario.yaml"
    scenario.write_text(yaml.safe_dump(data))
    db = tmp / "lab.db"
    open_lab(db, scenario=scenario).close()
    users = tmp / "users.csv"
    users.write_text("UserPrincipalName\n" + "".join(u + "\n" for u in upns))
    out = tmp / "passes.csv"
    cmd = [PSCOMPAT, "bulk", "tap", "--lab", str(db), "--csv", str(users), "--out", str(out),
           "--lifetime", "480", "--multi-use", "--quiet"]
    env = {k: v for k, v in os.environ.items() if k != "PSCOMPAT_LAB_QUOTA"}
    start = time.perf_counter()
    kills = []
    # Random points: after a random number of results has been written (sorted, so each run
    # gets further), plus a random sub-batch delay so that kills also land mid-request.
    for target in sorted(rng.sample(range(1, args.users - 100), 3)):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + 120
        while proc.poll() is None and _written(out) < target and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.05))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills.append(_written(out))
    final = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    wall = time.perf_counter() - start
    with out.open(newline="") as f:
        rows = [r for r in csv.DictReader(f)]
    issued: dict[str, list[str]] = {}
    for r in rows:
        if r["status"] == "201":
            issued.setdefault(r["user"], []).append(r["pass"])
    lab = open_lab(db)
    doubles = [u for u, p in issued.items() if len(p) > 1]
    without = [u for i, u in enumerate(upns) if lab.store.get_pass(str(uuid.UUID(int=i + 1))) is None]
    replaced = [u for u, p in issued.items() if not lab.verify_pass(u, p[0])["ok"]]
    skipped = [u for u in upns if u not in issued]
    lab.close()
    print(f"bulk tap killed after {kills} results, then completed (exit {final.returncode}): {len(upns)} users, "
          f"issued with secret {len(issued)}, skipped (sent by a killed run) {len(skipped)}, "
          f"issued twice {len(doubles)}, replaced {len(replaced)}, without a pass {len(without)}; wall {wall:.1f} s")
    print(final.stdout.strip().splitlines()[0] if final.stdout.strip() else final.stderr.strip())
    return 0 if final.returncode == 0 and not doubles and not without and not replaced and len(kills) == 3 else 1


if __name__ == "__main__":
    sys.exit(main())
