"""Successful bindings on the seed cmdlets: the chosen set and the converted values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pscompat.values import PSHashtable, dotnet_kind
from tests.binder.helpers import MG, PNP, PNP_NAME, bind, bind_error

UTC = dt.UTC


def test_userid_alone_is_the_default_set() -> None:
    inv = bind(MG, "-UserId", "x")
    assert inv.parameter_set == "CreateExpanded"
    assert inv.parameters == {"UserId": "x"}
    assert inv.common == {}


@pytest.mark.parametrize(("token", "expected"), [
    ("60", 60), ("0x3c", 60), ("6e1", 60), ("60.5", 60), ("61.5", 62), ("62.5", 62), ("1kb", 1024),
    ("-5", -5), (" 60 ", 60), ("'60'", 60), ("'6e1'", 60), ("'1kb'", 1024), ("''", 0), ("60d", 60),
    ("2147483647", 2147483647),
])
def test_int32_forms(token: str, expected: int) -> None:
    inv = bind(MG, "-UserId", "x", "-LifetimeInMinutes", token)
    assert inv.parameters["LifetimeInMinutes"] == expected
    assert type(inv.parameters["LifetimeInMinutes"]) is int


@pytest.mark.parametrize(("prefix", "canonical"), [
    ("-Life", "LifetimeInMinutes"), ("-LIFETIMEINMINUTES", "LifetimeInMinutes"), ("-Start", "StartDateTime"),
    ("-Temp", "TemporaryAccessPass"), ("-Meth", "MethodUsabilityReason"), ("-RHV", "ResponseHeadersVariable"),
    ("-Resp", "ResponseHeadersVariable"), ("-Id", "Id"),
])
def test_prefixes_and_aliases(prefix: str, canonical: str) -> None:
    inv = bind(MG, "-UserId", "u", prefix, "42")
    assert canonical in inv.parameters


def test_in_prefix_binds_inputobject_over_common_parameters() -> None:
    inv = bind(MG, "-In", '@{UserId="u1"}')
    assert inv.parameter_set == "CreateViaIdentityExpanded"
    assert inv.parameters["InputObject"] == PSHashtable({"UserId": "u1"})


def test_own_parameter_wins_over_common_prefix() -> None:
    inv = bind(MG, "-UserId", "u", "-C", "2022-06-05")  # CreatedDateTime beats Confirm
    assert inv.parameters["CreatedDateTime"] == dt.datetime(2022, 6, 5)


@pytest.mark.parametrize(("token", "value"), [
    ("-IsUsableOnce", True), ("-IsUsableOnce:$true", True), ("-IsUsableOnce:$false", False),
    ("-IsUsableOnce:true", True), ("-IsUsableOnce:FALSE", False), ("-IsUsableOnce:1", True),
    ("-IsUsableOnce:0", False), ("-IsUsableOnce:0x00", False), ("-IsUsableOnce:0.00", False),
    ("-IsUsableOnce:2.5", True), ("-IsUsableO", True), ("-IsUsableOnce:$null", False),
])
def test_mg_switch_values(token: str, value: bool) -> None:
    inv = bind(MG, "-UserId", "u", token)
    assert inv.parameters["IsUsableOnce"] is value


def test_switch_followed_by_colon_and_value_token() -> None:
    inv = bind(MG, "-UserId", "u", "-IsUsableOnce:", "$false")  # PowerShell's `-Switch: $false`
    assert inv.parameters["IsUsableOnce"] is False


def test_common_parameters_and_aliases() -> None:
    inv = bind(MG, "-UserId", "u", "-wi", "-ea", "stop", "-vb", "-ov", "out", "-ob", "0x10", "-cf:$false")
    assert inv.common == {"WhatIf": True, "ErrorAction": "Stop", "Verbose": True, "OutVariable": "out",
                          "OutBuffer": 16, "Confirm": False}
    assert inv.what_if and not inv.confirm


def test_colon_syntax_and_literal_dash_value() -> None:
    inv = bind(MG, "-UserId:x", "-TemporaryAccessPass", "-foo", "-MethodUsabilityReason:-bar")
    assert inv.parameters == {"UserId": "x", "TemporaryAccessPass": "-foo", "MethodUsabilityReason": "-bar"}


def test_argument_mode_numbers_keep_their_text_for_strings_like_powershell() -> None:
    """Issue 10 item 2: a numeric argument token bound to [string] is the text typed (PowerShell keeps
    the token text on the argument), so -UserId 007 sends 007; -OutBuffer 0x10 still reads 16."""
    inv = bind(MG, "-UserId", "007", "-Id", "0x10")
    assert inv.parameters["UserId"] == "007"
    assert inv.parameters["Id"] == "0x10"
    for token in ("20d", "34uy", "6n", "1kb", "1e3"):
        assert bind(MG, "-UserId", token).parameters["UserId"] == token
    assert bind(MG, "-UserId", "u", "-ob", "0x10").common["OutBuffer"] == 16


def test_quoted_text_keeps_spaces_and_quotes() -> None:
    inv = bind(MG, "-UserId", "John Doe", "-Id", "O'Brien", "-TemporaryAccessPass", "'a b'")
    assert inv.parameters == {"UserId": "John Doe", "Id": "O'Brien", "TemporaryAccessPass": "a b"}


@pytest.mark.parametrize(("token", "utc", "kind"), [
    ("2022-06-05T00:00:00Z", dt.datetime(2022, 6, 5, tzinfo=UTC), "Local"),
    ("2022-06-05T00:00:00.000Z", dt.datetime(2022, 6, 5, tzinfo=UTC), "Local"),
    ("2022-06-05T09:00:00+02:00", dt.datetime(2022, 6, 5, 7, tzinfo=UTC), "Local"),
])
def test_datetime_with_zone_becomes_local(token: str, utc: dt.datetime, kind: str) -> None:
    value = bind(MG, "-UserId", "u", "-StartDateTime", token).parameters["StartDateTime"]
    assert value == utc
    assert dotnet_kind(value) == kind


@pytest.mark.parametrize(("token", "expected"), [
    ("06/05/2022", dt.datetime(2022, 6, 5)), ("2022-06-05", dt.datetime(2022, 6, 5)),
    ("2022-06-05T09:00:00", dt.datetime(2022, 6, 5, 9)), ("2022-06-05 09:00", dt.datetime(2022, 6, 5, 9)),
    ("June 5, 2022", dt.datetime(2022, 6, 5)), ("6/5/2022 9:30 PM", dt.datetime(2022, 6, 5, 21, 30)),
])
def test_datetime_without_zone_is_unspecified(token: str, expected: dt.datetime) -> None:
    value = bind(MG, "-UserId", "u", "-CreatedDateTime", token).parameters["CreatedDateTime"]
    assert value == expected
    assert dotnet_kind(value) == "Unspecified"


def test_hashtable_body_parameter_selects_create() -> None:
    inv = bind(MG, "-UserId", "u", "-BodyParameter", "@{ lifetimeInMinutes = 60; isUsableOnce = $false }")
    assert inv.parameter_set == "Create"
    body = inv.parameters["BodyParameter"]
    assert isinstance(body, PSHashtable)
    assert body["LIFETIMEINMINUTES"] == 60 and body["isUsableOnce"] is False
    assert list(body) == ["lifetimeInMinutes", "isUsableOnce"]


def test_json_body_parameter_keeps_wire_names() -> None:
    inv = bind(MG, "-UserId", "u", "-BodyParameter", '{"lifetimeInMinutes": 60, "isUsableOnce": true}')
    assert inv.parameter_set == "Create"
    assert inv.parameters["BodyParameter"] == {"lifetimeInMinutes": 60, "isUsableOnce": True}
    assert type(inv.parameters["BodyParameter"]) is dict


def test_inputobject_and_body_select_create_via_identity() -> None:
    inv = bind(MG, "-InputObject", '@{UserId="u1"}', "-BodyParameter", "@{lifetimeInMinutes=60}")
    assert inv.parameter_set == "CreateViaIdentity"


def test_additional_properties_from_literal_and_json() -> None:
    lit = bind(MG, "-UserId", "u", "-AdditionalProperties", "@{ extra = 'x'; n = 1 }")
    assert lit.parameters["AdditionalProperties"] == PSHashtable({"extra": "x", "n": 1})
    js = bind(MG, "-UserId", "u", "-AdditionalProperties", '{"extra": "x", "n": 1.5}')
    assert js.parameters["AdditionalProperties"] == PSHashtable({"extra": "x", "n": 1.5})


def test_parameters_keep_binding_order() -> None:
    inv = bind(MG, "-Life", "60", "-IsUsableOnce", "-UserId", "u", "-StartDateTime", "2022-06-05")
    assert list(inv.parameters) == ["LifetimeInMinutes", "IsUsableOnce", "UserId", "StartDateTime"]


def test_pnp_identity_and_doc_spelling_compat_alias() -> None:
    inv = bind(PNP, "-Identity", "72e2eb87-c124-4bd9-8e01-a447a1752058", "-IsUseableOnce:$true",
               "-LifeTime", "10")
    assert inv.cmdlet.name == PNP_NAME
    assert inv.parameter_set == "__AllParameterSets"
    assert inv.parameters == {"Identity": "72e2eb87-c124-4bd9-8e01-a447a1752058", "IsUsableOnce": True,
                              "LifeTimeInMinutes": 10}


def test_pnp_switch_given_null_is_present_like_a_compiled_cmdlet() -> None:
    assert bind(PNP, "-Identity", "x", "-IsUsableOnce:$null").parameters["IsUsableOnce"] is True


def test_pnp_dates_use_the_current_culture(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PSCOMPAT_CULTURE", "en-GB")
    assert bind(PNP, "-Identity", "x", "-StartDateTime", "06/05/2022").parameters["StartDateTime"] == \
        dt.datetime(2022, 5, 6)
    # Mg is a function: invariant culture whatever the current one is.
    assert bind(MG, "-UserId", "x", "-StartDateTime", "06/05/2022").parameters["StartDateTime"] == \
        dt.datetime(2022, 6, 5)


def test_pnp_lifetime_rounds_half_to_even() -> None:
    assert bind(PNP, "-Identity", "x", "-LifeTimeInMinutes", "60.5").parameters["LifeTimeInMinutes"] == 60
    assert bind(PNP, "-Identity", "x", "-LifeTimeInMinutes", "'61.5'").parameters["LifeTimeInMinutes"] == 62


def test_decimal_literal_converts() -> None:
    assert bind(MG, "-UserId", "u", "-Life", "60.5d").parameters["LifetimeInMinutes"] == int(Decimal("60"))


def test_int32_from_a_huge_decimal_is_the_overflow_error_not_a_crash() -> None:
    from decimal import Decimal

    import pytest

    from pscompat.lang.convert import ConversionError, to_int32

    with pytest.raises(ConversionError) as caught:
        to_int32(Decimal("9999999999999999999999999999.50"))
    assert str(caught.value) == ('Cannot convert value "9999999999999999999999999999.50" to type '
                                 '"System.Int32". Error: "Value was either too large or too small for an Int32."')


def test_null_to_a_datetime_parameter_is_the_conversion_error() -> None:
    """Issue 10 item 2: LanguagePrimitives converts $null to 0 for numbers but fails for other structs
    (about_Type_Conversion: `[datetime]$date = $null` -> Cannot convert null to type "System.DateTime".)."""
    err = bind_error(MG, "-UserId", "u", "-StartDateTime", "$null")
    assert 'Cannot convert null to type "System.DateTime".' in err.message
    assert "StartDateTime" in err.message
    assert bind(MG, "-UserId", "u", "-LifetimeInMinutes", "$null").parameters["LifetimeInMinutes"] == 0
