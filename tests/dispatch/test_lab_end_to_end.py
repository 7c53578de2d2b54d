"""The seed docs' examples and the companion cmdlets end to end against the lab tenant: bash argv
-> binder -> dispatch (kiota + msgraph-core middleware) -> lab -> check -> render. Requests are
captured at the transport, as they went on the wire."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from pscompat.binder.session import bind_argv
from pscompat.connect.connection import LabConnection
from pscompat.dispatch.run import dispatch_invocation, run_one
from pscompat.host import Host, OutputOptions
from pscompat.lab import asgi_transport, open_lab
from pscompat.model import load_cmdlet

MG = "New-MgUserAuthenticationTemporaryAccessPassMethod"
PNP = "New-PnPAzureADUserTemporaryAccessPass"
ADELE = "AdeleV@contoso.lab"
ADELE_ID = "6c2ec976-f701-4488-9f36-635943200fc1"
ALEX_ID = "2e629383-8d0b-4dff-9455-eec73e47d2c3"
NO_PERMISSIONS_APP = "9473de8a-12a8-4f8a-abb7-f4189747ea5d"
TAP_PATH = "/authentication/temporaryAccessPassMethods"


class Capture(httpx.AsyncBaseTransport):
    """Wraps the lab's transport and records each request as it arrives."""

    def __init__(self, inner: Any, log: list[httpx.Request]) -> None:
        self.inner, self.log = inner, log

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self.log.append(request)
        return await self.inner.handle_async_request(request)


class CapturingLab(LabConnection):
    def __init__(self, module: str, lab: Any, log: list[httpx.Request], **kw: Any) -> None:
        super().__init__(module, lab, **kw)
        self.log = log

    def http_transport(self) -> Any:
        return Capture(asgi_transport(self.lab), self.log)


@pytest.fixture()
def lab(tmp_path: Path) -> Iterator[Any]:
    opened = open_lab(tmp_path / "lab.db")
    yield opened
    opened.close()


@pytest.fixture()
def wire() -> list[httpx.Request]:
    return []


def run(lab: Any, wire: list[httpx.Request], name: str, argv: list[str], *, client_id: str | None = None,
        **opts: Any) -> tuple[int, str, str]:
    cmdlet = load_cmdlet(name)
    module = "pnp" if cmdlet.kind == "compiled" else "mg"
    out, err = io.StringIO(), io.StringIO()
    invocation = bind_argv(cmdlet, argv, interactive=False)
    code = dispatch_invocation(invocation, out, err, OutputOptions(**opts),
                               CapturingLab(module, lab, wire, client_id=client_id))
    return code, out.getvalue(), err.getvalue()


def table_row(out: str) -> dict[str, str]:
    """The single data row of a table, cut by the header's column starts."""
    lines = out.strip("\n").split("\n")
    starts = [m.start() for m in re.finditer(r"\S+", lines[0])]
    names = lines[0].split()
    bounds = starts[1:] + [None]
    return {n: lines[2][s:e].strip() for n, s, e in zip(names, starts, bounds, strict=True)}


def list_fields(out: str) -> dict[str, str]:
    return {k.strip(): v.strip() for k, _, v in (line.partition(" : ") for line in out.strip("\n").split("\n"))}


# ------------------------------------------------------------------ Mg

def test_mg_main_command_creates_a_pass_and_shows_the_table(lab: Any, wire: list[httpx.Request]) -> None:
    code, out, err = run(lab, wire, MG, ["-UserId", ADELE, "-LifetimeInMinutes", "60"])
    assert (code, err) == (0, "")
    request = wire[0]
    assert request.method == "POST"
    assert str(request.url) == f"https://graph.microsoft.com/v1.0/users/AdeleV%40contoso.lab{TAP_PATH}"
    assert request.content == b'{\n  "lifetimeInMinutes": 60\n}'
    assert request.headers["authorization"].startswith("Bearer ")
    row = table_row(out)
    assert list(row) == ["Id", "CreatedDateTime", "IsUsable", "IsUsableOnce", "LifetimeInMinutes",
                         "MethodUsabilityReason", "StartDateTime", "TemporaryAccessPass"]
    assert row["LifetimeInMinutes"] == "60" and row["MethodUsabilityReason"] == "EnabledByPolicy"
    assert row["IsUsable"] == "True" and len(row["TemporaryAccessPass"]) == 8
    assert re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}:\d{2} [AP]M", row["CreatedDateTime"])


