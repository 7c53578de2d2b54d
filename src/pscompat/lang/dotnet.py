"""The .NET surface scripts touch: type names, casts, static members, DateTime text.

Shared by the literal reader (``[datetime]'...'``, ``[System.DateTime]::Parse(...)``) and the
script evaluator, so a constant means the same thing in bash argv, in the binder and in a
``.ps1``.  Conversions that ``pscompat.lang.convert`` (LanguagePrimitives) provides are used
from there when it exists; this module keeps only what the language itself needs.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import os
import re
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from pscompat.errors import CATEGORY_ORDER
from pscompat.lang.convert import (
    ConversionError,
    current_culture,
    known_type_name,
    plain_number,
    to_decimal,
    to_integer,
)
from pscompat.lang.numbers import INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN, parse_number
from pscompat.values import ArrayList, PSHashtable, PSObject, dotnet_kind, to_utc, token_text

__all__ = ["CastError", "full_type_name", "cast", "ps_string", "is_true", "parse_datetime",
           "format_datetime", "static_member", "static_call", "TypeNotFound", "type_name_of"]


class CastError(ValueError):
    """A failed conversion, with PowerShell's message (``Cannot convert value "x" to type ...``)."""


class TypeNotFound(ValueError):
    """``Unable to find type [X].``"""


_TYPES = {
    "int": "System.Int32", "int32": "System.Int32", "long": "System.Int64", "int64": "System.Int64",
    "short": "System.Int16", "int16": "System.Int16", "byte": "System.Byte", "sbyte": "System.SByte",
    "uint32": "System.UInt32", "uint64": "System.UInt64", "uint16": "System.UInt16",
    "double": "System.Double", "float": "System.Single", "single": "System.Single",
    "decimal": "System.Decimal", "bigint": "System.Numerics.BigInteger",
    "string": "System.String", "char": "System.Char", "bool": "System.Boolean",
    "boolean": "System.Boolean", "switch": "System.Management.Automation.SwitchParameter",
    "switchparameter": "System.Management.Automation.SwitchParameter",
    "datetime": "System.DateTime", "datetimeoffset": "System.DateTimeOffset", "timespan": "System.TimeSpan",
    "guid": "System.Guid", "hashtable": "System.Collections.Hashtable",
    "collections.hashtable": "System.Collections.Hashtable",
    "ordered": "System.Collections.Specialized.OrderedDictionary",
    "pscustomobject": "System.Management.Automation.PSCustomObject",
    "management.automation.pscustomobject": "System.Management.Automation.PSCustomObject",
    "psobject": "System.Management.Automation.PSObject",
    "management.automation.psobject": "System.Management.Automation.PSObject",
    "array": "System.Array", "object": "System.Object", "void": "System.Void",
    "math": "System.Math", "regex": "System.Text.RegularExpressions.Regex",
    "text.regularexpressions.regex": "System.Text.RegularExpressions.Regex",
    "environment": "System.Environment", "convert": "System.Convert",
    "io.path": "System.IO.Path", "io.file": "System.IO.File", "io.directory": "System.IO.Directory",
    "scriptblock": "System.Management.Automation.ScriptBlock", "type": "System.Type",
    "securestring": "System.Security.SecureString", "security.securestring": "System.Security.SecureString",
    "pscredential": "System.Management.Automation.PSCredential",
    "management.automation.pscredential": "System.Management.Automation.PSCredential",
    "uri": "System.Uri", "version": "System.Version", "xml": "System.Xml.XmlDocument",
    "text.encoding": "System.Text.Encoding", "web.httputility": "System.Web.HttpUtility",
    "management.automation.errorcategory": "System.Management.Automation.ErrorCategory",
    "diagnostics.stopwatch": "System.Diagnostics.Stopwatch",
    "semver": "System.Management.Automation.SemanticVersion",
    "management.automation.semanticversion": "System.Management.Automation.SemanticVersion",
    "collections.arraylist": "System.Collections.ArrayList",
    "collections.generic.list[string]": "System.Collections.Generic.List[string]",
    "collections.generic.list[object]": "System.Collections.Generic.List[object]",
    "collections.generic.list[psobject]": "System.Collections.Generic.List[psobject]",
    "collections.generic.list[pscustomobject]": "System.Collections.Generic.List[pscustomobject]",
    "string[]": "System.String[]", "int[]": "System.Int32[]", "object[]": "System.Object[]",
    "collections.specialized.ordereddictionary": "System.Collections.Specialized.OrderedDictionary",
    "management.automation.errorrecord": "System.Management.Automation.ErrorRecord",
    "exception": "System.Exception", "text.stringbuilder": "System.Text.StringBuilder",
    "systemexception": "System.SystemException", "argumentexception": "System.ArgumentException",
    "argumentnullexception": "System.ArgumentNullException",
    "argumentoutofrangeexception": "System.ArgumentOutOfRangeException",
    "invalidoperationexception": "System.InvalidOperationException",
    "notsupportedexception": "System.NotSupportedException", "notimplementedexception": "System.NotImplementedException",
    "unauthorizedaccessexception": "System.UnauthorizedAccessException", "timeoutexception": "System.TimeoutException",
    "formatexception": "System.FormatException", "io.ioexception": "System.IO.IOException",
    "io.filenotfoundexception": "System.IO.FileNotFoundException",
    "io.directorynotfoundexception": "System.IO.DirectoryNotFoundException",
    "management.automation.runtimeexception": "System.Management.Automation.RuntimeException",
    "management.automation.itemnotfoundexception": "System.Management.Automation.ItemNotFoundException",
    "management.automation.parameterbindingexception": "System.Management.Automation.ParameterBindingException",
    "management.automation.commandnotfoundexception": "System.Management.Automation.CommandNotFoundException",
    "ref": "System.Management.Automation.PSReference",
    "management.automation.psreference": "System.Management.Automation.PSReference",
    "threading.interlocked": "System.Threading.Interlocked",
}
_CONCURRENT = ("concurrentbag[", "concurrentqueue[", "concurrentstack[", "concurrentdictionary[")
# the key each full name is known by below
_KEY = {v.lower(): k for k, v in reversed(list(_TYPES.items()))}


