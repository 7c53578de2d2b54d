"""LanguagePrimitives conversions: what ``[int]'6e1'`` or ``[datetime]'06/05/2022'`` give.

The parameter binder and script casts share these, so a value converts the same way wherever
it is used. A failed conversion raises ``ConversionError`` carrying PowerShell's inner message
(``Cannot convert value "abc" to type "System.Int32". Error: "..."``); the binder wraps it into
the ErrorRecord of a function or of a compiled cmdlet.

Cultures: functions convert with the invariant culture, compiled cmdlets with the current one
(``current_culture()``: ``PSCOMPAT_CULTURE``, else en-US).
Only the date order of a culture is modelled (month/day/year for invariant and en-US, day first
for most others, year first for a few).
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from pscompat.values import ArrayList, DotNetObject, PSHashtable, PSObject, Single, TimeSpan, token_text

from .numbers import INT32_MAX, INT32_MIN, parse_number

__all__ = [
    "ConversionError", "INVARIANT", "current_culture", "dotnet_string", "type_display", "known_type_name",
    "to_int32", "to_datetime", "to_bool", "to_string", "to_string_array", "to_hashtable",
    "to_uri", "to_guid", "check_bool_argument", "parse_json_object", "BOOL_MESSAGE",
]

INVARIANT = ""  # .NET's CultureInfo.InvariantCulture name

BOOL_MESSAGE = ('Cannot convert value "{value_type}" to type "{target}". Boolean parameters accept only '
                "Boolean values and numbers, such as $True, $False, 1 or 0.")


class ConversionError(Exception):
    """PSInvalidCastException: ``message`` is the full inner text PowerShell shows."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def current_culture() -> str:
    """The current culture compiled cmdlets convert with: PSCOMPAT_CULTURE, else en-US.

    Not the OS locale, on purpose (see cmdlets/_deviations.yaml, culture-default): the same
    command line must bind the same way on every machine and in CI.
    """
    return os.environ.get("PSCOMPAT_CULTURE") or "en-US"


# --- how values print inside messages (.NET ToString) ------------------------------------------

def known_type_name(value: Any) -> str | None:
    """The .NET type a value stands for under pscompat's value convention (``System.Int32`` for
    an int in range, ``System.Object[]`` for a list, a PSObject's own type name), else None.

    ``type_display`` (binder messages) and ``dotnet.type_name_of`` (``GetType().FullName``) differ
    only in what they say for None and for values outside the convention.
    """
    if isinstance(value, bool):
        return "System.Boolean"
    if isinstance(value, int):
        return "System.Int32" if INT32_MIN <= value <= INT32_MAX else "System.Int64"
    if isinstance(value, Single):
        return "System.Single"
    if isinstance(value, float):
        return "System.Double"
    if isinstance(value, Decimal):
        return "System.Decimal"
    if isinstance(value, str):
        return "System.String"
    if isinstance(value, _dt.datetime):
        return "System.DateTime"
    if isinstance(value, PSHashtable):
        return value.type_name
    if isinstance(value, ArrayList):
        return "System.Collections.Generic.List`1" if value.generic else "System.Collections.ArrayList"
    if isinstance(value, list):
        return "System.Object[]"
    if isinstance(value, PSObject):
        return value.type_name
    if isinstance(value, DotNetObject):
        return value.type_name
    if isinstance(value, TimeSpan):
        return "System.TimeSpan"
    return None


def type_display(value: Any) -> str:
    """The .NET type name PowerShell would report for ``value``."""
    if value is None:
        return "null"
    known = known_type_name(value)
    if known is not None:
        return known
    if isinstance(value, Mapping):
        return "System.Collections.Hashtable"
    if isinstance(value, tuple):
        return "System.Object[]"
    return type(value).__name__


