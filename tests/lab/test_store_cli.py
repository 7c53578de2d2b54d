"""The store (schema version, cheap reopen, reset, scenarios) and the ``pscompat lab`` commands."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pscompat.lab import open_lab
from pscompat.lab.commands import lab as lab_group
from pscompat.lab.core import Lab, LabError
from pscompat.lab.models import SCHEMA_VERSION
from tests.lab.conftest import ADELE, Graph, taps


def run(db: Path, *args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(lab_group, ["--db", str(db), *args], input=input, catch_exceptions=False)
    return result.exit_code, result.output


def test_schema_version_and_newer_store_refused(lab: Lab) -> None:
    assert lab.store.version() == SCHEMA_VERSION
    lab.close()
    conn = sqlite3.connect(lab.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(LabError, match="newer pscompat"):
        open_lab(lab.path)


def test_find_user_answers_stay_true_to_the_store(lab: Lab) -> None:
    """find_user keeps its answers between requests; a change through this connection (however
    issued), a commit by another connection, or a rolled-back transaction never leaves a stale one."""
    store = lab.store
    store.data_version()
    assert store.find_user("AdeleV@contoso.lab").account_enabled  # type: ignore[union-attr]
    assert store.find_user("AdeleV@contoso.lab") is store.find_user("AdeleV@contoso.lab")  # kept
    store.db.execute("UPDATE users SET account_enabled=0 WHERE id=?", (ADELE,))  # not via write()
    assert not store.find_user("AdeleV@contoso.lab").account_enabled  # type: ignore[union-attr]

    other = open_lab(lab.path)
    try:
        with other.store.write() as db:
            db.execute("UPDATE users SET account_enabled=1 WHERE id=?", (ADELE,))
            db.execute("DELETE FROM users WHERE upn='MeganB@contoso.lab'")
    finally:
        other.close()
    store.data_version()  # what every request does first
    assert store.find_user("AdeleV@contoso.lab").account_enabled  # type: ignore[union-attr]
    assert store.find_user("MeganB@contoso.lab") is None

    with pytest.raises(RuntimeError), store.write() as db:
        db.execute("UPDATE users SET account_enabled=0 WHERE id=?", (ADELE,))
        assert not store.find_user(ADELE).account_enabled  # type: ignore[union-attr]
        raise RuntimeError("rolled back")
    assert store.find_user(ADELE).account_enabled  # type: ignore[union-attr]
    store.db.execute("DELETE FROM users WHERE id=?", (ADELE,))
    assert store.find_user(ADELE) is None and store.find_user("adelev@CONTOSO.lab") is None


def test_not_a_database(tmp_path: Path) -> None:
    (tmp_path / "lab.db").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(LabError, match="not a usable lab database"):
        open_lab(tmp_path / "lab.db")


def test_reopening_an_existing_lab_parses_no_yaml_and_is_cheap(lab: Lab) -> None:
    code = ("import sys, time; t = time.perf_counter(); import pscompat.lab; lab = pscompat.lab.open_lab(sys.argv[1]);"
            " print(int('yaml' in sys.modules), int('uvicorn' in sys.modules), int('starlette' in sys.modules),"
            " (time.perf_counter() - t) * 1000)")
    out = subprocess.run([sys.executable, "-c", code, str(lab.path)], capture_output=True, text=True, check=True)
    yaml_loaded, uvicorn_loaded, starlette_loaded, ms = out.stdout.split()
    assert (yaml_loaded, uvicorn_loaded, starlette_loaded) == ("0", "0", "0")
    assert float(ms) < 400  # generous: cold, without bytecode caches, on a shared 2-core machine


def test_env_var_selects_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PSCOMPAT_LAB_DB", str(tmp_path / "env" / "lab.db"))
    lab = open_lab()
    assert lab.path == tmp_path / "env" / "lab.db" and lab.path.exists()
    lab.close()


def test_default_path_is_under_xdg_data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pscompat.lab.paths import default_lab_path
    monkeypatch.delenv("PSCOMPAT_LAB_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_lab_path() == tmp_path / "xdg" / "pscompat" / "lab" / "lab.db"


def test_reset_restores_the_scenario(graph: Graph, lab: Lab, tmp_path: Path) -> None:
    graph.post(taps(ADELE), json={})
    lab.clock.advance("+3h")
    lab.store.add_fault({"kind": "latency", "ms": 1})
    graph.patch("/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass",
                json={"state": "disabled"})
    lab.reset()
    assert lab.store.count_passes() == 0 and lab.faults == [] and lab.clock.offset == 0
    assert lab.policy["state"] == "enabled"
    custom = tmp_path / "mini.yaml"
    custom.write_text("name: mini\ntenant: {domain: mini.lab}\nusers:\n  - userPrincipalName: solo@mini.lab\n"
                      "apps:\n  - {clientId: 11111111-1111-4111-8111-111111111111, secret: s3cret-value,"
                      " permissions: [UserAuthenticationMethod.ReadWrite.All]}\npolicy: {state: enabled, isUsableOnce: true}\n"
                      "faults:\n  - {kind: throttle, times: 1}\nbehaviour: {startDateTimeWhenAbsent: 'null'}\n")
    lab.reset(custom)
    assert [u.upn for u in lab.store.users()] == ["solo@mini.lab"]
    g = Graph(lab)
    assert g.post(taps("solo@mini.lab"), json={}).status_code == 429      # the scenario's fault
    body = g.post(taps("solo@mini.lab"), json={}).json()
    assert body["isUsableOnce"] is True and body["startDateTime"] is None
    lab.reset()                                   # the scenario it was last seeded from
    assert [u.upn for u in lab.store.users()] == ["solo@mini.lab"]


@pytest.mark.parametrize(("text", "message"), [
    ("users: [{displayName: x}]", "needs a userPrincipalName"),
    ("users: [{userPrincipalName: a@b.c, roles: [Chief]}]", "unknown directory role"),
    ("users: [{userPrincipalName: a@b.c, groups: [nope]}]", "unknown group"),
    ("policy: {defaultLength: 4}", "DefaultLength"),
    ("faults: [{kind: boom}]", "unknown fault kind"),
    ("users: [{userPrincipalName: a@b.c}, {userPrincipalName: A@B.C}]", "listed twice"),
    ("- just a list", "must be a mapping"),
])
def test_scenario_errors(lab: Lab, tmp_path: Path, text: str, message: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    with pytest.raises(LabError, match=message):
        lab.reset(bad)
    assert lab.store.count_passes() == 0 and len(lab.store.users()) > 20   # untouched


# -- CLI --------------------------------------------------------------------------------------

def test_cli_status_users_policy(lab: Lab) -> None:
    code, out = run(lab.path, "status", "--json")
    assert code == 0 and json.loads(out)["tenant"]["domain"] == "contoso.lab"
    code, out = run(lab.path, "users")
    assert code == 0 and "jane.doe_fabrikam.com#EXT#@contosolab.onmicrosoft.com" in out
    code, out = run(lab.path, "policy", "--one-time", "--max-lifetime", "600", "--json")
    assert code == 0 and json.loads(out)["isUsableOnce"] is True and json.loads(out)["maximumLifetimeInMinutes"] == 600
    code, out = run(lab.path, "policy", "--length", "4")
    assert code == 1 and "DefaultLength" in out
    code, out = run(lab.path, "policy", "--exclude-group", "TAP Excluded")
    assert code == 0 and "group TAP Excluded" in out
    code, out = run(lab.path, "policy", "--reset", "graph-defaults", "--json")
    assert json.loads(out)["state"] == "disabled"


def test_cli_token_clock_signin_fault(lab: Lab) -> None:
    code, token = run(lab.path, "token", "--user", "authadmin@contoso.lab")
    assert code == 0 and token.count(".") == 2
    g = Graph(lab)
    g.token = token.strip()
    secret = g.post(taps(ADELE), json={"isUsableOnce": True}).json()["temporaryAccessPass"]
    code, out = run(lab.path, "signin", "--user", "AdeleV@contoso.lab", input="wrong\n")
    assert code == 1 and "incorrect" in out
    code, out = run(lab.path, "signin", "--user", "AdeleV@contoso.lab", input=secret + "\n")
    assert code == 0 and "OneTimeUsed" in out and secret not in out
    code, out = run(lab.path, "clock", "+2h", "--json")
    assert code == 0 and json.loads(out)["offsetSeconds"] == pytest.approx(7200, abs=1)
    code, out = run(lab.path, "clock", "-30m", "--json")
    assert json.loads(out)["offsetSeconds"] == pytest.approx(5400, abs=1)
    code, out = run(lab.path, "clock", "2031-01-01T00:00:00Z", "--freeze", "--json")
    assert json.loads(out)["now"] == "2031-01-01T00:00:00Z" and json.loads(out)["frozen"] is True
    code, out = run(lab.path, "clock", "reset")
    assert code == 0 and "real time" in out
    code, out = run(lab.path, "clock", "yesterday-ish")
    assert code == 1
    code, out = run(lab.path, "fault", "add", "throttle", "--limit", "5", "--window", "60", "--method", "POST")
    assert code == 0 and out.strip().isdigit()
    code, out = run(lab.path, "fault", "add", "malformed", "--field", "isUsable", "--value", '"maybe"')
    assert code == 0
    code, out = run(lab.path, "fault", "list")
    assert '"limit": 5' in out and '"value": "maybe"' in out
    code, out = run(lab.path, "fault", "add", "throttle", "--limit", "5")
    assert code == 1 and "window" in out
    code, out = run(lab.path, "fault", "clear")
    assert code == 0 and "removed 2" in out
    code, out = run(lab.path, "token", "--app", "nope")
    assert code == 1 and "no app" in out


def test_cli_reset_and_entry_point(tmp_path: Path) -> None:
    db = tmp_path / "cli" / "lab.db"
    out = subprocess.run([sys.executable, "-c", "from pscompat.cli import main; main()", "lab", "--db", str(db),
                          "reset"], capture_output=True, text=True)
    assert out.returncode == 0 and "contoso-lab" in out.stdout
    out = subprocess.run([sys.executable, "-c", "from pscompat.cli import main; main()", "lab", "--db", str(db),
                          "reset", "--scenario", str(tmp_path / "missing.yaml")], capture_output=True, text=True)
    assert out.returncode == 2 and "Traceback" not in out.stderr
