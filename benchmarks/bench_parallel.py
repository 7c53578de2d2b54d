"""ForEach-Object -Parallel against a sequential foreach, through the served lab with 50 ms latency (issue 15, 5b).

The same script body issues one Temporary Access Pass per CSV row; one run is a sequential
``foreach``, the other ``Import-Csv | ForEach-Object -ThrottleLimit 10 -Parallel``. The lab is served
over loopback HTTP by ``pscompat lab serve`` in its own process (as a tenant is: its CPU is not
the script's) with a latency fault (every request waits ``--latency-ms``). Each run gets its own
users (a user holds one pass); an untimed call first pays the imports, so both runs are warm.
Reported: both wall times, the ratio (budget: parallel >= 8x faster) and that every row got
exactly one pass. ``--in-process`` serves the lab from a thread
of the benchmark instead (what the test does; the server then shares the GIL).
Run: .venv/bin/python benchmarks/bench_parallel.py [--users N] [--latency-ms MS] [--throttle T]
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

BUDGET = 8.0

SEQUENTIAL = r"""
$rows = foreach ($row in Import-Csv -Path $env:BENCH_CSV) {
    $tap = New-MgUserAuthenticationTemporaryAccessPassMethod -UserId $row.UserPrincipalName -LifetimeInMinutes 60
    [pscustomobject]@{ UserPrincipalName = $row.UserPrincipalName; Pass = $tap.TemporaryAccessPass }
}
$rows | Export-Csv -Path $env:BENCH_OUT -NoTypeInformation
"""

PARALLEL = r"""
Import-Csv -Path $env:BENCH_CSV | ForEach-Object -ThrottleLimit THROTTLE -Parallel {
    $tap = New-MgUserAuthenticationTemporaryAccessPassMethod -UserId $_.UserPrincipalName -LifetimeInMinutes 60
    [pscustomobject]@{ UserPrincipalName = $_.UserPrincipalName; Pass = $tap.TemporaryAccessPass }
} | Export-Csv -Path $env:BENCH_OUT -NoTypeInformation
"""


def _serve_process(db: Path) -> tuple[str, Any]:
    """``pscompat lab serve`` on a free port in a child process: (base URL, stop)."""
    import re
    import subprocess
    code = "import sys; from pscompat.cli import main; sys.exit(main())"
    proc = subprocess.Popen([sys.executable, "-c", code, "lab", "--db", str(db), "serve", "--port", "0",
                             "--no-access-log", "--log-level", "warning"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    url = None
    while url is None and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        m = re.search(r"at (http://127\.0\.0\.1:\d+) ", line)
        url = m.group(1) if m else None
    if url is None:
        proc.kill()
        raise RuntimeError("the lab server did not start")

    def stop() -> None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
    return url, stop


def measure(users: int, latency_ms: int, throttle: int, tmp: Path | None = None,
            in_process: bool = False) -> dict[str, Any]:
    """Both runs against one served lab; returns the times, the ratio and the pass counts."""
    import os

    import yaml

    from pscompat.connect.connection import TokenConnection
    from pscompat.lab import open_lab, serve_in_thread
    from pscompat.lab.scenario import DEFAULT_SCENARIO
    from pscompat.script.external import ModelInvoker
    from pscompat.script.runner import run_script
    from pscompat.script.scripthost import ScriptHost

    tmp = tmp or Path(tempfile.mkdtemp(prefix="pscompat-parallel-"))
    data = yaml.safe_load(DEFAULT_SCENARIO.read_text())
    groups = {kind: [f"{kind}{i:04d}@contoso.lab" for i in range(users)] for kind in ("seq", "par")}
    offset = 1 << 40
    for n, upn in enumerate(groups["seq"] + groups["par"]):
        data["users"].append({"id": str(uuid.UUID(int=offset + n)), "userPrincipalName": upn,
                              "displayName": upn.split("@")[0]})
    data.pop("quota", None)
    scenario = tmp / "scenario.yaml"
    scenario.write_text(yaml.safe_dump(data))
    lab = open_lab(tmp / "lab.db", scenario=scenario)
    lab.store.add_fault({"kind": "latency", "ms": latency_ms})
    lab.reload_faults()
    token = lab.issue_token()
    if in_process:
        url, stop, _ = serve_in_thread(lab)
    else:
        url, stop = _serve_process(tmp / "lab.db")
    invoker = ModelInvoker(TokenConnection("mg", url, lambda: token))
    result: dict[str, Any] = {"users": users, "latency_ms": latency_ms, "throttle": throttle}
    saved = {k: os.environ.get(k) for k in ("BENCH_CSV", "BENCH_OUT")}
    try:
        # warm-up, untimed: imports and the model's first load are paid before either run
        run_script("$null = Get-MgUser -Top 1", None, None, host=ScriptHost(io.StringIO(), io.StringIO(),
                                                                            io.StringIO()), invoker=invoker)
        for kind, script in (("seq", SEQUENTIAL), ("par", PARALLEL.replace("THROTTLE", str(throttle)))):
            source, target = tmp / f"{kind}.csv", tmp / f"{kind}-passes.csv"
            with source.open("w", newline="") as f:
                writer = csv.writer(f)
                writer.writerow(["UserPrincipalName"])
                writer.writerows([u] for u in groups[kind])
            os.environ["BENCH_CSV"], os.environ["BENCH_OUT"] = str(source), str(target)
            out, err = io.StringIO(), io.StringIO()
            start = time.perf_counter()
            code = run_script(script, None, None, host=ScriptHost(out, err, io.StringIO()), invoker=invoker)
            result[f"{kind}_seconds"] = time.perf_counter() - start
            with target.open(newline="") as f:
                rows = list(csv.DictReader(f))
            result[f"{kind}_exit"] = code
            result[f"{kind}_errors"] = err.getvalue()
            result[f"{kind}_rows"] = len(rows)
            result[f"{kind}_distinct_users"] = len({r["UserPrincipalName"] for r in rows if r["Pass"]})
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        stop()
        result["lab_passes"] = lab.store.count_passes()   # the child's writes are in the same database
        lab.close()
    result["ratio"] = result["seq_seconds"] / result["par_seconds"]
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--throttle", type=int, default=10)
    parser.add_argument("--in-process", action="store_true", help="serve the lab from a thread of this process")
    args = parser.parse_args()
    r = measure(args.users, args.latency_ms, args.throttle, in_process=args.in_process)
    where = "a thread of this process" if args.in_process else "its own process"
    print(f"{args.users} passes each way, lab served over loopback HTTP by {where}, "
          f"{args.latency_ms} ms injected latency")
    print(f"sequential foreach:                       {r['seq_seconds']:7.2f} s  "
          f"({r['seq_distinct_users']} users with a pass, exit {r['seq_exit']})")
    print(f"ForEach-Object -Parallel -ThrottleLimit {args.throttle}: {r['par_seconds']:7.2f} s  "
          f"({r['par_distinct_users']} users with a pass, exit {r['par_exit']})")
    print(f"ratio: {r['ratio']:.1f}x (budget >= {BUDGET:.0f}x); passes in the lab: {r['lab_passes']}")
    complete = r["seq_distinct_users"] == r["par_distinct_users"] == args.users == r["par_rows"] and \
        r["lab_passes"] == 2 * args.users
    if not complete:
        print("INCOMPLETE: some rows got no pass or a duplicate", r["seq_errors"][:500], r["par_errors"][:500])
    return 0 if complete and r["ratio"] >= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
