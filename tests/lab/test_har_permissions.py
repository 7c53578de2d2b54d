"""Recording a session to HAR (secrets redacted, 0600), replaying it as mocks, and the
minimal-permissions report built from it."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from pscompat.lab import asgi_transport
from pscompat.lab.commands import lab as lab_group
from pscompat.lab.core import Lab
from pscompat.lab.har import HarError, HarRecorder, ReplayApp, load_entries
from pscompat.lab.permissions import needed, report
from tests.lab.conftest import ADELE, ADELE_UPN, ADMIN_APP, ADMIN_SECRET, POLICY, TENANT, Graph, taps

G = "https://graph.microsoft.com/v1.0"


def record_session(lab: Lab, path: Path) -> tuple[str, str]:
    lab.recorder = HarRecorder(path)
    c = httpx.Client(transport=asgi_transport(lab), base_url="https://graph.microsoft.com")
    token = c.post(f"/{TENANT}/oauth2/v2.0/token",
                   data={"grant_type": "client_credentials", "client_id": ADMIN_APP, "client_secret": ADMIN_SECRET,
                         "scope": "https://graph.microsoft.com/.default"}).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    secret = c.post(f"{G}{taps(ADELE)}", json={"lifetimeInMinutes": 60}, headers=auth).json()["temporaryAccessPass"]
    c.get(f"{G}{taps(ADELE)}", headers=auth)
    c.get(f"{G}/users?$top=2", headers=auth)
    c.get(f"{G}{POLICY}", headers=auth)
    c.post("/lab/signin", json={"userPrincipalName": ADELE_UPN, "temporaryAccessPass": secret})
    lab.recorder.save()
    lab.recorder = None
    return token, secret


def test_har_is_valid_redacted_and_private(lab: Lab, tmp_path: Path) -> None:
    har = tmp_path / "session.har"
    token, secret = record_session(lab, har)
    assert har.stat().st_mode & 0o777 == 0o600
    text = har.read_text()
    for s in (token, secret, ADMIN_SECRET):
        assert s not in text
    doc = json.loads(text)
    assert doc["log"]["version"] == "1.2"
    entries = doc["log"]["entries"]
    assert [(e["request"]["method"], e["response"]["status"]) for e in entries] == [
        ("POST", 200), ("POST", 201), ("GET", 200), ("GET", 200), ("GET", 200), ("POST", 200)]
    create = entries[1]
    assert json.loads(create["response"]["content"]["text"])["temporaryAccessPass"] == "<redacted>"
    assert {"name": "authorization", "value": "Bearer <redacted>"} in create["request"]["headers"]
    assert "client_secret=%3Credacted%3E" in entries[0]["request"]["postData"]["text"]
    assert create["_pscompat"]["caller"] == ADMIN_APP and "UserAuthenticationMethod.ReadWrite.All" in \
        create["_pscompat"]["granted"]
    assert entries[0].get("_pscompat") is None   # the token endpoint has no verified caller


async def test_replay_serves_recorded_responses(lab: Lab, tmp_path: Path) -> None:
    har = tmp_path / "session.har"
    record_session(lab, har)
    app = ReplayApp(load_entries(har))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://replay.test") as c:
        r = await c.post(f"/v1.0{taps(ADELE)}", json={})
        assert r.status_code == 201 and r.json()["lifetimeInMinutes"] == 60
        assert r.json()["temporaryAccessPass"] == "<redacted>" and "request-id" in r.headers
        r = await c.get("/v1.0/users?$top=2")
        assert r.status_code == 200 and len(r.json()["value"]) == 2
        r = await c.post(f"/v1.0{taps(ADELE)}", json={})      # repeats: the last recorded answer again
        assert r.status_code == 201
        r = await c.get("/v1.0/users?$top=3")
        assert r.status_code == 404 and r.json()["error"]["code"] == "notRecorded"


def test_bad_har_files(tmp_path: Path) -> None:
    for text in ("not json", "{}", '{"log": {"entries": 3}}', "[" * 50_000):
        bad = tmp_path / "bad.har"
        bad.write_text(text)
        with pytest.raises(HarError):
            load_entries(bad)
    r = CliRunner().invoke(lab_group, ["permissions", str(bad)])
    assert r.exit_code == 1 and "is not a HAR recording" in r.output and "Traceback" not in r.output


def test_permissions_report(lab: Lab, tmp_path: Path) -> None:
    har = tmp_path / "session.har"
    record_session(lab, har)
    # A delegated caller too: Adele reading her own passes.
    lab.recorder = HarRecorder(tmp_path / "me.har")
    me = Graph(lab).as_(ADMIN_APP, ADELE_UPN, scopes=["UserAuthMethod-TAP.Read", "User.ReadWrite.All"])
    me.get(f"{G}/me/authentication/temporaryAccessPassMethods")
    lab.recorder.save()
    data = report(load_entries(har) + load_entries(tmp_path / "me.har"))
    rows = [(r["method"], r["needed"], r["granted"]) for r in data["requests"]]
    assert rows == [("POST", "UserAuthMethod-TAP.ReadWrite.All", True), ("GET", "UserAuthMethod-TAP.Read.All", True),
                    ("GET", "User.Read.All", True), ("GET", "Policy.Read.All", True),
                    ("GET", "UserAuthMethod-TAP.Read", True)]
    app = data["callers"][ADMIN_APP]
    assert app["minimal"] == ["Policy.Read.All", "User.Read.All", "UserAuthMethod-TAP.Read.All",
                              "UserAuthMethod-TAP.ReadWrite.All"]
    assert "UserAuthenticationMethod.ReadWrite.All" in app["excessive"]
    assert "UserAuthMethod-TAP.ReadWrite.All" in app["missing"]   # granted a broader one instead
    adele = data["callers"][ADELE_UPN]
    assert adele["minimal"] == ["UserAuthMethod-TAP.Read"] and adele["excessive"] == ["User.ReadWrite.All"]
    r = CliRunner().invoke(lab_group, ["permissions", str(har)])
    assert r.exit_code == 0 and "excessive:" in r.output and "needs UserAuthMethod-TAP.ReadWrite.All  granted" \
        in r.output
    assert json.loads(CliRunner().invoke(lab_group, ["permissions", str(har), "--json"]).output)["requests"]


def test_needed_table() -> None:
    assert needed("GET", f"{G}/users", True) == ("User.ReadBasic.All", needed("GET", f"{G}/users", False)[1])
    assert needed("GET", f"{G}/me", True)[0] == "User.Read"
    assert needed("PATCH", f"{G}{POLICY}", False)[0] == "Policy.ReadWrite.AuthenticationMethod"
    assert needed("POST", f"{G}/$batch", False) == (None, ())
    assert needed("GET", "https://x/lab/health", False) == (None, ())
    assert needed("PUT", f"{G}/users", False) == (None, ())


def test_batch_inner_requests_are_recorded_and_reported(lab: Lab, tmp_path: Path) -> None:
    """Issue 11 item 5: each request inside a $batch is its own HAR entry (versioned URL, caller,
    redacted body, ``_pscompat.batch``) besides the $batch itself, so the permissions report
    names what each one needed."""
    har = tmp_path / "batch.har"
    lab.recorder = HarRecorder(har)
    g = Graph(lab)
    items = [{"id": "1", "method": "POST", "url": f"{taps(ADELE)}", "headers": {"Content-Type": "application/json"},
              "body": {"lifetimeInMinutes": 60}},
             {"id": "2", "method": "GET", "url": f"{POLICY}"}]
    r = g.post(f"{G}/$batch", json={"requests": items})
    assert r.status_code == 200 and [x["status"] for x in r.json()["responses"]] == [201, 200]
    secret = r.json()["responses"][0]["body"]["temporaryAccessPass"]
    lab.recorder.save()
    lab.recorder = None
    entries = load_entries(har)
    urls = [(e["request"]["method"], e["request"]["url"], bool(e.get("_pscompat", {}).get("batch"))) for e in entries]
    assert urls == [("POST", f"https://graph.microsoft.com/v1.0{taps(ADELE)}", True),
                    ("GET", f"https://graph.microsoft.com/v1.0{POLICY}", True),
                    ("POST", f"{G}/$batch", False)]
    assert secret not in har.read_text() and har.stat().st_mode & 0o777 == 0o600
    rows = [(r["method"], r["needed"]) for r in report(entries)["requests"]]
    assert rows == [("POST", "UserAuthMethod-TAP.ReadWrite.All"), ("GET", "Policy.Read.All")]
