"""The token endpoint and OpenID discovery: azure-identity gets a token from a served lab."""

from __future__ import annotations

import base64
import json
import ssl
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from pscompat.lab import serve_in_thread
from pscompat.lab.core import Lab
from tests.lab.conftest import ADELE, ADMIN_APP, ADMIN_SECRET, TENANT, taps


@pytest.fixture
def served_tls(lab: Lab) -> Iterator[tuple[str, Path]]:
    url, stop, cert = serve_in_thread(lab, tls=True)
    assert cert is not None and url.startswith("https://127.0.0.1:")
    yield url, cert
    stop()


def claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_azure_identity_client_secret_credential(lab: Lab, served_tls: tuple[str, Path]) -> None:
    from azure.identity import ClientSecretCredential
    url, cert = served_tls
    for tenant in (TENANT, "contoso.lab", "contosolab.onmicrosoft.com", "organizations"):
        cred = ClientSecretCredential(tenant, ADMIN_APP, ADMIN_SECRET, authority=url,
                                      disable_instance_discovery=True, connection_verify=str(cert))
        token = cred.get_token("https://graph.microsoft.com/.default")
        c = claims(token.token)
        assert c["appid"] == ADMIN_APP and c["tid"] == TENANT and c["idtyp"] == "app"
        assert "UserAuthenticationMethod.ReadWrite.All" in c["roles"]
        r = httpx.post(f"{url}/v1.0{taps(ADELE)}", json={}, verify=ssl.create_default_context(cafile=str(cert)),
                       headers={"Authorization": f"Bearer {token.token}"})
        assert r.status_code == 201
        cred.close()


def test_key_file_of_tls_is_private(lab: Lab, served_tls: tuple[str, Path]) -> None:
    from pscompat.lab.paths import tls_paths
    cert, key = tls_paths(lab.path)
    assert key.stat().st_mode & 0o777 == 0o600
    assert b"BEGIN CERTIFICATE" in cert.read_bytes()


def test_token_endpoint_errors(graph) -> None:  # type: ignore[no-untyped-def]
    c = graph.client
    url = f"https://login.lab/{TENANT}/oauth2/v2.0/token"
    ok = c.post(url, data={"grant_type": "client_credentials", "client_id": ADMIN_APP, "client_secret": ADMIN_SECRET,
                           "scope": "https://graph.microsoft.com/.default"})
    assert ok.status_code == 200 and ok.json()["token_type"] == "Bearer" and ok.json()["expires_in"] == 3599
    bad = c.post(url, data={"grant_type": "client_credentials", "client_id": ADMIN_APP, "client_secret": "nope",
                            "scope": "https://graph.microsoft.com/.default"})
    assert bad.status_code == 401 and bad.json()["error"] == "invalid_client"
    assert bad.json()["error_description"].startswith("AADSTS7000215: Invalid client secret provided.")
    unknown = c.post(url, data={"grant_type": "client_credentials", "client_id": "nope", "client_secret": "x",
                                "scope": "https://graph.microsoft.com/.default"})
    assert unknown.status_code == 400 and unknown.json()["error"] == "unauthorized_client"
    scope = c.post(url, data={"grant_type": "client_credentials", "client_id": ADMIN_APP,
                              "client_secret": ADMIN_SECRET, "scope": "https://graph.microsoft.com/User.Read"})
    assert scope.status_code == 400 and scope.json()["error"] == "invalid_scope"
    tenant = c.post("https://login.lab/fabrikam.com/oauth2/v2.0/token", data={"grant_type": "client_credentials"})
    assert tenant.status_code == 400 and "AADSTS90002" in tenant.json()["error_description"]
    basic = base64.b64encode(f"{ADMIN_APP}:{ADMIN_SECRET}".encode()).decode()
    via_basic = c.post(url, data={"grant_type": "client_credentials", "scope": "https://graph.microsoft.com/.default"},
                       headers={"Authorization": f"Basic {basic}"})
    assert via_basic.status_code == 200


def test_password_grant_gives_a_delegated_token_with_roles(graph) -> None:  # type: ignore[no-untyped-def]
    url = f"https://login.lab/{TENANT}/oauth2/v2.0/token"
    r = graph.client.post(url, data={"grant_type": "password", "client_id": ADMIN_APP,
                                     "username": "authadmin@contoso.lab", "password": "Contoso-Lab-AuthAdmin-1!",
                                     "scope": "https://graph.microsoft.com/.default"})
    assert r.status_code == 200
    token = r.json()["access_token"]
    c = claims(token)
    assert c["idtyp"] == "user" and c["upn"] == "authadmin@contoso.lab"
    assert c["wids"] == ["c4e39bd9-1100-46d3-8c65-fb160da0071f"]
    h = {"Authorization": f"Bearer {token}"}
    assert graph.client.post(taps(ADELE), json={}, headers=h).status_code == 201
    assert graph.client.post(taps("admin@contoso.lab"), json={}, headers=h).status_code == 403
    wrong = graph.client.post(url, data={"grant_type": "password", "client_id": ADMIN_APP,
                                         "username": "authadmin@contoso.lab", "password": "nope",
                                         "scope": "https://graph.microsoft.com/.default"})
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"


def test_openid_configuration(graph) -> None:  # type: ignore[no-untyped-def]
    r = graph.client.get("https://login.lab/contoso.lab/v2.0/.well-known/openid-configuration")
    body = r.json()
    assert body["token_endpoint"] == f"https://login.lab/{TENANT}/oauth2/v2.0/token"
    assert body["issuer"] == f"https://login.lab/{TENANT}/v2.0"
    assert graph.client.get("https://login.lab/nope.example/v2.0/.well-known/openid-configuration").status_code == 400


def test_token_from_another_lab_is_rejected(lab: Lab, tmp_path: Path) -> None:
    from pscompat.lab import open_lab
    other = open_lab(tmp_path / "other" / "lab.db")
    foreign = other.issue_token()
    other.close()
    from tests.lab.conftest import Graph
    g = Graph(lab)
    r = g.client.get(taps(ADELE), headers={"Authorization": f"Bearer {foreign}"})
    assert r.status_code == 401 and r.json()["error"]["message"] == "Access token validation failure."