def type_key(name: str) -> str:
    """A short lower-case key for a type name (``System.Int32`` -> ``int``); ``TypeNotFound``."""
    low = name.lower().replace(" ", "")
    if low.startswith("system."):
        low = low[7:]
    if low in _TYPES:
        return _KEY[_TYPES[low].lower()]
    if low.endswith("[]"):
        type_key(name[:-2])
        return low
    if low.startswith(("collections.generic.list[", "collections.arraylist")):
        return low
    if low.startswith("collections.concurrent.") and low[len("collections.concurrent."):].startswith(_CONCURRENT) \
            and low.endswith("]") and _generic_arity(low) == (2 if "concurrentdictionary[" in low else 1):
        return low
    full = ("system." + low)
    if full in _KEY:
        return _KEY[full]
    raise TypeNotFound(f"Unable to find type [{name}].")


def _generic_arity(name: str) -> int:
    """Type arguments of ``x[a,b]`` (commas at the first bracket level)."""
    depth, count = 0, 1
    for ch in name[name.index("["):]:
        depth += ch == "["
        depth -= ch == "]"
        count += ch == "," and depth == 1
    return count


def full_type_name(name: str) -> str:
    key = type_key(name)
    if key in _TYPES:
        return _TYPES[key]
    if key.endswith("[]"):
        return full_type_name(key[:-2]) + "[]"
    return name


def type_name_of(value: Any) -> str:
    """``$x.GetType().FullName`` under pscompat's value convention."""
    known = known_type_name(value)
    return "System.Object" if known is None else known


# ------------------------------------------------------------------ strings and truth

def format_double(value: float) -> str:
    """A Double as PowerShell shows it: 15 significant digits (``0.1 + 0.2`` -> ``0.3``,
    ``10 / 3`` -> ``3.33333333333333``, ``[double]::MaxValue`` -> ``1.79769313486232E+308``);
    a Single its shortest round-trip text."""
    from pscompat.values import Single, dotnet_exponent
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    return dotnet_exponent(value.shortest() if isinstance(value, Single) else format(value, ".15g"))


