"""The served lab trusts no Host it was not given, and no failed `lab` subcommand leaves state
behind (issue 16, items 2 and 5)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from pscompat.lab.app import host_name
from pscompat.lab.core import Lab
from pscompat.lab.server import allowed_hosts


def test_unknown_host_header_is_refused_with_json(served: str, lab: Lab) -> None:
    token = lab.issue_token()
    with httpx.Client(base_url=served) as c:
        resp = c.get("/v1.0/users", headers={"Host": "evil.example", "Authorization": f"Bearer {token}"})
        assert resp.status_code == 400
        assert "evil.example" in resp.json()["error"]["message"]
        assert c.get("/v1.0/users", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_next_link_uses_an_allowed_host_only(served: str, lab: Lab) -> None:
    token = lab.issue_token()
    with httpx.Client(base_url=served) as c:
        page = c.get("/v1.0/users?$top=2", headers={"Authorization": f"Bearer {token}", "Host": "localhost"}).json()
        assert page["@odata.nextLink"].startswith("http://localhost")


def test_allowed_hosts_cover_bound_address_and_sans() -> None:
    hosts = allowed_hosts(("10.1.2.3", "lab.school.example"))
    assert {"10.1.2.3", "lab.school.example"} <= hosts
    assert host_name("[::1]:8765") == "::1" and host_name("Lab.School.Example:443") == "lab.school.example"


def _pscompat(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "PSCOMPAT_QUIET": "1"}
    env.pop("PSCOMPAT_LAB_DB", None)
    return subprocess.run([str(Path(sys.executable).with_name("pscompat")), *args], capture_output=True, text=True,
                          env=env, timeout=60)


@pytest.mark.parametrize("change", ["+99999999999999999d", "+" + "9" * 400 + "s", "9999-12-31T23:59:59Z"])
def test_lab_clock_out_of_range_saves_nothing(tmp_path: Path, change: str) -> None:
    """A clock the lab could not print used to be saved, breaking every later command."""
    before = _pscompat(tmp_path, "lab", "clock", "--json")
    assert before.returncode == 0, before.stderr
    bad = _pscompat(tmp_path, "lab", "clock", change)
    if change.startswith("9999"):
        assert bad.returncode == 0  # the last second .NET can hold is fine
        assert _pscompat(tmp_path, "lab", "clock", "reset").returncode == 0
    else:
        assert bad.returncode == 1 and "Traceback" not in bad.stderr
        assert "DateTime" in bad.stderr
    after = _pscompat(tmp_path, "lab", "status")
    assert after.returncode == 0 and "Traceback" not in after.stderr


def test_lab_reset_with_a_binary_scenario_is_a_clear_error(tmp_path: Path) -> None:
    assert _pscompat(tmp_path, "lab", "status").returncode == 0
    binary = tmp_path / "scenario.yaml"
    binary.write_bytes(bytes(range(256)) * 4)
    result = _pscompat(tmp_path, "lab", "reset", "--scenario", str(binary))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "not UTF-8 text" in result.stderr
    status = _pscompat(tmp_path, "lab", "status")
    assert status.returncode == 0 and "contoso.lab" in status.stdout


def test_lab_serve_port_out_of_range_is_a_usage_error(tmp_path: Path) -> None:
    result = _pscompat(tmp_path, "lab", "serve", "--port", "99999")
    assert result.returncode == 2 and "99999 is not in the range" in result.stderr
