"""Cold-process cost of one TAP cmdlet from bash against the embedded lab, next to ``python3 -c
pass`` and a plain msgraph-sdk script doing the same call (GraphServiceClient + typed model
against the same in-process lab). Budget (DESIGN.md): median wall <= 0.12 of the msgraph-sdk
script's in the same run (goal 0.08); also <= 80 MB peak RSS.

    .venv/bin/python benchmarks/bench_cmdlet.py [--runs 15] [--user AdeleV@contoso.lab]

Each run is a fresh process; wall time is measured around ``Popen``..``wait4`` and peak RSS is
the child's own ``ru_maxrss`` from ``os.wait4`` (so runs do not mask each other). The lab is a
private copy under a temporary XDG_DATA_HOME, created once before timing starts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CMDLET = "New-MgUserAuthenticationTemporaryAccessPassMethod"
RATIO_BUDGET = 0.12
RATIO_GOAL = 0.08

SDK_SCRIPT = r'''
import asyncio, sys
from pscompat.connect import embedded_lab_connection
from msgraph import GraphServiceClient
from msgraph.graph_request_adapter import GraphRequestAdapter
from msgraph.generated.models.temporary_access_pass_authentication_method import TemporaryAccessPassAuthenticationMethod
from msgraph_core import GraphClientFactory
import httpx

async def main() -> None:
    conn = embedded_lab_connection("mg")
    client = httpx.AsyncClient(transport=conn.http_transport(), base_url=conn.graph_base_url + "/v1.0")
    client = GraphClientFactory.create_with_default_middleware(client=client)
    adapter = GraphRequestAdapter(conn.authentication_provider(), client=client)
    adapter.base_url = conn.graph_base_url + "/v1.0"
    graph = GraphServiceClient(request_adapter=adapter)
    body = TemporaryAccessPassAuthenticationMethod(lifetime_in_minutes=60)
    result = await graph.users.by_user_id(sys.argv[1]).authentication.temporary_access_pass_methods.post(body)
    print(result.id, result.method_usability_reason)

asyncio.run(main())
'''


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, int, float]:
    """(wall seconds, peak RSS MB, exit code, CPU seconds) of one cold process.

    CPU time (user + sys of the child) is printed too: on a shared, loaded machine it moves
    much less than wall time, so it tells a slow machine from a slow program."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if proc.stderr is not None:
        proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024.0, proc.returncode, usage.ru_utime + usage.ru_stime


def measure(label: str, argv: list[str], env: dict[str, str], runs: int) -> dict[str, float]:
    walls, rss, cpus, failures = [], [], [], 0
    for _ in range(runs):
        wall, mb, code, cpu = run_once(argv, env)
        walls.append(wall)
        rss.append(mb)
        cpus.append(cpu)
        failures += code != 0
    row = {"median_s": statistics.median(walls), "min_s": min(walls), "max_s": max(walls),
           "peak_rss_mb": max(rss), "cpu_s": statistics.median(cpus), "failures": failures}
    print(f"{label:<48} median {row['median_s']:.3f} s  min {row['min_s']:.3f}  max {row['max_s']:.3f}  "
          f"cpu {row['cpu_s']:.3f} s  peak RSS {row['peak_rss_mb']:.1f} MB  failures {failures}/{runs}")
    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1):
        print(f"{'':<48} (load average {load:.1f} on {os.cpu_count()} CPUs: wall times are inflated)")
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sdk-runs", type=int, default=5)
    parser.add_argument("--user", default="AdeleV@contoso.lab")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pscompat-bench-") as tmp:
        env = dict(os.environ, XDG_DATA_HOME=f"{tmp}/data", XDG_CONFIG_HOME=f"{tmp}/config",
                   XDG_CACHE_HOME=f"{tmp}/cache", XDG_STATE_HOME=f"{tmp}/state", PSCOMPAT_CULTURE="en-US")
        # Bytecode cached, as after pip install: a PYTHONDONTWRITEBYTECODE=1 shell would make every
        # run recompile pscompat's modules (an editable install has no .pyc until one is written)
        # and measure the compiler; msgraph-sdk's, in site-packages, are compiled either way.
        for var in ("PSCOMPAT_REQUIRE_CONNECTION", "PSCOMPAT_LAB_DB", "PSCOMPAT_CONFIG_DIR", "PYTHONDONTWRITEBYTECODE"):
            env.pop(var, None)
        cmd = [str(BIN / CMDLET), "-UserId", args.user, "-LifetimeInMinutes", "60"]
        warm = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)  # creates the lab
        if warm.returncode != 0:
            print("the cmdlet failed before timing:\n" + warm.stderr, file=sys.stderr)
            return 1
        print(f"one cold process each, {args.runs} runs (msgraph-sdk: {args.sdk_runs}); budget: median <= "
              f"{RATIO_BUDGET} of msgraph-sdk's (goal {RATIO_GOAL}), peak RSS <= 80 MB")
        base = measure("python -c pass (same interpreter)", [sys.executable, "-c", "pass"], env, args.runs)
        ours = measure(f"{CMDLET} (pscompat)", cmd, env, args.runs)
        script = Path(tmp) / "sdk_call.py"
        script.write_text(SDK_SCRIPT)
        sdk = measure("plain msgraph-sdk (GraphServiceClient + model)", [sys.executable, str(script), args.user],
                      env, args.sdk_runs)
        print(f"\nratio msgraph-sdk / pscompat: {sdk['median_s'] / ours['median_s']:.1f}x wall, "
              f"{sdk['cpu_s'] / ours['cpu_s']:.1f}x cpu; "
              f"pscompat minus python startup: {ours['median_s'] - base['median_s']:.3f} s")
        ratio = ours["median_s"] / sdk["median_s"]
        ok = ratio <= RATIO_BUDGET and ours["peak_rss_mb"] <= 80 and not ours["failures"]
        print(f"pscompat / msgraph-sdk: {ratio:.3f} (budget <= {RATIO_BUDGET}, goal {RATIO_GOAL}): "
              f"{'met' if ok else 'NOT met'}")
        return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())
