"""Each connect test gets its own config dir and HOME (azure-identity's token cache lives under
~/.IdentityService), and a process with no connection in memory; ``served_https``/``served_http``
give a test its own lab served over HTTPS (posing as Graph) or plain HTTP."""

from __future__ import annotations

import base64
import gc
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pscompat.connect import STORE, forget
from pscompat.connect.cmdlets import set_long_lived_process


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    config = tmp_path / "config"
    monkeypatch.setenv("PSCOMPAT_CONFIG_DIR", str(config))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in ("PSCOMPAT_REQUIRE_CONNECTION", "PSCOMPAT_GRAPH_URL", "PSCOMPAT_AUTHORITY_HOST",
                 "PSCOMPAT_CA_BUNDLE", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_ID", "AZURE_TENANT_ID",
                 "PSCOMPAT_ACCESS_TOKEN", "PSCOMPAT_CERT_STORE", "PSCOMPAT_TOKEN_CACHE"):
        monkeypatch.delenv(name, raising=False)
    STORE.forget_process()
    forget()
    set_long_lived_process(False)
    yield config
    STORE.forget_process()
    forget()
    set_long_lived_process(False)


def _serve_lab(tmp_path: Path, tls: bool) -> Iterator[dict[str, Any]]:
    from pscompat.lab import open_lab, serve_in_thread
    lab = open_lab(tmp_path / "lab" / "lab.db")
    url, stop, cert = serve_in_thread(lab, tls=tls)
    try:
        served = {"url": url, "db": str(tmp_path / "lab" / "lab.db")}
        if tls:
            served["cert"] = str(cert)
        yield served
    finally:
        gc.collect()
        stop()
        lab.close()


@pytest.fixture
def served_https(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A lab served over HTTPS: ``url``, ``cert`` (its CA bundle) and ``db``."""
    yield from _serve_lab(tmp_path, tls=True)


@pytest.fixture
def served_http(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A lab served over plain HTTP: ``url`` and ``db``."""
    yield from _serve_lab(tmp_path, tls=False)


class Invocation:
    """The shape of the binder's BoundInvocation that the handlers read."""

    def __init__(self, cmdlet: str, parameter_set: str | None, **parameters: Any) -> None:
        self.cmdlet = cmdlet
        self.parameter_set = parameter_set
        self.parameters = parameters
        self.common: dict[str, Any] = {}


def make_jwt(**claims: Any) -> str:
    """An unsigned-looking JWT (the handlers only read claims; Graph or the lab verifies)."""
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    claims.setdefault("exp", int(time.time()) + 3600)
    header = b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return f"{header}.{b64(json.dumps(claims).encode())}.c2lnbmF0dXJl"