def ps_string(value: Any) -> str:
    """PowerShell's string conversion (``"$x"``, ``[string]$x``, ``-join``)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_double(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, _dt.datetime):
        return format_datetime(value, "MM/dd/yyyy HH:mm:ss")
    if isinstance(value, list):
        return " ".join(ps_string(v) for v in value)
    if isinstance(value, PSHashtable):
        return value.type_name
    if isinstance(value, PSObject):
        if "System.Management.Automation.PSCustomObject" in value.type_names or not value.type_names:
            return "@{" + "; ".join(f"{k}={ps_string(v)}" for k, v in value.properties()) + "}"
        text_property = _TOSTRING_PROPERTY.get(value.type_name)
        if text_property and value.has(text_property):
            return ps_string(value.get(text_property))
        return value.type_name
    to_text = getattr(value, "ps_string", None)
    if callable(to_text):
        return str(to_text())
    return str(value)


def _to_list(value: Any, key: str) -> ArrayList:
    """``[ArrayList]``/``[List[T]]value``: a new growable list (``.Add`` works), elements converted to ``T``."""
    items = list(value) if isinstance(value, list) else ([] if value is None else [value])
    result = ArrayList(items)
    if key.startswith("collections.generic.list["):
        element = key[len("collections.generic.list["):-1]
        if element not in ("object", "psobject"):
            result[:] = [cast(item, element) for item in items]
        result.generic = True
    return result


# Types whose .NET ToString() is one of their properties (PathInfo.ToString() is its Path).
_TOSTRING_PROPERTY = {"System.Management.Automation.PathInfo": "Path", "System.Guid": "Guid",
                      "System.Text.RegularExpressions.Match": "Value",
                      "System.Text.RegularExpressions.Group": "Value",
                      "System.IO.FileInfo": "FullName", "System.IO.DirectoryInfo": "FullName"}


def is_true(value: Any) -> bool:
    """PowerShell's truthiness (``if ($x)``)."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float, Decimal)):
        return value != 0
    if isinstance(value, str):
        return value != ""
    if isinstance(value, list):
        if not value:
            return False
        if len(value) == 1:
            return is_true(value[0])
        return True
    return True


# ------------------------------------------------------------------ casts

def _fail(value: Any, type_name: str, inner: str) -> CastError:
    shown = ps_string(value) if not isinstance(value, (list, PSHashtable, PSObject)) else type_name_of(value)
    return CastError(f'Cannot convert value "{shown}" to type "{type_name}". Error: "{inner}"')


def _to_error_category(value: Any) -> str:
    """``[System.Management.Automation.ErrorCategory]'InvalidOperation'`` (or its number)."""
    ordered = CATEGORY_ORDER
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(ordered):
        return ordered[value]
    text = ps_string(value).strip()
    for name in ordered:
        if name.lower() == text.lower():
            return name
    raise _fail(value, "System.Management.Automation.ErrorCategory",
                f"Unable to match the identifier name {text} to a valid enumerator name. Specify one of the "
                f"following enumerator names and try again:\n{', '.join(ordered)}")


def _to_version(value: Any, key: str) -> Any:
    """``[version]`` / ``[semver]`` from text (or the other kind of version), as .NET parses it."""
    from pscompat.values import SemanticVersion, Version
    target = Version if key == "version" else SemanticVersion
    if isinstance(value, target):
        return value
    if key == "semver" and isinstance(value, Version):
        return SemanticVersion.from_version(value)
    if value is None:
        raise CastError(f'Cannot convert null to type "{full_type_name(key)}".')
    if isinstance(value, (str, int, float, Decimal)) and not isinstance(value, bool):
        try:
            return target.parse(ps_string(value))
        except ValueError as exc:
            raise _fail(value, full_type_name(key), str(exc)) from None
    raise CastError(f'Cannot convert the "{ps_string(value)}" value of type "{type_name_of(value)}" to type '
                    f'"{full_type_name(key)}".')


def _to_integer(value: Any, type_name: str, low: int, high: int) -> int:
    """Integral casts share convert.to_integer; a script sees its failure as a cast error."""
    if isinstance(value, list):
        raise CastError(f'Cannot convert the "{ps_string(value)}" value of type "{type_name_of(value)}" to '
                        f'type "{type_name}".')
    try:
        return to_integer(value, type_name, low, high)
    except ConversionError as exc:
        raise CastError(str(exc)) from None


