"""Tokens follow the tenant, and sign-in lockout tells nobody who exists (issue 16, item 3).
Each case let the weakness through before: old tokens worked after a reset or after their user
was disabled or deleted; the password grant never locked; unknown users never locked."""

from __future__ import annotations

import time

import httpx

from pscompat.lab import asgi_transport
from pscompat.lab.core import Lab
from tests.lab.conftest import ADELE, ADELE_UPN, ADMIN_APP, TENANT, taps

TOKEN_URL = f"https://login.lab/{TENANT}/oauth2/v2.0/token"
GRAPH = "https://graph.microsoft.com/v1.0"
CAE = "Continuous access evaluation resulted in challenge with result: InteractionRequired and code: "


def _client(lab: Lab) -> httpx.Client:
    return httpx.Client(transport=asgi_transport(lab))


def _password_grant(c: httpx.Client, user: str, password: str) -> httpx.Response:
    return c.post(TOKEN_URL, data={"grant_type": "password", "client_id": ADMIN_APP, "username": user,
                                   "password": password, "scope": "https://graph.microsoft.com/.default"})


def test_reset_rotates_the_signing_key(lab: Lab) -> None:
    with _client(lab) as c:
        token = lab.issue_token()
        h = {"Authorization": f"Bearer {token}"}
        assert c.post(GRAPH + taps(ADELE), json={}, headers=h).status_code == 201
        lab.reset()
        refused = c.post(GRAPH + taps(ADELE), json={}, headers=h)
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "InvalidAuthenticationToken"
        fresh = {"Authorization": f"Bearer {lab.issue_token()}"}
        assert c.post(GRAPH + taps(ADELE), json={}, headers=fresh).status_code == 201


def test_global_admin_token_dies_with_a_reset_in_another_process(lab: Lab) -> None:
    from pscompat.lab import open_lab
    token = lab.issue_token(user="admin@contoso.lab")
    other = open_lab(lab.path)
    try:
        other.reset()
    finally:
        other.close()
    with _client(lab) as c:
        r = c.get(GRAPH + "/users", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401


def test_disabled_or_deleted_users_tokens_are_refused(lab: Lab) -> None:
    admin = {"Authorization": f"Bearer {lab.issue_token()}"}
    token = lab.issue_token(user="authadmin@contoso.lab")
    h = {"Authorization": f"Bearer {token}"}
    with _client(lab) as c:
        assert c.post(GRAPH + taps(ADELE), json={}, headers=h).status_code == 201
        with lab.store.write() as db:
            db.execute("UPDATE users SET account_enabled=0 WHERE upn=?", ("authadmin@contoso.lab",))
        r = c.get(GRAPH + taps(ADELE), headers=h)
        assert r.status_code == 401 and r.json()["error"]["message"] == CAE + "UserDisabled"
        with lab.store.write() as db:
            db.execute("DELETE FROM users WHERE upn=?", ("authadmin@contoso.lab",))
        r = c.get(GRAPH + taps(ADELE), headers=h)
        assert r.status_code == 401 and r.json()["error"]["message"] == CAE + "UserDeleted"
        assert c.get(GRAPH + taps(ADELE), headers=admin).status_code == 200  # app tokens unaffected


def test_password_grant_locks_out_like_the_pass_signin(lab: Lab) -> None:
    limit = int(lab.settings["signin"]["maxFailures"])
    with _client(lab) as c:
        codes = [_password_grant(c, "authadmin@contoso.lab", "wrong").json()["error_codes"][0]
                 for _ in range(limit)]
        assert codes == [50126] * (limit - 1) + [50053]
        right = _password_grant(c, "authadmin@contoso.lab", "Contoso-Lab-AuthAdmin-1!")
        assert right.status_code == 400 and right.json()["error_codes"] == [50053]
        lab.clock.advance(f"+{int(lab.settings['signin']['lockoutMinutes']) + 1}m")
        assert _password_grant(c, "authadmin@contoso.lab", "Contoso-Lab-AuthAdmin-1!").status_code == 200


def test_unknown_users_are_answered_as_known_ones(lab: Lab) -> None:
    limit = int(lab.settings["signin"]["maxFailures"])
    with _client(lab) as c:
        known = [_password_grant(c, "authadmin@contoso.lab", "wrong") for _ in range(limit)]
        unknown = [_password_grant(c, "nobody@contoso.lab", "wrong") for _ in range(limit)]
    for k, u in zip(known, unknown, strict=True):
        assert (k.status_code, k.json()["error"], k.json()["error_codes"]) == \
            (u.status_code, u.json()["error"], u.json()["error_codes"])
    assert [lab.verify_pass("nobody@contoso.lab", "x")["error"] for _ in range(limit)][-1] == "locked"


def test_unknown_user_costs_the_same_work(lab: Lab) -> None:
    """Timing: both paths run one keyed hash; medians within a factor that no network hides."""
    def median(user: str) -> float:
        times = []
        for _ in range(15):
            start = time.perf_counter()
            lab.verify_pass(user, "wrong-pass-but-long-enough")
            times.append(time.perf_counter() - start)
            lab.unknown_signins.clear()
            with lab.store.write() as db:
                db.execute("DELETE FROM signin")
        return sorted(times)[len(times) // 2]
    known, unknown = median(ADELE_UPN), median("nobody@contoso.lab")
    assert 0.33 < unknown / known < 3.0


def test_no_typed_name_is_kept_in_clear(lab: Lab) -> None:
    lab.verify_pass("Secret-Typed-In-The-Name-Box", "x")
    assert not any("Secret-Typed" in key for key in lab.unknown_signins)


def test_a_cross_site_post_cannot_count_a_failure(lab: Lab) -> None:
    """Bodies a page elsewhere can send without CORS (no type, text/plain, a form without the
    CSRF token) never reach the sign-in check."""
    with _client(lab) as c:
        for headers in ({}, {"Content-Type": "text/plain"},
                        {"Content-Type": "application/x-www-form-urlencoded"}):
            for _ in range(int(lab.settings["signin"]["maxFailures"]) + 1):
                r = c.post("https://graph.microsoft.com/lab/signin", headers=headers,
                           content=b'{"userPrincipalName": "AdeleV@contoso.lab", "temporaryAccessPass": "x"}')
                assert r.status_code != 200
    with lab.store.write() as db:
        assert db.execute("SELECT count(*) FROM signin").fetchone()[0] == 0