def test_mg_example_1_body_parameter_as_a_bash_word(lab: Any, wire: list[httpx.Request]) -> None:
    params = ('@{ startDateTime = [System.DateTime]::Parse("2022-06-05T00:00:00.000Z"); '
              "lifetimeInMinutes = 60; isUsableOnce = $false }")
    code, out, err = run(lab, wire, MG, ["-UserId", ADELE, "-BodyParameter", params], format="json")
    assert (code, err) == (0, "")
    assert wire[0].content == (b'{\n  "isUsableOnce": false,\n  "lifetimeInMinutes": 60,\n'
                               b'  "startDateTime": "2022-06-05T00:00:00.0000000Z"\n}')
    data = json.loads(out)
    assert data["StartDateTime"] == "2022-06-05T00:00:00.0000000Z"
    assert data["MethodUsabilityReason"] == "Expired" and data["IsUsable"] is False


def test_mg_input_object_and_additional_properties(lab: Any, wire: list[httpx.Request]) -> None:
    code, _, err = run(lab, wire, MG, ["-InputObject", f"@{{UserId = '{ALEX_ID}'}}", "-LifetimeInMinutes", "120",
                                       "-AdditionalProperties", "@{isUsableOnce = $true}"])
    assert (code, err) == (0, "")
    assert wire[0].url.path == f"/v1.0/users/{ALEX_ID}{TAP_PATH}"
    assert wire[0].content == b'{\n  "lifetimeInMinutes": 120,\n  "isUsableOnce": true\n}'
    code, _, err = run(lab, wire, MG, ["-InputObject", "@{Id = 'x'}"])
    assert code == 1 and len(wire) == 1
    assert err == f"{MG}_CreateViaIdentityExpanded: InputObject has null value for InputObject.UserId\n"


def test_get_and_remove_companions(lab: Any, wire: list[httpx.Request]) -> None:
    run(lab, wire, MG, ["-UserId", ADELE])
    code, out, _ = run(lab, wire, "Get-MgUserAuthenticationTemporaryAccessPassMethod", ["-UserId", ADELE])
    assert code == 0 and wire[-1].method == "GET"
    row = table_row(out)
    assert row["TemporaryAccessPass"] == ""  # never returned by a GET
    method_id = row["Id"]
    code, out, _ = run(lab, wire, "Get-MgUserAuthenticationTemporaryAccessPassMethod",
                       ["-UserId", ADELE, "-TemporaryAccessPassAuthenticationMethodId", method_id], format="json")
    assert code == 0 and json.loads(out)["Id"] == method_id
    assert wire[-1].url.path.endswith(f"{TAP_PATH}/{method_id}")
    code, out, _ = run(lab, wire, "Remove-MgUserAuthenticationTemporaryAccessPassMethod",
                       ["-UserId", ADELE, "-TemporaryAccessPassAuthenticationMethodId", method_id, "-PassThru",
                        "-IfMatch", "*"])
    assert (code, out) == (0, "True\n")
    assert wire[-1].method == "DELETE" and wire[-1].headers["if-match"] == "*"
    code, out, _ = run(lab, wire, "Get-MgUserAuthenticationTemporaryAccessPassMethod", ["-UserId", ADELE])
    assert (code, out) == (0, "")


# ------------------------------------------------------------------ PnP

def test_pnp_example_1_upn_as_typed_beta_and_list_view(lab: Any, wire: list[httpx.Request]) -> None:
    code, out, err = run(lab, wire, PNP, ["-Identity", ADELE])
    assert (code, err) == (0, "")
    assert str(wire[0].url) == f"https://graph.microsoft.com/beta/users/{ADELE}{TAP_PATH}"
    assert wire[0].content == (b'{"@odata.type":"#microsoft.graph.temporaryAccessPassAuthenticationMethod",'
                               b'"isUsableOnce":false}')
    fields = list_fields(out)
    assert list(fields) == ["Id", "TemporaryAccessPass", "CreatedDateTime", "StartDateTime", "LifetimeInMinutes",
                            "IsUsableOnce", "IsUsable", "MethodUsabilityReason"]
    assert fields["LifetimeInMinutes"] == "60" and fields["MethodUsabilityReason"] == "EnabledByPolicy"


def test_pnp_example_2_guid_lower_case_and_doc_spelling(lab: Any, wire: list[httpx.Request]) -> None:
    code, out, err = run(lab, wire, PNP, ["-Identity", ADELE_ID.upper(), "-IsUseableOnce:$true"])
    assert (code, err) == (0, "")
    assert wire[0].url.path == f"/beta/users/{ADELE_ID}{TAP_PATH}"
    assert json.loads(wire[0].content)["isUsableOnce"] is True
    assert list_fields(out)["IsUsableOnce"] == "True"