def _to_double(value: Any) -> float:
    if value is None:
        return 0.0
    if isinstance(value, (bool, int, float, Decimal)):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return 0.0
        try:
            return float(parse_number(text))
        except ValueError:
            raise _fail(value, "System.Double", f"The input string '{value}' was not in a correct format.") from None
    raise CastError(f'Cannot convert the "{ps_string(value)}" value of type "{type_name_of(value)}" to '
                    f'type "System.Double".')


def _guid_text(text: str) -> str:
    import uuid
    return str(uuid.UUID(text.strip().strip("{}")))


def _new_guid() -> str:
    import uuid
    return str(uuid.uuid4())


def _via_convert(name: str, value: Any, fallback: Callable[[], Any]) -> Any:
    """Use pscompat.lang.convert (LanguagePrimitives, the binder's conversions) when it has ``name``."""
    try:
        from pscompat.lang import convert
    except ImportError:
        return fallback()
    func = getattr(convert, name, None)
    if func is None:
        return fallback()
    try:
        return func(value)
    except convert.ConversionError as exc:
        raise CastError(exc.message) from None


def cast(value: Any, type_name: str) -> Any:
    """``[type]value`` with PowerShell's conversion rules (the subset scripts use)."""
    key = type_key(type_name)
    if key.endswith("[]"):
        if value is None:   # [string[]]$null is $null, not an empty array
            return None
        items = value if isinstance(value, list) else [value]
        return [cast(v, key[:-2]) for v in items]
    if key in ("object", "psobject"):
        return value
    if key != "string":
        value = plain_number(value)
    if value is None and key in ("datetime", "guid", "timespan", "datetimeoffset"):
        raise CastError(f'Cannot convert null to type "{full_type_name(key)}".')
    if isinstance(value, list) and key not in ("array", "string", "bool", "switch", "hashtable",
                                               "collections.arraylist") and not key.startswith("collections."):
        if len(value) == 1:
            return cast(value[0], type_name)
        raise CastError(f'Cannot convert the "{ps_string(value)}" value of type "System.Object[]" to type '
                        f'"{full_type_name(type_name)}".')
    if key == "int":
        return _via_convert("to_int32", value, lambda: _to_integer(value, "System.Int32", INT32_MIN, INT32_MAX))
    if key == "long":
        return _to_integer(value, "System.Int64", INT64_MIN, INT64_MAX)
    if key == "short":
        return _to_integer(value, "System.Int16", -(2**15), 2**15 - 1)
    if key == "byte":
        return _to_integer(value, "System.Byte", 0, 255)
    if key in ("uint32", "uint64", "uint16", "sbyte", "bigint"):
        return _to_integer(value, full_type_name(key), -(2**127), 2**127)
    if key == "double":
        return float(_to_double(value))
    if key == "float":
        from pscompat.values import Single
        return Single(_to_double(value))
    if key == "decimal":
        try:
            return to_decimal(value)
        except ConversionError as exc:
            raise CastError(exc.message) from None
    if key == "string":
        typed = token_text(value)
        if typed is not None:
            return typed
        return ps_string(value) if value is not None else ""
    if key in ("bool", "switch"):
        return is_true(value)
    if key == "char":
        if isinstance(value, str) and len(value) == 1:
            return value
        if isinstance(value, int):
            return chr(value)
        raise _fail(value, "System.Char", "String must be exactly one character long.")
    if key in ("version", "semver"):
        return _to_version(value, key)
    if key == "management.automation.errorcategory":
        return _to_error_category(value)
    if key == "datetime":
        if isinstance(value, _dt.datetime):
            return value
        if isinstance(value, (str, int)):
            return _via_convert("to_datetime", value, lambda: parse_datetime(str(value)))
        if isinstance(value, str):
            try:
                return parse_datetime(value)
            except ValueError:
                raise _fail(value, "System.DateTime",
                            f"String '{value}' was not recognized as a valid DateTime.") from None
        raise CastError(f'Cannot convert the "{ps_string(value)}" value of type "{type_name_of(value)}" to '
                        f'type "System.DateTime".')
    if key == "guid":
        if isinstance(value, str):
            return _via_convert("to_guid", value, lambda: _guid_text(value))
        try:
            return _guid_text(str(value))
        except ValueError:
            raise _fail(value, "System.Guid", "Unrecognized Guid format.") from None
    if key in ("hashtable", "ordered"):
        if isinstance(value, PSHashtable):
            return value if key == "hashtable" else PSHashtable(value.items(), ordered=True)
        if isinstance(value, PSObject):
            return PSHashtable(value.properties(), ordered=key == "ordered")
        raise CastError(f'Cannot convert the "{ps_string(value)}" value of type "{type_name_of(value)}" to '
                        f'type "{full_type_name(key)}".')
    if key == "pscustomobject":
        if isinstance(value, PSHashtable):
            return PSObject(value.items())
        return value
    if key == "array":
        return list(value) if isinstance(value, list) else ([] if value is None else [value])
    if key == "collections.arraylist" or key.startswith("collections.generic.list["):
        return _to_list(value, key)
    if key == "regex":
        return ps_string(value)
    if key == "ref":
        from pscompat.values import PSReference
        if isinstance(value, PSReference):
            return value
        raise CastError("Reference type is expected in argument.")
    if key == "void":
        return None
    if key == "securestring":
        from pscompat.values import SecureString
        if isinstance(value, SecureString):
            return value
    raise CastError(f'Cannot convert the "{ps_string(value)}" value of type "{type_name_of(value)}" to type '
                    f'"{full_type_name(type_name)}".')


