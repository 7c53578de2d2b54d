"""The generated Mg cmdlets end to end: argv -> binder -> dispatch (kiota + msgraph-core) -> lab,
in process and over loopback HTTP; their binding errors quote PowerShell's texts."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from pscompat.binder.session import bind_argv
from pscompat.connect.connection import LabConnection
from pscompat.dispatch.run import dispatch_invocation
from pscompat.errors import ErrorRecord
from pscompat.host import OutputOptions
from pscompat.lab import open_lab, serve_in_thread
from pscompat.model import load_cmdlet

from .test_lab_end_to_end import ADELE, ADELE_ID, CapturingLab, list_fields, table_row

CONFIG = "Get-MgPolicyAuthenticationMethodPolicyAuthenticationMethodConfiguration"
UPDATE_CONFIG = "Update-MgPolicyAuthenticationMethodPolicyAuthenticationMethodConfiguration"
TAP_TYPE = "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration"


class ServedLab(LabConnection):
    """The lab's tokens, but requests over a real loopback socket to the served app."""

    def http_transport(self) -> Any:
        return None


@pytest.fixture()
def lab(tmp_path: Path) -> Iterator[Any]:
    opened = open_lab(tmp_path / "lab.db")
    yield opened
    opened.close()


@pytest.fixture()
def wire() -> list[httpx.Request]:
    return []


def run(connection: Any, name: str, argv: list[str], **opts: Any) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    invocation = bind_argv(load_cmdlet(name), argv, interactive=False)
    code = dispatch_invocation(invocation, out, err, OutputOptions(**opts), connection)
    return code, out.getvalue(), err.getvalue()


def test_get_mguser_list_top_and_all_pages(lab: Any, wire: list[httpx.Request]) -> None:
    conn = CapturingLab("mg", lab, wire)
    code, out, err = run(conn, "Get-MgUser", ["-Top", "2"])
    assert (code, err) == (0, "")
    assert wire[0].method == "GET" and wire[0].url.path == "/v1.0/users" and wire[0].url.params["$top"] == "2"
    lines = out.strip("\n").split("\n")
    assert lines[0].split() == ["DisplayName", "Id", "Mail", "UserPrincipalName"] and len(lines) == 4
    wire.clear()
    code, out, err = run(conn, "Get-MgUser", ["-All", "-PageSize", "5"], format="json")
    assert (code, err) == (0, "")
    users = json.loads(out)
    assert len(wire) > 1 and len(users) > 5 and len(users) == len({u["Id"] for u in users})
    assert all(r.url.path == "/v1.0/users" for r in wire)


def test_get_mguser_by_id_select_and_not_found(lab: Any, wire: list[httpx.Request]) -> None:
    conn = CapturingLab("mg", lab, wire)
    code, out, err = run(conn, "Get-MgUser", ["-UserId", ADELE, "-Property", "Id,DisplayName"], format="json")
    assert (code, err) == (0, "")
    assert wire[0].url.path == "/v1.0/users/AdeleV@contoso.lab" and wire[0].url.params["$select"] == "Id,DisplayName"
    user = json.loads(out)
    assert user["Id"] == ADELE_ID and user["DisplayName"] == "Adele Vance"
    code, out, err = run(conn, "Get-MgUser", ["-UserId", "nobody@contoso.lab"])
    assert code == 1 and out == ""
    assert err.startswith("Get-MgUser_Get: Resource 'nobody@contoso.lab' does not exist")
    assert "Status: 404 (NotFound)\nErrorCode: Request_ResourceNotFound\n" in err


