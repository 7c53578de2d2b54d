"""Every row of the errors table of facts/graph-tap.md: status, code, message and envelope."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.lab import schemas
from tests.lab.conftest import ADELE, ADELE_UPN, GUEST_UPN, NONE_APP, POLICY, Graph, taps

CRID = "0f4c8b8e-2a55-4c55-8f1d-6a1b0e3d7c21"
DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")


def check_envelope(r: httpx.Response, status: int, code: str, message: str, repeat: bool) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert list(body) == ["error"]
    err = body["error"]
    assert list(err) == ["code", "message", "innerError"]
    assert err["code"] == code
    assert err["message"] == message
    inner = err["innerError"]
    expected_keys = (["message"] if repeat else []) + ["date", "request-id", "client-request-id"]
    assert list(inner) == expected_keys
    if repeat:
        assert inner["message"] == message
    assert DATE.match(inner["date"])
    assert inner["request-id"] == r.headers["request-id"]
    assert inner["client-request-id"] == r.headers["client-request-id"] == CRID
    schemas.validate(body, schemas.ERROR)
    return body


def post(graph: Graph, user: str, body: dict[str, Any]) -> httpx.Response:
    return graph.post(taps(user), json=body, headers={"client-request-id": CRID})


@pytest.mark.parametrize("lifetime", [59, 481, 10, 43200, 0, -5])
def test_lifetime_outside_policy_range(graph: Graph, lifetime: int) -> None:
    check_envelope(post(graph, ADELE, {"lifetimeInMinutes": lifetime}), 400, "badRequest",
                   "Invalid LifetimeInMinutes specified. The valid range between 60 and 480.", repeat=True)


def test_lifetime_message_carries_the_policys_numbers(graph: Graph) -> None:
    graph.patch(POLICY, json={"minimumLifetimeInMinutes": 10, "maximumLifetimeInMinutes": 43200})
    assert post(graph, ADELE, {"lifetimeInMinutes": 10}).status_code == 201
    assert post(graph, ADELE, {"lifetimeInMinutes": 43200}).status_code == 201
    check_envelope(post(graph, ADELE, {"lifetimeInMinutes": 9}), 400, "badRequest",
                   "Invalid LifetimeInMinutes specified. The valid range between 10 and 43200.", repeat=True)
    graph.patch(POLICY, json={"minimumLifetimeInMinutes": 120, "maximumLifetimeInMinutes": 240,
                              "defaultLifetimeInMinutes": 120})
    check_envelope(post(graph, ADELE, {"lifetimeInMinutes": 241}), 400, "badRequest",
                   "Invalid LifetimeInMinutes specified. The valid range between 120 and 240.", repeat=True)


def test_tap_disabled_in_the_policy(graph: Graph) -> None:
    graph.patch(POLICY, json={"state": "disabled"})
    check_envelope(post(graph, ADELE, {}), 400, "badRequest",
                   "Converged UserCredentialPolicy does not allow creating or updating this authentication "
                   "method. AuthMethodType [TemporaryAccessPass].", repeat=True)


def test_reusable_pass_while_policy_forces_one_time(graph: Graph) -> None:
    graph.patch(POLICY, json={"isUsableOnce": True})
    check_envelope(post(graph, ADELE, {"isUsableOnce": False}), 400, "badRequest",
                   "Invalid IsUsableOnce specified. The policy only allows one-time use Temporary Access Passes.",
                   repeat=True)
    assert post(graph, ADELE, {"isUsableOnce": True}).status_code == 201
    assert post(graph, ADELE, {}).json()["isUsableOnce"] is True


def test_target_is_an_external_guest(graph: Graph) -> None:
    check_envelope(post(graph, GUEST_UPN, {}), 400, "badRequest",
                   "Temporary Access Pass cannot be added to an external guest user.", repeat=True)
    assert post(graph, "contractor@contoso.lab", {}).status_code == 201  # internal guest: allowed


def test_unknown_user(graph: Graph) -> None:
    for ref in ("nobody@contoso.lab", "00000000-0000-0000-0000-000000000000"):
        check_envelope(post(graph, ref, {}), 404, "Request_ResourceNotFound",
                       f"Resource '{ref}' does not exist or one of its queried reference-property objects are "
                       "not present.", repeat=False)
        r = graph.get(taps(ref), headers={"client-request-id": CRID})
        assert r.status_code == 404 and r.json()["error"]["code"] == "Request_ResourceNotFound"
    check_envelope(graph.get("/users/nobody@contoso.lab", headers={"client-request-id": CRID}), 404,
                   "Request_ResourceNotFound", "Resource 'nobody@contoso.lab' does not exist or one of its queried "
                   "reference-property objects are not present.", repeat=False)


def test_unknown_method_id(graph: Graph) -> None:
    missing = "11111111-2222-4333-8444-555555555555"
    for method in (graph.get, graph.delete):
        check_envelope(method(f"{taps(ADELE)}/{missing}", headers={"client-request-id": CRID}), 404, "itemNotFound",
                       f"The requested Temporary Access Pass method '{missing}' was not found.", repeat=True)


def test_missing_permission(graph: Graph) -> None:
    nobody = graph.as_(NONE_APP)
    msg = "Insufficient privileges to complete the operation."
    for r in (nobody.post(taps(ADELE), json={}, headers={"client-request-id": CRID}),
              nobody.get(taps(ADELE), headers={"client-request-id": CRID}),
              nobody.get(POLICY, headers={"client-request-id": CRID}),
              nobody.get("/users", headers={"client-request-id": CRID})):
        check_envelope(r, 403, "Authorization_RequestDenied", msg, repeat=False)


def test_no_token(graph: Graph) -> None:
    for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": "Basic abc"}):
        r = graph.client.get(taps(ADELE), headers={"client-request-id": CRID, **headers})
        check_envelope(r, 401, "InvalidAuthenticationToken", "Access token is empty.", repeat=False)
        assert r.headers["www-authenticate"].startswith("Bearer realm=")


def test_invalid_tokens(graph: Graph) -> None:
    import base64
    import json

    from pscompat.lab.auth import sign_jwt

    def call(token: str) -> httpx.Response:
        return graph.client.get(taps(ADELE), headers={"Authorization": f"Bearer {token}", "client-request-id": CRID})

    head, payload, sig = graph.token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forged = sign_jwt(claims, b"not the lab key")
    check_envelope(call(forged), 401, "InvalidAuthenticationToken", "Access token validation failure.", repeat=False)
    wrong_aud = sign_jwt({**claims, "aud": "https://management.azure.com"}, graph.lab.token_key)
    check_envelope(call(wrong_aud), 401, "InvalidAuthenticationToken",
                   "Access token validation failure. Invalid audience.", repeat=False)
    expired = sign_jwt({**claims, "exp": 1000}, graph.lab.token_key)
    check_envelope(call(expired), 401, "InvalidAuthenticationToken",
                   "Lifetime validation failed, the token is expired.", repeat=False)
    check_envelope(call("not-a-jwt"), 401, "InvalidAuthenticationToken",
                   "IDX14100: JWT is not well formed, there are no dots (.).", repeat=False)


def test_throttled_429_with_retry_after(graph: Graph) -> None:
    graph.lab.store.add_fault({"kind": "throttle", "times": 1, "retryAfter": 3})
    graph.lab.reload_faults()
    r = post(graph, ADELE, {})
    check_envelope(r, 429, "TooManyRequests", "Too many requests. Retry after 3 seconds.", repeat=False)
    assert r.headers["retry-after"] == "3"
    assert post(graph, ADELE, {}).status_code == 201  # times: 1


def test_throttled_by_requests_per_window(graph: Graph) -> None:
    graph.lab.store.add_fault({"kind": "throttle", "limit": 3, "window": 3600, "method": "GET"})
    graph.lab.reload_faults()
    statuses = [graph.get(taps(ADELE)).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    r = graph.get(taps(ADELE))
    assert 1 <= int(r.headers["retry-after"]) <= 3600
    assert post(graph, ADELE, {}).status_code == 201  # POSTs do not match


@pytest.mark.parametrize(("status", "code", "message"), [
    (503, "serviceNotAvailable", "The service is temporarily unavailable. Please retry later."),
    (504, "gatewayTimeout", "The gateway did not receive a response in time.")])
def test_transient_503_504(graph: Graph, status: int, code: str, message: str) -> None:
    graph.lab.store.add_fault({"kind": "unavailable", "status": status, "retryAfter": 2, "times": 1})
    graph.lab.reload_faults()
    r = post(graph, ADELE, {})
    check_envelope(r, status, code, message, repeat=False)
    assert r.headers["retry-after"] == "2"


def test_bad_bodies(graph: Graph) -> None:
    def bad(content: bytes, message: str) -> None:
        r = graph.post(taps(ADELE_UPN), content=content, headers={"client-request-id": CRID,
                                                                   "Content-Type": "application/json"})
        check_envelope(r, 400, "BadRequest", message, repeat=False)
    bad(b"{nope", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of "
                  "valid JSON format.")
    bad(b"[]", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of "
               "valid JSON format.")
    bad(b"", "Empty Payload. JSON content expected.")
    bad(b'{"lifetimeInMinutes": "60"}', "Cannot convert a primitive value to the expected type 'Edm.Int32'. "
                                        "See the inner exception for more details.")
    bad(b'{"lifetimeInMinutes": true}', "Cannot convert a primitive value to the expected type 'Edm.Int32'. "
                                        "See the inner exception for more details.")
    bad(b'{"isUsableOnce": "yes"}', "Cannot convert a primitive value to the expected type 'Edm.Boolean'. "
                                    "See the inner exception for more details.")
    bad(b'{"startDateTime": "tomorrow"}', "Cannot convert the literal 'tomorrow' to the expected type "
                                          "'Edm.DateTimeOffset'.")
    bad(b'{"colour": "red"}', "The property 'colour' does not exist on type "
                              "'microsoft.graph.temporaryAccessPassAuthenticationMethod'. Make sure to only use "
                              "property names that are defined by the type or mark the type as open type.")
    assert graph.get(taps(ADELE)).json()["value"] == []  # nothing half-written