# ------------------------------------------------------------------ DateTime

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def parse_datetime(text: str) -> _dt.datetime:
    """.NET ``DateTime.Parse`` with the invariant culture. One owner: ``lang.convert`` (the
    binder's and the casts' conversion); this name is kept for the static-member table."""
    from pscompat.lang.convert import INVARIANT, _parse_datetime_text
    return _parse_datetime_text(text, INVARIANT)


_FMT_TOKEN = re.compile(r"yyyy+|yy|y|MMMM|MMM|MM|M|dddd|ddd|dd|d|HH|H|hh|h|mm|m|ss|s|f{1,7}|F{1,7}|tt|t|"
                        r"zzz|zz|z|K|'[^']*'|\"[^\"]*\"|\\.|%.|.", re.DOTALL)
_STANDARD = {
    "d": "MM/dd/yyyy", "D": "dddd, dd MMMM yyyy", "f": "dddd, dd MMMM yyyy HH:mm",
    "F": "dddd, dd MMMM yyyy HH:mm:ss", "g": "MM/dd/yyyy HH:mm", "G": "MM/dd/yyyy HH:mm:ss",
    "m": "MMMM dd", "M": "MMMM dd", "t": "HH:mm", "T": "HH:mm:ss", "y": "yyyy MMMM", "Y": "yyyy MMMM",
    "s": "yyyy'-'MM'-'dd'T'HH':'mm':'ss", "u": "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
    "r": "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'", "R": "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
}
# en-US (pscompat's default current culture) where it differs from the invariant culture.
_STANDARD_EN_US = {
    "d": "M/d/yyyy", "D": "dddd, MMMM d, yyyy", "f": "dddd, MMMM d, yyyy h:mm tt",
    "F": "dddd, MMMM d, yyyy h:mm:ss tt", "g": "M/d/yyyy h:mm tt", "G": "M/d/yyyy h:mm:ss tt",
    "m": "MMMM d", "M": "MMMM d", "t": "h:mm tt", "T": "h:mm:ss tt", "y": "MMMM yyyy", "Y": "MMMM yyyy",
}


def _standard_pattern(fmt: str, culture: str | None) -> str:
    """A one-letter standard format's pattern: the current culture's (en-US), else the invariant one."""
    if (culture or current_culture()).casefold() == "en-us" and fmt in _STANDARD_EN_US:
        return _STANDARD_EN_US[fmt]
    return _STANDARD[fmt]


def _offset_text(value: _dt.datetime, token: str) -> str:
    offset = value.utcoffset() if value.tzinfo else (value.astimezone().utcoffset())
    assert offset is not None
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    if token == "z":
        return f"{sign}{hours}"
    if token == "zz":
        return f"{sign}{hours:02d}"
    return f"{sign}{hours:02d}:{mins:02d}"


