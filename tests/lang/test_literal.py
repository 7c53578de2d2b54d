"""The literal reader: argument tokens as bash delivers them, and constant expressions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pscompat.lang.literal import LiteralError, argument_value, evaluate_literal
from pscompat.values import PSHashtable, PSObject, dotnet_kind


@pytest.mark.parametrize(("token", "expected"), [
    ("60", 60), ("0x3c", 60), ("6e1", 60.0), ("60.5", 60.5), ("1kb", 1024), ("10MB", 10 * 1024**2),
    ("$true", True), ("$false", False), ("$null", None), ("'text'", "text"), ('"text"', "text"),
    ("a,b", ["a", "b"]), ("abc", "abc"), ("-5", -5), ("-abc", "-abc"), ("--", "--"),
    ("johndoe@contoso.onmicrosoft.com", "johndoe@contoso.onmicrosoft.com"),
    ("72e2eb87-c124-4bd9-8e01-a447a1752058", "72e2eb87-c124-4bd9-8e01-a447a1752058"),
    ("2022-06-05", "2022-06-05"), ("1,2,3", [1, 2, 3]), ("'it''s'", "it's"), ("", ""),
    ("‘curly’", "curly"), ("John Doe", "John Doe"), ("100d", Decimal(100)), ("1.5e3", 1500.0),
])
def test_argument_value(token: str, expected: object) -> None:
    value = argument_value(token)
    assert value == expected
    assert type(value) is type(expected)


def test_argument_hashtable() -> None:
    value = argument_value("@{lifetimeInMinutes=60; isUsableOnce=$true}")
    assert isinstance(value, PSHashtable)
    assert value["LIFETIMEINMINUTES"] == 60 and value["isUsableOnce"] is True


@pytest.mark.parametrize("token", ["$x", "$(Get-Date)", '"a $b"', "(Get-Date)"])
def test_argument_needing_runtime_raises(token: str) -> None:
    with pytest.raises(LiteralError):
        argument_value(token)


def test_seed_hashtable() -> None:
    value = evaluate_literal('@{\n\tstartDateTime = [System.DateTime]::Parse("2022-06-05T00:00:00.000Z")\n'
                             '\tlifetimeInMinutes = 60\n\tisUsableOnce = $false\n}')
    start = value["startDateTime"]
    assert isinstance(start, dt.datetime) and dotnet_kind(start) == "Local"
    assert start.astimezone(dt.UTC) == dt.datetime(2022, 6, 5, tzinfo=dt.UTC)
    assert value["lifetimeInMinutes"] == 60 and value["isUsableOnce"] is False


@pytest.mark.parametrize(("text", "expected"), [
    ("@(1, 2, 3)", [1, 2, 3]), ("@()", []), ("1,2", [1, 2]), ("-5", -5), ("'x'", "x"),
    ("@{a=@{b=@(1,'two')}}", PSHashtable({"a": PSHashtable({"b": [1, "two"]})})),
    ("[int]'42'", 42), ("[string]5", "5"), ("[bool]1", True), ("[int]'60.5'", 60), ("[int]'61.5'", 62),
    ("$null", None), ("0x10", 16),
])
def test_evaluate_literal(text: str, expected: object) -> None:
    assert evaluate_literal(text) == expected


def test_datetime_casts_keep_kind() -> None:
    naive = evaluate_literal("[datetime]'2022-06-05 09:00'")
    assert naive == dt.datetime(2022, 6, 5, 9, 0) and dotnet_kind(naive) == "Unspecified"
    assert evaluate_literal("[datetime]'06/05/2022'") == dt.datetime(2022, 6, 5)
    assert evaluate_literal("[datetime]'June 5, 2022'") == dt.datetime(2022, 6, 5)


def test_ordered_and_pscustomobject() -> None:
    ordered = evaluate_literal("[ordered]@{b=1; a=2}")
    assert isinstance(ordered, PSHashtable) and ordered.ordered and list(ordered) == ["b", "a"]
    obj = evaluate_literal("[PSCustomObject]@{Name='a'; Count=2}")
    assert isinstance(obj, PSObject) and obj.property_names() == ["Name", "Count"]


@pytest.mark.parametrize(("text", "named"), [
    ("Get-Date", "command 'Get-Date'"), ("$x", "variable '$x'"), ('"a $x"', "expandable string"),
    ("1 + 2", "operator '+'"), ("[datetime]::UtcNow", "UtcNow"), ("{ 1 }", "script block"),
    ("[int]'abc'", 'Cannot convert value "abc" to type "System.Int32"'), ("@{a=", "Missing statement"),
])
def test_literal_errors_name_the_construct(text: str, named: str) -> None:
    with pytest.raises(LiteralError, match=None) as info:
        evaluate_literal(text)
    assert named in str(info.value)
    assert isinstance(info.value, ValueError)


def test_casting_a_huge_decimal_to_long_is_the_overflow_error_not_a_crash() -> None:
    from decimal import Decimal

    import pytest

    from pscompat.lang import dotnet

    with pytest.raises(Exception) as caught:
        dotnet._to_integer(Decimal("1" + "0" * 30), "System.Int64", -(2**63), 2**63 - 1)
    assert "Value was either too large or too small for an Int64." in str(caught.value)
    assert dotnet._to_integer(Decimal("2.5"), "System.Int64", -(2**63), 2**63 - 1) == 2