def _format_double(value: float) -> str:
    """.NET Core's shortest round-trip ``double.ToString()``: ``1E+15``, ``60.5``, ``1E-05``."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "\u221e" if value > 0 else "-\u221e"
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    sign = "-" if value < 0 else ""
    # repr gives the shortest round-trip digits; re-express them as digits + exponent.
    body, _, exp_text = repr(abs(value)).partition("e")
    int_part, _, frac_part = body.partition(".")
    digits = (int_part + frac_part).lstrip("0").rstrip("0") or "0"
    if exp_text:
        exponent = int(exp_text)
    elif int_part.strip("0"):
        exponent = len(int_part.lstrip("0")) - 1
    else:
        exponent = -(len(frac_part) - len(frac_part.lstrip("0")) + 1)
    if exponent >= 15 or exponent < -4:
        head = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{head}E{'+' if exponent >= 0 else '-'}{abs(exponent):02d}"
    if exponent >= 0:
        whole = digits[: exponent + 1].ljust(exponent + 1, "0")
        frac = digits[exponent + 1:]
        return sign + whole + ("." + frac if frac else "")
    return sign + "0." + "0" * (-exponent - 1) + digits


def dotnet_string(value: Any) -> str:
    """``value.ToString()`` with the invariant culture, as PowerShell prints it in messages."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float):
        return _format_double(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, _dt.datetime):
        return value.strftime("%m/%d/%Y %H:%M:%S")
    if isinstance(value, str | int):
        return str(value)
    if isinstance(value, PSObject) and value.type_name == "System.Management.Automation.PSCustomObject":
        return "@{" + "; ".join(f"{k}={dotnet_string(v)}" for k, v in value.properties()) + "}"
    return type_display(value)


def _cannot_convert(value: Any, target: str, inner: str) -> ConversionError:
    return ConversionError(f'Cannot convert value "{dotnet_string(value)}" to type "{target}". Error: "{inner}"')


def _invalid_cast(value: Any, target: str) -> ConversionError:
    """ExtendedTypeSystem.InvalidCastException: no conversion exists between the two types."""
    return ConversionError(f'Cannot convert the "{dotnet_string(value)}" value of type '
                           f'"{type_display(value)}" to type "{target}".')


# --- Int32 ---------------------------------------------------------------------------------------

def round_half_even(value: float | Decimal) -> int:
    if isinstance(value, Decimal):
        # to_integral_value has no precision limit (quantize fails past 28 digits).
        return int(value.to_integral_value(rounding=ROUND_HALF_EVEN))
    return round(value)


def to_int32(value: Any) -> int:
    """``[int]value``: numbers round half to even; strings parse as PowerShell numbers."""
    if isinstance(value, list | tuple):
        if len(value) == 1:
            return to_int32(value[0])
        raise _invalid_cast(value, "System.Int32")
    return to_integer(value, "System.Int32", INT32_MIN, INT32_MAX)


def to_integer(value: Any, type_name: str, low: int, high: int) -> int:
    """An integral .NET type (Int32, Int64, Int16, Byte...) bounded by ``low``..``high``."""
    overflow = f"Value was either too large or too small for an {type_name.rsplit('.', 1)[-1]}."
    if value is None:
        return 0
    if isinstance(value, bool):
        return int(value)
    number: Any = value
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return 0
        try:
            number = parse_number(text)
        except ValueError:
            raise _cannot_convert(value, type_name,
                                  f"The input string '{value}' was not in a correct format.") from None
    if isinstance(number, float):
        if math.isnan(number) or math.isinf(number):
            raise _cannot_convert(value, type_name, overflow)
        number = round_half_even(number)
    elif isinstance(number, Decimal):
        number = round_half_even(number)
    if isinstance(number, int):
        if not low <= number <= high:
            raise _cannot_convert(value, type_name, overflow)
        return number
    raise _invalid_cast(value, type_name)


# --- Boolean / switch --------------------------------------------------------------------------

def check_bool_argument(value: Any, target: str) -> None:
    """A bool/switch parameter takes only booleans and numbers (ArgumentTypeConverterAttribute)."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return
    raise ConversionError(BOOL_MESSAGE.format(value_type=type_display(value), target=target))


def to_bool(value: Any) -> bool:
    """``[bool]value`` (LanguagePrimitives.IsTrue): numbers by zero-ness, strings by emptiness."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        return value != 0
    if isinstance(value, str):
        return value != ""
    if isinstance(value, list | tuple):
        return len(value) > 0 and (len(value) > 1 or to_bool(value[0]))
    return True


# --- String, String[] --------------------------------------------------------------------------

