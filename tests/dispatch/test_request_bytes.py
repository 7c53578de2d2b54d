"""Request construction against facts/mg-cmdlets.md and facts/pnp-cmdlets.md (URL, version, body bytes)."""

from __future__ import annotations

import datetime as dt

import pytest

from pscompat.dispatch.hooks import user_pipe_bind
from pscompat.dispatch.request import prepare
from pscompat.errors import ErrorRecord
from pscompat.model import cmdlet_names, load_cmdlet
from pscompat.model.operations import all_operations, dialect, operation_for
from pscompat.values import PSHashtable, PSObject

MG = "New-MgUserAuthenticationTemporaryAccessPassMethod"
PNP = "New-PnPAzureADUserTemporaryAccessPass"
GRAPH = "https://graph.microsoft.com"


def _prep(name: str, set_name: str | None, params: dict) -> tuple[str, str]:
    cmdlet = load_cmdlet(name)
    p = prepare(operation_for(cmdlet, set_name), params, base_url=GRAPH, dialect=dialect(cmdlet),
                cmdlet_name=cmdlet.name, type_name=cmdlet.type_name)
    return p.expand_url(), (p.body or b"").decode()


def test_every_operation_in_the_yaml_validates() -> None:
    for name in cmdlet_names(include_aliases=False):
        cmdlet = load_cmdlet(name)
        if cmdlet.operations:
            ops = all_operations(cmdlet)
            sets = cmdlet.paramsets.parameter_sets or ("__AllParameterSets",)
            assert set(ops) == set(sets), name


def test_mg_expanded_sends_only_bound_parameters_with_utc_seven_digit_dates() -> None:
    start = dt.datetime(2022, 6, 5, 0, 0, tzinfo=dt.UTC)
    url, body = _prep(MG, "CreateExpanded", {"UserId": "x", "StartDateTime": start, "LifetimeInMinutes": 60,
                                              "IsUsableOnce": False})
    assert url == f"{GRAPH}/v1.0/users/x/authentication/temporaryAccessPassMethods"
    assert body == ('{\n  "isUsableOnce": false,\n  "lifetimeInMinutes": 60,\n'
                    '  "startDateTime": "2022-06-05T00:00:00.0000000Z"\n}')
    assert _prep(MG, "CreateExpanded", {"UserId": "x", "IsUsableOnce": True})[1] == '{\n  "isUsableOnce": true\n}'


def test_mg_additional_properties_are_merged_at_the_root_as_typed() -> None:
    extra = PSHashtable({"FooBar": 1, "nested": PSHashtable({"a": "b"})})
    body = _prep(MG, "CreateExpanded", {"UserId": "x", "LifetimeInMinutes": 60, "AdditionalProperties": extra})[1]
    assert body == '{\n  "lifetimeInMinutes": 60,\n  "FooBar": 1,\n  "nested": {\n    "a": "b"\n  }\n}'


def test_mg_example_1_body_parameter_hashtable_and_json() -> None:
    # $params = @{ startDateTime = [System.DateTime]::Parse("2022-06-05T00:00:00.000Z"); lifetimeInMinutes = 60; isUsableOnce = $false }
    local = dt.datetime(2022, 6, 5, tzinfo=dt.UTC).astimezone()
    params = PSHashtable([("startDateTime", local), ("lifetimeInMinutes", 60), ("isUsableOnce", False)])
    expected = ('{\n  "isUsableOnce": false,\n  "lifetimeInMinutes": 60,\n'
                '  "startDateTime": "2022-06-05T00:00:00.0000000Z"\n}')
    assert _prep(MG, "Create", {"UserId": "x", "BodyParameter": params})[1] == expected
    text = '{"startDateTime":"2022-06-05T00:00:00.000Z","lifetimeInMinutes":60,"isUsableOnce":false}'
    assert _prep(MG, "Create", {"UserId": "x", "BodyParameter": text})[1] == expected
    # unknown keys go to the root with the user's casing; unconvertible values are dropped
    odd = PSHashtable([("LIFETIMEINMINUTES", "abc"), ("Custom", "v")])
    assert _prep(MG, "Create", {"UserId": "x", "BodyParameter": odd})[1] == '{\n  "Custom": "v"\n}'