def test_policy_configuration_get_and_update(lab: Any, wire: list[httpx.Request]) -> None:
    conn = CapturingLab("mg", lab, wire)
    code, out, err = run(conn, CONFIG, ["-AuthenticationMethodConfigurationId", "TemporaryAccessPass"],
                         format="json")
    assert (code, err) == (0, "")
    config = json.loads(out)
    assert config["Id"] == "TemporaryAccessPass" and config["State"] == "enabled"
    assert config["AdditionalProperties"]["@odata.type"] == TAP_TYPE   # as the real module returns it
    assert "defaultLifetimeInMinutes" in config["AdditionalProperties"]
    body = f"@{{'@odata.type' = '{TAP_TYPE}'; defaultLifetimeInMinutes = 90}}"
    code, out, err = run(conn, UPDATE_CONFIG, ["-AuthenticationMethodConfigurationId", "TemporaryAccessPass",
                                               "-AdditionalProperties", body])
    assert (code, out, err) == (0, "", "")
    patch = wire[-1]
    assert patch.method == "PATCH"
    assert patch.url.path.endswith("/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/"
                                   "TemporaryAccessPass")
    assert json.loads(patch.content) == {"@odata.type": TAP_TYPE, "defaultLifetimeInMinutes": 90}
    code, out, _ = run(conn, CONFIG, ["-AuthenticationMethodConfigurationId", "TemporaryAccessPass"], format="json")
    assert json.loads(out)["AdditionalProperties"]["defaultLifetimeInMinutes"] == 90


def test_whatif_lines_of_generated_cmdlets() -> None:
    for name, argv, target in [
        ("Remove-MgUser", ["-UserId", ADELE], "Remove-MgUser_Delete\" on target \"Call remote 'DELETE /users/{user-id}'"),
        ("Revoke-MgUserSignInSession", ["-UserId", ADELE],
         "Revoke-MgUserSignInSession_Revoke\" on target \"Call remote 'POST /users/{user-id}/revokeSignInSessions'"),
        ("Remove-MgUserAuthenticationPhoneMethod", ["-UserId", ADELE, "-PhoneAuthenticationMethodId", "x"],
         "Remove-MgUserAuthenticationPhoneMethod_Delete\""),
    ]:
        invocation = bind_argv(load_cmdlet(name), [*argv, "-WhatIf"], interactive=False)
        from pscompat.binder.shouldprocess import whatif_line
        assert invocation.what_if and target in whatif_line(invocation.cmdlet, invocation.parameter_set)


@pytest.mark.parametrize(("name", "argv", "message"), [
    ("Get-MgUser", ["-UserId", "x", "-Filter", "y"],
     "Parameter set cannot be resolved using the specified named parameters. One or more parameters issued "
     "cannot be used together or an insufficient number of parameters were provided."),
    ("Remove-MgUserAuthenticationPhoneMethod", ["-UserId", "x"],
     "Cannot process command because of one or more missing mandatory parameters: PhoneAuthenticationMethodId."),
    ("Revoke-MgUserSignInSession", ["-UserId", "x", "-Force"],
     "A parameter cannot be found that matches parameter name 'Force'."),
    ("Get-MgUser", ["-Top", "abc"],
     "Cannot process argument transformation on parameter 'Top'. Cannot convert value \"abc\" to type "
     "\"System.Int32\". Error: \"The input string 'abc' was not in a correct format.\""),
])
def test_binding_errors_quote_powershell(name: str, argv: list[str], message: str) -> None:
    with pytest.raises(ErrorRecord) as caught:
        bind_argv(load_cmdlet(name), argv, interactive=False)
    assert caught.value.message == message
    assert caught.value.fqid.endswith("," + name)


def test_generated_cmdlets_over_loopback_http(lab: Any) -> None:
    url, stop, _ = serve_in_thread(lab, tls=False)
    try:
        conn = ServedLab("mg", lab, base_url=url)
        code, out, err = run(conn, "Get-MgUser", ["-UserId", ADELE])
        assert (code, err) == (0, "")
        assert table_row(out)["Id"] == ADELE_ID
        code, out, err = run(conn, UPDATE_CONFIG, ["-AuthenticationMethodConfigurationId", "TemporaryAccessPass",
                                                   "-State", "disabled"])
        assert (code, err) == (0, "")
        code, out, err = run(conn, CONFIG, ["-AuthenticationMethodConfigurationId", "TemporaryAccessPass"],
                             format="list")
        assert (code, err) == (0, "") and list_fields(out)["State"] == "disabled"
    finally:
        stop()


