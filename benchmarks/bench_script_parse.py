"""Parse speed of pscompat's PowerShell parser: a 5,000-line admin-style script.

Budget (issue 5): <= 0.5 s. Prints the median of several runs, and the line and node counts.
Run: .venv/bin/python benchmarks/bench_script_parse.py [--lines N] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pscompat.lang.parser import parse_script  # noqa: E402

CHUNK = '''# onboarding block {i}
param_{i} = 1
$params{i} = @{{
    startDateTime = [System.DateTime]::Parse("2022-06-05T00:00:00.000Z")
    lifetimeInMinutes = 60
    isUsableOnce = $false
}}
foreach ($user in $users{i} | Where-Object {{ $_.Enabled -eq 'true' -and $_.Department -like 'S*' }}) {{
    try {{
        $pass = New-MgUserAuthenticationTemporaryAccessPassMethod -UserId $user.UserPrincipalName -BodyParameter $params{i} -ErrorAction Stop
        $report += [PSCustomObject]@{{ User = $user.UserPrincipalName; Pass = $pass.TemporaryAccessPass; When = (Get-Date).AddHours(2).ToString('o') }}
    }} catch {{
        Write-Warning "Failed for $($user.UserPrincipalName): $($_.Exception.Message)"
        $failed++
    }}
}}
if ($failed -gt 0) {{ Write-Host ("{{0}} failures" -f $failed) -ForegroundColor Red }} elseif ($report.Count -eq 0) {{ 'none' }} else {{ $report | Export-Csv -Path "report{i}.csv" -NoTypeInformation }}
switch ($mode) {{ 'a' {{ 1 }} default {{ 2 }} }}
'''


def build(lines: int) -> str:
    parts: list[str] = []
    count = 0
    i = 0
    while count < lines:
        chunk = CHUNK.format(i=i).replace("param_", "$param_")
        parts.append(chunk)
        count += chunk.count("\n")
        i += 1
    text = "".join(parts)
    return "\n".join(text.split("\n")[:lines]) + "\n"


def count_nodes(node: object) -> int:
    import dataclasses

    from pscompat.lang import ast as A
    total = 0
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, A.Node):
            total += 1
            stack.extend(getattr(item, f.name) for f in dataclasses.fields(item) if f.name not in ("source",))
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return total


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    text = build(args.lines)
    # the script must be complete: cut at a statement boundary by trimming a trailing partial block
    while True:
        try:
            parse_script(text)
            break
        except Exception:  # noqa: BLE001 - trim an unfinished trailing block
            text = "\n".join(text.rstrip("\n").split("\n")[:-1]) + "\n"
    times = []
    cpu = []
    block = None
    for _ in range(args.runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        block = parse_script(text)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    median = statistics.median(times)
    lines = text.count("\n")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print(f"parse {lines} lines ({len(text)} chars, {count_nodes(block)} nodes): median {median:.3f} s wall, "
          f"{statistics.median(cpu):.3f} s CPU (min {min(times):.3f}, max {max(times):.3f}; load {load:.1f}; "
          f"budget 0.5 s) -> {'OK' if median <= 0.5 else 'OVER'}")
    return 0 if median <= 0.5 else 1


if __name__ == "__main__":
    sys.exit(main())
