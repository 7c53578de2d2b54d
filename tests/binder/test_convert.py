"""LanguagePrimitives conversions (pscompat.lang.convert) as the binder and script casts use them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pscompat.lang import convert as C
from pscompat.values import PSHashtable


@pytest.mark.parametrize(("value", "expected"), [
    ("60", 60), (" 60 ", 60), ("0x3c", 60), ("6e1", 60), ("1kb", 1024), ("-5", -5), ("", 0), ("60.5", 60),
    ("61.5", 62), (60.5, 60), (61.5, 62), (Decimal("2.5"), 2), (Decimal("3.5"), 4), (True, 1), (None, 0),
    ([7], 7),
])
def test_to_int32(value: object, expected: int) -> None:
    assert C.to_int32(value) == expected


@pytest.mark.parametrize(("value", "message"), [
    ("abc", 'Cannot convert value "abc" to type "System.Int32". Error: "The input string \'abc\' was not in a correct format."'),
    ("2147483648", 'Cannot convert value "2147483648" to type "System.Int32". Error: "Value was either too large or too small for an Int32."'),
    (1e10, 'Cannot convert value "10000000000" to type "System.Int32". Error: "Value was either too large or too small for an Int32."'),
    (PSHashtable({"a": 1}), 'Cannot convert the "System.Collections.Hashtable" value of type "System.Collections.Hashtable" to type "System.Int32".'),
])
def test_to_int32_errors(value: object, message: str) -> None:
    with pytest.raises(C.ConversionError) as info:
        C.to_int32(value)
    assert info.value.message == message


@pytest.mark.parametrize(("text", "culture", "expected"), [
    ("06/05/2022", C.INVARIANT, dt.datetime(2022, 6, 5)),
    ("06/05/2022", "en-US", dt.datetime(2022, 6, 5)),
    ("06/05/2022", "en-GB", dt.datetime(2022, 5, 6)),
    ("05.06.2022", "de-DE", dt.datetime(2022, 6, 5)),
    ("2022/06/05", "en-GB", dt.datetime(2022, 6, 5)),
    ("June 5, 2022", C.INVARIANT, dt.datetime(2022, 6, 5)),
    ("5 June 2022", C.INVARIANT, dt.datetime(2022, 6, 5)),
    ("Sunday, June 5, 2022 9:00 AM", C.INVARIANT, dt.datetime(2022, 6, 5, 9)),
    ("2022-06-05 09:00", C.INVARIANT, dt.datetime(2022, 6, 5, 9)),
    ("6/5/22", C.INVARIANT, dt.datetime(2022, 6, 5)),
])
def test_to_datetime_unspecified(text: str, culture: str, expected: dt.datetime) -> None:
    value = C.to_datetime(text, culture)
    assert value == expected and value.tzinfo is None


def test_to_datetime_zone_becomes_local() -> None:
    value = C.to_datetime("2022-06-05T00:00:00.0000000Z")
    assert value.tzinfo is not None and value == dt.datetime(2022, 6, 5, tzinfo=dt.UTC)


@pytest.mark.parametrize("text", ["garbage", "2022-13-01", "31/31/2022", "June 45, 2022"])
def test_to_datetime_errors(text: str) -> None:
    with pytest.raises(C.ConversionError) as info:
        C.to_datetime(text)
    assert info.value.message == (f'Cannot convert value "{text}" to type "System.DateTime". '
                                  f"Error: \"String '{text}' was not recognized as a valid DateTime.\"")


@pytest.mark.parametrize(("value", "text"), [
    (60.5, "60.5"), (1e15, "1E+15"), (1e-05, "1E-05"), (0.0001, "0.0001"), (60.0, "60"), (True, "True"),
    (None, ""), (Decimal("1.50"), "1.50"), ([1, 2], "System.Object[]"), (PSHashtable(), "System.Collections.Hashtable"),
])
def test_dotnet_string(value: object, text: str) -> None:
    assert C.dotnet_string(value) == text


def test_bool_argument_rule() -> None:
    for ok in (True, 0, 1.5, Decimal(0), None):
        C.check_bool_argument(ok, "System.Boolean")
    with pytest.raises(C.ConversionError) as info:
        C.check_bool_argument("yes", "System.Boolean")
    assert info.value.message == ('Cannot convert value "System.String" to type "System.Boolean". Boolean parameters '
                                  "accept only Boolean values and numbers, such as $True, $False, 1 or 0.")


def test_strings_and_hashtables() -> None:
    assert C.to_string([1, "a", True]) == "1 a True"
    assert C.to_string_array("x") == ["x"]
    assert C.to_hashtable('{"a": {"b": [1, 2]}}', from_text=True) == PSHashtable({"a": PSHashtable({"b": [1, 2]})})
    assert C.to_hashtable("@{ a = 1 }", from_text=True) == PSHashtable({"a": 1})
    with pytest.raises(C.ConversionError):
        C.to_hashtable('{"a": 1}')  # a typed string is not a hashtable (only bash text is)
    assert C.to_guid("{72E2EB87-C124-4BD9-8E01-A447A1752058}") == "72e2eb87-c124-4bd9-8e01-a447a1752058"