def test_count_and_response_headers_variables_in_a_script(lab: Any, wire: list[httpx.Request]) -> None:
    from pscompat.script.external import ModelInvoker

    from ..script.helpers import run as run_script
    script = ("$u = Get-MgUser -Filter \"userPrincipalName eq 'AdeleV@contoso.lab'\" -ConsistencyLevel eventual "
              "-CountVariable n -ResponseHeadersVariable h\n"
              "\"$($u.DisplayName) count=$n id=$($h['request-id'].Count)\"\n")
    result = run_script(script, invoker=ModelInvoker(CapturingLab("mg", lab, wire)))
    assert (result.code, result.err) == (0, "")
    assert result.out == "Adele Vance count=1 id=1\n"
    assert wire[0].headers["consistencylevel"] == "eventual" and wire[0].url.params["$count"] == "true"


def test_remove_pnpentraiduser_request_and_pipeline(lab: Any, wire: list[httpx.Request]) -> None:
    """DELETE v1.0/users/{UPN as typed | lower-case GUID | piped user's Id} (RemoveEntraIDUser.cs)."""
    from pscompat.script.external import ModelInvoker

    from ..script.helpers import run as run_script
    conn = CapturingLab("pnp", lab, wire)
    run(conn, "Remove-PnPEntraIDUser", ["-Identity", "AlexW@contoso.lab"])
    run(conn, "Remove-PnPAzureADUser", ["-Identity", ADELE_ID.upper()])
    assert [(r.method, r.url.raw_path.decode()) for r in wire] == [
        ("DELETE", "/v1.0/users/AlexW@contoso.lab"), ("DELETE", f"/v1.0/users/{ADELE_ID}")]
    wire.clear()
    lab.reset()  # the lab really deleted Adele above; the pipeline needs her back
    run_script(f"Get-PnPEntraIDUser -Identity {ADELE} | Remove-PnPEntraIDUser -ErrorAction SilentlyContinue\n",
               invoker=ModelInvoker(CapturingLab("pnp", lab, wire)))
    assert [(r.method, r.url.path) for r in wire][-1] == ("DELETE", f"/v1.0/users/{ADELE_ID}")
    with pytest.raises(ErrorRecord) as caught:
        bind_argv(load_cmdlet("Remove-PnPEntraIDUser"), ["-Identity", "x", "-Verbos:$true", "-Force"], interactive=False)
    assert caught.value.message == "A parameter cannot be found that matches parameter name 'Force'."
    assert caught.value.fqid == "NamedParameterNotFound,PnP.PowerShell.Commands.Graph.RemoveAzureADUser"


METHOD_TYPES = ["Email", "Fido2", "MicrosoftAuthenticator", "Phone", "SoftwareOath", "WindowsHelloForBusiness"]
_ID_PARAM = {"Email": "EmailAuthenticationMethodId", "Fido2": "Fido2AuthenticationMethodId",
             "MicrosoftAuthenticator": "MicrosoftAuthenticatorAuthenticationMethodId",
             "Phone": "PhoneAuthenticationMethodId", "SoftwareOath": "SoftwareOathAuthenticationMethodId",
             "WindowsHelloForBusiness": "WindowsHelloForBusinessAuthenticationMethodId"}
_SEGMENT = {"Email": "emailMethods", "Fido2": "fido2Methods", "MicrosoftAuthenticator": "microsoftAuthenticatorMethods",
            "Phone": "phoneMethods", "SoftwareOath": "softwareOathMethods",
            "WindowsHelloForBusiness": "windowsHelloForBusinessMethods"}


