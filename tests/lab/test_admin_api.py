"""The lab's HTTP admin API (moto-style control plane) and the console's server-side rules:
admin token, reset, clock, policy, faults, request log, tokens; cookies and CSRF; nothing
secret in what they return."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from click.testing import CliRunner

from pscompat.lab import asgi_transport
from pscompat.lab.commands import lab as lab_group
from pscompat.lab.core import Lab
from tests.lab.conftest import ADELE, ADELE_UPN, SECRETS, Graph, taps

BASE = "https://lab.test"


@pytest.fixture
def admin(lab: Lab) -> httpx.Client:
    return httpx.Client(transport=asgi_transport(lab), base_url=BASE,
                        headers={"Authorization": f"Bearer {lab.admin_secret}"})


@pytest.mark.parametrize("auth", [None, "Bearer wrong", "Basic x", "Bearer "])
def test_admin_token_required(lab: Lab, auth: str | None) -> None:
    c = httpx.Client(transport=asgi_transport(lab), base_url=BASE)
    headers = {"Authorization": auth} if auth else {}
    for method, path in (("GET", "/lab/admin/state"), ("POST", "/lab/admin/reset"), ("GET", "/lab/admin/requests")):
        r = c.request(method, path, headers=headers)
        assert r.status_code == 401 and r.json()["error"]["code"] == "adminTokenRequired"
    # A Graph token (even the admin app's) is not the admin token.
    r = c.get("/lab/admin/state", headers={"Authorization": f"Bearer {lab.issue_token()}"})
    assert r.status_code == 401


def test_admin_token_cli_matches_and_is_not_in_the_db(lab: Lab) -> None:
    out = CliRunner().invoke(lab_group, ["--db", str(lab.path), "admin-token"]).output.strip()
    assert out == lab.admin_secret and len(out) == 32
    assert out.encode() not in lab.path.read_bytes()


def test_reset_clock_policy_faults(lab: Lab, admin: httpx.Client) -> None:
    g = Graph(lab)
    assert g.post(taps(ADELE), json={}).status_code == 201
    r = admin.post("/lab/admin/reset")
    assert r.status_code == 200 and r.json()["reset"] is True and lab.store.count_passes() == 0
    g = Graph(lab)  # a reset is a new tenant: tokens from before it are refused (tests/security)

    r = admin.post("/lab/admin/clock", json={"advance": "+2h"})
    assert r.status_code == 200 and r.json()["offsetSeconds"] == pytest.approx(7200, abs=1)
    r = admin.post("/lab/admin/clock", json={"set": "2031-01-01T00:00:00Z", "freeze": True})
    assert r.json() == {"now": "2031-01-01T00:00:00Z", "offsetSeconds": 0.0, "frozen": True}
    r = admin.post("/lab/admin/clock", json={"advance": "+99999999999999999d"})
    assert r.status_code == 400
    assert admin.get("/lab/admin/clock").json()["now"] == "2031-01-01T00:00:00Z"
    assert admin.post("/lab/admin/clock", json={"reset": True}).json()["frozen"] is False

    r = admin.patch("/lab/admin/policy", json={"isUsableOnce": True, "maximumLifetimeInMinutes": 600})
    assert r.status_code == 200 and r.json()["isUsableOnce"] is True and lab.policy["maximumLifetimeInMinutes"] == 600
    r = admin.patch("/lab/admin/policy", json={"defaultLength": 4})
    assert r.status_code == 400 and "DefaultLength" in r.json()["error"]["message"]
    r = admin.patch("/lab/admin/policy", json={"colour": "red"})
    assert r.status_code == 400 and "unknown policy settings" in r.json()["error"]["message"]

    r = admin.post("/lab/admin/faults", json={"kind": "throttle", "retryAfter": 1})
    assert r.status_code == 201
    fid = r.json()["id"]
    assert g.get("https://graph.microsoft.com/v1.0/users").status_code == 429
    assert admin.get("/lab/admin/faults").json() == [{"id": fid, "fired": 1,
                                                      "spec": {"kind": "throttle", "retryAfter": 1}}]
    assert admin.post("/lab/admin/faults", json={"kind": "nope"}).status_code == 400
    assert admin.delete(f"/lab/admin/faults/{fid}").json() == {"removed": 1}
    assert g.get("https://graph.microsoft.com/v1.0/users").status_code == 200


def test_bad_requests(admin: httpx.Client) -> None:
    assert admin.get("/lab/admin/nothing").status_code == 404
    assert admin.get("/lab/admin/reset").status_code == 405
    assert admin.put("/lab/admin/faults/1").status_code == 405
    r = admin.post("/lab/admin/clock", content=b"advance=+1h", headers={"Content-Type": "text/plain"})
    assert r.status_code == 400 and "JSON" in r.json()["error"]["message"]
    r = admin.post("/lab/admin/clock", content=b"[" * 100_000, headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    r = admin.post("/lab/admin/clock", json=[1])
    assert r.status_code == 400


def test_request_log_state_and_tokens_keep_secrets_out(lab: Lab, admin: httpx.Client) -> None:
    g = Graph(lab)
    secret = g.post(taps(ADELE), json={"isUsableOnce": True}).json()["temporaryAccessPass"]
    c = httpx.Client(transport=asgi_transport(lab), base_url=BASE)
    c.post("/lab/signin", json={"userPrincipalName": ADELE_UPN, "temporaryAccessPass": secret})
    c.post("/lab/signin", json={"userPrincipalName": ADELE_UPN, "temporaryAccessPass": secret})
    log = admin.get("/lab/admin/requests?limit=5").json()
    assert log[0]["method"] == "POST" and log[0]["path"].endswith("/temporaryAccessPassMethods")
    assert log[0]["status"] == 201 and log[0]["caller"] == lab.default_app()["clientId"]
    assert log[0]["latencyMs"] >= 0
    st = admin.get("/lab/admin/state").json()
    adele = next(u for u in st["users"] if u["id"] == ADELE)
    tap = next(m for m in adele["methods"] if m["type"] == "temporaryAccessPass")
    assert tap["state"] == "OneTimeUsed"
    assert [(s["success"], s["outcome"]) for s in st["signins"][:2]] == [(False, "notUsable: OneTimeUsed"),
                                                                        (True, "OneTimeUsed")]
    text = json.dumps(st) + json.dumps(log)
    for s in [secret, *SECRETS, g.token, lab.admin_secret]:
        assert s not in text
    r = admin.post("/lab/admin/tokens", json={"user": ADELE_UPN})
    assert r.status_code == 200 and r.json()["access_token"].count(".") == 2
    assert admin.post("/lab/admin/tokens", json={"user": "nobody@contoso.lab"}).status_code == 400


def console_session(lab: Lab) -> tuple[httpx.Client, str]:
    c = httpx.Client(transport=asgi_transport(lab), base_url=BASE)
    page = c.get("/lab/console/login").text
    pre = re.search(r'name="csrf" value="(\w+)"', page)
    assert pre is not None
    r = c.post("/lab/console/login", data={"credential": lab.admin_secret, "csrf": pre.group(1)})
    assert r.status_code == 303
    token = re.search(r'data-token="(\w+)"', c.get("/lab/console").text)
    assert token is not None
    return c, token.group(1)


def test_console_cookie_flags_and_csrf(lab: Lab) -> None:
    c = httpx.Client(transport=asgi_transport(lab), base_url=BASE)
    pre = re.search(r'name="csrf" value="(\w+)"', c.get("/lab/console/login").text)
    assert pre is not None
    # A login without the pre-session pair (another site's form) is refused.
    bare = httpx.Client(transport=asgi_transport(lab), base_url=BASE)
    assert bare.post("/lab/console/login", data={"credential": lab.admin_secret, "csrf": "x"}).status_code == 403
    r = c.post("/lab/console/login", data={"credential": lab.admin_secret, "csrf": pre.group(1)})
    cookie = next(v for v in r.headers.get_list("set-cookie") if v.startswith("pscompat_console="))
    for flag in ("HttpOnly", "SameSite=Strict", "Secure", "Path=/lab/console"):
        assert flag in cookie
    assert lab.admin_secret not in cookie
    c2, token = console_session(lab)
    assert c2.post("/lab/console/action/reset", json={}).status_code == 403
    assert c2.post("/lab/console/action/reset", json={}, headers={"X-CSRF-Token": token}).status_code == 200
    r = c2.post("/lab/console/action/clock", content=b"{}", headers={"X-CSRF-Token": token,
                                                                     "Content-Type": "text/plain"})
    assert r.status_code == 415
    r = c2.get("/lab/console/requests.json")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    page = c2.get("/lab/console")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    # A tampered or foreign session cookie is no session.
    forged = httpx.Client(transport=asgi_transport(lab), base_url=BASE,
                          cookies={"pscompat_console": "9999999999.00.ff"})
    assert forged.get("/lab/console/state").status_code == 401


def test_signin_page_json_and_form(lab: Lab) -> None:
    c = httpx.Client(transport=asgi_transport(lab), base_url=BASE)
    page = c.get("/lab/signin")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    csrf = re.search(r'name="csrf" value="(\w+)"', page.text)
    assert csrf is not None
    r = c.post("/lab/signin", data={"upn": ADELE_UPN, "pass": "wrong", "csrf": csrf.group(1)})
    assert r.status_code == 401 and "incorrect" in r.text and r.headers["content-type"].startswith("text/html")
    # JSON clients keep the JSON endpoint (content negotiation).
    r = c.post("/lab/signin", json={"userPrincipalName": ADELE_UPN, "temporaryAccessPass": "wrong"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "invalidCredentials"
    # A text/plain "simple" cross-site request is treated as a form and refused without the token.
    r = httpx.Client(transport=asgi_transport(lab), base_url=BASE).post(
        "/lab/signin", content=b'{"userPrincipalName":"x","temporaryAccessPass":"y"}',
        headers={"Content-Type": "text/plain"})
    assert r.status_code == 403


def test_cli_lab_url_uses_the_admin_api(lab: Lab, served: str,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str]:
        r = runner.invoke(lab_group, ["--url", served, *args])
        return r.exit_code, r.output

    monkeypatch.delenv("PSCOMPAT_LAB_ADMIN_TOKEN", raising=False)
    code, out = run("reset")
    assert code == 1 and "PSCOMPAT_LAB_ADMIN_TOKEN" in out
    monkeypatch.setenv("PSCOMPAT_LAB_ADMIN_TOKEN", "wrong")
    code, out = run("fault", "list")
    assert code == 1 and "refused (401)" in out
    monkeypatch.setenv("PSCOMPAT_LAB_ADMIN_TOKEN", lab.admin_secret)
    Graph(lab).post(taps(ADELE), json={})
    code, out = run("reset")
    assert code == 0 and "Lab reset from scenario" in out and lab.store.count_passes() == 0
    code, out = run("clock", "+3h", "--json")
    assert code == 0 and json.loads(out)["offsetSeconds"] == pytest.approx(10800, abs=1)
    code, out = run("clock")
    assert code == 0 and "offset +10800" in out
    code, out = run("fault", "add", "error", "--status", "507")
    assert code == 0
    fid = int(out.strip())
    code, out = run("fault", "list")
    assert code == 0 and f"#{fid} fired=0 " in out and '"status": 507' in out
    code, out = run("fault", "clear", str(fid))
    assert code == 0 and "removed 1 fault(s)" in out
    code, out = run("users")
    assert code == 2 and "with --url: reset, clock, fault" in out
    code, out = run("reset", "--scenario", __file__)
    assert code == 2
    r = runner.invoke(lab_group, ["--url", "ftp://x", "reset"])
    assert r.exit_code == 1 and "is not a lab URL" in r.output
