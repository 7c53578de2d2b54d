"""Binding-only cold start: ``New-MgUserAuthenticationTemporaryAccessPassMethod -UserId x -WhatIf``.

Budget (DESIGN.md): median <= 0.06 s above ``python3 -c pass``'s, both measured in the same
run (interleaved), so a slow or busy machine shows up in both numbers.

    .venv/bin/python benchmarks/bench_binding.py [--runs 20] [--json]

Exit status 1 when the median is over budget.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BUDGET_S = 0.06  # above python3 -c pass
BIN = Path(sys.executable).parent
COMMANDS = {
    "python3 -c pass": [sys.executable, "-c", "pass"],
    "Mg -WhatIf": [str(BIN / "New-MgUserAuthenticationTemporaryAccessPassMethod"), "-UserId", "x",
                   "-LifetimeInMinutes", "60", "-WhatIf"],
    "PnP binding error": [str(BIN / "New-PnPAzureADUserTemporaryAccessPass"), "-Identity", "x", "-WhatIf"],
}


# As installed by pip: bytecode is cached. (A PYTHONDONTWRITEBYTECODE=1 shell would otherwise make
# every run recompile each edited module and measure the compiler, not pscompat.)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def once(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False, env=ENV)
    return time.perf_counter() - start


def measure_interleaved(runs: int) -> dict[str, list[float]]:
    """Round-robin over the commands, so a busy machine slows all of them alike."""
    times: dict[str, list[float]] = {label: [] for label in COMMANDS}
    for _ in range(runs):
        for label, argv in COMMANDS.items():
            times[label].append(once(argv))
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    for argv in COMMANDS.values():  # warm the OS file cache and .pyc files once
        subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, check=False, env=ENV)
    results = {}
    for label, times in measure_interleaved(args.runs).items():
        results[label] = {"median_s": round(statistics.median(times), 4), "min_s": round(min(times), 4),
                          "max_s": round(max(times), 4), "runs": args.runs}
    whatif = results["Mg -WhatIf"]["median_s"] - results["python3 -c pass"]["median_s"]
    if args.json:
        print(json.dumps({"budget_s": BUDGET_S, "results": results}, indent=2))
    else:
        for label, r in results.items():
            print(f"{label:<20} median {r['median_s'] * 1000:7.1f} ms   min {r['min_s'] * 1000:7.1f} ms   "
                  f"max {r['max_s'] * 1000:7.1f} ms   ({r['runs']} runs)")
        print(f"Mg -WhatIf median above python3 -c pass: {whatif * 1000:.1f} ms; budget <= {BUDGET_S * 1000:.0f} ms -> "
              f"{'OK' if whatif <= BUDGET_S else 'OVER BUDGET'}")
    return 0 if whatif <= BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
