"""An onboarding script issuing passes for 1,000 users from a CSV against the embedded lab.

Budget (DESIGN.md): <= 2 s for the script run (lab created beforehand). Runs the same
tests/script/scripts/onboarding.ps1 the tests use, in-process: parse, Import-Csv, 1,000 x
New-MgUserAuthenticationTemporaryAccessPassMethod (binder -> dispatch -> lab), Export-Csv.
Run: .venv/bin/python benchmarks/bench_script_onboarding.py [--users N]
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

ROOT = Path(__file__).resolve().parents[1]
BUDGET_S = 2.0
sys.path.insert(0, str(ROOT / "src"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=1000)
    args = parser.parse_args()
    import yaml

    from pscompat.connect.connection import LabConnection
    from pscompat.lab import open_lab
    from pscompat.lab.scenario import DEFAULT_SCENARIO
    from pscompat.script.external import ModelInvoker
    from pscompat.script.runner import run_file
    from pscompat.script.scripthost import ScriptHost

    tmp = Path(tempfile.mkdtemp(prefix="pscompat-bench-"))
    data = yaml.safe_load(DEFAULT_SCENARIO.read_text())
    upns = [f"hire{i:04d}@contoso.lab" for i in range(args.users)]
    data["users"].extend({"id": str(uuid.UUID(int=i + 1)), "userPrincipalName": upn, "displayName": f"Hire {i}"}
                         for i, upn in enumerate(upns))
    scenario = tmp / "scenario.yaml"
    scenario.write_text(yaml.safe_dump(data))
    lab = open_lab(tmp / "lab.db", scenario=scenario)
    hires = tmp / "hires.csv"
    with hires.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["UserPrincipalName", "Department"])
        writer.writerows([upn, "Sales"] for upn in upns)
    report = tmp / "report.csv"
    invoker = ModelInvoker(LabConnection("mg", lab))
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    cpu = time.process_time()
    code = run_file(str(ROOT / "tests" / "script" / "scripts" / "onboarding.ps1"),
                    ["-CsvPath", str(hires), "-ReportPath", str(report)],
                    host=ScriptHost(out, err, io.StringIO()), invoker=invoker)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    lab.close()
    rows = list(csv.DictReader(report.open()))
    created = sum(1 for r in rows if r["Status"] == "Created")
    print(f"onboarding {args.users} users: {elapsed:.2f} s wall, {cpu:.2f} s CPU, exit {code}, {created} passes "
          f"created, report rows {len(rows)} (budget {BUDGET_S:g} s) -> "
          f"{'OK' if elapsed <= BUDGET_S and created == args.users else 'OVER'}")
    if err.getvalue():
        print(err.getvalue()[:500])
    return 0 if elapsed <= BUDGET_S and created == args.users else 1


if __name__ == "__main__":
    sys.exit(main())
