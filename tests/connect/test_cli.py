"""The connection cmdlets as a user runs them: console scripts in fresh processes, each one
reading the context the previous one saved (the lab served over HTTPS poses as Graph)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

LAB_ADMIN = "f0c70170-e0d3-40a7-8b9c-6db6c67bb257"
LAB_ADMIN_SECRET = "lab-admin-secret.Contoso~2024"   # public: scenarios/default.yaml
BIN = Path(sys.executable).parent


def run(cmd: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / cmd), *args], capture_output=True, text=True, env=env, timeout=120,
                          stdin=subprocess.DEVNULL)


def test_connect_use_inspect_disconnect_across_processes(served_https: dict[str, Any], isolated: Path,
                                                         tmp_path: Path) -> None:
    base = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    base.update(PSCOMPAT_CONFIG_DIR=str(isolated), HOME=str(tmp_path / "home"), NO_PROXY="*",
                PSCOMPAT_LAB_DB=served_https["db"])
    connect_env = dict(base, PSCOMPAT_GRAPH_URL=served_https["url"], PSCOMPAT_AUTHORITY_HOST=served_https["url"],
                       PSCOMPAT_CA_BUNDLE=served_https["cert"], AZURE_CLIENT_ID=LAB_ADMIN,
                       AZURE_TENANT_ID="contoso.lab", AZURE_CLIENT_SECRET=LAB_ADMIN_SECRET)

    connected = run("Connect-MgGraph", "-EnvironmentVariable", env=connect_env)
    assert connected.returncode == 0, connected.stderr
    assert connected.stdout.startswith(
        f"Welcome to Microsoft Graph!\n\nConnected via environmentvariable access using {LAB_ADMIN}\n")
    saved = isolated / "mg-context.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600 and LAB_ADMIN_SECRET not in saved.read_text()

    # A later process: only the secret in the environment; Graph URL, authority, CA come from the context.
    use_env = dict(base, AZURE_CLIENT_ID=LAB_ADMIN, AZURE_TENANT_ID="contoso.lab",
                   AZURE_CLIENT_SECRET=LAB_ADMIN_SECRET, PSCOMPAT_REQUIRE_CONNECTION="1")
    created = run("New-MgUserAuthenticationTemporaryAccessPassMethod", "-UserId", "AlexW@contoso.lab",
                  "-LifetimeInMinutes", "60", "--", "--format", "json", env=use_env)
    assert created.returncode == 0, created.stderr
    assert '"LifetimeInMinutes": 60' in created.stdout and "not connected" not in created.stderr

    context = run("Get-MgContext", env=base)
    assert context.returncode == 0, context.stderr
    lines = [line.split(":", 1)[0].strip() for line in context.stdout.strip().splitlines()]
    assert lines == ["ClientId", "TenantId", "Scopes", "AuthType", "TokenCredentialType",
                     "CertificateThumbprint", "CertificateSubjectName", "SendCertificateChain", "Account",
                     "AppName", "ContextScope", "Certificate", "PSHostVersion", "ManagedIdentityId",
                     "ClientSecret", "Environment"]
    assert "EnvironmentVariable" in context.stdout and LAB_ADMIN in context.stdout

    gone = run("Disconnect-Graph", env=base)
    assert gone.returncode == 0 and "EnvironmentVariable" in gone.stdout
    assert not saved.exists()
    assert run("Get-MgContext", env=base).stdout == ""

    again = run("Disconnect-MgGraph", env=base)
    assert again.returncode == 1
    assert "No application to sign out from." in again.stderr

    required = run("New-MgUserAuthenticationTemporaryAccessPassMethod", "-UserId", "AlexW@contoso.lab",
                   env=dict(base, PSCOMPAT_REQUIRE_CONNECTION="1"))
    assert required.returncode == 1
    assert ("New-MgUserAuthenticationTemporaryAccessPassMethod_CreateExpanded: Authentication needed. "
            "Please call Connect-MgGraph.") in required.stderr

    lab_default = run("New-MgUserAuthenticationTemporaryAccessPassMethod", "-UserId", "AlexW@contoso.lab",
                      env=base)
    assert lab_default.returncode == 0, lab_default.stderr
    assert lab_default.stderr == ("pscompat: not connected; using the embedded lab tenant (contoso.lab). "
                                  "Connect-MgGraph to use Microsoft Graph.\n")


def test_pscompat_lab_connect_to_a_lab_served_over_http(served_http: dict[str, Any], isolated: Path,
                                                        tmp_path: Path) -> None:
    other_lab = tmp_path / "other" / "lab.db"   # the embedded lab is a different one
    base = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    base.update(PSCOMPAT_CONFIG_DIR=str(isolated), HOME=str(tmp_path / "home"), NO_PROXY="*",
                PSCOMPAT_LAB_DB=str(other_lab))
    wrong = run("pscompat", "lab", "connect", served_http["url"], env=dict(base, AZURE_CLIENT_SECRET="nope-nope"))
    assert wrong.returncode == 1 and "AADSTS7000215" in wrong.stderr and "nope-nope" not in wrong.stderr
    env = dict(base, AZURE_CLIENT_SECRET=LAB_ADMIN_SECRET)
    connected = run("pscompat", "lab", "connect", served_http["url"], env=env)
    assert connected.returncode == 0, connected.stderr
    assert served_http["url"] in connected.stdout
    for name in ("mg-context.json", "pnp-context.json"):
        text = (isolated / name).read_text()
        assert stat.S_IMODE((isolated / name).stat().st_mode) == 0o600 and LAB_ADMIN_SECRET not in text
    from importlib.metadata import version
    context = run("Get-MgContext", "--format", "list", env=env)
    assert context.returncode == 0, context.stderr
    assert any(line.split(":", 1)[0].strip() == "PSHostVersion" and line.split(":", 1)[1].strip() == version("pscompat")
               for line in context.stdout.splitlines()), context.stdout

    pnp = run("New-PnPEntraIDUserTemporaryAccessPass", "-Identity", "DiegoS@contoso.lab",
              env=dict(env, PSCOMPAT_REQUIRE_CONNECTION="1"))
    assert pnp.returncode == 0, pnp.stderr
    assert "TemporaryAccessPass" in pnp.stdout and pnp.stderr == ""
    assert not other_lab.exists()      # the served lab answered, not an embedded one

    no_secret = run("New-PnPEntraIDUserTemporaryAccessPass", "-Identity", "DiegoS@contoso.lab", env=base)
    assert no_secret.returncode == 1 and "AZURE_CLIENT_SECRET" in no_secret.stderr

    assert "Disconnected" in run("pscompat", "lab", "disconnect", env=env).stdout
    assert not (isolated / "mg-context.json").exists() and not (isolated / "pnp-context.json").exists()


def test_client_secret_credential_from_bash(served_https: dict[str, Any], isolated: Path, tmp_path: Path) -> None:
    """`-ClientSecretCredential APP_ID`: the secret from AZURE_CLIENT_SECRET, never from argv;
    `-ContextScope process` and `-Environment` bind like their enums (any case)."""
    base = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    base.update(PSCOMPAT_CONFIG_DIR=str(isolated), HOME=str(tmp_path / "home"), NO_PROXY="*",
                PSCOMPAT_LAB_DB=served_https["db"], PSCOMPAT_GRAPH_URL=served_https["url"],
                PSCOMPAT_AUTHORITY_HOST=served_https["url"], PSCOMPAT_CA_BUNDLE=served_https["cert"])
    missing = run("Connect-MgGraph", "-ClientSecretCredential", LAB_ADMIN, "-TenantId", "contoso.lab", env=base)
    assert missing.returncode == 1 and "AZURE_CLIENT_SECRET" in missing.stderr
    env = dict(base, AZURE_CLIENT_SECRET=LAB_ADMIN_SECRET)
    ok = run("Connect-MgGraph", "-ClientSecretCredential", LAB_ADMIN, "-TenantId", "contoso.lab",
             "-Environment", "global", "-NoWelcome", env=env)
    assert ok.returncode == 0 and ok.stdout == "", ok.stderr
    assert LAB_ADMIN_SECRET not in (isolated / "mg-context.json").read_text()
    context = run("Get-MgContext", env=env)
    assert "ClientSecret" in context.stdout and "AppOnly" in context.stdout
    assert LAB_ADMIN_SECRET not in context.stdout + context.stderr
    # Process scope: this command only -- and it replaces the saved context.
    proc = run("Connect-MgGraph", "-ClientSecretCredential", LAB_ADMIN, "-TenantId", "contoso.lab",
               "-ContextScope", "process", "-NoWelcome", env=env)
    assert proc.returncode == 0, proc.stderr
    assert not (isolated / "mg-context.json").exists()
    # A token of this app is now in azure-identity's cache: a wrong secret must still fail (issue 16).
    wrong = run("Connect-MgGraph", "-ClientSecretCredential", LAB_ADMIN, "-TenantId", "contoso.lab", "-NoWelcome",
                env=dict(base, AZURE_CLIENT_SECRET="not-the-secret-9"))
    assert wrong.returncode == 1 and "AADSTS7000215" in wrong.stderr, wrong.stdout + wrong.stderr
    assert "not-the-secret-9" not in wrong.stdout + wrong.stderr
    bad = run("Connect-MgGraph", "-ClientSecretCredential", LAB_ADMIN, "-TenantId", "contoso.lab",
              "-Environment", "Mars", env=env)
    assert bad.returncode == 1
    assert "Unable to find environment with name 'Mars'. Use Get-MgEnvironment to list available environments." \
        in bad.stderr
