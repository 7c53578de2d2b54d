"""A student with a lab token attacks the tenant (issue 16's attack suite, authorization and
forged tokens). Role and scope rules themselves are tested in tests/lab/test_permissions.py;
this module holds what a student would try."""

from __future__ import annotations

import base64
import json

import httpx

from pscompat.lab import asgi_transport
from pscompat.lab.core import Lab
from tests.lab.conftest import ADELE, ADELE_UPN, taps

GRAPH = "https://graph.microsoft.com/v1.0"
MEGAN = "MeganB@contoso.lab"


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _student(lab: Lab, c: httpx.Client) -> dict[str, str]:
    token = lab.issue_token()
    secret = c.post(GRAPH + taps(ADELE), json={}, headers={"Authorization": f"Bearer {token}"}).json()
    r = c.post("https://lab.test/lab/signin", json={"userPrincipalName": ADELE_UPN,
                                                     "temporaryAccessPass": secret["temporaryAccessPass"]})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_a_student_token_reaches_nobody_elses_methods(lab: Lab) -> None:
    with httpx.Client(transport=asgi_transport(lab)) as c:
        student = _student(lab, c)
        assert c.get(GRAPH + taps(MEGAN), headers=student).status_code == 403
        assert c.post(GRAPH + taps(MEGAN), json={}, headers=student).status_code == 403
        assert c.post(GRAPH + taps("admin@contoso.lab"), json={}, headers=student).status_code == 403
        assert c.get("https://lab.test/lab/admin/state", headers=student).status_code == 401


def test_forged_tokens_are_refused(lab: Lab) -> None:
    real = lab.issue_token()
    header, claims, signature = real.split(".")
    payload = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
    forged = [
        _b64({"alg": "none", "typ": "JWT"}) + "." + claims + ".",
        header + "." + _b64({**payload, "roles": ["Directory.ReadWrite.All", "UserAuthenticationMethod.ReadWrite.All"]})
        + "." + signature,
        _b64({"alg": "RS256", "typ": "JWT"}) + "." + claims + "." + signature,
        real[:-4] + ("AAAA" if not real.endswith("AAAA") else "BBBB"),
    ]
    with httpx.Client(transport=asgi_transport(lab)) as c:
        for token in forged:
            r = c.post(GRAPH + taps(ADELE), json={}, headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 401 and r.json()["error"]["code"] == "InvalidAuthenticationToken"
    assert lab.store.count_passes() == 0
