"""Captured runs built from the real binder and request builder (no lab, no network).

Used to test the parity engine on data shaped exactly like what goes on the wire.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pscompat.binder.session import bind_argv
from pscompat.dispatch.request import prepare
from pscompat.model import load_cmdlet
from pscompat.model.operations import dialect, operation_for
from pscompat.tools.trace import CapturedRequest, RunCapture
from pscompat.values import PSHashtable, PSObject

USER = {"id": "72e2eb87-c124-4bd9-8e01-a447a1752058", "userPrincipalName": "johndoe@contoso.onmicrosoft.com"}
PNP_TYPE = "PnP.Framework.Graph.Model.TemporaryAccessPassResponse"
MG_TYPE = "Microsoft.Graph.PowerShell.Models.MicrosoftGraphTemporaryAccessPassAuthenticationMethod"


def wire_request(name: str, argv: list[str], status: int = 201) -> CapturedRequest:
    cmdlet = load_cmdlet(name)
    invocation = bind_argv(cmdlet, argv, interactive=False)
    spec = operation_for(cmdlet, invocation.parameter_set)
    prepared = prepare(spec, invocation.parameters, base_url="https://graph.microsoft.com",
                       dialect=dialect(cmdlet), cmdlet_name=cmdlet.name, type_name=cmdlet.type_name,
                       user_headers={})
    headers = [*prepared.headers, ("client-request-id", f"id-{name}"), ("Authorization", "Bearer x")]
    return CapturedRequest(prepared.method, prepared.expand_url(), headers, prepared.body or b"", status)


def tap_output(type_name: str, *, pass_id: str, secret: str, lifetime: int = 60, once: bool = False,
               start: datetime | None = None) -> PSObject:
    extra: dict[str, Any] = {}
    if type_name == MG_TYPE:  # autorest models keep the response's metadata (as dispatch writes it)
        extra["AdditionalProperties"] = PSHashtable({
            "@odata.context": f"https://graph.microsoft.com/v1.0/$metadata#users('{pass_id}')/x/$entity",
            "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod"})
    return PSObject({
        "Id": pass_id, "TemporaryAccessPass": secret,
        "CreatedDateTime": datetime(2030, 1, 1, 0, 0, 1, tzinfo=UTC),
        "StartDateTime": start or datetime(2030, 1, 1, 0, 0, 1, tzinfo=UTC),
        "LifetimeInMinutes": lifetime, "IsUsableOnce": once, "IsUsable": True,
        "MethodUsabilityReason": "EnabledByPolicy", **extra,
    }, type_names=[type_name])


def capture(name: str, argv: list[str], *, lifetime: int = 60, once: bool = False, secret: str = "Abc+1234",
            pass_id: str = "11111111-1111-1111-1111-111111111111", extra: list[CapturedRequest] | None = None,
            start: str | None = None) -> RunCapture:
    pnp = "PnP" in name
    tap: dict[str, Any] = {"lifetimeInMinutes": lifetime, "isUsableOnce": once, "isUsable": True,
                           "methodUsabilityReason": "EnabledByPolicy",
                           "startDateTime": start or "2030-01-01T00:00:01Z"}
    return RunCapture(
        requests=[*(extra or []), wire_request(name, argv)],
        outputs=[tap_output(PNP_TYPE if pnp else MG_TYPE, pass_id=pass_id, secret=secret, lifetime=lifetime,
                            once=once)],
        users=[{**USER, "pass": tap}],
    )