@pytest.mark.parametrize("kind", METHOD_TYPES)
def test_per_method_cmdlets_send_graph_requests(lab: Any, wire: list[httpx.Request], kind: str) -> None:
    """Each per-method Get (List, Get) and Remove sends Graph's request through msgraph-sdk."""
    conn = CapturingLab("mg", lab, wire)
    base = f"/v1.0/users/{ADELE_ID}/authentication/{_SEGMENT[kind]}"
    run(conn, f"Get-MgUserAuthentication{kind}Method", ["-UserId", ADELE_ID, "-Top", "5"])
    run(conn, f"Get-MgUserAuthentication{kind}Method", ["-UserId", ADELE_ID, f"-{_ID_PARAM[kind]}", "m1"])
    run(conn, f"Remove-MgUserAuthentication{kind}Method", ["-UserId", ADELE_ID, f"-{_ID_PARAM[kind]}", "m1",
                                                           "-IfMatch", "W/1"])
    assert [(r.method, r.url.path) for r in wire] == [("GET", base), ("GET", f"{base}/m1"), ("DELETE", f"{base}/m1")]
    assert wire[0].url.params["$top"] == "5" and wire[2].headers["if-match"] == "W/1"
    assert all(r.headers["authorization"].startswith("Bearer ") for r in wire)


def test_user_methods_password_revoke_and_policy_requests(lab: Any, wire: list[httpx.Request]) -> None:
    conn = CapturingLab("mg", lab, wire)
    run(conn, "Get-MgUserAuthenticationMethod", ["-UserId", ADELE_ID, "-All"])
    run(conn, "Get-MgUserAuthenticationPasswordMethod", ["-UserId", ADELE_ID])
    run(conn, "Revoke-MgUserSignInSession", ["-UserId", ADELE_ID])
    run(conn, "Remove-MgUser", ["-UserId", ADELE_ID])
    run(conn, "Get-MgPolicyAuthenticationMethodPolicy", [])
    assert [(r.method, r.url.path) for r in wire] == [
        ("GET", f"/v1.0/users/{ADELE_ID}/authentication/methods"),
        ("GET", f"/v1.0/users/{ADELE_ID}/authentication/passwordMethods"),
        ("POST", f"/v1.0/users/{ADELE_ID}/revokeSignInSessions"),
        ("DELETE", f"/v1.0/users/{ADELE_ID}"),
        ("GET", "/v1.0/policies/authenticationMethodsPolicy")]


def _new_cmdlets() -> list[str]:
    from pscompat.docs.generate import generated_cmdlets
    root = Path(__file__).resolve().parents[2]
    table = yaml.safe_load((root / "cmdlets" / "_paths.yaml").read_text())
    return [p.stem for p in generated_cmdlets(root, table)] + [
        "Invoke-MgGraphRequest", "Find-MgGraphCommand", "Remove-PnPEntraIDUser"]


@pytest.mark.parametrize("name", _new_cmdlets())
def test_every_new_cmdlet_rejects_an_unknown_parameter_as_powershell(name: str) -> None:
    cmdlet = load_cmdlet(name)
    with pytest.raises(ErrorRecord) as caught:
        bind_argv(cmdlet, ["-NoSuchParameter", "x"], interactive=False)
    assert caught.value.message == "A parameter cannot be found that matches parameter name 'NoSuchParameter'."
    assert caught.value.fqid == f"NamedParameterNotFound,{cmdlet.type_name}"


