"""Fault injection (malformed responses, latency, rate) and JSON batching."""

from __future__ import annotations

import time

import pytest

from pscompat.lab.core import Lab
from pscompat.lab.faults import FaultError, normalise_fault
from tests.lab import schemas
from tests.lab.conftest import ADELE, ADELE_UPN, Graph, taps


def add(lab: Lab, spec: dict) -> None:
    lab.store.add_fault(normalise_fault(spec))
    lab.reload_faults()


def test_malformed_wrong_type_for_lifetime(graph: Graph, lab: Lab) -> None:
    add(lab, {"kind": "malformed", "field": "lifetimeInMinutes"})
    body = graph.post(taps(ADELE), json={}).json()
    assert body["lifetimeInMinutes"] == "sixty"
    assert schemas.errors(body, schemas.TAP)          # breaks Graph's schema, as intended
    listed = graph.get(taps(ADELE)).json()
    assert listed["value"][0]["lifetimeInMinutes"] == "sixty"


def test_malformed_unknown_usability_reason_and_raw(graph: Graph, lab: Lab) -> None:
    add(lab, {"kind": "malformed", "field": "methodUsabilityReason", "method": "POST"})
    assert graph.post(taps(ADELE), json={}).json()["methodUsabilityReason"] == "UnknownFutureReason"
    assert graph.get(taps(ADELE)).json()["value"][0]["methodUsabilityReason"] == "EnabledByPolicy"
    lab.store.clear_faults()
    add(lab, {"kind": "malformed", "raw": "{not json", "times": 1})
    r = graph.get(taps(ADELE))
    assert r.status_code == 200 and r.content == b"{not json"
    assert graph.get(taps(ADELE)).json()["value"]


def test_malformed_never_touches_errors(graph: Graph, lab: Lab) -> None:
    add(lab, {"kind": "malformed", "field": "lifetimeInMinutes", "remove": True})
    r = graph.post(taps(ADELE), json={"lifetimeInMinutes": 5})
    assert r.status_code == 400
    schemas.validate(r.json(), schemas.ERROR)
    assert "lifetimeInMinutes" not in graph.post(taps(ADELE), json={}).json()


def test_latency(graph: Graph, lab: Lab) -> None:
    add(lab, {"kind": "latency", "ms": 150, "path": "/users/*/authentication/temporaryAccessPassMethods"})
    start = time.perf_counter()
    assert graph.get(taps(ADELE)).status_code == 200
    assert time.perf_counter() - start >= 0.15
    start = time.perf_counter()
    graph.get("/users")
    assert time.perf_counter() - start < 0.15


def test_throttle_by_rate_is_repeatable_with_a_seed(graph: Graph, lab: Lab) -> None:
    add(lab, {"kind": "throttle", "rate": 0.5, "seed": 7, "retryAfter": 2})
    first = [graph.get(taps(ADELE)).status_code for _ in range(40)]
    assert 5 < first.count(429) < 35 and set(first) == {200, 429}
    lab.store.clear_faults()
    add(lab, {"kind": "throttle", "rate": 0.5, "seed": 7, "retryAfter": 2})
    assert [graph.get(taps(ADELE)).status_code for _ in range(40)] == first


def test_faults_from_another_process_apply_to_a_running_lab(graph: Graph, lab: Lab) -> None:
    from pscompat.lab import open_lab
    other = open_lab(lab.path)
    other.store.add_fault(normalise_fault({"kind": "unavailable", "times": 1}))
    other.close()
    assert graph.get(taps(ADELE)).status_code == 503
    assert graph.get(taps(ADELE)).status_code == 200


@pytest.mark.parametrize("spec", [{"kind": "nope"}, {"kind": "throttle", "limit": 3},
                                  {"kind": "latency"}, {"kind": "throttle", "rate": 2},
                                  {"kind": "unavailable", "status": 500}, {"kind": "throttle", "colour": 1}])
def test_bad_fault_specs(spec: dict) -> None:
    with pytest.raises(FaultError):
        normalise_fault(spec)


# -- $batch -----------------------------------------------------------------------------------

def test_batch_with_depends_on(graph: Graph) -> None:
    r = graph.post("/$batch", json={"requests": [
        {"id": "1", "method": "POST", "url": f"/users/{ADELE}/authentication/temporaryAccessPassMethods",
         "headers": {"Content-Type": "application/json"}, "body": {"lifetimeInMinutes": 60}},
        {"id": "2", "method": "GET", "url": f"/users/{ADELE}/authentication/temporaryAccessPassMethods",
         "dependsOn": ["1"]},
        {"id": "3", "method": "POST", "url": f"users/{ADELE}/authentication/temporaryAccessPassMethods",
         "body": {"lifetimeInMinutes": 5}},
        {"id": "4", "method": "GET", "url": "/users/AdeleV@contoso.lab", "dependsOn": ["3"]},
        {"id": "5", "method": "GET", "url": f"/users/{ADELE}/authentication/temporaryAccessPassMethods/$count"}]})
    assert r.status_code == 200
    out = {x["id"]: x for x in r.json()["responses"]}
    assert out["1"]["status"] == 201 and out["1"]["body"]["temporaryAccessPass"]
    schemas.validate(out["1"]["body"], schemas.TAP)
    assert out["2"]["status"] == 200 and out["2"]["body"]["value"][0]["id"] == out["1"]["body"]["id"]
    assert out["3"]["status"] == 400 and out["3"]["body"]["error"]["code"] == "badRequest"
    assert out["4"]["status"] == 424
    assert out["5"]["status"] == 200
    assert out["1"]["headers"]["Content-Type"].startswith("application/json")


def test_batch_limits(graph: Graph) -> None:
    item = {"method": "GET", "url": f"/users/{ADELE_UPN}"}
    r = graph.post("/$batch", json={"requests": [{"id": str(i), **item} for i in range(21)]})
    assert r.status_code == 400
    assert r.json()["error"]["message"] == "The number of batch requests exceeds the limit of 20."
    ok = graph.post("/$batch", json={"requests": [{"id": str(i), **item} for i in range(20)]})
    assert ok.status_code == 200 and {x["status"] for x in ok.json()["responses"]} == {200}
    assert graph.post("/$batch", json={"requests": [{"id": "1", **item, "dependsOn": ["9"]}]}).status_code == 400
    assert graph.post("/$batch", json={"requests": [{"id": "1", **item}, {"id": "1", **item}]}).status_code == 400
    unauth = graph.client.post("/$batch", json={"requests": [{"id": "1", **item}]})
    assert unauth.status_code == 401


def test_seeded_rate_survives_commits_of_other_processes(graph: Graph, lab: Lab) -> None:
    from pscompat.lab import open_lab
    add(lab, {"kind": "throttle", "rate": 0.5, "seed": 3, "method": "GET"})
    quiet = [graph.get(taps(ADELE)).status_code for _ in range(20)]
    lab.store.clear_faults()
    add(lab, {"kind": "throttle", "rate": 0.5, "seed": 3, "method": "GET"})
    other = open_lab(lab.path)
    busy = []
    for _ in range(20):
        other.clock.advance("+1s")          # a commit from another connection before each request
        busy.append(graph.get(taps(ADELE)).status_code)
    other.close()
    assert busy == quiet