def test_pnp_example_3_start_in_two_hours_lifetime_10(lab: Any, wire: list[httpx.Request]) -> None:
    lab.save_policy({**lab.policy, "minimumLifetimeInMinutes": 10})
    start = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)).replace(microsecond=0)
    code, out, err = run(lab, wire, PNP, ["-Identity", ADELE, "-StartDateTime", start.isoformat(),
                                          "-LifeTimeInMinutes", "10", "-IsUseableOnce:$true"])
    assert (code, err) == (0, "")
    body = json.loads(wire[0].content)
    assert body == {"@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
                    "startDateTime": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "lifetimeInMinutes": 10,
                    "isUsableOnce": True}
    fields = list_fields(out)
    assert fields["MethodUsabilityReason"] == "NotYetValid" and fields["IsUsable"] == "False"


def test_pnp_example_4_user_object_from_get_pnp_azure_ad_user(lab: Any, wire: list[httpx.Request]) -> None:
    lab.save_policy({**lab.policy, "minimumLifetimeInMinutes": 10})
    host = Host(out=io.StringIO(), err=io.StringIO())
    conn = CapturingLab("pnp", lab, wire)
    users = run_one(bind_argv(load_cmdlet("Get-PnPAzureADUser"), ["-Identity", ADELE], interactive=False), host, conn)
    assert len(users) == 1 and users[0].get("Id") == ADELE_ID
    assert wire[0].headers["consistencylevel"] == "eventual"
    assert str(wire[0].url).startswith("https://graph.microsoft.com/v1.0/users?$top=999&$select=BusinessPhones,")
    start = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)
    invocation = bind_argv(load_cmdlet(PNP), ["-Identity", ADELE, "-StartDateTime", start.isoformat(),
                                              "-LifeTimeInMinutes", "15", "-IsUseableOnce:$false"], interactive=False)
    invocation.parameters["Identity"] = users[0]  # what ByValue pipeline binding hands over
    passes = run_one(invocation, host, conn)
    assert wire[-1].url.path == f"/beta/users/{ADELE_ID}{TAP_PATH}"
    assert passes[0].get("LifetimeInMinutes") == 15 and passes[0].get("MethodUsabilityReason") == "NotYetValid"


def test_get_pnp_user_not_found_writes_nothing(lab: Any, wire: list[httpx.Request]) -> None:
    assert run(lab, wire, "Get-PnPEntraIDUser", ["-Identity", "nobody@contoso.lab"]) == (0, "", "")


# ------------------------------------------------------------------ errors the lab produces

MG_ERROR = re.compile(r"^(?P<cmd>[\w-]+): (?P<msg>.*)\n\nStatus: (?P<status>\d+ \(\w+\))\nErrorCode: (?P<code>\S*)\n"
                      r"Date: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\n\nHeaders:\n(?P<headers>(?:.{30}: .*\n)+)$")


@pytest.mark.parametrize(("setup", "argv", "status", "code", "message"), [
    ("none", ["-LifetimeInMinutes", "5"], "400 (BadRequest)", "badRequest",
     "Invalid LifetimeInMinutes specified. The valid range between 60 and 480."),
    ("disabled", [], "400 (BadRequest)", "badRequest",
     "Converged UserCredentialPolicy does not allow creating or updating this authentication method. "
     "AuthMethodType [TemporaryAccessPass]."),
    ("unknown", [], "404 (NotFound)", "Request_ResourceNotFound",
     "Resource 'nobody@contoso.lab' does not exist or one of its queried reference-property objects are not present."),
    ("forbidden", [], "403 (Forbidden)", "Authorization_RequestDenied",
     "Insufficient privileges to complete the operation."),
])
def test_graph_errors_render_as_each_module_shows_them(lab: Any, wire: list[httpx.Request], setup: str,
                                                      argv: list[str], status: str, code: str, message: str) -> None:
    if setup == "disabled":
        lab.save_policy({**lab.policy, "state": "disabled"})
    user = "nobody@contoso.lab" if setup == "unknown" else ADELE
    client = NO_PERMISSIONS_APP if setup == "forbidden" else None
    rc, out, err = run(lab, wire, MG, ["-UserId", user, *argv], client_id=client)
    assert (rc, out) == (1, "")
    m = MG_ERROR.match(err)
    assert m, err
    assert (m["cmd"], m["msg"], m["status"], m["code"]) == (f"{MG}_CreateExpanded", message, status, code)
    assert "request-id" in m["headers"] and not re.search(r"(?im)^authorization\s*:", err)
    normal = run(lab, wire, MG, ["-UserId", user, *argv], client_id=client, error_view="normal")[2]
    assert normal.endswith(f"    + FullyQualifiedErrorId : {code},Microsoft.Graph.PowerShell.Cmdlets."
                           "NewMgUserAuthenticationTemporaryAccessPassMethod_CreateExpanded\n")
    pnp_user = "nobody@contoso.lab" if setup == "unknown" else ADELE
    rc, out, err = run(lab, wire, PNP, ["-Identity", pnp_user, "-LifeTimeInMinutes", "5"] if argv
                       else ["-Identity", pnp_user], client_id=client)
    assert (rc, out) == (1, "")
    assert err == ("New-PnPEntraIDUserTemporaryAccessPass: Exception while invoking endpoint "
                   f"https://graph.microsoft.com/beta/users/{pnp_user}{TAP_PATH}.\n")


