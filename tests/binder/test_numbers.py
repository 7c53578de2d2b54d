"""PowerShell number literals (pscompat.lang.numbers): values and .NET types."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pscompat.lang.numbers import parse_number, scan_number


@pytest.mark.parametrize(("text", "value", "type_name"), [
    ("60", 60, "System.Int32"),
    ("0x3c", 60, "System.Int32"),
    ("0X3C", 60, "System.Int32"),
    ("6e1", 60.0, "System.Double"),
    ("60.5", 60.5, "System.Double"),
    ("1kb", 1024, "System.Int32"),
    ("1KB", 1024, "System.Int32"),
    ("1.5kb", 1536.0, "System.Double"),
    ("3gb", 3 * 1024**3, "System.Int64"),
    ("-5", -5, "System.Int32"),
    ("+7", 7, "System.Int32"),
    ("\u20133", -3, "System.Int32"),
    ("2147483647", 2147483647, "System.Int32"),
    ("2147483648", 2147483648, "System.Int64"),
    ("9223372036854775808", Decimal("9223372036854775808"), "System.Decimal"),
    ("0xFFFFFFFF", -1, "System.Int32"),
    ("0x1FFFFFFFF", 0x1FFFFFFFF, "System.Int64"),
    ("0b101", 5, "System.Int32"),
    ("5l", 5, "System.Int64"),
    ("10d", Decimal(10), "System.Decimal"),
    ("1.5d", Decimal("1.5"), "System.Decimal"),
    ("100uy", 100, "System.Byte"),
    (".5", 0.5, "System.Double"),
])
def test_literals(text: str, value: object, type_name: str) -> None:
    literal = scan_number(text)
    assert literal.value == value
    assert type(literal.value) is type(value)
    assert literal.type_name == type_name
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["abc", "", ".", "0x", "1e", " 1", "1 ", "256uy", "0x1d" + "F" * 16, "1x"])
def test_not_numbers(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)