def plain_number(value: Any) -> Any:
    """A number typed as an argument without its token text (a number parameter binds the number)."""
    if token_text(value) is None:
        return value
    if isinstance(value, int):
        return int(value)
    return float(value) if isinstance(value, float) else Decimal(value)


def to_string(value: Any) -> str:
    """``[string]value``: arrays join with a space ($OFS); $null becomes ''; a number typed as an
    argument is the text typed (``-UserId 007`` -> ``007``)."""
    typed = token_text(value)
    if typed is not None:
        return typed
    if isinstance(value, list | tuple):
        return " ".join(to_string(v) for v in value)
    return dotnet_string(value)


def to_string_array(value: Any) -> list[str]:
    """``[string[]]value``: a scalar becomes a one-element array."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [to_string(v) for v in value]
    return [to_string(value)]


# --- DateTime ------------------------------------------------------------------------------------

class _lazy_re:  # noqa: N801 - used like re.compile
    """A regex compiled on first use, so importing conversions stays cheap on the cold path."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags = pattern, flags
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return getattr(self._compiled, name)


_MONTHS = {name: i for i, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")), start=1) for name in names}
_DAYS = {"mon", "monday", "tue", "tuesday", "wed", "wednesday", "thu", "thursday", "fri", "friday",
         "sat", "saturday", "sun", "sunday"}

_ISO = _lazy_re(
    r"(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ](?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<f>\d{1,7}))?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?", re.IGNORECASE)
_NUMERIC_DATE = _lazy_re(r"(?P<a>\d{1,4})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,4})")
_TIME = _lazy_re(
    r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<f>\d{1,7}))?)?\s*(?P<ampm>AM|PM)?"
    r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?", re.IGNORECASE)


def _date_order(culture: str) -> str:
    name = culture.lower()
    if name in ("", "invariant", "iv") or name.startswith(("en-us", "en-ph")):
        return "mdy"
    if name.split("-")[0] in ("ja", "zh", "ko", "hu", "lt", "sv", "mn"):
        return "ymd"
    return "dmy"


def _fraction(text: str | None) -> int:
    return int((text or "0").ljust(6, "0")[:6])


def _zone(text: str | None) -> _dt.tzinfo | None:
    if not text:
        return None
    if text.upper() == "Z":
        return _dt.UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return _dt.timezone(sign * _dt.timedelta(hours=hours, minutes=minutes))


def _finish(date: _dt.date, hour: int, minute: int, second: int, micro: int,
            zone: _dt.tzinfo | None) -> _dt.datetime:
    value = _dt.datetime(date.year, date.month, date.day, hour, minute, second, micro)
    if zone is None:
        return value  # Unspecified
    # A zone designator makes .NET convert to local time, kind Local.
    return value.replace(tzinfo=zone).astimezone()


def _parse_time(rest: str) -> tuple[int, int, int, int, _dt.tzinfo | None]:
    rest = rest.strip()
    if not rest:
        return 0, 0, 0, 0, None
    match = _TIME.fullmatch(rest)
    if match is None:
        raise ValueError(rest)
    hour = int(match["h"])
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise ValueError(rest)
        hour = hour % 12 + (12 if match["ampm"].upper() == "PM" else 0)
    return hour, int(match["mi"]), int(match["s"] or 0), _fraction(match["f"]), _zone(match["tz"])