def format_datetime(value: _dt.datetime, fmt: str | None = None, culture: str | None = None) -> str:
    """.NET ``DateTime.ToString(format)``: standard letters (``g``, ``d``...) in ``culture`` (default: the
    current culture, as Get-Date -Format, ``ToString('g')`` and ``-f`` use), custom patterns as written."""
    if not fmt:
        fmt, culture = "G", "invariant"
    if fmt in ("o", "O"):
        base = value.strftime("%Y-%m-%dT%H:%M:%S") + f".{value.microsecond:06d}0"
        kind = dotnet_kind(value)
        return base + ("Z" if kind == "Utc" else "" if kind == "Unspecified" else _offset_text(value, "zzz"))
    if fmt in ("r", "R") and value.tzinfo is not None:
        value = to_utc(value)
    if fmt in ("u",) and value.tzinfo is not None:
        value = to_utc(value)
    if len(fmt) == 1 and fmt in _STANDARD:
        fmt = _standard_pattern(fmt, culture)
    out: list[str] = []
    for tok in _FMT_TOKEN.findall(fmt):
        c = tok[0]
        if tok.startswith("yyyy"):
            out.append(f"{value.year:0{len(tok)}d}")
        elif tok == "yy":
            out.append(f"{value.year % 100:02d}")
        elif tok == "y":
            out.append(str(value.year % 100))
        elif tok == "MMMM":
            out.append(_MONTHS[value.month - 1])
        elif tok == "MMM":
            out.append(_MONTHS[value.month - 1][:3])
        elif tok == "MM":
            out.append(f"{value.month:02d}")
        elif tok == "M":
            out.append(str(value.month))
        elif tok == "dddd":
            out.append(_DAYS[value.weekday()])
        elif tok == "ddd":
            out.append(_DAYS[value.weekday()][:3])
        elif tok == "dd":
            out.append(f"{value.day:02d}")
        elif tok == "d":
            out.append(str(value.day))
        elif tok == "HH":
            out.append(f"{value.hour:02d}")
        elif tok == "H":
            out.append(str(value.hour))
        elif tok == "hh":
            out.append(f"{(value.hour % 12) or 12:02d}")
        elif tok == "h":
            out.append(str((value.hour % 12) or 12))
        elif tok == "mm":
            out.append(f"{value.minute:02d}")
        elif tok == "m":
            out.append(str(value.minute))
        elif tok == "ss":
            out.append(f"{value.second:02d}")
        elif tok == "s":
            out.append(str(value.second))
        elif c in "fF" and set(tok) == {c}:
            digits = f"{value.microsecond:06d}0"[:len(tok)]
            out.append(digits.rstrip("0") if c == "F" else digits)
        elif tok == "tt":
            out.append("AM" if value.hour < 12 else "PM")
        elif tok == "t":
            out.append("A" if value.hour < 12 else "P")
        elif tok in ("z", "zz", "zzz"):
            out.append(_offset_text(value, tok))
        elif tok == "K":
            kind = dotnet_kind(value)
            out.append("Z" if kind == "Utc" else "" if kind == "Unspecified" else _offset_text(value, "zzz"))
        elif c in "'\"":
            out.append(tok[1:-1])
        elif c in "\\%" and len(tok) == 2:
            out.append(tok[1])
        else:
            out.append(tok)
    return "".join(out)


def default_datetime_text(value: _dt.datetime) -> str:
    """How PowerShell's host shows a DateTime (en-US): ``Sunday, June 5, 2022 12:00:00 AM``;
    with ``Get-Date -DisplayHint Date`` the date part only, ``Time`` the time part only."""
    hint = getattr(value, "display_hint", "DateTime")
    date = f"{_DAYS[value.weekday()]}, {_MONTHS[value.month - 1]} {value.day}, {value.year}"
    time = f"{(value.hour % 12) or 12}:{value.minute:02d}:{value.second:02d} {'AM' if value.hour < 12 else 'PM'}"
    return date if hint == "Date" else time if hint == "Time" else f"{date} {time}"


# ------------------------------------------------------------------ static members

def _now() -> _dt.datetime:
    return _dt.datetime.now().astimezone()


def _stopwatch() -> Any:
    from pscompat.lang.stopwatch import Stopwatch
    return Stopwatch


def _encoding(name: str) -> Any:
    return _text_helpers().Encoding(name)


def _text_helpers() -> Any:
    from pscompat.lang import dotnet_text
    return dotnet_text


