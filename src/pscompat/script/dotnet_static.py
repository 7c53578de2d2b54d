"""Static members that need the runtime's own objects: constructors of the concurrent
collections, ``[System.Threading.Interlocked]``, ``[hashtable]::Synchronized`` and the
``TryParse`` methods whose result goes out through a ``[ref]`` argument
(``[int]::TryParse('5', [ref]$n)`` sets ``$n`` and returns True; a failure sets the type's
default and returns False, as .NET's out parameter does)."""

from __future__ import annotations

from typing import Any

from pscompat.errors import ErrorRecord
from pscompat.lang.dotnet import CastError, TypeNotFound, cast, ps_string, type_key
from pscompat.script.concurrent import SyncHashtable, interlocked
from pscompat.values import PSHashtable, PSObject, PSReference, SemanticVersion, Version

__all__ = ["dotnet_static", "NOT_HANDLED"]

NOT_HANDLED: Any = object()
_TRYPARSE_DEFAULTS: dict[str, Any] = {"int": 0, "long": 0, "double": 0.0, "decimal": 0, "bool": False,
                                      "datetime": None, "guid": "00000000-0000-0000-0000-000000000000",
                                      "byte": 0, "short": 0, "version": None, "semver": None}


def _try_parse(key: str, args: list[Any]) -> Any:
    if len(args) < 2 or not isinstance(args[-1], PSReference):
        return NOT_HANDLED
    text = args[0]
    try:
        if key == "bool":
            word = ps_string(text).strip().lower()
            if word not in ("true", "false"):
                raise CastError(word)
            value: Any = word == "true"
        else:
            value = cast(ps_string(text) if text is not None else "", key)
    except (CastError, ValueError):
        if key == "datetime":
            import datetime as _dt
            args[-1].value = _dt.datetime(1, 1, 1)
        else:
            args[-1].value = _TRYPARSE_DEFAULTS[key]
        return False
    args[-1].value = value
    return True


def dotnet_static(type_name: str, method: str, args: list[Any]) -> Any:
    """The result, or NOT_HANDLED for the general static-member table (lang/dotnet.py)."""
    try:
        key = type_key(type_name)
    except TypeNotFound:
        return NOT_HANDLED
    if key == "threading.interlocked":
        return interlocked(method, args)
    if key == "hashtable" and method == "synchronized" and len(args) == 1 and isinstance(args[0], PSHashtable):
        return SyncHashtable(args[0])
    if method == "tryparse" and key in _TRYPARSE_DEFAULTS:
        return _try_parse(key, args)
    if key in ("version", "semver"):
        return _version_static(key, method, args)
    if key == "management.automation.errorrecord" and method == "new" and len(args) == 4:
        return _error_record(*args)
    if key == "regex" and method in ("match", "matches") and len(args) >= 2:
        return _regex_matches(method, args)
    return NOT_HANDLED


def _regex_matches(method: str, args: list[Any]) -> Any:
    """``[regex]::Match(input, pattern[, options])`` / ``::Matches``: .NET's Regex is case-sensitive
    unless the options say IgnoreCase. A failed Match is Match.Empty (Success False, Value '')."""
    import re

    from pscompat.script.regex_match import empty_match, match_object
    from pscompat.script.regexes import dotnet_regex
    options = ps_string(args[2]).lower() if len(args) > 2 else ""
    flags = (re.MULTILINE if "multiline" in options else 0) | (re.DOTALL if "singleline" in options else 0)
    compiled = dotnet_regex(args[1], case_sensitive="ignorecase" not in options, flags=flags)
    text = ps_string(args[0])
    if method == "matches":
        return [match_object(m) for m in compiled.finditer(text)]
    found = compiled.search(text)
    return match_object(found) if found is not None else empty_match()


def _error_record(exception: Any, error_id: Any, category: Any, target: Any) -> ErrorRecord:
    """``[System.Management.Automation.ErrorRecord]::new($exception, 'Id', $category, $target)``:
    the record a function hands to $PSCmdlet.ThrowTerminatingError / WriteError."""
    if isinstance(exception, PSObject):
        message = ps_string(exception.get("Message"))
        exception_type = exception.type_name
    elif isinstance(exception, ErrorRecord):
        message, exception_type = exception.message, exception.exception_type
    else:
        message, exception_type = ps_string(exception), "System.Exception"
    return ErrorRecord(message=message, error_id=ps_string(error_id),
                       category=cast(category, "System.Management.Automation.ErrorCategory"), target=target,
                       exception_type=exception_type, details={"constructed": True})


def _version_static(key: str, method: str, args: list[Any]) -> Any:
    """``[version]::new(2, 0)`` / ``::new('2.0')`` / ``::Parse('2.0')`` (and the same for [semver])."""
    kind = Version if key == "version" else SemanticVersion
    if (method == "parse" and len(args) == 1) or (method == "new" and len(args) == 1 and isinstance(args[0], str)):
        return kind.parse(ps_string(args[0]))
    if method == "new" and args:
        numbers = [int(cast(a, "int")) for a in args]
        if kind is Version and 2 <= len(numbers) <= 4:
            return Version(*numbers)
        if kind is SemanticVersion and 1 <= len(numbers) <= 3:
            major, minor, patch = (numbers + [0, 0])[:3]
            return SemanticVersion(major, minor, patch)
    return NOT_HANDLED
