"""Connect-MgGraph inside a .ps1 run: a real PSCredential, the module's own default scope (Process:
nothing saved), the connection used by the next statements, Disconnect-MgGraph at the end."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

LAB_ADMIN = "f0c70170-e0d3-40a7-8b9c-6db6c67bb257"
LAB_ADMIN_SECRET = "lab-admin-secret.Contoso~2024"   # public: scenarios/default.yaml

SCRIPT = f"""
$secret = ConvertTo-SecureString $env:LAB_SECRET -AsPlainText -Force
$cred = New-Object System.Management.Automation.PSCredential('{LAB_ADMIN}', $secret)
Connect-MgGraph -ClientSecretCredential $cred -TenantId contoso.lab -NoWelcome
$ctx = Get-MgContext
"scope=$($ctx.ContextScope) auth=$($ctx.AuthType) type=$($ctx.TokenCredentialType) app=$($ctx.AppName)"
$tap = New-MgUserAuthenticationTemporaryAccessPassMethod -UserId AdeleV@contoso.lab -LifetimeInMinutes 60
"lifetime=$($tap.LifetimeInMinutes)"
"saved=$(Test-Path (Join-Path $env:PSCOMPAT_CONFIG_DIR 'mg-context.json'))"
$removed = Disconnect-MgGraph
"removed=$($removed.AuthType) after=$($null -eq (Get-MgContext))"
"""


def test_connect_in_a_script(served_https: dict[str, Any], isolated: Path, tmp_path: Path) -> None:
    script = tmp_path / "connect.ps1"
    script.write_text(SCRIPT)
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update(PSCOMPAT_CONFIG_DIR=str(isolated), HOME=str(tmp_path / "home"), NO_PROXY="*",
               PSCOMPAT_LAB_DB=served_https["db"], PSCOMPAT_GRAPH_URL=served_https["url"],
               PSCOMPAT_AUTHORITY_HOST=served_https["url"], PSCOMPAT_CA_BUNDLE=served_https["cert"],
               LAB_SECRET=LAB_ADMIN_SECRET, PSCOMPAT_REQUIRE_CONNECTION="1")
    result = subprocess.run([str(Path(sys.executable).parent / "pscompat"), "run", str(script)],
                            capture_output=True, text=True, env=env, timeout=120, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "scope=Process auth=AppOnly type=ClientSecret app=pscompat lab admin",
        "lifetime=60",
        "saved=False",
        "removed=AppOnly after=True",
    ]
    assert LAB_ADMIN_SECRET not in result.stdout + result.stderr
    assert not any(isolated.iterdir()) if isolated.exists() else True
