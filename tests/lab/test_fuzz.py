"""Schema-driven fuzzing (schemathesis) of the served lab against its own OpenAPI document:
no 5xx, and every response conforms to the documented schema and content type. Plus a
hypothesis fuzz of create-pass bodies against real users, checked against Graph's schemas."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pscompat.lab.core import Lab
from pscompat.lab.openapi import document
from tests.lab import schemas
from tests.lab.conftest import POLICY, Graph, taps

schemathesis = pytest.importorskip("schemathesis")

EXAMPLES = 20


def test_schemathesis_finds_no_5xx_and_no_schema_break(lab: Lab, served: str) -> None:
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance
    doc = document()
    doc["servers"] = [{"url": f"{served}/v1.0"}]
    schema = schemathesis.openapi.from_dict(doc)
    token = lab.issue_token()
    checks = [not_a_server_error, response_schema_conformance, content_type_conformance]
    seen: dict[str, int] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15

    for operation in operations:
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case: object) -> None:
            response = case.call(base_url=f"{served}/v1.0", headers={"Authorization": f"Bearer {token}"})  # type: ignore[attr-defined]
            seen[str(response.status_code)] = seen.get(str(response.status_code), 0) + 1
            case.validate_response(response, checks=checks)  # type: ignore[attr-defined]
        run()
    assert not [s for s in seen if s.startswith("5")], seen
    assert any(s.startswith("2") for s in seen)


USERS = ["AdeleV@contoso.lab", "6c2ec976-f701-4488-9f36-635943200fc1", "contractor@contoso.lab",
         "jane.doe_fabrikam.com#EXT#@contosolab.onmicrosoft.com", "former.employee@contoso.lab", "nobody@contoso.lab"]
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers(-2**40, 2**40) | st.floats(allow_nan=False, allow_infinity=False)
                           | st.text(max_size=12), lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=5)
DATES = st.datetimes().map(lambda d: d.isoformat() + "Z") | st.sampled_from(
    ["2030-01-01T00:00:00Z", "2030-01-01T00:00:00.1234567+05:30", "not a date", "2030-13-01T00:00:00Z", ""])
BODIES = st.fixed_dictionaries({}, optional={
    "lifetimeInMinutes": st.integers(-100, 50000) | JSON_VALUES,
    "isUsableOnce": st.booleans() | JSON_VALUES,
    "startDateTime": DATES | JSON_VALUES,
    "@odata.type": st.sampled_from(["#microsoft.graph.temporaryAccessPassAuthenticationMethod", "#x"]),
    "temporaryAccessPass": st.text(max_size=8),
    "unknownProperty": JSON_VALUES})
POLICIES = st.fixed_dictionaries({}, optional={
    "state": st.sampled_from(["enabled", "disabled", "x"]) | JSON_VALUES,
    "defaultLifetimeInMinutes": st.integers(0, 50000), "minimumLifetimeInMinutes": st.integers(0, 50000),
    "maximumLifetimeInMinutes": st.integers(0, 50000), "defaultLength": st.integers(0, 60) | JSON_VALUES,
    "isUsableOnce": st.booleans() | JSON_VALUES,
    "includeTargets": st.just([{"targetType": "group", "id": "all_users"}]) | JSON_VALUES})


def test_hypothesis_fuzz_of_bodies(lab: Lab) -> None:
    graph = Graph(lab)

    @settings(max_examples=int(os.environ.get("LAB_FUZZ_EXAMPLES", "300")), deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(user=st.sampled_from(USERS), body=BODIES, policy=st.none() | POLICIES, raw=st.none() | st.binary(max_size=20))
    def run(user: str, body: dict, policy: dict | None, raw: bytes | None) -> None:
        if policy is not None:
            r = graph.patch(POLICY, json=policy)
            assert r.status_code in (204, 400), r.text
            if r.status_code == 400:
                schemas.validate(r.json(), schemas.ERROR)
        if raw is not None:
            r = graph.post(taps(user), content=raw, headers={"Content-Type": "application/json"})
        else:
            r = graph.post(taps(user), content=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
        assert r.status_code in (201, 400, 404), r.text
        if r.status_code == 201:
            schemas.validate(r.json(), schemas.TAP)
            listed = graph.get(taps(user)).json()
            schemas.validate(listed, schemas.TAP_COLLECTION)
            assert listed["value"][0]["id"] == r.json()["id"]
        else:
            schemas.validate(r.json(), schemas.ERROR)
        schemas.validate(graph.get(POLICY).json(), schemas.POLICY)

    run()
