"""`pscompat lab quota` and ``/lab/admin/quota``: turning Entra's quota model on, off or into
virtual time for a lab (issue 15 item 2: "configurable per scenario, from the CLI and the admin
API"), seeing its buckets fill, refilling them; the setting holds for every process of the lab
and a reset returns to the scenario's."""

from __future__ import annotations

import json

import httpx
import pytest
from click.testing import CliRunner

from pscompat.lab import asgi_transport
from pscompat.lab.commands import lab as lab_group
from pscompat.lab.core import Lab
from pscompat.lab.opening import open_lab
from tests.lab.conftest import ADELE, ADMIN_APP, Graph, taps


@pytest.fixture
def admin(lab: Lab) -> httpx.Client:
    return httpx.Client(transport=asgi_transport(lab), base_url="https://lab.test",
                        headers={"Authorization": f"Bearer {lab.admin_secret}"})


@pytest.fixture(autouse=True)
def _no_env_quota(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PSCOMPAT_LAB_QUOTA", raising=False)


def test_admin_api_turns_the_quota_on_and_shows_the_buckets(lab: Lab, admin: httpx.Client) -> None:
    r = admin.get("/lab/admin/quota")
    assert r.status_code == 200 and r.json() == {"mode": "off", "size": None, "sizeFrom": "user count",
                                                 "source": "scenario", "buckets": []}
    r = admin.post("/lab/admin/quota", json={"mode": "on", "size": "s"})
    assert r.status_code == 200 and (r.json()["mode"], r.json()["size"], r.json()["source"]) == ("on", "S", "lab")
    assert Graph(lab).post(taps(ADELE), json={}).status_code == 201
    buckets = {(b["scope"], b["kind"]): b for b in admin.get("/lab/admin/quota").json()["buckets"]}
    write = buckets[("Tenant_Application", "writes")]
    assert (write["app"], write["limit"], write["windowSeconds"], write["available"]) == (ADMIN_APP, 3000, 150, 2999)
    assert buckets[("Tenant_Application", "resource units")]["limit"] == 3500    # size S
    assert buckets[("Tenant", "writes")]["limit"] == 18000
    r = admin.post("/lab/admin/quota", json={"resetBuckets": True})
    assert r.json()["mode"] == "on" and r.json()["buckets"] == []


def test_the_setting_holds_for_other_processes_and_a_reset_clears_it(lab: Lab, admin: httpx.Client) -> None:
    admin.post("/lab/admin/quota", json={"mode": "virtual"})
    other = open_lab(lab.path)
    try:
        assert other.quota is not None and other.quota.config.virtual_time
    finally:
        other.close()
    admin.post("/lab/admin/reset")
    assert admin.get("/lab/admin/quota").json()["mode"] == "off"


@pytest.mark.parametrize("body", [{"mode": "sometimes"}, {"size": "XL"}, {"size": 3}, {"colour": "red"}])
def test_bad_settings_are_refused_and_change_nothing(lab: Lab, admin: httpx.Client, body: dict) -> None:
    r = admin.post("/lab/admin/quota", json=body)
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalidRequest"
    assert admin.get("/lab/admin/quota").json()["mode"] == "off"


def test_cli_local_and_remote(lab: Lab, served: str, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    r = runner.invoke(lab_group, ["--db", str(lab.path), "quota", "on", "--size", "L"])
    assert r.exit_code == 0 and r.output == "Quota: on, size L (setting); set by the lab.\nNo request charged yet in this process.\n"
    monkeypatch.setenv("PSCOMPAT_LAB_ADMIN_TOKEN", lab.admin_secret)
    r = runner.invoke(lab_group, ["--url", served, "quota", "--json"])
    assert r.exit_code == 0 and json.loads(r.output)["size"] == "L"
    r = runner.invoke(lab_group, ["--url", served, "quota", "scenario"])
    assert r.exit_code == 0 and r.output.startswith("Quota: off, size from the user count; set by the scenario.")
