"""PowerShell number literals: the one place that decides what ``60``, ``0x3c`` or ``1kb`` mean.

Used by the lexer (number tokens), by argument-mode reading of bash argv tokens and by
LanguagePrimitives conversions (``[int]'6e1'``), so all three agree with PowerShell 7:

- decimal integers take the smallest of Int32, Int64, Decimal, Double that holds them;
- ``0x`` hex and ``0b`` binary integers are Int32 up to 32 bits, Int64 up to 64 bits, and are
  read as two's complement (``0xFFFFFFFF`` is -1), as PowerShell 7 does;
- a ``.`` or an exponent makes a Double (``d`` suffix: Decimal);
- type suffixes ``y uy s us l u ul n d`` and multipliers ``kb mb gb tb pb`` (case-insensitive);
- a leading ``+``/``-`` (also the Unicode dashes PowerShell accepts).

Python has one ``int`` for every integer width, so ``scan_number`` also returns the .NET type
name for callers that must know it (``[int]`` conversion overflow, ``GetType()``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["NumberLiteral", "parse_number", "scan_number", "INT32_MIN", "INT32_MAX",
           "INT64_MIN", "INT64_MAX", "DECIMAL_MAX"]

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
DECIMAL_MAX = Decimal(2**96 - 1)

_DASHES = "-\u2013\u2014\u2015"

_MULTIPLIERS = {"kb": 1024, "mb": 1024**2, "gb": 1024**3, "tb": 1024**4, "pb": 1024**5}

# suffix -> (.NET type, minimum, maximum); None bounds = unbounded (BigInteger) or Decimal.
_INT_SUFFIXES: dict[str, tuple[str, int | None, int | None]] = {
    "y": ("System.SByte", -128, 127),
    "uy": ("System.Byte", 0, 255),
    "s": ("System.Int16", -(2**15), 2**15 - 1),
    "us": ("System.UInt16", 0, 2**16 - 1),
    "l": ("System.Int64", INT64_MIN, INT64_MAX),
    "u": ("System.UInt32", 0, 2**32 - 1),   # widened to UInt64 when needed, as PowerShell does
    "ul": ("System.UInt64", 0, 2**64 - 1),
    "n": ("System.Numerics.BigInteger", None, None),
}

_NUMBER_PATTERN = (
    r"""
    (?P<sign>[+\-\u2013\u2014\u2015])?
    (?:
        0x(?P<hex>[0-9a-f]+)
      | 0b(?P<bin>[01]+)
      | (?P<dec>(?:\d+\.?\d*|\.\d+)(?:e[+\-\u2013\u2014\u2015]?\d+)?)
    )
    (?P<suffix>uy|us|ul|y|s|l|u|n|d)?
    (?P<mult>kb|mb|gb|tb|pb)?
    """
)


@functools.cache
def _number_re() -> re.Pattern[str]:
    """Compiled on first use: a cold cmdlet call with plain arguments never needs it."""
    return re.compile(_NUMBER_PATTERN, re.IGNORECASE | re.VERBOSE)


@dataclass(frozen=True)
class NumberLiteral:
    """A parsed number and the .NET type PowerShell gives it."""

    value: int | float | Decimal
    type_name: str


def parse_number(text: str) -> int | float | Decimal:
    """The value of a PowerShell number literal; ``ValueError`` when ``text`` is not one.

    ``text`` must be the whole literal (callers that convert strings trim it first).
    """
    return scan_number(text).value


def scan_number(text: str) -> NumberLiteral:
    """Parse ``text`` as a PowerShell number literal, keeping its .NET type."""
    if text.isascii() and text.isdigit():  # the common case, without the regex
        return _smallest_type(int(text))
    match = _number_re().fullmatch(text)
    if match is None:
        raise ValueError(f"not a PowerShell number: {text!r}")
    negative = (match.group("sign") or "+") in _DASHES
    suffix = (match.group("suffix") or "").lower()
    mult_text = (match.group("mult") or "").lower()
    multiplier = _MULTIPLIERS.get(mult_text, 1)

    if match.group("hex") is not None or match.group("bin") is not None:
        if suffix == "d":
            raise ValueError(f"not a PowerShell number: {text!r}")
        digits = match.group("hex") if match.group("hex") is not None else match.group("bin")
        base = 16 if match.group("hex") is not None else 2
        return _radix_integer(text, int(digits, base), len(digits) * (4 if base == 16 else 1),
                              negative, suffix, multiplier)

    dec = match.group("dec")
    if dec.strip(".") == "":
        raise ValueError(f"not a PowerShell number: {text!r}")
    dec = dec.translate({ord(c): "-" for c in _DASHES[1:]})
    is_real = "." in dec or "e" in dec.lower()
    if suffix == "d":
        try:
            value = Decimal(dec) * multiplier
        except InvalidOperation as exc:
            raise ValueError(f"not a PowerShell number: {text!r}") from exc
        value = -value if negative else value
        if abs(value) > DECIMAL_MAX:
            raise ValueError(f"decimal literal out of range: {text!r}")
        return NumberLiteral(value, "System.Decimal")
    if is_real:
        real = float(dec) * multiplier
        real = -real if negative else real
        if not suffix:
            return NumberLiteral(real, "System.Double")
        return _fit_suffix(text, round(real) if real == real and abs(real) != float("inf") else None,
                           suffix)
    integer = int(dec) * multiplier
    integer = -integer if negative else integer
    if suffix:
        return _fit_suffix(text, integer, suffix)
    return _smallest_type(integer)


def _smallest_type(integer: int) -> NumberLiteral:
    """Int32, then Int64, then Decimal, then Double: PowerShell's choice for an unsuffixed literal."""
    if INT32_MIN <= integer <= INT32_MAX:
        return NumberLiteral(integer, "System.Int32")
    if INT64_MIN <= integer <= INT64_MAX:
        return NumberLiteral(integer, "System.Int64")
    if abs(integer) <= DECIMAL_MAX:
        return NumberLiteral(Decimal(integer), "System.Decimal")
    return NumberLiteral(float(integer), "System.Double")


