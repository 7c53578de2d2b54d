""".NET-like members on values: ``$s.ToUpper()``, ``(Get-Date).AddHours(2)``, ``$h.ContainsKey()``,
``$_.Exception.Message``...  Properties return ``(found, value)``; methods raise
``MethodNotFound`` so the evaluator can report PowerShell's own error."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from pscompat.errors import ErrorRecord
from pscompat.lang.dotnet import cast, format_datetime, ps_string, type_name_of
from pscompat.lang.format import format_value
from pscompat.script.scriptblock import ScriptBlockValue
from pscompat.values import (
    ArrayList,
    AutomationNull,
    DotNetObject,
    PSHashtable,
    PSObject,
    SecureString,
    TimeSpan,
    dotnet_kind,
    to_utc,
)

__all__ = ["get_property", "call_method", "MethodNotFound", "MethodError", "set_property"]


class MethodNotFound(Exception):
    """``Method invocation failed because [T] does not contain a method named 'X'.``"""

    def __init__(self, value: Any, name: str) -> None:
        super().__init__(f"Method invocation failed because [{type_name_of(value)}] does not contain a method "
                         f"named '{name}'.")


class MethodError(Exception):
    """A .NET exception inside a method: ``Exception calling "X" with "N" argument(s): "..."``."""


def _type_info(value: Any) -> PSObject:
    full = type_name_of(value)
    return PSObject({"Name": full.rsplit(".", 1)[-1], "FullName": full, "Namespace": full.rsplit(".", 1)[0]},
                    type_names=["System.RuntimeType"])


# ------------------------------------------------------------------ properties

def _datetime_prop(value: _dt.datetime, key: str) -> tuple[bool, Any]:
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    props: dict[str, Callable[[], Any]] = {
        "year": lambda: value.year, "month": lambda: value.month, "day": lambda: value.day,
        "hour": lambda: value.hour, "minute": lambda: value.minute, "second": lambda: value.second,
        "millisecond": lambda: value.microsecond // 1000, "dayofweek": lambda: days[value.weekday()],
        "dayofyear": lambda: value.timetuple().tm_yday,
        "date": lambda: value.replace(hour=0, minute=0, second=0, microsecond=0),
        "kind": lambda: dotnet_kind(value),
        "displayhint": lambda: getattr(value, "display_hint", None),
        "ticks": lambda: int((value.replace(tzinfo=None) - _dt.datetime(1, 1, 1)).total_seconds() * 10**7),
        "timeofday": lambda: TimeSpan(_dt.timedelta(hours=value.hour, minutes=value.minute,
                                                    seconds=value.second, microseconds=value.microsecond)),
    }
    getter = props.get(key)
    return (True, getter()) if getter else (False, None)


def error_property(record: ErrorRecord, key: str) -> tuple[bool, Any]:
    """Members of an ErrorRecord as ``$_`` in a catch block or ``$Error[0]`` show them."""
    if key == "exception":
        inner = record.details.get("inner_exception")
        return True, PSObject({"Message": record.message, "InnerException": inner,
                               "Source": record.command or None, "HResult": -2146233087,
                               "ErrorRecord": record},
                              type_names=[record.exception_type, "System.Exception"])
    if key == "fullyqualifiederrorid":
        return True, record.fqid
    if key == "categoryinfo":
        info = PSObject({"Category": record.category, "Activity": record.command, "Reason":
                         record.exception_type.rsplit(".", 1)[-1], "TargetName": ps_string(record.target) if record.target
                         is not None else "", "TargetType": type_name_of(record.target).rsplit(".", 1)[-1]
                         if record.target is not None else ""},
                        type_names=["System.Management.Automation.ErrorCategoryInfo"])
        return True, info
    if key == "targetobject":
        return True, record.target
    if key == "errordetails":
        details = record.details.get("error_details")
        return True, PSObject({"Message": details}) if details else None
    if key == "invocationinfo":
        pos = record.details.get("position")
        if pos is None:
            return True, None
        return True, PSObject({"ScriptName": pos.get("path") or "", "ScriptLineNumber": pos.get("line"),
                               "OffsetInLine": pos.get("column"), "Line": pos.get("line_text"),
                               "PositionMessage": pos.get("message", ""),
                               "MyCommand": record.command or None},
                              type_names=["System.Management.Automation.InvocationInfo"])
    if key == "scriptstacktrace":
        pos = record.details.get("position")
        return True, (f"at <ScriptBlock>, {pos.get('path') or '<No file>'}: line {pos.get('line')}" if pos else "")
    return False, None


def get_property(value: Any, name: str) -> tuple[bool, Any]:
    """A property of one value (no member enumeration): ``(found, value)``."""
    key = name.lower()
    if isinstance(value, PSObject):
        if value.has(name):
            return True, value.get(name)
        if key == "psobject":
            return True, PSObject({"Properties": [PSObject({"Name": k, "Value": v, "MemberType": "NoteProperty"})
                                                  for k, v in value.properties()],
                                   "TypeNames": list(value.type_names)})
        return False, None
    if isinstance(value, DotNetObject):
        return value.ps_property(name)
    if isinstance(value, PSHashtable):
        if name in value:
            return True, value[name]
        if key == "count":
            return True, len(value)
        if key == "issynchronized":
            return True, hasattr(value, "lock")
        if key == "syncroot":
            return True, value
        if key == "keys":
            return True, list(value.keys())
        if key == "values":
            return True, list(value.values())
        return False, None
    if isinstance(value, str):
        if key == "length":
            return True, len(value)
        return False, None
    if isinstance(value, list):
        if key in ("count", "length"):
            return True, len(value)
        return False, None
    if isinstance(value, _dt.datetime):
        return _datetime_prop(value, key)
    if isinstance(value, TimeSpan):
        return value.member(name)
    if isinstance(value, ErrorRecord):
        return error_property(value, key)
    if isinstance(value, SecureString):
        return (True, value.length) if key == "length" else (False, None)
    if isinstance(value, dict):
        return (True, value[name]) if name in value else (False, None)
    return False, None


def set_property(target: Any, name: str, value: Any) -> None:
    if isinstance(target, DotNetObject):
        if target.ps_set_property(name, value):
            return
        raise MethodError(f"The property '{name}' cannot be found on this object. Verify that the property exists "
                          "and can be set.")
    if isinstance(target, PSObject):
        if not target.has(name) and "System.Management.Automation.PSCustomObject" not in target.type_names:
            pass
        if not target.has(name):
            raise MethodError(f"The property '{name}' cannot be found on this object. Verify that the property "
                              f"exists and can be set.")
        target.set(name, value)
        return
    if isinstance(target, PSHashtable):
        target[name] = value
        return
    raise MethodError(f"The property '{name}' cannot be found on this object. Verify that the property exists and "
                      f"can be set.")


# ------------------------------------------------------------------ methods

def _fail(name: str, args: list[Any], message: str) -> MethodError:
    return MethodError(f'Exception calling "{name}" with "{len(args)}" argument(s): "{message}"')


def _string_method(value: str, key: str, name: str, args: list[Any]) -> Any:
    s = [ps_string(a) if not isinstance(a, list) else a for a in args]
    if key == "toupper" or key == "toupperinvariant":
        return value.upper()
    if key == "tolower" or key == "tolowerinvariant":
        return value.lower()
    if key == "trim":
        return value.strip(*(["".join(x if isinstance(x, str) else "".join(x) for x in s)] if s else []))
    if key == "trimstart":
        return value.lstrip(*(["".join(x if isinstance(x, str) else "".join(x) for x in s)] if s else []))
    if key == "trimend":
        return value.rstrip(*(["".join(x if isinstance(x, str) else "".join(x) for x in s)] if s else []))
    if key == "split":
        if not args:
            return value.split()
        seps = args[0] if isinstance(args[0], list) else [args[0]]
        sep_texts = [ps_string(x) for x in seps]
        if len(sep_texts) == 1 and len(sep_texts[0]) > 1 and not (len(args) > 1):
            # .NET picks Split(char[]) for a string argument: each character separates
            sep_texts = list(sep_texts[0])
        pattern = "|".join(re.escape(x) for x in sep_texts if x)
        parts = re.split(pattern, value) if pattern else [value]
        if len(args) > 1 and ps_string(args[-1]).lower() in ("removeemptyentries", "1"):
            parts = [p for p in parts if p]
        return parts
    if key == "replace":
        if len(s) < 2:
            raise _fail(name, args, "Value cannot be null.")
        return value.replace(str(s[0]), str(s[1]))
    if key == "contains":
        return str(s[0]) in value
    if key == "startswith":
        return value.lower().startswith(str(s[0]).lower()) if len(args) > 1 else value.startswith(str(s[0]))
    if key == "endswith":
        return value.lower().endswith(str(s[0]).lower()) if len(args) > 1 else value.endswith(str(s[0]))
    if key == "substring":
        start = int(args[0])
        if start > len(value) or start < 0:
            raise _fail(name, args, "startIndex cannot be larger than length of string. (Parameter 'startIndex')")
        if len(args) > 1:
            length = int(args[1])
            if start + length > len(value):
                raise _fail(name, args, "Index and length must refer to a location within the string. "
                                        "(Parameter 'length')")
            return value[start:start + length]
        return value[start:]
    if key == "indexof":
        return value.find(str(s[0]))
    if key == "lastindexof":
        return value.rfind(str(s[0]))
    if key == "padleft":
        return value.rjust(int(args[0]), str(s[1]) if len(s) > 1 else " ")
    if key == "padright":
        return value.ljust(int(args[0]), str(s[1]) if len(s) > 1 else " ")
    if key == "insert":
        return value[:int(args[0])] + str(s[1]) + value[int(args[0]):]
    if key == "remove":
        start = int(args[0])
        return value[:start] + (value[start + int(args[1]):] if len(args) > 1 else "")
    if key == "tochararray":
        return list(value)
    if key == "equals":
        return value == ps_string(args[0])
    if key == "compareto":
        other = ps_string(args[0])
        return (value > other) - (value < other)
    if key == "normalize":
        return value
    if key == "isnullorempty":
        return value == ""
    raise MethodNotFound(value, name)


def _datetime_method(value: _dt.datetime, key: str, name: str, args: list[Any]) -> Any:
    adders = {"adddays": "days", "addhours": "hours", "addminutes": "minutes", "addseconds": "seconds",
              "addmilliseconds": "milliseconds"}
    if key in adders:
        return value + _dt.timedelta(**{adders[key]: float(cast(args[0], "double"))})
    if key == "addticks":
        return value + _dt.timedelta(microseconds=int(args[0]) / 10)
    if key in ("addmonths", "addyears"):
        months = int(cast(args[0], "int")) * (12 if key == "addyears" else 1)
        total = value.month - 1 + months
        year, month = value.year + total // 12, total % 12 + 1
        import calendar
        day = min(value.day, calendar.monthrange(year, month)[1])
        return value.replace(year=year, month=month, day=day)
    if key == "tostring":
        if not args:
            return format_datetime(value, "M/d/yyyy h:mm:ss tt")
        return format_datetime(value, ps_string(args[0]))
    if key == "touniversaltime":
        return to_utc(value)
    if key == "tolocaltime":
        return value.astimezone() if value.tzinfo is not None else value.astimezone()
    if key == "toshortdatestring":
        return format_datetime(value, "M/d/yyyy")
    if key == "tolongdatestring":
        return format_datetime(value, "dddd, MMMM d, yyyy")
    if key == "toshorttimestring":
        return format_datetime(value, "h:mm tt")
    if key == "tolongtimestring":
        return format_datetime(value, "h:mm:ss tt")
    if key == "tofiletime" or key == "tofiletimeutc":
        return int((to_utc(value) - _dt.datetime(1601, 1, 1, tzinfo=_dt.UTC)).total_seconds() * 10**7)
    if key == "subtract":
        other = args[0]
        if isinstance(other, _dt.datetime):
            return TimeSpan(_dt_diff(value, other))
        if isinstance(other, TimeSpan):
            return value - other.delta
    if key == "compareto":
        other = args[0]
        diff = _dt_diff(value, other)
        return (diff > _dt.timedelta(0)) - (diff < _dt.timedelta(0))
    if key == "equals":
        return _dt_diff(value, args[0]) == _dt.timedelta(0)
    raise MethodNotFound(value, name)


def _dt_diff(a: _dt.datetime, b: _dt.datetime) -> _dt.timedelta:
    """.NET subtracts DateTimes by their clock values, ignoring Kind."""
    return a.replace(tzinfo=None) - b.replace(tzinfo=None)


def _hashtable_method(value: PSHashtable, key: str, name: str, args: list[Any]) -> Any:
    if key == "containskey" or key == "contains":
        return args[0] in value
    if key == "containsvalue":
        return any(v == args[0] for v in value.values())
    if key == "add":
        if args[0] in value:
            raise _fail(name, args, f"Item has already been added. Key in dictionary: '{ps_string(value.original_key(args[0]))}'"
                                    f"  Key being added: '{ps_string(args[0])}'")
        value[args[0]] = args[1]
        return None
    if key == "remove":
        value.pop(args[0], None)
        return None
    if key == "clear":
        value.clear()
        return None
    if key == "clone":
        return value.copy()
    if key == "getenumerator":
        return [PSObject({"Name": k, "Key": k, "Value": v}, type_names=["System.Collections.DictionaryEntry"])
                for k, v in value.items()]
    if key == "get_item":
        return value.get(args[0])
    raise MethodNotFound(value, name)


def _list_method(value: list[Any], key: str, name: str, args: list[Any]) -> Any:
    if key == "add":
        if not isinstance(value, ArrayList):
            raise _fail(name, args, "Collection was of a fixed size.")
        value.append(args[0])
        return None if value.generic else len(value) - 1
    if key == "addrange":
        value.extend(args[0] if isinstance(args[0], list) else [args[0]])
        return None
    if key == "remove":
        if not isinstance(value, ArrayList):
            raise _fail(name, args, "Collection was of a fixed size.")
        if args[0] in value:
            value.remove(args[0])
            return True if value.generic else None
        return False if value.generic else None
    if key == "removeat":
        del value[int(args[0])]
        return None
    if key == "insert":
        value.insert(int(args[0]), args[1])
        return None
    if key == "clear":
        value.clear()
        return None
    if key == "contains":
        return args[0] in value
    if key == "indexof":
        return value.index(args[0]) if args[0] in value else -1
    if key == "toarray":
        return list(value)
    if key == "reverse":
        value.reverse()
        return None
    if key == "sort":
        value.sort()
        return None
    raise MethodNotFound(value, name)


def call_method(value: Any, name: str, args: list[Any]) -> Any:
    """Call ``value.name(args)`` for the value types pscompat knows."""
    key = name.lower()
    if key == "gettype":
        return _type_info(value)
    if isinstance(value, DotNetObject):
        try:
            result = value.ps_call(name, args)
            return AutomationNull if result is None and key in value.void_methods else result
        except AttributeError:
            if key == "tostring":
                return value.ps_string()
            raise MethodNotFound(value, name) from None
    if value is None:
        raise MethodError("You cannot call a method on a null-valued expression.")
    if isinstance(value, str):
        if key == "tostring":
            return value
        if key == "gethashcode":
            return hash(value) & 0x7FFFFFFF
        return _string_method(value, key, name, args)
    if isinstance(value, _dt.datetime):
        return _datetime_method(value, key, name, args)
    if isinstance(value, PSHashtable):
        if key == "tostring":
            return ps_string(value)
        return _hashtable_method(value, key, name, args)
    if isinstance(value, list):
        if key == "tostring":
            return "System.Object[]"
        if key == "foreach" or key == "where":
            raise MethodNotFound(value, name)
        return _list_method(value, key, name, args)
    if isinstance(value, TimeSpan):
        if key == "tostring":
            return format_value(value, ps_string(args[0])) if args else value.ps_string()
        raise MethodNotFound(value, name)
    if isinstance(value, (bool, int, float, Decimal)):
        if key == "tostring":
            return format_value(value, ps_string(args[0])) if args else ps_string(value)
        if key == "equals":
            return value == args[0]
        if key == "compareto":
            return (value > args[0]) - (value < args[0])
        raise MethodNotFound(value, name)
    if isinstance(value, ErrorRecord):
        if key == "tostring":
            return value.message
        raise MethodNotFound(value, name)
    if isinstance(value, PSObject):
        if key == "tostring":
            if value.type_name in ("System.Exception",) or value.has("Message") and \
                    "System.Exception" in value.type_names:
                return f"{value.type_name}: {value.get('Message')}"
            return ps_string(value)
        if key == "getnetworkcredential" and value.type_name == "System.Management.Automation.PSCredential":
            password = value.get("Password")
            plain = password.reveal() if isinstance(password, SecureString) else ps_string(password)
            return PSObject({"UserName": value.get("UserName"), "Password": plain, "Domain": ""},
                            type_names=["System.Net.NetworkCredential"])
        method = value.get(name)
        if isinstance(method, ScriptBlockValue):
            raise MethodNotFound(value, name)
        raise MethodNotFound(value, name)
    if isinstance(value, SecureString):
        if key == "dispose":
            return None
        raise MethodNotFound(value, name)
    if key == "tostring":
        return ps_string(value)
    raise MethodNotFound(value, name)
