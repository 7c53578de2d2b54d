"""Entra's identity throttling in the lab (lab/quota.py): the cost table, the buckets on the
lab clock, the headers of facts/graph-throttling.md, $batch items charged one by one, and
virtual time."""

from __future__ import annotations

import pytest

from pscompat.lab.clock import TICKS_PER_SECOND
from pscompat.lab.core import Lab
from pscompat.lab.quota import Quota, QuotaConfig, cost, tenant_size
from tests.lab.conftest import ADELE, ADMIN_APP, TENANT, Graph, taps

APP = "00000000-0000-0000-0000-0000000000a1"


class FakeClock:
    def __init__(self) -> None:
        self.ticks = 1_000 * TICKS_PER_SECOND

    def now(self) -> int:
        return self.ticks

    def advance(self, seconds: float) -> None:
        self.ticks += int(seconds * TICKS_PER_SECOND)


def make(users: int = 10, **kw: object) -> tuple[Quota, FakeClock]:
    clock = FakeClock()
    return Quota(QuotaConfig(enabled=True, **kw), clock.now, lambda: users), clock  # type: ignore[arg-type]


def test_cost_table_and_modifiers() -> None:
    assert cost("GET", "users", {}) == (2, 0)
    assert cost("GET", "users", {"$select": "id"}) == (1, 0)
    assert cost("GET", "users", {"$top": "5"}) == (1, 0)
    assert cost("GET", "users", {"$top": "5", "$select": "id"}) == (1, 0)   # never below 1
    assert cost("GET", "users", {"$expand": "manager"}) == (3, 0)
    assert cost("GET", f"users/{ADELE}", {}) == (1, 0)
    assert cost("POST", f"users/{ADELE}/authentication/temporaryAccessPassMethods", {}) == (1, 1)
    assert cost("DELETE", f"users/{ADELE}/authentication/temporaryAccessPassMethods/x", {}) == (1, 1)


def test_tenant_size_thresholds() -> None:
    assert [tenant_size(n) for n in (0, 49, 50, 500, 501)] == ["S", "S", "M", "M", "L"]


def test_write_quota_per_app_and_tenant_then_refill_on_the_clock() -> None:
    quota, clock = make()
    path = f"users/{ADELE}/authentication/temporaryAccessPassMethods"
    for _ in range(3000):
        assert quota.charge(APP, TENANT, "POST", path, {}).retry_after is None
    refused = quota.charge(APP, TENANT, "POST", path, {})
    assert refused.retry_after == 1
    assert refused.scope == f"Tenant_Application/Write/{APP}/{TENANT}"
    assert refused.information == "WriteLimitExceeded"
    clock.advance(0.05)                       # refills at 3,000 / 150 s = 20 per second: one write
    assert quota.charge(APP, TENANT, "POST", path, {}).retry_after is None
    assert quota.charge(APP, TENANT, "POST", path, {}).retry_after is not None
    # Another app of the same tenant has its own app+tenant bucket.
    assert quota.charge("other-app", TENANT, "POST", path, {}).retry_after is None


def test_tenant_write_quota_is_shared_by_all_apps() -> None:
    quota, _ = make()
    path = f"users/{ADELE}/authentication/temporaryAccessPassMethods"
    for app in range(6):
        for _ in range(3000):
            assert quota.charge(f"app{app}", TENANT, "POST", path, {}).retry_after is None
    refused = quota.charge("app-7", TENANT, "POST", path, {})
    assert refused.scope == f"Tenant/Write/app-7/{TENANT}" and refused.information == "WriteLimitExceeded"


