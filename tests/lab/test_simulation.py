"""Graph simulation as Dev Proxy does it: every error kind with Graph's envelope and headers,
seeded random errors, the RateLimit-* headers, and fault counters that count every firing."""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from pscompat.lab.commands import lab as lab_group
from pscompat.lab.core import Lab
from pscompat.lab.faults import ERRORS, FaultError, normalise_fault
from tests.lab.conftest import ADELE, Graph, taps

USERS = "https://graph.microsoft.com/v1.0/users?$top=1"


def add(lab: Lab, spec: dict) -> int:
    fid = lab.store.add_fault(normalise_fault(spec))
    lab.reload_faults()
    return int(fid)


def fired(lab: Lab) -> dict[int, int]:
    return {fid: c[0] for fid, c in lab.store.fault_counters().items()}


@pytest.mark.parametrize("status,code", [(500, "generalException"), (502, "BadGateway"),
                                         (503, "serviceNotAvailable"), (504, "gatewayTimeout"),
                                         (507, "quotaLimitReached")])
def test_each_error_kind_has_graphs_envelope(graph: Graph, lab: Lab, status: int, code: str) -> None:
    add(lab, {"kind": "error", "status": status, "retryAfter": 3})
    r = graph.get(USERS)
    assert r.status_code == status and r.headers["content-type"].startswith("application/json")
    err = r.json()["error"]
    assert err["code"] == code and err["message"]
    assert err["innerError"]["request-id"] == r.headers["request-id"]
    assert r.headers["retry-after"] == "3"


def test_throttle_429_and_counters_count_every_firing(graph: Graph, lab: Lab) -> None:
    fid = add(lab, {"kind": "throttle", "retryAfter": 2})
    for _ in range(4):
        r = graph.get(USERS)
        assert r.status_code == 429 and r.json()["error"]["code"] == "TooManyRequests"
        assert r.headers["retry-after"] == "2"
    assert fired(lab)[fid] == 4
    out = CliRunner().invoke(lab_group, ["--db", str(lab.path), "fault", "list"]).output
    assert f"#{fid} fired=4 " in out
    lat = add(lab, {"kind": "latency", "ms": 1, "path": "/nothing"})
    graph.get(USERS)
    assert fired(lab)[lat] == 0 and fired(lab)[fid] == 5


def test_random_errors_are_seeded_and_cover_all_six(graph: Graph, lab: Lab) -> None:
    def run(seed: int) -> list[int]:
        lab.store.clear_faults(None)
        fid = add(lab, {"kind": "random", "rate": 0.5, "seed": seed})
        statuses = [graph.get(USERS).status_code for _ in range(60)]
        assert fired(lab)[fid] == sum(s != 200 for s in statuses)
        return statuses

    first = run(7)
    assert run(7) == first                                    # same seed, same sequence
    assert set(first) == {200, 429, 500, 502, 503, 504, 507}
    assert 15 <= sum(s != 200 for s in first) <= 45           # about half
    lab.store.clear_faults(None)
    add(lab, {"kind": "random", "rate": 1, "statuses": [429], "seed": 1})
    r = graph.get(USERS)
    assert r.status_code == 429 and r.headers["retry-after"] == "5"   # Dev Proxy's default
    lab.store.clear_faults(None)
    add(lab, {"kind": "random", "rate": 1, "statuses": [500]})
    assert "retry-after" not in graph.get(USERS).headers


def test_ratelimit_headers_then_429(graph: Graph, lab: Lab) -> None:
    add(lab, {"kind": "ratelimit", "limit": 10, "window": 60, "cost": 2})
    seen = []
    for _ in range(6):
        r = graph.get(USERS)
        seen.append((r.status_code, r.headers.get("ratelimit-limit"), r.headers.get("ratelimit-remaining"),
                     r.headers.get("ratelimit-reset")))
    # 2, 4, 6, 8 used: at most 80% (8 of 10), no headers; 10 still allowed, with them; 12 exceeds.
    assert [s[0] for s in seen] == [200, 200, 200, 200, 200, 429]
    assert seen[0][1:] == (None, None, None) and seen[3][1:] == (None, None, None)
    assert seen[4][1:3] == ("10", "0") and seen[5][1:3] == ("10", "0")
    assert 1 <= int(seen[5][3] or 0) <= 60
    r = graph.get(USERS)
    assert r.status_code == 429 and 1 <= int(r.headers["retry-after"]) <= 60
    assert r.json()["error"]["code"] == "TooManyRequests"


def test_ratelimit_epoch_reset(graph: Graph, lab: Lab) -> None:
    add(lab, {"kind": "ratelimit", "limit": 2, "window": 30, "cost": 2, "resetFormat": "UtcEpochSeconds"})
    r = graph.get(USERS)
    assert r.status_code == 200 and abs(int(r.headers["ratelimit-reset"]) - (time.time() + 30)) <= 31


def test_faults_in_batch_and_on_writes(graph: Graph, lab: Lab) -> None:
    add(lab, {"kind": "error", "status": 507, "method": "POST", "path": "/users/*/authentication/*"})
    r = graph.post(taps(ADELE), json={})
    assert r.status_code == 507 and r.json()["error"]["code"] == "quotaLimitReached"
    assert graph.get(USERS).status_code == 200


@pytest.mark.parametrize("spec", [{"kind": "random", "statuses": [418]}, {"kind": "random", "statuses": []},
                                  {"kind": "ratelimit", "cost": 0}, {"kind": "ratelimit", "resetFormat": "x"},
                                  {"kind": "error", "status": 429}, {"kind": "ratelimit", "warningPercent": 101}])
def test_bad_simulation_specs(spec: dict) -> None:
    with pytest.raises(FaultError):
        normalise_fault(spec)


def test_cli_adds_simulations(lab: Lab) -> None:
    runner = CliRunner()
    r = runner.invoke(lab_group, ["--db", str(lab.path), "fault", "add", "random", "--statuses", "429,503",
                                  "--seed", "3"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(lab_group, ["--db", str(lab.path), "fault", "add", "ratelimit", "--limit", "100",
                                  "--cost", "1", "--reset-format", "UtcEpochSeconds"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(lab_group, ["--db", str(lab.path), "fault", "add", "error", "--status", "502"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(lab_group, ["--db", str(lab.path), "fault", "add", "random", "--statuses", "4x"])
    assert r.exit_code == 2 and "--statuses" in r.output
    specs = [json.loads(line.split(" ", 2)[2]) for line in
             runner.invoke(lab_group, ["--db", str(lab.path), "fault", "list"]).output.splitlines()]
    assert specs[0] == {"kind": "random", "seed": 3, "statuses": [429, 503], "retryAfter": 5, "rate": 0.5}
    assert specs[1]["kind"] == "ratelimit" and specs[1]["resetFormat"] == "UtcEpochSeconds"
    assert specs[2] == {"kind": "error", "status": 502}
    assert set(ERRORS) == {429, 500, 502, 503, 504, 507}
