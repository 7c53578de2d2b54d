"""Usability reasons follow the lab clock, the policy and sign-ins (precedence of
facts/graph-tap.md: DisabledByPolicy > NotYetValid > Expired > OneTimeUsed > EnabledByPolicy)."""

from __future__ import annotations

from pscompat.lab.core import Lab
from tests.lab.conftest import ADELE, ADELE_UPN, POLICY, Graph, taps


def reason(graph: Graph, user: str = ADELE) -> tuple[bool, str]:
    item = graph.get(taps(user)).json()["value"][0]
    return item["isUsable"], item["methodUsabilityReason"]


def test_not_yet_valid_then_usable_then_expired_as_the_clock_moves(graph: Graph, lab: Lab) -> None:
    lab.clock.set("2030-01-01T08:00:00Z", freeze=True)
    graph.post(taps(ADELE), json={"startDateTime": "2030-01-01T09:00:00Z", "lifetimeInMinutes": 60})
    assert reason(graph) == (False, "NotYetValid")
    lab.clock.advance("+59m")
    lab.clock.advance("+59s")
    assert reason(graph) == (False, "NotYetValid")
    lab.clock.advance("+1s")
    assert reason(graph) == (True, "EnabledByPolicy")            # now == start
    lab.clock.advance("+59m")
    assert reason(graph) == (True, "EnabledByPolicy")
    lab.clock.advance("+1m")
    assert reason(graph) == (False, "Expired")                   # now == start + lifetime
    lab.clock.advance("-2h")
    assert reason(graph) == (False, "NotYetValid")


def test_clock_offset_is_persisted_for_later_processes(lab: Lab) -> None:
    from pscompat.lab import open_lab
    lab.clock.advance("+2h")
    other = open_lab(lab.path)
    try:
        assert abs(other.clock.offset - 2 * 3600 * 10_000_000) < 10_000_000
    finally:
        other.close()
    lab.clock.reset()


def test_running_lab_sees_clock_moved_by_another_process(graph: Graph, lab: Lab) -> None:
    from pscompat.lab import open_lab
    graph.post(taps(ADELE), json={"lifetimeInMinutes": 60})
    assert reason(graph) == (True, "EnabledByPolicy")
    other = open_lab(lab.path)
    other.clock.advance("+2h")      # as `pscompat lab clock +2h` would, from another process
    other.close()
    assert reason(graph) == (False, "Expired")


def test_one_time_pass_is_used_by_signin(graph: Graph, lab: Lab) -> None:
    secret = graph.post(taps(ADELE), json={"isUsableOnce": True}).json()["temporaryAccessPass"]
    assert reason(graph) == (True, "EnabledByPolicy")
    first = lab.verify_pass(ADELE_UPN, secret)
    assert first["ok"] and first["reason"] == "OneTimeUsed"
    assert reason(graph) == (False, "OneTimeUsed")
    second = lab.verify_pass(ADELE_UPN, secret)
    assert not second["ok"] and second["reason"] == "OneTimeUsed"


def test_reusable_pass_signs_in_many_times(graph: Graph, lab: Lab) -> None:
    secret = graph.post(taps(ADELE), json={"isUsableOnce": False}).json()["temporaryAccessPass"]
    for _ in range(3):
        assert lab.verify_pass(ADELE_UPN, secret)["ok"]
    assert reason(graph) == (True, "EnabledByPolicy")


def test_disabled_by_policy_wins_over_everything(graph: Graph, lab: Lab) -> None:
    lab.clock.set("2030-01-01T08:00:00Z", freeze=True)
    graph.post(taps(ADELE), json={"startDateTime": "2030-01-01T09:00:00Z"})
    graph.patch(POLICY, json={"state": "disabled"})
    assert reason(graph) == (False, "DisabledByPolicy")          # although NotYetValid too
    graph.patch(POLICY, json={"state": "enabled"})
    assert reason(graph) == (False, "NotYetValid")
    lab.clock.advance("+1d")
    graph.patch(POLICY, json={"isUsableOnce": True})             # a reusable pass under a one-time policy
    assert reason(graph) == (False, "DisabledByPolicy")          # although Expired too
    graph.patch(POLICY, json={"isUsableOnce": False})
    assert reason(graph) == (False, "Expired")


def test_excluded_user_is_disabled_by_policy(graph: Graph) -> None:
    graph.post(taps(ADELE), json={})
    assert reason(graph) == (True, "EnabledByPolicy")
    pilot = "9d588358-97ee-4859-9c0a-fe3d6abe8f04"   # Adele is a member
    graph.patch(POLICY, json={"excludeTargets": [{"targetType": "group", "id": pilot}]})
    assert reason(graph) == (False, "DisabledByPolicy")
    graph.patch(POLICY, json={"excludeTargets": [], "includeTargets": [{"targetType": "user", "id": ADELE}]})
    assert reason(graph) == (True, "EnabledByPolicy")


def test_expired_before_one_time_used(graph: Graph, lab: Lab) -> None:
    secret = graph.post(taps(ADELE), json={"isUsableOnce": True}).json()["temporaryAccessPass"]
    assert lab.verify_pass(ADELE_UPN, secret)["ok"]
    lab.clock.advance("+61m")
    assert reason(graph) == (False, "Expired")


def test_signin_failures_lock_the_account(graph: Graph, lab: Lab) -> None:
    secret = graph.post(taps(ADELE), json={}).json()["temporaryAccessPass"]
    for _ in range(4):
        assert lab.verify_pass(ADELE_UPN, "wrong-pass")["error"] == "invalid"
    assert lab.verify_pass(ADELE_UPN, "wrong-pass")["error"] == "locked"
    assert lab.verify_pass(ADELE_UPN, secret)["error"] == "locked"   # even the right pass
    lab.clock.advance("+16m")
    assert lab.verify_pass(ADELE_UPN, secret)["ok"]


def test_signin_endpoint(graph: Graph) -> None:
    secret = graph.post(taps(ADELE), json={}).json()["temporaryAccessPass"]
    r = graph.client.post("https://graph.microsoft.com/lab/signin",
                          json={"userPrincipalName": ADELE_UPN, "temporaryAccessPass": secret})
    assert r.status_code == 200
    body = r.json()
    assert body["methodUsabilityReason"] == "EnabledByPolicy" and body["token_type"] == "Bearer"
    me = graph.client.get("/me/authentication/temporaryAccessPassMethods",
                          headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200 and len(me.json()["value"]) == 1
    r = graph.client.post("https://graph.microsoft.com/lab/signin",
                          json={"userPrincipalName": ADELE_UPN, "temporaryAccessPass": "nope"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "invalidCredentials"
    r = graph.client.post("https://graph.microsoft.com/lab/signin",
                          json={"userPrincipalName": "ghost@contoso.lab", "temporaryAccessPass": "nope"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "invalidCredentials"
