"""Passes and client secrets never reach the lab's database files or its logs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from pscompat.lab import open_lab
from tests.lab.conftest import ADMIN_APP, ADMIN_SECRET, SECRETS, TENANT


def _lab_files(db: Path) -> list[Path]:
    return [p for p in db.parent.iterdir() if p.name.startswith(db.stem) and not p.name.endswith((".key", ".pem"))]


def test_database_and_logs_never_hold_a_pass_or_secret(tmp_path: Path) -> None:
    db = tmp_path / "lab" / "lab.db"
    open_lab(db).close()
    log = tmp_path / "server.log"
    env = dict(os.environ, PSCOMPAT_LAB_DB=str(db))
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-c", "from pscompat.cli import main; main()", "lab", "serve",
                                 "--port", "0", "--log-level", "debug"], env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = None
        for _ in range(200):
            m = re.search(r"at (http://127\.0\.0\.1:\d+)", log.read_text())
            if m:
                url = m.group(1)
                break
            time.sleep(0.05)
        assert url, log.read_text()
        with httpx.Client(base_url=url) as c:
            token = c.post(f"/{TENANT}/oauth2/v2.0/token", data={
                "grant_type": "client_credentials", "client_id": ADMIN_APP, "client_secret": ADMIN_SECRET,
                "scope": "https://graph.microsoft.com/.default"}).json()["access_token"]
            c.post(f"/{TENANT}/oauth2/v2.0/token", data={"grant_type": "password", "client_id": ADMIN_APP,
                                                         "username": "admin@contoso.lab",
                                                         "password": "Contoso-Lab-Admin-1!", "scope": "User.Read"})
            h = {"Authorization": f"Bearer {token}"}
            passes = []
            for user in ("AdeleV", "AlexW", "DiegoS", "GradyA") * 5:
                r = c.post(f"/v1.0/users/{user}@contoso.lab/authentication/temporaryAccessPassMethods",
                           json={"isUsableOnce": user == "AlexW"}, headers=h)
                assert r.status_code == 201
                passes.append(r.json()["temporaryAccessPass"])
            c.post("/lab/signin", json={"userPrincipalName": "AlexW@contoso.lab", "temporaryAccessPass": passes[-3]})
            c.post("/lab/signin", json={"userPrincipalName": "AdeleV@contoso.lab", "temporaryAccessPass": "wrong"})
            c.get("/v1.0/users/AdeleV@contoso.lab/authentication/temporaryAccessPassMethods", headers=h)
    finally:
        proc.terminate()
        proc.wait(10)
    lab = open_lab(db)   # checkpoint-free reopen: the WAL stays where it was written
    lab.close()
    files = _lab_files(db) + [log]
    assert any(p.name == "lab.db" for p in files)
    blobs = b"".join(p.read_bytes() for p in files)
    needles = passes + SECRETS + [token]
    leaked = [n for n in needles if n.encode() in blobs]
    assert not leaked, f"found in the lab's files or log: {len(leaked)} secrets"
    assert "POST /v1.0/users/AdeleV@contoso.lab" in log.read_text() or "POST /v1.0/users/AdeleV" in log.read_text()


def test_key_file_is_0600_and_outside_the_database(tmp_path: Path) -> None:
    lab = open_lab(tmp_path / "l" / "lab.db")
    key = tmp_path / "l" / "lab.key"
    assert key.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "l" / "lab.db").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "l").stat().st_mode & 0o777 == 0o700
    assert bytes.fromhex(key.read_text().strip()) not in (tmp_path / "l" / "lab.db").read_bytes()
    lab.close()


def test_copied_database_without_key_is_useless(tmp_path: Path) -> None:
    """A pass cannot be checked without the key file: with a new key the old digest fails."""
    import shutil
    lab = open_lab(tmp_path / "a" / "lab.db")
    from tests.lab.conftest import Graph, taps
    secret = Graph(lab).post(taps("AdeleV@contoso.lab"), json={}).json()["temporaryAccessPass"]
    lab.close()
    (tmp_path / "b").mkdir()
    for name in ("lab.db", "lab.db-wal", "lab.db-shm"):
        if (tmp_path / "a" / name).exists():
            shutil.copy2(tmp_path / "a" / name, tmp_path / "b" / name)
    copy = open_lab(tmp_path / "b" / "lab.db")   # no key: a new one is made and the lab re-seeded
    assert not copy.verify_pass("AdeleV@contoso.lab", secret)["ok"]
    copy.close()