_STATIC_PROPS: dict[str, dict[str, Callable[[], Any]]] = {
    "datetime": {"now": _now, "utcnow": lambda: _dt.datetime.now(_dt.UTC),
                 "today": lambda: _dt.datetime.combine(_dt.date.today(), _dt.time()).astimezone(),
                 "minvalue": lambda: _dt.datetime(1, 1, 1), "maxvalue": lambda: _dt.datetime(9999, 12, 31, 23, 59, 59)},
    "guid": {"empty": lambda: "00000000-0000-0000-0000-000000000000"},
    "management.automation.errorcategory": {c.lower(): functools.partial(str, c) for c in CATEGORY_ORDER},
    "text.encoding": {name: functools.partial(_encoding, name)
                      for name in ("utf8", "ascii", "unicode", "utf32", "latin1", "default")},
    "math": {"pi": lambda: math.pi, "e": lambda: math.e},
    "string": {"empty": lambda: ""},
    "int": {"maxvalue": lambda: INT32_MAX, "minvalue": lambda: INT32_MIN},
    "long": {"maxvalue": lambda: INT64_MAX, "minvalue": lambda: INT64_MIN},
    "double": {"maxvalue": lambda: 1.7976931348623157e308, "minvalue": lambda: -1.7976931348623157e308},
    "environment": {"newline": lambda: "\n", "machinename": lambda: os.uname().nodename,
                    "username": lambda: os.environ.get("USER", os.environ.get("USERNAME", "")),
                    "currentdirectory": os.getcwd, "processorcount": lambda: os.cpu_count() or 1},
    "io.path": {"directoryseparatorchar": lambda: os.sep, "pathseparator": lambda: os.pathsep},
}


def _round(x: Any, digits: Any = 0, *_: Any) -> Any:
    if isinstance(x, Decimal):
        return x.quantize(Decimal(1).scaleb(-int(digits)), rounding=ROUND_HALF_EVEN)
    return float(round(float(x), int(digits)))


def _temp_path() -> str:
    import tempfile
    return tempfile.gettempdir() + os.sep


def _read_text(path: Any, *_: Any) -> str:
    with open(str(path), encoding="utf-8-sig") as handle:
        return handle.read()


def _write_text(path: Any, text: Any, mode: Any = "w", *_: Any) -> None:
    with open(str(path), "a" if mode == "a" else "w", encoding="utf-8") as handle:
        handle.write(ps_string(text))


def _str_format(fmt: Any, *args: Any) -> str:
    from pscompat.lang.format import format_operator
    if len(args) == 1 and isinstance(args[0], list):
        args = tuple(args[0])
    return format_operator(ps_string(fmt), list(args))


