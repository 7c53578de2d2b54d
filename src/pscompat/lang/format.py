""".NET composite formatting for ``-f`` and ``[string]::Format``.

Numbers use the digits and separators en-US and the invariant culture share; the percent and
currency patterns follow the current culture (PSCOMPAT_CULTURE, default en-US), as PowerShell's
``-f`` formats with CultureInfo.CurrentCulture: en-US ``25.6%`` and ``$12.35`` (ICU's patterns,
as PowerShell 7 on .NET 5+ has them), the invariant culture ``25.6 %`` and ``¤12.35``."""

from __future__ import annotations

import datetime as _dt
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pscompat.values import TimeSpan

__all__ = ["format_operator", "format_value"]

_ITEM = re.compile(r"\{\{|\}\}|\{(\d+)\s*(?:,\s*(-?\d+))?\s*(?::([^}]*))?\}")


class FormatError(ValueError):
    """``Error formatting a string: Index (zero based) must be greater than or equal to zero...``"""


def _round_half_up(value: Any, digits: int) -> Decimal:
    dec = value if isinstance(value, Decimal) else Decimal(repr(float(value))) if isinstance(value, float) \
        else Decimal(int(value))
    return dec.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def _invariant_culture() -> bool:
    from pscompat.lang.convert import current_culture
    return current_culture().lower() in ("invariant", "iv", "")


def format_timespan(delta: _dt.timedelta, spec: str) -> str:
    """TimeSpan.ToString(format): the standard ``c``/``t``/``T``, ``g`` and ``G``, or a custom
    format of ``d``, ``hh``, ``mm``, ``ss``, ``f``/``F`` digits, ``\\x`` escapes and quoted text."""
    ticks = delta // _dt.timedelta(microseconds=1) * 10
    sign = "-" if ticks < 0 else ""
    ticks = abs(ticks)
    days, rest = divmod(ticks, 864_000_000_000)
    hours, rest = divmod(rest, 36_000_000_000)
    minutes, rest = divmod(rest, 600_000_000)
    seconds, fraction = divmod(rest, 10_000_000)
    if spec in ("c", "t", "T", ""):
        text = f"{sign}{f'{days}.' if days else ''}{hours:02d}:{minutes:02d}:{seconds:02d}"
        return text + (f".{fraction:07d}" if fraction else "")
    if spec == "g":
        frac = f"{fraction:07d}".rstrip("0")
        return f"{sign}{f'{days}:' if days else ''}{hours}:{minutes:02d}:{seconds:02d}" + (f".{frac}" if frac else "")
    if spec == "G":
        return f"{sign}{days}:{hours:02d}:{minutes:02d}:{seconds:02d}.{fraction:07d}"
    out, i = [], 0
    while i < len(spec):
        ch = spec[i]
        if ch == "\\" and i + 1 < len(spec):
            out.append(spec[i + 1])
            i += 2
            continue
        if ch == "%":   # "%h": a lone custom specifier
            i += 1
            continue
        if ch in "'\"":
            end = spec.find(ch, i + 1)
            if end < 0:
                raise FormatError("Input string was not in a correct format.")
            out.append(spec[i + 1:end])
            i = end + 1
            continue
        run = len(spec) - i - len(spec[i:].lstrip(ch)) if ch in "dhmsfF" else 1
        if ch == "d":
            out.append(str(days).zfill(run))
        elif ch in "hms" and run <= 2:
            out.append(str({"h": hours, "m": minutes, "s": seconds}[ch]).zfill(run))
        elif ch in "fF" and run <= 7:
            digits = f"{fraction:07d}"[:run]
            out.append(digits.rstrip("0") if ch == "F" else digits)
        else:
            raise FormatError("Input string was not in a correct format.")
        i += run
    return "".join(out)


def format_value(value: Any, spec: str) -> str:
    """One ``{0:spec}`` item."""
    from pscompat.lang.dotnet import format_datetime, ps_string
    if not spec:
        return ps_string(value)
    if isinstance(value, TimeSpan):
        return format_timespan(value.delta, spec)
    if isinstance(value, _dt.datetime):
        return format_datetime(value, spec)
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        m = re.fullmatch(r"([NnFfDdPpXxCcEe])(\d*)", spec)
        if m:
            kind, digits_text = m.group(1), m.group(2)
            upper = kind.upper()
            if upper == "D":
                text = str(abs(int(value))).zfill(int(digits_text or 0))
                return ("-" if value < 0 else "") + text
            if upper == "X":
                text = format(int(value) & 0xFFFFFFFF if value < 0 else int(value), "x")
                text = text.zfill(int(digits_text or 0))
                return text.upper() if kind == "X" else text
            digits = int(digits_text) if digits_text else 2
            if upper == "N":
                rounded = _round_half_up(value, digits)
                return f"{rounded:,.{digits}f}"
            if upper == "F":
                return f"{_round_half_up(value, digits):.{digits}f}"
            invariant = _invariant_culture()
            if upper == "P":
                number = _round_half_up(Decimal(repr(float(value))) * 100, digits)
                return f"{number:,.{digits}f}" + (" %" if invariant else "%")
            if upper == "C":
                number = _round_half_up(value, digits)
                symbol = "¤" if invariant else "$"
                text = symbol + f"{abs(number):,.{digits}f}"
                if number >= 0:
                    return text
                return f"({text})" if invariant else "-" + text   # CurrencyNegativePattern 0 / 1
            if upper == "E":
                return f"{float(value):.{int(digits_text or 6)}E}".replace("E+", "E+0").replace("E-", "E-0")
        if re.fullmatch(r"[0#,.]+", spec):
            decimals = len(spec.split(".", 1)[1]) if "." in spec else 0
            min_dec = spec.split(".", 1)[1].count("0") if "." in spec else 0
            grouped = "," in spec.split(".", 1)[0]
            text = f"{_round_half_up(value, decimals):{',' if grouped else ''}.{decimals}f}"
            if decimals > min_dec and "." in text:
                text = text.rstrip("0")
                whole, frac = text.split(".")
                frac = frac.ljust(min_dec, "0")
                text = whole + ("." + frac if frac else "")
            int_zeros = spec.split(".", 1)[0].replace(",", "").count("0")
            whole, _, frac = text.partition(".")
            sign = "-" if whole.startswith("-") else ""
            whole = whole.lstrip("-")
            if int_zeros and len(whole.replace(",", "")) < int_zeros:
                whole = whole.zfill(int_zeros)
            if whole == "0" and int_zeros == 0:
                whole = ""
            return sign + whole + ("." + frac if frac else "")
    return ps_string(value)


def format_operator(fmt: str, args: list[Any]) -> str:
    """``'{0} is {1:N2}' -f $a, $b``."""
    def repl(m: re.Match[str]) -> str:
        whole = m.group(0)
        if whole == "{{":
            return "{"
        if whole == "}}":
            return "}"
        index = int(m.group(1))
        if index >= len(args):
            raise FormatError("Error formatting a string: Index (zero based) must be greater than or equal to "
                              "zero and less than the size of the argument list..")
        text = format_value(args[index], m.group(3) or "")
        width = m.group(2)
        if width:
            w = int(width)
            text = text.ljust(-w) if w < 0 else text.rjust(w)
        return text
    return _ITEM.sub(repl, fmt)
