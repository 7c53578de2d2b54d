"""The whole dispatch path (kiota RequestInformation -> msgraph-core client factory -> kiota
middleware -> httpx) against an ASGI app that replays the Graph responses recorded in
facts/graph-tap.md, until the lab tenant can play them. Requests are captured as received."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from kiota_abstractions.authentication import AnonymousAuthenticationProvider
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from pscompat.binder.session import bind_argv
from pscompat.dispatch.run import dispatch_invocation
from pscompat.host import OutputOptions
from pscompat.model import load_cmdlet

MG = "New-MgUserAuthenticationTemporaryAccessPassMethod"
PNP = "New-PnPAzureADUserTemporaryAccessPass"
PASS = "TAPRocks!"
CREATED = {"@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
           "id": "c5dbd20a-8b8f-4791-a23f-488fcbde3b38", "temporaryAccessPass": PASS,
           "createdDateTime": "2021-03-09T23:19:17.765173Z", "startDateTime": "2021-03-11T06:00:00Z",
           "lifetimeInMinutes": 60, "isUsableOnce": True, "isUsable": False,
           "methodUsabilityReason": "NotYetValid"}
RANGE_MESSAGE = "Invalid LifetimeInMinutes specified. The valid range between 60 and 480."


@dataclass
class Recorded:
    mode: str = "ok"
    calls: list[tuple[str, str, bytes, dict[str, str]]] = field(default_factory=list)

    def app(self) -> Starlette:
        async def tap(request: Request) -> Response:
            body = await request.body()
            raw = request.scope["raw_path"].decode() + (
                "?" + request.scope["query_string"].decode() if request.scope["query_string"] else "")
            self.calls.append((request.method, "https://graph.microsoft.com" + raw, body, dict(request.headers)))
            crid = request.headers.get("client-request-id", "")
            headers = {"Cache-Control": "no-cache", "request-id": "07ddd94e-aaaa", "client-request-id": crid}
            if self.mode == "range":
                return JSONResponse({"error": {"code": "badRequest", "message": RANGE_MESSAGE, "innerError": {
                    "message": RANGE_MESSAGE, "date": "2021-04-01T17:02:01", "request-id": "07ddd94e-aaaa",
                    "client-request-id": crid}}}, status_code=400, headers=headers)
            if self.mode == "throttle":
                return JSONResponse({"error": {"code": "TooManyRequests", "message": "Too many requests.",
                                               "innerError": {"date": "2021-04-01T17:02:01"}}},
                                    status_code=429, headers={**headers, "Retry-After": "1"})
            if self.mode == "gateway":
                return JSONResponse({"error": {"code": "gatewayTimeout", "message": "Gateway timeout."}},
                                    status_code=504, headers=headers)
            if self.mode == "malformed":
                return JSONResponse({**CREATED, "lifetimeInMinutes": "sixty", "methodUsabilityReason": "Maybe"},
                                    status_code=201)
            return JSONResponse(CREATED, status_code=201, headers=headers)
        return Starlette(routes=[Route("/{version}/users/{user}/authentication/temporaryAccessPassMethods", tap,
                                       methods=["POST"])])


class RecordedConnection:
    kind = "lab"
    graph_base_url = "https://graph.microsoft.com"
    verify = True
    context = None

    def __init__(self, recorded: Recorded) -> None:
        self.recorded = recorded

    def http_transport(self) -> Any:
        return httpx.ASGITransport(app=self.recorded.app())

    def authentication_provider(self) -> Any:
        return AnonymousAuthenticationProvider()


def run(name: str, argv: list[str], recorded: Recorded, **opts: Any) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    invocation = bind_argv(load_cmdlet(name), argv, interactive=False)
    code = dispatch_invocation(invocation, out, err, OutputOptions(**opts), RecordedConnection(recorded))
    return code, out.getvalue(), err.getvalue()


def test_mg_create_sends_the_facts_request_and_shows_the_table() -> None:
    rec = Recorded()
    code, out, err = run(MG, ["-UserId", "AdeleV@contoso.lab", "-LifetimeInMinutes", "60", "-IsUsableOnce"], rec)
    assert code == 0 and err == ""
    method, url, body, headers = rec.calls[0]
    assert (method, url) == ("POST", "https://graph.microsoft.com/v1.0/users/AdeleV%40contoso.lab/"
                                     "authentication/temporaryAccessPassMethods")
    assert body == b'{\n  "isUsableOnce": true,\n  "lifetimeInMinutes": 60\n}'
    assert headers["content-type"] == "application/json" and headers["client-request-id"]
    lines = out.split("\n")
    assert lines[1].split() == ["Id", "CreatedDateTime", "IsUsable", "IsUsableOnce", "LifetimeInMinutes",
                                "MethodUsabilityReason", "StartDateTime", "TemporaryAccessPass"]
    assert lines[3].startswith("c5dbd20a-8b8f-4791-a23f-488fcbde3b38 3/9/2021 11:19:17 PM False    True ")
    assert lines[3].endswith(" 3/11/2021 6:00:00 AM TAPRocks!")


def test_mg_graph_error_renders_as_the_module_does_and_respects_error_action() -> None:
    rec = Recorded(mode="range")
    code, out, err = run(MG, ["-UserId", "x", "-LifetimeInMinutes", "5"], rec)
    assert code == 1 and out == ""
    crid = rec.calls[0][3]["client-request-id"]
    assert err == (f"{MG}_CreateExpanded: {RANGE_MESSAGE}\n\nStatus: 400 (BadRequest)\nErrorCode: badRequest\n"
                   "Date: 2021-04-01T17:02:01\n\nHeaders:\n"
                   "cache-control                 : no-cache\n"
                   "request-id                    : 07ddd94e-aaaa\n"
                   f"client-request-id             : {crid}\n")
    normal = run(MG, ["-UserId", "x", "-LifetimeInMinutes", "5"], rec, error_view="normal")[2]
    assert ("    + FullyQualifiedErrorId : badRequest,Microsoft.Graph.PowerShell.Cmdlets."
            "NewMgUserAuthenticationTemporaryAccessPassMethod_CreateExpanded\n") in normal
    assert run(MG, ["-UserId", "x", "-ErrorAction", "SilentlyContinue"], rec)[:3] == (1, "", "")
    assert run(MG, ["-UserId", "x", "-ErrorAction", "Ignore"], rec)[:3] == (0, "", "")
    code, _, err = run(MG, ["-UserId", "x", "-ErrorAction", "Stop"], rec)
    assert code == 1 and err.startswith(f"{MG}_CreateExpanded: {RANGE_MESSAGE}\n")


def test_pnp_graph_error_is_the_exception_while_invoking_endpoint_text() -> None:
    rec = Recorded(mode="range")
    code, out, err = run(PNP, ["-Identity", "johndoe@contoso.onmicrosoft.com"], rec)
    assert code == 1 and out == ""
    assert err == ("New-PnPEntraIDUserTemporaryAccessPass: Exception while invoking endpoint "
                   "https://graph.microsoft.com/beta/users/johndoe@contoso.onmicrosoft.com/authentication/"
                   "temporaryAccessPassMethods.\n")
    assert rec.calls[0][2] == (b'{"@odata.type":"#microsoft.graph.temporaryAccessPassAuthenticationMethod",'
                               b'"isUsableOnce":false}')


def test_pnp_example_2_and_list_view() -> None:
    rec = Recorded()
    code, out, _ = run(PNP, ["-Identity", "72e2eb87-c124-4bd9-8e01-a447a1752058", "-IsUseableOnce:$true"], rec)
    assert code == 0
    assert rec.calls[0][1].endswith("/beta/users/72e2eb87-c124-4bd9-8e01-a447a1752058/authentication/"
                                    "temporaryAccessPassMethods")
    assert json.loads(rec.calls[0][2])["isUsableOnce"] is True
    assert out.split("\n")[1:3] == ["Id                    : c5dbd20a-8b8f-4791-a23f-488fcbde3b38",
                                    "TemporaryAccessPass   : TAPRocks!"]


def test_a_create_is_not_retried_on_504_and_throttling_stops_at_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    rec = Recorded(mode="gateway")
    code, _, err = run(MG, ["-UserId", "x"], rec)
    assert code == 1 and len(rec.calls) == 1 and "Status: 504 (GatewayTimeout)" in err
    monkeypatch.setenv("PSCOMPAT_MAX_RETRIES", "1")
    rec = Recorded(mode="throttle")
    code, _, err = run(MG, ["-UserId", "x"], rec)
    assert code == 1 and len(rec.calls) == 2
    assert err.startswith("WARNING: Graph throttled the request (429 TooManyRequests); retrying in 1 s (retry 1 of 1).\n"
                          f"{MG}_CreateExpanded: Too many requests.\n\nStatus: 429 (TooManyRequests)\n")
    monkeypatch.setenv("PSCOMPAT_RETRY_BUDGET", "0")
    rec = Recorded(mode="throttle")
    run(MG, ["-UserId", "x"], rec)
    assert len(rec.calls) == 1


def test_malformed_response_warns_and_strict_makes_it_an_error() -> None:
    code, out, err = run(MG, ["-UserId", "x"], Recorded(mode="malformed"))
    assert code == 0 and "c5dbd20a" in out
    assert (f"WARNING: {MG}: The response's 'lifetimeInMinutes' is a string, but Microsoft.Graph.PowerShell."
            "Models.MicrosoftGraphTemporaryAccessPassAuthenticationMethod documents LifetimeInMinutes as Int32.\n"
            ) in err
    assert "'Maybe', which is not one of the values" in err
    code, out, err = run(MG, ["-UserId", "x"], Recorded(mode="malformed"), strict=True)
    assert code == 1 and out == "" and err.startswith(f"{MG}: The response's 'lifetimeInMinutes' is a string")


def test_verbose_and_debug_never_show_the_pass() -> None:
    code, out, err = run(MG, ["-UserId", "x", "-TemporaryAccessPass", "MySecret123", "-Verbose", "-Debug"],
                         Recorded())
    assert code == 0 and PASS in out
    assert PASS not in err and "MySecret123" not in err and "<redacted>" in err
    assert ('VERBOSE: Performing the operation "New-MgUserAuthenticationTemporaryAccessPassMethod_CreateExpanded" '
            "on target \"Call remote 'POST /users/{user-id}/authentication/temporaryAccessPassMethods' "
            "operation\".\n") in err
    assert "DEBUG: ============================ HTTP REQUEST ============================\n" in err
    assert "DEBUG: [CmdletEndProcessing]: - New-MgUserAuthenticationTemporaryAccessPassMethod end processing.\n" in err


def test_dotnet_only_parameters_are_a_clear_error() -> None:
    # From bash the binder already refuses a string for SendAsyncStep[] (as PowerShell does); a
    # value that got through (Python API, scripts) is refused by the dispatcher.
    rec = Recorded()
    invocation = bind_argv(load_cmdlet(MG), ["-UserId", "x"], interactive=False)
    invocation.parameters["HttpPipelineAppend"] = [object()]
    out, err = io.StringIO(), io.StringIO()
    code = dispatch_invocation(invocation, out, err, OutputOptions(), RecordedConnection(rec))
    assert code == 1 and "SendAsyncStep delegates" in err.getvalue() and rec.calls == []


def test_headers_are_sent() -> None:
    rec = Recorded()
    run(MG, ["-UserId", "x", "-Headers", "@{'X-Test'='1'}"], rec)
    assert rec.calls[0][3]["x-test"] == "1"