def _parse_datetime_text(text: str, culture: str) -> _dt.datetime:
    text = text.strip()
    match = _ISO.fullmatch(text)
    if match:
        date = _dt.date(int(match["y"]), int(match["mo"]), int(match["d"]))
        if match["h"] is None:
            return _finish(date, 0, 0, 0, 0, _zone(match["tz"]))
        return _finish(date, int(match["h"]), int(match["mi"]), int(match["s"] or 0),
                       _fraction(match["f"]), _zone(match["tz"]))
    match = _NUMERIC_DATE.match(text)
    if match:
        a, b, c = match["a"], match["b"], match["c"]
        if len(a) == 4:
            year, month, day = int(a), int(b), int(c)  # yyyy/MM/dd in every culture
        else:
            order = _date_order(culture)
            if len(c) not in (2, 4):
                raise ValueError(text)
            year = int(c) if len(c) == 4 else 2000 + int(c) if int(c) < 50 else 1900 + int(c)
            month, day = (int(a), int(b)) if order in ("mdy", "ymd") else (int(b), int(a))
        date = _dt.date(year, month, day)
        return _finish(date, *_parse_time(text[match.end():]))
    # Month names: "June 5, 2022", "5 June 2022", "Sunday, June 5, 2022 9:00 AM".
    words = re.split(r"[\s,]+", text)
    month = day = year = None  # type: ignore[assignment]
    time_words: list[str] = []
    for word in words:
        if not word:
            continue
        low = word.lower().rstrip(".")
        if low in _MONTHS and month is None:
            month = _MONTHS[low]
        elif low in _DAYS:
            continue
        elif word.isdigit() and len(word) <= 2 and day is None:
            day = int(word)
        elif word.isdigit() and len(word) == 4 and year is None:
            year = int(word)
        else:
            time_words.append(word)
    if month is None and day is None and year is None and time_words:
        today = _dt.date.today()  # a time alone is today at that time, as DateTime.Parse does
        return _finish(today, *_parse_time(" ".join(time_words)))
    if month is None or day is None:
        raise ValueError(text)
    if year is None:
        year = _dt.date.today().year
    # RFC 1123 / RFC 822 ("Wed, 05 Jun 2030 09:00:00 GMT"): GMT, UT and UTC name UTC, as
    # DateTime.Parse reads them; the result is local time, Kind Local.
    if time_words and time_words[-1].upper() in ("GMT", "UT", "UTC"):
        time_words[-1] = "Z"
    return _finish(_dt.date(year, month, day), *_parse_time(" ".join(time_words)))