def test_mg_input_object_without_user_id_is_the_documented_error() -> None:
    with pytest.raises(ErrorRecord) as info:
        _prep(MG, "CreateViaIdentityExpanded", {"InputObject": PSHashtable({"Id": "y"})})
    record = info.value
    assert record.message == "InputObject has null value for InputObject.UserId"
    assert record.fqid == ("Microsoft.Graph.PowerShell.Cmdlets."
                           "NewMgUserAuthenticationTemporaryAccessPassMethod_CreateViaIdentityExpanded")
    url = _prep(MG, "CreateViaIdentityExpanded", {"InputObject": PSHashtable({"userid": "u1"})})[0]
    assert url.endswith("/v1.0/users/u1/authentication/temporaryAccessPassMethods")


def test_pnp_body_always_has_odata_type_and_is_usable_once_and_uses_beta() -> None:
    url, body = _prep(PNP, None, {"Identity": "johndoe@contoso.onmicrosoft.com"})
    assert url == f"{GRAPH}/beta/users/johndoe@contoso.onmicrosoft.com/authentication/temporaryAccessPassMethods"
    assert body == ('{"@odata.type":"#microsoft.graph.temporaryAccessPassAuthenticationMethod",'
                    '"isUsableOnce":false}')
    start = dt.datetime(2022, 6, 5, 2, 0, tzinfo=dt.UTC)
    url, body = _prep(PNP, None, {"Identity": "72E2EB87-C124-4BD9-8E01-A447A1752058", "StartDateTime": start,
                                  "LifeTimeInMinutes": 10, "IsUsableOnce": True})
    assert "/beta/users/72e2eb87-c124-4bd9-8e01-a447a1752058/" in url
    assert body == ('{"@odata.type":"#microsoft.graph.temporaryAccessPassAuthenticationMethod",'
                    '"startDateTime":"2022-06-05T02:00:00Z","lifetimeInMinutes":10,"isUsableOnce":true}')


def test_pnp_identity_pipe_bind() -> None:
    user = PSObject([("Id", "72E2EB87-C124-4BD9-8E01-A447A1752058"), ("UserPrincipalName", "j@c.com")])
    assert user_pipe_bind(user) == "72e2eb87-c124-4bd9-8e01-a447a1752058"
    assert user_pipe_bind("72E2EB87-C124-4BD9-8E01-A447A1752058") == "72e2eb87-c124-4bd9-8e01-a447a1752058"
    assert user_pipe_bind("John.Doe@Contoso.com") == "John.Doe@Contoso.com"


def test_companion_requests() -> None:
    url = _prep("Get-MgUserAuthenticationTemporaryAccessPassMethod", "List",
                {"UserId": "u", "Top": 5, "Filter": "isUsable eq true", "Property": ["id", "isUsable"]})[0]
    assert url == (f"{GRAPH}/v1.0/users/u/authentication/temporaryAccessPassMethods"
                   "?$top=5&$filter=isUsable%20eq%20true&$select=id,isUsable")
    url = _prep("Remove-MgUserAuthenticationTemporaryAccessPassMethod", "Delete",
                {"UserId": "u", "TemporaryAccessPassAuthenticationMethodId": "m"})[0]
    assert url.endswith("/v1.0/users/u/authentication/temporaryAccessPassMethods/m")
    url = _prep("Get-PnPEntraIDUser", "Return by specific ID", {"Identity": "johndoe@contoso.onmicrosoft.com"})[0]
    assert url == (f"{GRAPH}/v1.0/users?$top=999&$select=BusinessPhones,DisplayName,GivenName,JobTitle,Mail,"
                   "MobilePhone,OfficeLocation,PreferredLanguage,Surname,UserPrincipalName,Id,AccountEnabled"
                   "&$filter=userPrincipalName%20eq%20'johndoe@contoso.onmicrosoft.com'")