_STATIC_CALLS: dict[str, dict[str, Callable[..., Any]]] = {
    "datetime": {
        "parse": lambda s, *_: cast(s, "datetime"),
        "parseexact": lambda s, f, *_: _parse_exact(ps_string(s), f),
        "specifykind": lambda d, k: _specify_kind(d, ps_string(k)),
        "daysinmonth": lambda y, m: [31, 29 if int(y) % 4 == 0 and (int(y) % 100 != 0 or int(y) % 400 == 0) else 28,
                                     31, 30, 31, 30, 31, 31, 30, 31, 30, 31][int(m) - 1],
    },
    "guid": {"newguid": lambda: _new_guid(), "parse": lambda s: cast(s, "guid")},
    "math": {"round": _round, "floor": lambda x: math.floor(x) if isinstance(x, Decimal) else float(math.floor(x)),
             "ceiling": lambda x: math.ceil(x) if isinstance(x, Decimal) else float(math.ceil(x)),
             "abs": abs, "max": max, "min": min, "pow": lambda a, b: float(a) ** float(b),
             "sqrt": lambda x: math.sqrt(x), "truncate": lambda x: float(math.trunc(x)),
             "log": lambda x, *b: math.log(x, *b), "log10": math.log10},
    "string": {"isnullorempty": lambda s: s is None or ps_string(s) == "",
               "isnullorwhitespace": lambda s: s is None or ps_string(s).strip() == "",
               "join": lambda sep, *items: ps_string(sep).join(
                   ps_string(v) for v in (items[0] if len(items) == 1 and isinstance(items[0], list) else items)),
               "concat": lambda *items: "".join(ps_string(v) for v in items),
               "format": _str_format},
    "int": {"parse": lambda s, *_: cast(s, "int")},
    "long": {"parse": lambda s, *_: cast(s, "long")},
    "double": {"parse": lambda s, *_: cast(s, "double")},
    "float": {"parse": lambda s, *_: cast(s, "float")},
    "environment": {"getenvironmentvariable": lambda n, *_: os.environ.get(ps_string(n)),
                    "setenvironmentvariable": lambda n, v, *_: os.environ.__setitem__(ps_string(n), ps_string(v))},
    "io.path": {"combine": lambda *p: os.path.join(*[ps_string(x) for x in p]),
                "getfilename": lambda p: os.path.basename(ps_string(p)),
                "getfilenamewithoutextension": lambda p: os.path.splitext(os.path.basename(ps_string(p)))[0],
                "getextension": lambda p: os.path.splitext(ps_string(p))[1],
                "getdirectoryname": lambda p: os.path.dirname(ps_string(p)),
                "gettemppath": _temp_path, "getfullpath": lambda p: os.path.abspath(ps_string(p))},
    "io.file": {"exists": lambda p: os.path.isfile(ps_string(p)), "readalltext": _read_text,
                "readalllines": lambda p, *_: _read_text(p).splitlines(), "writealltext": _write_text,
                "appendalltext": lambda p, t, *_: _write_text(p, t, "a")},
    "io.directory": {"exists": lambda p: os.path.isdir(ps_string(p)),
                     "createdirectory": lambda p: os.makedirs(ps_string(p), exist_ok=True)},
    "regex": {"escape": lambda s: re.escape(ps_string(s)),
              "ismatch": lambda s, p, *_: re.search(ps_string(p), ps_string(s)) is not None,
              "replace": lambda s, p, r, *_: re.sub(ps_string(p), ps_string(r).replace("$", "\\"), ps_string(s)),
              "split": lambda s, p, *_: re.split(ps_string(p), ps_string(s))},
    "convert": {"toint32": lambda v, *_: cast(v, "int"), "tostring": lambda v, *_: ps_string(v),
                "toboolean": lambda v: is_true(v), "todouble": lambda v: cast(v, "double"),
                "tobase64string": lambda v, *_: _text_helpers().to_base64(v),
                "frombase64string": lambda v: _text_helpers().from_base64(v)},
    "diagnostics.stopwatch": {"startnew": lambda: _stopwatch().start_new(), "new": lambda: _stopwatch()()},
    "text.stringbuilder": {"new": lambda *args: _text_helpers().StringBuilder.new(*args)},
    "uri": {"escapedatastring": lambda v: _text_helpers().escape_data_string(v),
            "unescapedatastring": lambda v: _text_helpers().unescape_data_string(v)},
    "web.httputility": {"urlencode": lambda v, *_: _text_helpers().url_encode(v),
                        "urldecode": lambda v, *_: _text_helpers().url_decode(v)},
}


def _parse_exact(text: str, fmt: Any) -> _dt.datetime:
    fmts = fmt if isinstance(fmt, list) else [fmt]
    for f in fmts:
        pattern = ps_string(f)
        py = pattern
        for net, pyf in (("yyyy", "%Y"), ("MM", "%m"), ("dd", "%d"), ("HH", "%H"), ("mm", "%M"), ("ss", "%S")):
            py = py.replace(net, pyf)
        try:
            return _dt.datetime.strptime(text, py.replace("'", ""))
        except ValueError:
            continue
    raise CastError(f'Exception calling "ParseExact" with "3" argument(s): "String \'{text}\' was not '
                    f'recognized as a valid DateTime."')


def _specify_kind(value: _dt.datetime, kind: str) -> _dt.datetime:
    naive = value.replace(tzinfo=None)
    if kind.lower() == "utc":
        return naive.replace(tzinfo=_dt.UTC)
    if kind.lower() == "local":
        return naive.astimezone()
    return naive


def static_member(type_name: str, name: str) -> Any:
    """``[type]::Name`` (a static property)."""
    key = type_key(type_name)
    getter = _STATIC_PROPS.get(key, {}).get(name.lower())
    if getter is None:
        raise AttributeError(name)
    return getter()


def static_call(type_name: str, name: str, args: list[Any]) -> Any:
    """``[type]::Name(args)``; ``AttributeError`` when pscompat does not know the method."""
    key = type_key(type_name)
    method = _STATIC_CALLS.get(key, {}).get(name.lower())
    if method is None:
        raise AttributeError(name)
    return method(*args)