def to_datetime(value: Any, culture: str = INVARIANT) -> _dt.datetime:
    """``[datetime]value``: strings through DateTime.Parse rules of ``culture``."""
    if isinstance(value, _dt.datetime):
        return value
    if isinstance(value, list | tuple) and len(value) == 1:
        return to_datetime(value[0], culture)
    if isinstance(value, str):
        try:
            return _parse_datetime_text(value, culture)
        except (ValueError, OverflowError):
            raise _cannot_convert(value, "System.DateTime",
                                  f"String '{value}' was not recognized as a valid DateTime.") from None
    if isinstance(value, int) and not isinstance(value, bool):
        # .NET DateTime(Int64 ticks)
        try:
            return _dt.datetime(1, 1, 1) + _dt.timedelta(microseconds=value // 10)
        except OverflowError:
            raise _cannot_convert(value, "System.DateTime",
                                  "Ticks must be between DateTime.MinValue.Ticks and DateTime.MaxValue.Ticks. "
                                  "(Parameter 'ticks')") from None
    raise _invalid_cast(value, "System.DateTime")


# --- Hashtable / IDictionary -------------------------------------------------------------------

def parse_json_object(text: str) -> dict[str, Any] | None:
    """The JSON object in ``text``, or None when it is not one."""
    stripped = text.strip()
    if not stripped.startswith("{"):
        return None
    import json  # only when a JSON argument shows up
    try:
        data = json.loads(stripped)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _json_to_ps(value: Any) -> Any:
    """JSON values as PowerShell values (ConvertFrom-Json -AsHashtable)."""
    if isinstance(value, dict):
        return PSHashtable((k, _json_to_ps(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_json_to_ps(v) for v in value]
    return value


def to_hashtable(value: Any, target: str = "System.Collections.Hashtable", *,
                 from_text: bool = False) -> PSHashtable:
    """A PSHashtable from a hashtable, or (``from_text``: a bash argument) JSON / ``@{}`` text."""
    if isinstance(value, PSHashtable):
        return value
    if isinstance(value, Mapping):
        return PSHashtable(value)
    if from_text and isinstance(value, str):
        data = parse_json_object(value)
        if data is not None:
            return _json_to_ps(data)  # type: ignore[no-any-return]
        if value.lstrip().startswith(("@{", "[ordered]")):
            from pscompat.lang.literal import evaluate_literal  # the one PowerShell literal reader
            result = evaluate_literal(value)
            if isinstance(result, PSHashtable):
                return result
    raise _invalid_cast(value, target)


# --- enums -----------------------------------------------------------------------------------------

ACTION_PREFERENCE = "System.Management.Automation.ActionPreference"
ACTION_PREFERENCES = ("SilentlyContinue", "Stop", "Continue", "Inquire", "Ignore", "Suspend", "Break")


def to_enum(value: Any, type_name: str, names: tuple[str, ...], *, numbered: bool = False) -> str:
    """An enumerator from text or its number, with PowerShell's minimum disambiguation.

    ``EnumMinimumDisambiguation.EnumDisambiguate``: a unique prefix names its enumerator (``Ig`` is
    ``Ignore``); among several prefix matches an exact name wins, else the ambiguity error.
    ``numbered``: the enumerators' values are 0, 1, 2... so a number names one."""
    if numbered and isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(names):
        return names[value]
    text = dotnet_string(value)
    if isinstance(value, str) and value.strip():
        wanted = value.strip().casefold()
        matches = [name for name in names if name.casefold().startswith(wanted)]
        exact = [name for name in matches if name.casefold() == wanted]
        if len(matches) == 1 or exact:
            return exact[0] if exact else matches[0]
        if matches:
            raise ConversionError(
                f'Cannot convert value "{text}" to type "{type_name}". Error: "The identifier name {value.strip()} '
                "cannot be processed due to the inability to differentiate between the following enumerator "
                f'names: {", ".join(matches)}. Try a more specific identifier name."')
    raise ConversionError(
        f'Cannot convert value "{text}" to type "{type_name}". Error: "Unable to match the identifier name '
        f'{text} to a valid enumerator name. Specify one of the following enumerator names and try again:\n'
        + ", ".join(names) + '"')


def to_action_preference(value: Any) -> str:
    """``[ActionPreference]value`` (-ErrorAction and the other *Action common parameters)."""
    return to_enum(value, ACTION_PREFERENCE, ACTION_PREFERENCES, numbered=True)


# --- Uri, Guid -------------------------------------------------------------------------------------

_GUID = _lazy_re(r"[{(]?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}[})]?", re.I)


def to_uri(value: Any) -> str:
    """``[uri]value``: any string is a (possibly relative) URI; kept as text."""
    if isinstance(value, str):
        return value
    raise _invalid_cast(value, "System.Uri")


def to_guid(value: Any) -> str:
    """``[guid]value`` as the canonical lower-case ``D`` form."""
    if isinstance(value, str) and _GUID.fullmatch(value.strip()):
        hexdigits = re.sub(r"[^0-9a-fA-F]", "", value).lower()
        return "-".join((hexdigits[:8], hexdigits[8:12], hexdigits[12:16], hexdigits[16:20], hexdigits[20:]))
    if isinstance(value, str):
        raise _cannot_convert(value, "System.Guid", "Guid should contain 32 digits with 4 dashes "
                              "(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).")
    raise _invalid_cast(value, "System.Guid")


_DECIMAL_TEXT = _lazy_re(r"[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?", re.I)


def _decimal_from_text(text: str) -> Decimal:
    """Decimal.Parse(text, NumberStyles.Float) for decimal text, else PowerShell's number parser (0x10, 1kb).

    .NET applies an exponent to the digits, so ``1e3`` is ``1000`` and ``1.50`` keeps its scale."""
    if not text:
        return Decimal(0)
    if _DECIMAL_TEXT.fullmatch(text):
        dec = Decimal(text)
        if dec.as_tuple().exponent > 0:  # type: ignore[operator]
            dec = dec.quantize(Decimal(1))
        return dec
    number = parse_number(text)
    return Decimal(repr(number)) if isinstance(number, float) else Decimal(number)


def to_decimal(value: Any) -> Decimal:
    """``[decimal]value``: the one conversion casts (lang.dotnet) and the binder share."""
    try:
        if value is None:
            return Decimal(0)
        if isinstance(value, str):
            return _decimal_from_text(value.strip())
        if isinstance(value, bool):
            return Decimal(int(value))
        if isinstance(value, int | Decimal):
            return Decimal(value)
        if isinstance(value, float):
            return Decimal(repr(value))
    except (ValueError, InvalidOperation):
        raise _cannot_convert(value, "System.Decimal",
                              f"The input string '{value}' was not in a correct format.") from None
    raise _invalid_cast(value, "System.Decimal")