def test_new_and_update_mguser_requests_and_password_redaction(lab: Any, wire: list[httpx.Request]) -> None:
    conn = CapturingLab("mg", lab, wire)
    password = "S3cret-Pass-0815!"
    _, _, err = run(conn, "New-MgUser", [
        "-AccountEnabled", "-DisplayName", "Test User", "-MailNickname", "tu", "-UserPrincipalName", "tu@contoso.lab",
        "-PasswordProfile", f"@{{ password = '{password}'; forceChangePasswordNextSignIn = $true }}", "-Debug"])
    post = wire[0]
    assert (post.method, post.url.path) == ("POST", "/v1.0/users")
    assert json.loads(post.content) == {"accountEnabled": True, "displayName": "Test User", "mailNickname": "tu",
                                        "passwordProfile": {"password": password, "forceChangePasswordNextSignIn": True},
                                        "userPrincipalName": "tu@contoso.lab"}
    assert '"password": "<redacted>"' in err and password not in err
    run(conn, "Update-MgUser", ["-UserId", ADELE_ID, "-AccountEnabled:$false", "-Department", "Retail"])
    patch = wire[-1]
    assert (patch.method, patch.url.path) == ("PATCH", f"/v1.0/users/{ADELE_ID}")
    assert json.loads(patch.content) == {"accountEnabled": False, "department": "Retail"}


def test_a_hashtable_for_a_complex_parameter_is_keyed_like_the_model(lab: Any, wire: list[httpx.Request]) -> None:
    """-PasswordProfile @{Password=..; ForceChangePasswordNextSignIn=..} as scripts write it: the Mg
    module converts the hashtable to its IMicrosoftGraphPasswordProfile model (properties matched
    case-insensitively, written under their JSON names in the model's order; other keys kept as
    AdditionalProperties), so Graph gets camelCase. The lab refuses the PascalCase keys."""
    conn = CapturingLab("mg", lab, wire)
    _, _, err = run(conn, "New-MgUser", [
        "-AccountEnabled", "-DisplayName", "Pascal Case", "-MailNickname", "pc", "-UserPrincipalName", "pc@contoso.lab",
        "-PasswordProfile", "@{ Password = 'Pascal-Case-1!'; FORCECHANGEPASSWORDNEXTSIGNIN = $false }"])
    assert err == ""
    body = wire[0].content.decode()
    assert '"passwordProfile": {\n    "forceChangePasswordNextSignIn": false,\n    "password": "Pascal-Case-1!"\n  }' \
        in body
    run(conn, "New-MgUser", ["-BodyParameter", "@{ AccountEnabled = $true; DisplayName = 'Body Param'; "
                              "MailNickname = 'bp'; UserPrincipalName = 'bp@contoso.lab'; "
                              "PasswordProfile = @{ Password = 'Body-Param-1!'; ForceChangePasswordNextSignIn = $true } }"])
    assert json.loads(wire[-1].content)["passwordProfile"] == {"forceChangePasswordNextSignIn": True,
                                                              "password": "Body-Param-1!"}
    from pscompat.dispatch.body import as_model
    assert as_model({"password": "x", "Extra": 1, "odataType": "#t"}, ("(Any)", "OdataType", "Password")) == \
        {"@odata.type": "#t", "password": "x", "Extra": 1}


def test_methods_over_loopback_http(lab: Any) -> None:
    """List a user's methods (with @odata.type in AdditionalProperties) and remove one, over a socket."""
    from pscompat.script.external import ModelInvoker

    from ..script.helpers import run as run_script
    url, stop, _ = serve_in_thread(lab, tls=False)
    try:
        conn = ServedLab("mg", lab, base_url=url)
        script = (f"$m = Get-MgUserAuthenticationMethod -UserId {ADELE_ID}\n"
                  "$m | ForEach-Object { $_.AdditionalProperties['@odata.type'] } | Sort-Object\n"
                  f"$phone = Get-MgUserAuthenticationPhoneMethod -UserId {ADELE_ID} | Select-Object -First 1\n"
                  "\"phone=$($phone.PhoneType)\"\n")
        result = run_script(script, invoker=ModelInvoker(conn))
        assert (result.code, result.err) == (0, "")
        lines = result.out.splitlines()
        assert "#microsoft.graph.passwordAuthenticationMethod" in lines
        assert "#microsoft.graph.phoneAuthenticationMethod" in lines and lines[-1].startswith("phone=")
        code, out, err = run(conn, "Get-MgPolicyAuthenticationMethodPolicy", [], format="json")
        assert (code, err) == (0, "") and json.loads(out)["Id"]
    finally:
        stop()


