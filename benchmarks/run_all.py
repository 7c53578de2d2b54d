"""Every benchmark in one command: ``.venv/bin/python benchmarks/run_all.py``.

Runs the scripts one after the other (so they do not compete for the 2 cores) with the same
interpreter, prints each one's report, and ends with a one-line summary per benchmark. Each
script measures its own reference (e.g. ``python3 -c pass``) in the same run, so ratios hold on
a noisy machine. Exit status 1 if any benchmark reports a budget missed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Bytecode cached, as after pip install: under PYTHONDONTWRITEBYTECODE=1 an editable install
# recompiles pscompat's modules in every process, and the cold-process figures measure that.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
BENCHMARKS = [
    ("binding only (-WhatIf), cold process", "bench_binding.py", []),
    ("one cmdlet against the embedded lab, cold process", "bench_cmdlet.py", []),
    ("lab: loopback throughput, in-process create, open", "bench_lab.py", []),
    ("1,000-user onboarding script", "bench_script_onboarding.py", []),
    ("parsing a 5,000-line script", "bench_script_parse.py", []),
    ("bulk tap: 10,000 passes, served lab, quota in virtual time", "bench_bulk.py", []),
    ("bulk tap: SIGKILLed three times in a 2,000-user run, then completed", "bench_bulk_kill.py", []),
    ("ForEach-Object -Parallel vs foreach: 100 passes, served lab, 50 ms latency", "bench_parallel.py", []),
    ("served lab with the instructor console polling: throughput and 200-client p99", "bench_console.py", []),
]


def main() -> int:
    summary: list[tuple[str, int, float]] = []
    for title, script, args in BENCHMARKS:
        print(f"\n=== {title} ({script}) ===", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, str(HERE / script), *args], env=ENV)
        summary.append((title, code, time.perf_counter() - start))
    print("\n=== summary ===")
    for title, code, seconds in summary:
        print(f"{'ok  ' if code == 0 else 'OVER'} {title} ({seconds:.0f} s)")
    return 0 if all(code == 0 for _, code, _ in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