def test_throttling_beyond_the_retry_budget(lab: Any, wire: list[httpx.Request],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PSCOMPAT_MAX_RETRIES", "1")
    lab.store.add_fault({"kind": "throttle", "retryAfter": 1})
    lab.reload_faults()
    rc, out, err = run(lab, wire, MG, ["-UserId", ADELE])
    assert (rc, out) == (1, "") and len(wire) == 2  # the first try and one retry honouring Retry-After
    warning, _, err = err.partition("\n")   # one WARNING line while the retry waited (issue 11/15)
    assert warning == "WARNING: Graph throttled the request (429 TooManyRequests); retrying in 1 s (retry 1 of 1)."
    m = MG_ERROR.match(err)
    assert m and m["status"] == "429 (TooManyRequests)", err
    assert re.search(r"(?im)^retry-after {19}: 1$", m["headers"])
    rc, _, err = run(lab, wire, MG, ["-UserId", ADELE, "-ErrorAction", "SilentlyContinue"])
    assert (rc, err) == (1, warning + "\n")   # -ErrorAction does not silence the warning stream
    rc, _, err = run(lab, wire, MG, ["-UserId", ADELE, "-ErrorAction", "SilentlyContinue",
                                     "-WarningAction", "SilentlyContinue"])
    assert (rc, err) == (1, "")


def test_malformed_response_warns_and_strict_fails(lab: Any, wire: list[httpx.Request]) -> None:
    lab.store.add_fault({"kind": "malformed", "field": "lifetimeInMinutes", "value": "sixty"})
    lab.reload_faults()
    rc, out, err = run(lab, wire, MG, ["-UserId", ADELE])
    assert rc == 0 and "sixty" in out
    assert err.startswith(f"WARNING: {MG}: The response's 'lifetimeInMinutes' is a string, but ")
    rc, out, err = run(lab, wire, MG, ["-UserId", ADELE], strict=True)
    assert (rc, out) == (1, "") and err.startswith(f"{MG}: The response's 'lifetimeInMinutes' is a string")


def test_no_pass_or_token_in_verbose_debug_or_errors(lab: Any, wire: list[httpx.Request]) -> None:
    rc, out, err = run(lab, wire, MG, ["-UserId", ADELE, "-Verbose", "-Debug"], format="json")
    assert rc == 0
    secret = json.loads(out)["TemporaryAccessPass"]
    token = wire[0].headers["authorization"].split()[1]
    assert secret and secret not in err and token not in err
    assert '"temporaryAccessPass": "<redacted>"' in err
    assert "DEBUG: ============================ HTTP RESPONSE ============================\n\nStatus Code:\nCreated\n" in err
    rc, _, err = run(lab, wire, MG, ["-UserId", ADELE, "-LifetimeInMinutes", "5", "-Debug"])
    assert rc == 1 and token not in err and wire[-1].headers["authorization"].split()[1] not in err


# ------------------------------------------------------------------ same result in-process and over HTTP

def _normalise(text: str) -> str:
    text = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<guid>", text)
    text = re.sub(r"\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}:\d{2} [AP]M", "<date>", text)
    return re.sub(r"(?m)(TemporaryAccessPass\s+: |<date> )\S{8}$", r"\1<pass>", text)


def test_in_process_and_over_http_give_the_same_result(lab: Any, wire: list[httpx.Request]) -> None:
    from pscompat.connect.connection import TokenConnection
    from pscompat.lab import serve_in_thread

    base, stop, _ = serve_in_thread(lab)
    try:
        assert base.startswith("http://127.0.0.1:")
        for name, argv in ((MG, ["-UserId", ADELE, "-LifetimeInMinutes", "90"]), (PNP, ["-Identity", ADELE])):
            local = run(lab, wire, name, argv)
            module = "pnp" if name == PNP else "mg"
            out, err = io.StringIO(), io.StringIO()
            invocation = bind_argv(load_cmdlet(name), argv, interactive=False)
            code = dispatch_invocation(invocation, out, err, OutputOptions(),
                                       TokenConnection(module, base, lambda: lab.issue_token()))
            assert (code, err.getvalue()) == (local[0], local[2]) == (0, "")
            assert _normalise(out.getvalue()) == _normalise(local[1])
    finally:
        stop()