def _methods(lab: Any, kind: str) -> list[tuple[str, str]]:
    """(user id, method id) of the lab's non-default methods of one kind."""
    import sqlite3
    db = sqlite3.connect(lab.path)
    try:
        return db.execute("SELECT user_id, id FROM methods WHERE kind=? AND is_default=0 ORDER BY user_id, id",
                          (kind,)).fetchall()
    finally:
        db.close()


@pytest.mark.parametrize("kind", METHOD_TYPES)
def test_per_method_cmdlets_over_loopback_http(lab: Any, kind: str) -> None:
    """Each per-method Get (one and list) and Remove, end to end over a socket: the method goes."""
    wire_kind = _SEGMENT[kind][:-len("Methods")]
    url, stop, _ = serve_in_thread(lab, tls=False)
    try:
        conn = ServedLab("mg", lab, base_url=url)
        candidates = _methods(lab, wire_kind)
        assert candidates, f"the default scenario seeds no {kind} method"
        user, method = candidates[0]
        code, out, err = run(conn, f"Get-MgUserAuthentication{kind}Method", ["-UserId", user], format="json")
        assert (code, err) == (0, "") and method in out
        code, out, err = run(conn, f"Get-MgUserAuthentication{kind}Method",
                             ["-UserId", user, f"-{_ID_PARAM[kind]}", method], format="json")
        assert (code, err) == (0, "") and json.loads(out)["Id"] == method
        removed = []
        for user, method in candidates:
            code, _, err = run(conn, f"Remove-MgUserAuthentication{kind}Method",
                               ["-UserId", user, f"-{_ID_PARAM[kind]}", method])
            if code == 0:
                removed.append((user, method))
                break
        assert removed and removed[0] not in _methods(lab, wire_kind)
    finally:
        stop()


def test_user_lifecycle_cmdlets_over_loopback_http(lab: Any) -> None:
    """New-, Update-, Get-, Revoke-, Remove-MgUser and the password/policy reads over a socket."""
    url, stop, _ = serve_in_thread(lab, tls=False)
    try:
        conn = ServedLab("mg", lab, base_url=url)
        code, out, err = run(conn, "New-MgUser", [
            "-AccountEnabled", "-DisplayName", "Loop Back", "-MailNickname", "loopback",
            "-UserPrincipalName", "loopback@contoso.lab",
            "-PasswordProfile", "@{ password = 'Loop-Back-Pass-1!'; forceChangePasswordNextSignIn = $true }"],
            format="json")
        assert (code, err) == (0, ""), err
        new_id = json.loads(out)["Id"]
        assert run(conn, "Update-MgUser", ["-UserId", new_id, "-Department", "Loop"])[0] == 0
        code, out, err = run(conn, "Get-MgUser", ["-UserId", new_id, "-Property", "department"], format="json")
        assert (code, err) == (0, "") and json.loads(out)["Department"] == "Loop"
        assert run(conn, "Revoke-MgUserSignInSession", ["-UserId", new_id])[0] == 0
        code, out, err = run(conn, "Get-MgUserAuthenticationPasswordMethod", ["-UserId", ADELE_ID], format="json")
        assert (code, err) == (0, "")
        assert run(conn, "Remove-MgUser", ["-UserId", new_id])[0] == 0
        code, _, err = run(conn, "Get-MgUser", ["-UserId", new_id])
        assert code == 1 and "does not exist" in err
    finally:
        stop()


def test_remove_pnpentraiduser_over_loopback_http(lab: Any) -> None:
    url, stop, _ = serve_in_thread(lab, tls=False)
    try:
        conn = ServedLab("pnp", lab, base_url=url)
        code, _, err = run(conn, "Remove-PnPEntraIDUser", ["-Identity", "AlexW@contoso.lab"])
        assert (code, err) == (0, "")
        assert lab.store.find_user("AlexW@contoso.lab") is None
    finally:
        stop()
