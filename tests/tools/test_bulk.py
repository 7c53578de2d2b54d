"""``pscompat bulk tap`` / tools.bulk.issue_passes against the embedded lab: results 0600,
secrets nowhere else, per-row options, Graph's error messages, throttled items retried, and a
resumed run that never issues a second pass."""

from __future__ import annotations

import csv
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from pscompat.lab import asgi_transport
from pscompat.lab.core import Lab
from pscompat.tools.bulk import BulkError, Row, issue_passes, plan, read_rows
from tests.lab.conftest import ADELE, ADMIN_APP, TENANT, lab, lab_template  # noqa: F401  (fixtures)

PSCOMPAT = str(Path(sys.executable).parent / "pscompat")
PILOT = ["AdeleV@contoso.lab", "AlexW@contoso.lab"]


def client(lab: Lab) -> httpx.Client:  # noqa: F811
    return httpx.Client(transport=asgi_transport(lab), base_url="https://graph.microsoft.com/v1.0",
                        headers={"Authorization": f"Bearer {lab.issue_token()}"})


def results(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def test_read_rows_overrides_and_errors(tmp_path: Path) -> None:
    src = tmp_path / "users.csv"
    src.write_text("UserPrincipalName,lifetime,oneTime\nAdeleV@contoso.lab,60,\nAlexW@contoso.lab,,false\n")
    rows = read_rows(src, 480, True, None)
    assert rows == [Row("AdeleV@contoso.lab", 60, True, None), Row("AlexW@contoso.lab", 480, False, None)]
    src.write_text("id\nx\nX\n")
    with pytest.raises(BulkError, match="appears twice"):
        read_rows(src, None, None, None)
    src.write_text("name\nx\n")
    with pytest.raises(BulkError, match="no UserPrincipalName"):
        read_rows(src, None, None, None)
    assert "at least 350 s" in plan([Row(f"u{i}", None, None, None) for i in range(10_000)])


def test_issue_writes_0600_results_with_graph_errors(lab: Lab, tmp_path: Path) -> None:  # noqa: F811
    rows = [Row(u, 480, True, None) for u in PILOT] + [Row("nobody@contoso.lab", 60, None, None)]
    out = tmp_path / "passes.csv"
    with client(lab) as c:
        summary = issue_passes(c, rows, out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    journal = out.with_name("passes.csv.journal")
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
    got = {r["user"]: r for r in results(out)}
    assert summary.issued == 2 and summary.failed == 1
    for user in PILOT:
        assert got[user]["status"] == "201" and len(got[user]["pass"]) == 8
        assert got[user]["lifetime"] == "480" and got[user]["oneTime"] == "True"
        assert got[user]["pass"] not in journal.read_text()
    assert got["nobody@contoso.lab"]["status"] == "404" and got["nobody@contoso.lab"]["error"]


def test_resume_never_issues_a_second_pass(lab: Lab, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "passes.csv"
    journal = out.with_name("passes.csv.journal")
    with client(lab) as c:
        # A run killed after Adele's batch was sent but before her result was written:
        assert c.post(f"/users/{ADELE}/authentication/temporaryAccessPassMethods", json={}).status_code == 201
        journal.write_text("sent AdeleV@contoso.lab\n")
        summary = issue_passes(c, [Row(u, None, None, None) for u in PILOT], out)
        assert summary.skipped == ["AdeleV@contoso.lab"] and summary.issued == 1
        again = issue_passes(c, [Row(u, None, None, None) for u in PILOT], out)
        assert sorted(again.skipped) == sorted(PILOT) and again.issued == 0
        assert len(c.get(f"/users/{ADELE}/authentication/temporaryAccessPassMethods").json()["value"]) == 1
    assert [r["user"] for r in results(out)] == ["AlexW@contoso.lab"]


def test_throttled_items_are_retried_after_retry_after(lab: Lab, tmp_path: Path,  # noqa: F811
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PSCOMPAT_LAB_QUOTA", "on")
    lab.clock.set("2030-01-01T00:00:00Z", freeze=True)
    lab._set_quota()
    assert lab.quota is not None
    for _ in range(2999):
        lab.quota.charge(ADMIN_APP, lab.tenant["id"], "POST", "users/x", {})
    slept: list[float] = []

    def sleep(seconds: float) -> None:       # the caller's wait passes lab time
        slept.append(seconds)
        lab.clock.advance(float(seconds))

    with client(lab) as c:
        summary = issue_passes(c, [Row(u, None, None, None) for u in PILOT], tmp_path / "p.csv",
                               sleep=sleep, concurrency=1)
    assert summary.issued == 2 and summary.throttled == 1 and slept


def test_cli_dry_run_and_bad_csv(tmp_path: Path) -> None:
    src = tmp_path / "u.csv"
    src.write_text("upn\n" + "".join(f"u{i}@contoso.lab\n" for i in range(100)))
    r = subprocess.run([PSCOMPAT, "bulk", "tap", "--csv", str(src), "--dry-run"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "100 users, 5 $batch requests" in r.stdout
    r = subprocess.run([PSCOMPAT, "bulk", "tap", "--csv", str(tmp_path / "none.csv"),
                        "--out", str(tmp_path / "o.csv")], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and r.stderr.startswith("pscompat bulk tap: cannot read") and "Traceback" not in r.stderr


def test_cli_secrets_only_in_the_0600_output(lab: Lab, tmp_path: Path) -> None:  # noqa: F811
    """The passes reach passes.csv and nothing else: not stdout/stderr, the journal or the lab DB."""
    lab.close()
    src = tmp_path / "u.csv"
    src.write_text("UserPrincipalName,lifetime\n" + "".join(u + ",60\n" for u in PILOT))
    out = tmp_path / "passes.csv"
    r = subprocess.run([PSCOMPAT, "bulk", "tap", "--lab", str(lab.path), "--csv", str(src), "--out", str(out),
                        "--one-time"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("issued 2, failed 0, skipped 0")
    secrets = [row["pass"] for row in results(out)]
    assert len(secrets) == 2 and all(secrets)
    stored = b"".join(p.read_bytes() for p in lab.path.parent.iterdir() if p.name.startswith("lab.db"))
    for secret in secrets:
        assert secret not in r.stdout + r.stderr
        assert secret not in out.with_name("passes.csv.journal").read_text()
        assert secret.encode() not in stored
    again = subprocess.run([PSCOMPAT, "bulk", "tap", "--lab", str(lab.path), "--csv", str(src), "--out", str(out)],
                           capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and "issued 0, failed 0, skipped 2" in again.stdout


def test_paces_itself_near_the_quota_before_any_429(lab: Lab, tmp_path: Path,  # noqa: F811
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PSCOMPAT_LAB_QUOTA", "on")
    lab.clock.set("2030-01-01T00:00:00Z", freeze=True)
    lab._set_quota()
    assert lab.quota is not None
    for _ in range(2900):                     # 96.7% of the write quota used
        lab.quota.charge(ADMIN_APP, TENANT, "POST", "users/x", {})
    monkeypatch.setattr("pscompat.tools.bulk.BATCH_SIZE", 1)   # two batches, one after the other
    slept: list[float] = []
    with client(lab) as c:
        summary = issue_passes(c, [Row(u, None, None, None) for u in PILOT], tmp_path / "p.csv",
                               sleep=slept.append, concurrency=1)
    assert summary.issued == 2 and summary.throttled == 0 and summary.batches == 2
    assert len(slept) == 1 and slept[0] == pytest.approx(0.05, abs=0.02)   # 1 write at 20 per second
