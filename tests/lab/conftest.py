"""Fixtures for the lab tests: a fresh lab per test (copied from a seeded template: seeding
parses YAML, copying does not), the same lab served over loopback, an httpx client bound
in-process, tokens, and schemas."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from pscompat.lab import asgi_transport, open_lab, serve_in_thread
from pscompat.lab.core import Lab

GRAPH = "https://graph.microsoft.com/v1.0"
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
OPENAPI_TAP = SHARED / "graph" / "openapi-tap.yaml"

ADMIN_APP = "f0c70170-e0d3-40a7-8b9c-6db6c67bb257"
ADMIN_SECRET = "lab-admin-secret.Contoso~2024"
READER_APP = "2c19e9cd-94ee-43e4-8aa3-0ef5f7a9d797"
TAP_APP = "a49dcbb5-224a-49f7-bd3a-d5adb797d5fe"
NONE_APP = "9473de8a-12a8-4f8a-abb7-f4189747ea5d"
TENANT = "9226b3e1-3f79-4a10-905d-953f31168a65"
ADELE = "6c2ec976-f701-4488-9f36-635943200fc1"
ADELE_UPN = "AdeleV@contoso.lab"
GUEST_UPN = "jane.doe_fabrikam.com#EXT#@contosolab.onmicrosoft.com"
SECRETS = ["lab-admin-secret.Contoso~2024", "lab-reader-secret.Contoso~2024", "lab-tap-secret.Contoso~2024",
           "lab-none-secret.Contoso~2024", "Contoso-Lab-Admin-1!", "Contoso-Lab-AuthAdmin-1!",
           "Contoso-Lab-PrivAuth-1!", "Contoso-Lab-Reader-1!", "Contoso-Lab-Policy-1!"]


def taps(user: str) -> str:
    from urllib.parse import quote
    return f"/users/{quote(user, safe='')}/authentication/temporaryAccessPassMethods"


@pytest.fixture(scope="session")
def lab_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lab-template")
    open_lab(root / "lab.db").close()
    return root


@pytest.fixture
def lab(lab_template: Path, tmp_path: Path) -> Iterator[Lab]:
    root = tmp_path / "lab"
    root.mkdir()
    for name in ("lab.db", "lab.key"):
        shutil.copy2(lab_template / name, root / name)
    opened = open_lab(root / "lab.db")
    yield opened
    opened.close()


@pytest.fixture
def served(lab: Lab) -> Iterator[str]:
    """``lab`` served over loopback HTTP: its base URL."""
    url, stop, _ = serve_in_thread(lab)
    yield url
    stop()


class Graph:
    """An httpx client on the in-process transport, with a token per identity."""

    def __init__(self, lab: Lab, base_url: str = GRAPH, transport: Any = None, verify: Any = True) -> None:
        self.lab = lab
        self.client = httpx.Client(transport=transport or asgi_transport(lab), base_url=base_url, verify=verify)
        self.token = lab.issue_token()

    def as_(self, client_id: str | None = None, user: str | None = None, **kw: Any) -> Graph:
        other = Graph.__new__(Graph)
        other.lab, other.client = self.lab, self.client
        other.token = self.lab.issue_token(client_id, user, **kw)
        return other

    def request(self, method: str, url: str, **kw: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}", **kw.pop("headers", {})}
        return self.client.request(method, url, headers=headers, **kw)

    def get(self, url: str, **kw: Any) -> httpx.Response:
        return self.request("GET", url, **kw)

    def post(self, url: str, **kw: Any) -> httpx.Response:
        return self.request("POST", url, **kw)

    def patch(self, url: str, **kw: Any) -> httpx.Response:
        return self.request("PATCH", url, **kw)

    def delete(self, url: str, **kw: Any) -> httpx.Response:
        return self.request("DELETE", url, **kw)


@pytest.fixture
def graph(lab: Lab) -> Iterator[Graph]:
    g = Graph(lab)
    yield g
    g.client.close()


POLICY = "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass"
