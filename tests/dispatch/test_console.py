"""The cmdlets as bash runs them: console scripts, the embedded lab, exit codes, stderr lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pscompat.dispatch.transport import SendOptions, make_client

BIN = Path(sys.executable).parent
MG = "New-MgUserAuthenticationTemporaryAccessPassMethod"


def sh(*argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / argv[0]), *argv[1:]], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **env})


def test_main_command_from_bash_against_the_embedded_lab() -> None:
    done = sh(MG, "-UserId", "AdeleV@contoso.lab", "-LifetimeInMinutes", "60")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split("\n")
    assert lines[0] == "" and lines[1].startswith("Id                                   CreatedDateTime ")
    assert done.stderr == ("pscompat: not connected; using the embedded lab tenant (contoso.lab). "
                           "Connect-MgGraph to use Microsoft Graph.\n")
    listed = sh("Get-MgUserAuthenticationTemporaryAccessPassMethod", "-UserId", "AdeleV@contoso.lab",
                "--format", "json")
    assert listed.returncode == 0 and json.loads(listed.stdout)["TemporaryAccessPass"] is None
    assert json.loads(listed.stdout)["Id"] == lines[3].split()[0]


def test_bad_pscompat_option_and_not_connected() -> None:
    bad = sh(MG, "-UserId", "x", "--format", "yaml")
    assert bad.returncode == 2 and "--format must be one of table, list, json, csv" in bad.stderr
    done = sh(MG, "-UserId", "x", PSCOMPAT_REQUIRE_CONNECTION="1")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == f"{MG}_CreateExpanded: Authentication needed. Please call Connect-MgGraph.\n"
    pnp = sh("New-PnPEntraIDUserTemporaryAccessPass", "-Identity", "x", PSCOMPAT_REQUIRE_CONNECTION="1")
    assert pnp.returncode == 1 and pnp.stderr == (
        "New-PnPEntraIDUserTemporaryAccessPass: There is currently no connection yet. Use Connect-PnPOnline "
        "to connect or provide a valid connection using -Connection.\n")


@pytest.mark.asyncio
async def test_proxy_and_proxy_credential_map_onto_the_http_client() -> None:
    client = make_client(None, True, SendOptions(proxy="http://127.0.0.1:3128", proxy_auth=("u", "p")), False)
    try:
        mounted = [t for t in client._mounts.values() if t is not None]
        assert mounted, "no proxy transport mounted"
        pool = mounted[0].transport._pool  # type: ignore[attr-defined]
        assert pool._proxy_url.port == 3128
        assert any(k == b"Proxy-Authorization" for k, _ in pool._proxy_headers)
    finally:
        await client.aclose()
