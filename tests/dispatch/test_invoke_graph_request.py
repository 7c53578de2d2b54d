"""Invoke-MgGraphRequest against the lab (in process and over loopback HTTP): URLs, bodies,
output types, files, status and header variables, HTTP errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from pscompat.binder.session import bind_argv
from pscompat.dispatch.graph_request import body_bytes, resolve_url
from pscompat.errors import ErrorRecord
from pscompat.lab import serve_in_thread
from pscompat.model import load_cmdlet
from pscompat.script.external import ModelInvoker

from ..script.helpers import run as run_script
from .test_generated_cmdlets import ServedLab, lab, wire  # noqa: F401  (fixtures)
from .test_lab_end_to_end import ADELE_ID, CapturingLab

TAP_CONFIG = "policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass"


@pytest.mark.parametrize(("uri", "url"), [
    ("v1.0/users", "https://lab.example/v1.0/users"),
    ("/beta/users", "https://lab.example/beta/users"),
    ("users?$top=1", "https://lab.example/v1.0/users?$top=1"),
    ("https://graph.microsoft.com/v1.0/me", "https://lab.example/v1.0/me"),
    ("https://example.org/x", "https://example.org/x"),
])
def test_uri_resolution(uri: str, url: str) -> None:
    assert resolve_url(uri, "https://lab.example/") == url


def test_body_forms() -> None:
    from pscompat.values import PSHashtable
    assert body_bytes('{"a": 1}') == b'{"a": 1}'
    assert body_bytes(PSHashtable([("state", "enabled"), ("n", [1, 2])])) == b'{"state":"enabled","n":[1,2]}'
    assert body_bytes(None) is None
    from pscompat.values import PSObject
    assert body_bytes([PSObject([("id", "x"), ("targetType", "group")])]) == b'[{"id":"x","targetType":"group"}]'


def test_script_forms_against_the_lab(lab: Any, wire: list[httpx.Request], tmp_path: Path) -> None:  # noqa: F811
    out_file = tmp_path / "config.json"
    script = f"""
$u = Invoke-MgGraphRequest -Method GET -Uri "https://graph.microsoft.com/v1.0/users/{ADELE_ID}"
"$($u.GetType().Name) $($u['displayName'])"
$p = Invoke-MgGraphRequest GET 'v1.0/users?$top=2' -OutputType PSObject
"$($p.value.Count) $($p.value[0].userPrincipalName)"
Invoke-MgGraphRequest -Method PATCH -Uri "v1.0/{TAP_CONFIG}" -StatusCodeVariable sc `
  -Body @{{ '@odata.type' = '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration'; defaultLifetimeInMinutes = 75 }}
"patch=$sc"
Invoke-MgGraphRequest -Uri "v1.0/{TAP_CONFIG}" -Body '{{"state": "enabled"}}' -Method PATCH -ContentType 'application/json; charset=utf-8' -Headers @{{ 'x-test' = 'yes' }}
$json = Invoke-MgGraphRequest -Uri "{TAP_CONFIG}" -OutputType Json
"json=$(($json | ConvertFrom-Json).defaultLifetimeInMinutes)"
Invoke-MgGraphRequest -Uri "{TAP_CONFIG}" -OutputFilePath '{out_file}'
$r = Invoke-MgGraphRequest -Uri v1.0/users/nobody -SkipHttpErrorCheck -StatusCodeVariable sc -OutputType HttpResponseMessage
"missing=$sc $($r.StatusCode) $($r.IsSuccessStatusCode)"
"""
    result = run_script(script, invoker=ModelInvoker(CapturingLab("mg", lab, wire)))
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines() == ["Hashtable Adele Vance", "2 admin@contoso.lab", "patch=204", "json=75",
                                       "missing=404 404 False"]
    patch = wire[2]
    assert patch.method == "PATCH" and patch.headers["content-type"] == "application/json"
    assert json.loads(patch.content) == {"@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration",
                                         "defaultLifetimeInMinutes": 75}
    assert wire[3].content == b'{"state": "enabled"}' and wire[3].headers["x-test"] == "yes"
    assert wire[3].headers["content-type"] == "application/json; charset=utf-8"
    assert json.loads(out_file.read_text())["id"] == "TemporaryAccessPass"


def test_http_error_is_terminating_with_the_module_error_id(lab: Any, wire: list[httpx.Request]) -> None:  # noqa: F811
    # ThrowTerminatingError is statement-terminating: a try without -ErrorAction Stop catches it
    # (a non-terminating error would not be), and the rethrow ends the script.
    result = run_script("try { Invoke-MgGraphRequest -Uri v1.0/users/nobody\n'not reached' } catch { throw }\n",
                        invoker=ModelInvoker(CapturingLab("mg", lab, wire)))
    assert result.code != 0 and "not reached" not in result.out
    assert "GET https://graph.microsoft.com/v1.0/users/nobody\nHTTP/1.1 404 Not Found" in result.err
    assert "InvokeGraphHttpResponseException,Microsoft.Graph.PowerShell.Authentication.Cmdlets." \
           "InvokeMgGraphRequest" in result.err
    assert "Bearer" not in result.err


def test_binding_errors_quote_powershell() -> None:
    cmdlet = load_cmdlet("Invoke-MgGraphRequest")
    with pytest.raises(ErrorRecord) as caught:
        bind_argv(cmdlet, ["-Method", "FETCH", "-Uri", "v1.0/me"], interactive=False)
    assert caught.value.message.startswith("Cannot bind parameter 'Method'. Cannot convert value \"FETCH\" to "
                                           "type \"Microsoft.Graph.PowerShell.Authentication.Models.GraphRequestMethod\"")
    with pytest.raises(ErrorRecord) as caught:
        bind_argv(cmdlet, ["-Method", "GET"], interactive=False)
    assert caught.value.message == "Cannot process command because of one or more missing mandatory parameters: Uri."
    bound = bind_argv(cmdlet, ["patch", "v1.0/me", "-OutputType", "json"], interactive=False)
    assert (bound.parameters["Method"], str(bound.parameters["Uri"]), bound.parameters["OutputType"]) == (
        "PATCH", "v1.0/me", "Json")


def test_over_loopback_http(lab: Any) -> None:  # noqa: F811
    url, stop, _ = serve_in_thread(lab, tls=False)
    try:
        result = run_script(f"(Invoke-MgGraphRequest -Uri 'https://graph.microsoft.com/v1.0/users/{ADELE_ID}').id\n",
                            invoker=ModelInvoker(ServedLab("mg", lab, base_url=url)))
        assert (result.code, result.err, result.out) == (0, "", ADELE_ID + "\n")
    finally:
        stop()