def test_resource_unit_quota_by_tenant_size() -> None:
    for users, limit in ((10, 3500), (100, 5000), (1000, 8000)):
        quota, _ = make(users)
        for _ in range(limit // 2):
            assert quota.charge(APP, TENANT, "GET", "users", {}).retry_after is None
        refused = quota.charge(APP, TENANT, "GET", "users", {})
        assert refused.information == "ResourceUnitLimitExceeded", users
        assert refused.scope.startswith("Tenant_Application/ReadWrite/")


def test_percentage_header_above_80_percent_and_low_priority_throttled_first() -> None:
    quota, _ = make()
    path = f"users/{ADELE}/authentication/temporaryAccessPassMethods"
    for _ in range(2400):
        first = quota.charge(APP, TENANT, "POST", path, {})
    assert ("x-ms-throttle-limit-percentage", "0.8") not in first.headers
    assert all(k != "x-ms-throttle-limit-percentage" for k, _ in first.headers)
    warned = quota.charge(APP, TENANT, "POST", path, {})
    assert dict(warned.headers)["x-ms-throttle-limit-percentage"] == "0.8"
    assert dict(warned.headers)["x-ms-resource-unit"] == "1"
    for _ in range(350):
        quota.charge(APP, TENANT, "POST", path, {})
    # 249 writes left: under the 10% reserve a low-priority request waits, a normal one passes.
    assert quota.charge(APP, TENANT, "POST", path, {}, priority="low").retry_after is not None
    assert quota.charge(APP, TENANT, "POST", path, {}, priority="normal").retry_after is None


def test_config_parsing() -> None:
    assert QuotaConfig.parse(None).enabled is False
    assert QuotaConfig.parse("virtual").virtual_time is True
    assert QuotaConfig.parse({"size": "l"}).size == "L"
    with pytest.raises(ValueError):
        QuotaConfig.parse("sometimes")
    with pytest.raises(ValueError):
        QuotaConfig.parse({"size": "XL"})


# -- through the lab --------------------------------------------------------------------------

def quota_lab(lab: Lab, monkeypatch: pytest.MonkeyPatch, mode: str = "on") -> Quota:
    monkeypatch.setenv("PSCOMPAT_LAB_QUOTA", mode)
    lab.clock.set("2030-01-01T00:00:00Z", freeze=True)
    lab._set_quota()
    assert lab.quota is not None
    return lab.quota


def drain_writes(quota: Quota, keep: int = 0) -> None:
    for _ in range(3000 - keep):
        quota.charge(ADMIN_APP, TENANT, "POST", f"users/{ADELE}", {})


def test_quota_off_by_default(graph: Graph) -> None:
    assert graph.lab.quota is None
    assert "x-ms-resource-unit" not in graph.get(f"/users/{ADELE}").headers


def test_lab_charges_and_throttles_like_graph(graph: Graph, monkeypatch: pytest.MonkeyPatch) -> None:
    quota = quota_lab(graph.lab, monkeypatch)
    r = graph.get("/users", params={"$select": "id"})
    assert r.status_code == 200 and r.headers["x-ms-resource-unit"] == "1"
    drain_writes(quota)
    r = graph.post(taps(ADELE), json={})
    assert r.status_code == 429
    assert r.headers["retry-after"] == "1"
    assert r.headers["x-ms-throttle-scope"] == f"Tenant_Application/Write/{ADMIN_APP}/{TENANT}"
    assert r.headers["x-ms-throttle-information"] == "WriteLimitExceeded"
    error = r.json()["error"]
    assert error["code"] == "TooManyRequests"
    assert error["message"] == "Too many requests. Retry after 1 seconds."
    assert graph.get(taps(ADELE)).json()["value"] == []          # nothing half-done
    graph.lab.clock.advance(1.0)                                   # the lab clock refills
    assert graph.post(taps(ADELE), json={}).status_code == 201


def test_batch_items_are_charged_and_throttled_one_by_one(graph: Graph, monkeypatch: pytest.MonkeyPatch) -> None:
    quota = quota_lab(graph.lab, monkeypatch)
    drain_writes(quota, keep=2)
    item = {"method": "POST", "url": f"/users/{ADELE}/authentication/temporaryAccessPassMethods",
            "headers": {"Content-Type": "application/json"}, "body": {"lifetimeInMinutes": 60}}
    r = graph.post("/$batch", json={"requests": [{"id": str(i), **item} for i in range(4)]})
    assert r.status_code == 200
    statuses = sorted(x["status"] for x in r.json()["responses"])
    assert statuses == [201, 201, 429, 429]
    throttled = [x for x in r.json()["responses"] if x["status"] == 429]
    assert all(x["headers"]["Retry-After"] == "1" for x in throttled)
    assert all(x["headers"]["X-Ms-Throttle-Information"] == "WriteLimitExceeded" for x in throttled)
    assert all(x["headers"]["X-Ms-Resource-Unit"] == "1" for x in r.json()["responses"])


def test_virtual_time_advances_the_lab_clock_by_the_wait(graph: Graph, monkeypatch: pytest.MonkeyPatch) -> None:
    quota = quota_lab(graph.lab, monkeypatch, "virtual")
    drain_writes(quota)
    before = graph.lab.clock.now()
    r = graph.post(taps(ADELE), json={})
    assert r.status_code == 429 and graph.lab.clock.now() - before == TICKS_PER_SECOND // 20   # one write's refill
    assert graph.post(taps(ADELE), json={}).status_code == 201   # the retry finds the bucket refilled
