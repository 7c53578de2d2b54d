"""Input limits of the lab (issue 16, item 1): every bad input gets Graph's JSON error with a 4xx
status, never a 500 or a non-JSON page. Each case reproduced a 500 or an unbounded request
before the limits existed."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pscompat.lab import limits
from pscompat.lab.core import Lab
from tests.lab.conftest import ADELE, Graph, taps

URL = "https://graph.microsoft.com/v1.0"


def _post(lab: Lab, path: str, content: bytes, content_type: str | None = "application/json") -> httpx.Response:
    g = Graph(lab)
    headers = {"Authorization": f"Bearer {g.token}"}
    if content_type is not None:
        headers["Content-Type"] = content_type
    return g.client.post(path, content=content, headers=headers)


def _graph_error(resp: httpx.Response, status: int) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert set(body["error"]) >= {"code", "message", "innerError"}
    return dict(body["error"])


def test_deep_json_is_400_not_recursion_error(lab: Lab) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    err = _graph_error(_post(lab, taps(ADELE), b'{"a":' + deep + b"}"), 400)
    assert "nested deeper than the 64 levels" in err["message"]


def test_json_just_under_the_depth_limit_is_read(lab: Lab) -> None:
    body = b'{"x":' + b"[" * (limits.MAX_JSON_DEPTH - 1) + b"]" * (limits.MAX_JSON_DEPTH - 1) + b"}"
    resp = _post(lab, taps(ADELE), body)
    assert resp.status_code == 400 and "does not exist on type" in resp.json()["error"]["message"]


def test_lone_surrogate_in_body_is_400(lab: Lab) -> None:
    err = _graph_error(_post(lab, taps(ADELE), b'{"lifetimeInMinutes": 60, "x\\ud800": 1}'), 400)
    assert err["code"] == "BadRequest"


@pytest.mark.parametrize("body", [b'{"a": "\\ud800"}', b'{"a": "\\uDC00"}', b'{"a": "\xed\xa0\x80"}',
                                  '{"a": "\ud800"}', b'{"\xed\xbf\xbf": 1}'])
def test_every_spelling_of_a_lone_surrogate_is_refused(body: bytes | str) -> None:
    """Escaped, as UTF-8-style bytes (json.loads lets those through) or in a str: all refused,
    while a real character written with 0xED (Hangul) or an escape is read."""
    with pytest.raises(limits.GraphError) as info:
        limits.load_json(body)
    assert info.value.status == 400
    assert limits.load_json('{"a": "\ud55c \\u00e9"}'.encode()) == {"a": "\ud55c \u00e9"}


def test_depth_is_counted_outside_strings_only() -> None:
    assert limits.load_json(b'{"a": "' + b"[{" * 500 + b'"}') == {"a": "[{" * 500}


def test_lone_surrogate_in_batch_id_is_400(lab: Lab) -> None:
    body = b'{"requests":[{"id":"\\udc00","method":"GET","url":"/users"}]}'
    _graph_error(_post(lab, "/$batch", body), 400)


def test_malformed_depends_on_is_400(lab: Lab) -> None:
    body = json.dumps({"requests": [{"id": "1", "method": "GET", "url": "/users"},
                                    {"id": "2", "method": "GET", "url": "/users", "dependsOn": [{"a": 1}]}]})
    _graph_error(_post(lab, "/$batch", body.encode()), 400)


def test_batch_inside_batch_is_refused(lab: Lab) -> None:
    inner = {"requests": [{"id": str(i), "method": "GET", "url": "/users"} for i in range(20)]}
    body = {"requests": [{"id": "1", "method": "POST", "url": "/$batch", "body": inner,
                          "headers": {"Content-Type": "application/json"}}]}
    err = _graph_error(_post(lab, "/$batch", json.dumps(body).encode()), 400)
    assert "cannot contain another batch" in err["message"]


def test_body_over_4_mb_is_413(lab: Lab) -> None:
    big = b'{"x":"' + b"a" * (limits.MAX_BODY + 1) + b'"}'
    assert _graph_error(_post(lab, taps(ADELE), big), 413)["code"] == "RequestEntityTooLarge"


def test_long_url_is_414(lab: Lab) -> None:
    g = Graph(lab)
    resp = g.client.get("/users?$filter=" + "a" * (limits.MAX_URL + 10), headers={"Authorization": f"Bearer {g.token}"})
    assert _graph_error(resp, 414)["code"] == "UriTooLong"


@pytest.mark.parametrize("filter_text", ["(" * 600 + "id eq 'x'" + ")" * 600,
                                         " or ".join(["id eq 'x'"] * 60),
                                         "not " * 40 + "id eq 'x'"])
def test_deep_or_long_filter_is_400(lab: Lab, filter_text: str) -> None:
    g = Graph(lab)
    resp = g.client.get("/users", params={"$filter": filter_text}, headers={"Authorization": f"Bearer {g.token}"})
    _graph_error(resp, 400)


def test_body_without_json_content_type_is_415_over_http(served: str, lab: Lab) -> None:
    token = lab.issue_token()
    with httpx.Client(base_url=f"{served}/v1.0") as c:
        resp = c.post(taps(ADELE), content=b"{}", headers={"Authorization": f"Bearer {token}",
                                                            "Content-Type": "text/plain"})
        err = _graph_error(resp, 415)
        assert err["code"] == "UnsupportedMediaType"
        ok = c.post(taps(ADELE), json={}, headers={"Authorization": f"Bearer {token}"})
        assert ok.status_code == 201


@pytest.mark.parametrize("offset", ["+99:99", "+14:01", "-15:00"])
def test_start_offsets_outside_14_hours_are_refused(lab: Lab, offset: str) -> None:
    body = json.dumps({"startDateTime": f"2030-01-01T10:00:00{offset}"}).encode()
    _graph_error(_post(lab, taps(ADELE), body), 400)


def test_start_offset_of_14_hours_is_accepted(lab: Lab) -> None:
    body = json.dumps({"startDateTime": "2030-01-01T10:00:00+14:00"}).encode()
    assert _post(lab, taps(ADELE), body).status_code == 201


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(["/users", taps(ADELE), "/$batch", "/policies/authenticationMethodsPolicy"]),
       method=st.sampled_from(["GET", "POST", "PATCH", "DELETE"]),
       body=st.one_of(st.binary(max_size=200), st.recursive(
           st.none() | st.booleans() | st.integers() | st.text(max_size=20),
           lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
           max_leaves=30).map(lambda v: json.dumps(v).encode())),
       query=st.text(max_size=40))
def test_no_input_gets_a_500_or_a_non_json_answer(lab: Lab, path: str, method: str, body: bytes, query: str) -> None:
    """Property (hypothesis): whatever the method, body and query, the answer is JSON and not a 500."""
    g = Graph(lab)
    resp = g.client.request(method, path, content=body, params={"$filter": query},
                            headers={"Authorization": f"Bearer {g.token}", "Content-Type": "application/json"})
    assert resp.status_code < 500, resp.text
    if resp.content:
        resp.json()