def _fit_suffix(text: str, integer: int | None, suffix: str) -> NumberLiteral:
    """Apply an integer type suffix; a value that does not fit is a parse error, as in PowerShell."""
    type_name, low, high = _INT_SUFFIXES[suffix]
    if integer is None:
        raise ValueError(f"not a PowerShell number: {text!r}")
    if suffix == "u" and 2**32 <= integer < 2**64:
        return NumberLiteral(integer, "System.UInt64")
    if (low is not None and integer < low) or (high is not None and integer > high):
        raise ValueError(f"the number {text!r} is out of range for {type_name}")
    return NumberLiteral(integer, type_name)


def _radix_integer(text: str, raw: int, bits: int, negative: bool, suffix: str,
                   multiplier: int) -> NumberLiteral:
    """Hex/binary: two's complement in the narrowest of 32/64 bits that holds the digits."""
    if suffix in ("", "l", "s", "y"):
        width = {"": 32, "l": 64, "s": 16, "y": 8}[suffix]
        if suffix == "" and raw >= 2**32:
            width = 64
        if raw >= 2**width:
            if suffix == "":
                raise ValueError(f"hexadecimal number too large: {text!r}")
            raise ValueError(f"the number {text!r} is out of range for {_INT_SUFFIXES[suffix][0]}")
        value = raw - 2**width if raw >= 2 ** (width - 1) else raw
        value *= multiplier
        value = -value if negative else value
        if suffix == "":
            literal = _smallest_type(value)
            if width == 64 and literal.type_name == "System.Int32":
                literal = NumberLiteral(value, "System.Int64")
            return literal
        return _fit_suffix(text, value, suffix)
    value = raw * multiplier
    return _fit_suffix(text, -value if negative else value, suffix)
