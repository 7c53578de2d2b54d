"""PowerShell's operators on pscompat values: comparison (left operand's type wins, arrays
filter), -like/-match/-replace/-split/-join, arithmetic with PowerShell's coercions, ranges."""

from __future__ import annotations

import datetime as _dt
import functools
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from pscompat.lang.dotnet import CastError, TypeNotFound, cast, is_true, ps_string, type_key, type_name_of
from pscompat.lang.format import FormatError, format_operator
from pscompat.lang.numbers import parse_number
from pscompat.script.collation import compare_strings
from pscompat.script.operator_errors import OperatorError
from pscompat.script.regexes import dotnet_regex as _regex
from pscompat.script.split_replace import replace_operator, split_operator
from pscompat.values import (
    ArrayList,
    DotNetObject,
    PSHashtable,
    PSObject,
    SemanticVersion,
    Single,
    TimeSpan,
    Version,
)

__all__ = ["binary", "compare", "OperatorError", "wildcard_regex", "to_number", "like"]


@functools.lru_cache(maxsize=512)
def wildcard_regex(pattern: str, case_sensitive: bool = False) -> re.Pattern[str]:
    """PowerShell wildcard (``*``, ``?``, ``[a-z]``, backtick escape) -> an anchored regex."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "`" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if c == "*":
            out.append(".*")
        elif c == "?":
            out.append(".")
        elif c == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                out.append(re.escape(c))
            else:
                out.append("[" + pattern[i + 1:end].replace("\\", "\\\\") + "]")
                i = end
        else:
            out.append(re.escape(c))
        i += 1
    flags = re.DOTALL | (0 if case_sensitive else re.IGNORECASE)
    try:
        return re.compile("".join(out) + r"\Z", flags)
    except re.error:   # a malformed [...] range: match the text literally
        return re.compile(re.escape(pattern) + r"\Z", flags)


def like(value: Any, pattern: Any, case_sensitive: bool = False) -> bool:
    return wildcard_regex(ps_string(pattern), case_sensitive).match(ps_string(value)) is not None


def to_number(value: Any) -> Any:
    """A value as a number for arithmetic (strings parse as PowerShell numbers)."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return 0
        try:
            return parse_number(text)
        except ValueError:
            raise OperatorError(f'Cannot convert value "{value}" to type "System.Int32". Error: "The input string '
                                f"'{value}' was not in a correct format.\"", "InvalidCastFromStringToInteger",
                                "InvalidArgument") from None
    if isinstance(value, list) and len(value) == 1:
        return to_number(value[0])
    raise OperatorError(f'Cannot convert the "{ps_string(value)}" value of type "{type_name_of(value)}" to type '
                        f'"System.Int32".', "ConvertToFinalInvalidCastException", "InvalidArgument")


def _coerce_like(left: Any, right: Any) -> Any:
    """Convert ``right`` to the type of ``left`` for comparison; raises ValueError when impossible."""
    if right is None or left is None:
        return right
    if isinstance(left, bool):
        return is_true(right)
    if isinstance(left, (int, float, Decimal)):
        if isinstance(right, (int, float, Decimal)) and not isinstance(right, bool):
            return right
        if isinstance(right, bool):
            return int(right)
        if isinstance(right, str):
            if right.strip() == "":
                return 0
            return parse_number(right.strip())
        raise ValueError
    if isinstance(left, str):
        return ps_string(right)
    if isinstance(left, _dt.datetime):
        if isinstance(right, _dt.datetime):
            return right
        return cast(right, "datetime")
    if isinstance(left, (Version, SemanticVersion)):
        return cast(right, "version" if isinstance(left, Version) else "semver")
    return right


def _dt_key(value: _dt.datetime) -> _dt.datetime:
    return value.replace(tzinfo=None)


def compare(left: Any, right: Any, op: str, case_sensitive: bool = False) -> bool:
    """Scalar comparison ``left op right`` with PowerShell's conversion of ``right`` to ``left``'s type."""
    if op in ("eq", "ne"):
        if left is None or right is None:
            equal = left is None and right is None
            return equal if op == "eq" else not equal
        try:
            r = _coerce_like(left, right)
        except (ValueError, CastError):
            return op == "ne"
        if isinstance(left, str):
            equal = left == r if case_sensitive else left.casefold() == str(r).casefold()
        elif isinstance(left, _dt.datetime):
            equal = _dt_key(left) == _dt_key(r)
        else:
            equal = left == r
        return equal if op == "eq" else not equal
    # ordering
    if left is None:
        if right is None:
            return op in ("ge", "le")
        return op in ("lt", "le")
    if right is None:
        return op in ("gt", "ge")
    try:
        r = _coerce_like(left, right)
    except (ValueError, CastError):
        raise OperatorError(f'Could not compare "{ps_string(left)}" to "{ps_string(right)}". Error: "Cannot '
                            f'convert value "{ps_string(right)}" to type "{type_name_of(left)}".', "ComparisonFailure",
                            "InvalidOperation") from None
    a, b = left, r
    if isinstance(a, str):
        # Linguistic, as LanguagePrimitives.Compare with the invariant culture (collation.py).
        order = compare_strings(a, str(b), ignore_case=not case_sensitive)
        return {"gt": order > 0, "ge": order >= 0, "lt": order < 0, "le": order <= 0}[op]
    if isinstance(a, _dt.datetime):
        a, b = _dt_key(a), _dt_key(b)
    elif isinstance(a, TimeSpan):
        a, b = a.delta, b.delta
    try:
        if op == "gt":
            return bool(a > b)
        if op == "ge":
            return bool(a >= b)
        if op == "lt":
            return bool(a < b)
        return bool(a <= b)
    except TypeError:
        raise OperatorError(f'Cannot compare "{ps_string(left)}" because it is not IComparable.',
                            "NotIcomparable", "InvalidOperation") from None


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def match_groups(m: re.Match[str]) -> PSHashtable:
    table = PSHashtable()
    named = {v: k for k, v in m.re.groupindex.items()}
    for i in range(m.re.groups, 0, -1):
        if m.group(i) is not None:
            table[named.get(i, i)] = m.group(i)
    table[0] = m.group(0)
    return table


def binary(op: str, left: Any, right: Any, matches: list[Any] | None = None,
           call_block: Callable[[Any, Any], list[Any]] | None = None) -> Any:
    """Evaluate a non-short-circuit binary operator. ``matches`` receives ``$Matches`` for -match;
    ``call_block(block, dollar_under)`` runs a script block operand (-replace, -split)."""
    if op in ("+", "-", "*", "/", "%"):
        return arithmetic(op, left, right)
    if op == "..":
        return _range(left, right)
    if op == "-f":
        try:
            return format_operator(ps_string(left), _as_list(right) if isinstance(right, list) else [right])
        except FormatError as exc:
            raise OperatorError(str(exc), "FormatError") from None
    base = op[1:]
    cs = False
    if base[0] in "ci" and base[1:] in _CASE_OPS:
        cs = base[0] == "c"
        base = base[1:]
    if base in ("eq", "ne", "gt", "ge", "lt", "le"):
        if isinstance(left, list):
            return [x for x in left if compare(x, right, base, cs)]
        return compare(left, right, base, cs)
    if base in ("like", "notlike"):
        want = base == "like"
        if isinstance(left, list):
            return [x for x in left if like(x, right, cs) == want]
        return like(left, right, cs) == want
    if base in ("match", "notmatch"):
        want = base == "match"
        rx = _regex(right, cs)
        if isinstance(left, list):
            return [x for x in left if (rx.search(ps_string(x)) is not None) == want]
        m = rx.search(ps_string(left))
        if m is not None and matches is not None:
            matches.append(match_groups(m))
        return (m is not None) == want
    if base in ("contains", "notcontains"):
        found = any(compare(x, right, "eq", cs) for x in _as_list(left))
        return found == (base == "contains")
    if base in ("in", "notin"):
        found = any(compare(x, left, "eq", cs) for x in _as_list(right))
        return found == (base == "in")
    if base == "replace":
        return replace_operator(left, right, cs, call_block)
    if base == "split":
        return split_operator(left, right, cs, call_block)
    if base == "join":
        return ps_string(right).join(ps_string(x) for x in _as_list(left))
    if base in ("is", "isnot"):
        result = is_type(left, right)
        return result if base == "is" else not result
    if base == "as":
        try:
            return cast(left, _type_name(right))
        except (CastError, TypeNotFound, ValueError):
            return None
    if base in ("band", "bor", "bxor", "shl", "shr"):
        a, b = int(to_number(left)), int(to_number(right))
        return {"band": a & b, "bor": a | b, "bxor": a ^ b, "shl": a << b, "shr": a >> b}[base]
    if base == "xor":
        return is_true(left) != is_true(right)
    raise OperatorError(f"The operator '{op}' is not supported by pscompat.", "OperatorNotSupported")


_CASE_OPS = {"eq", "ne", "gt", "ge", "lt", "le", "like", "notlike", "match", "notmatch", "contains",
             "notcontains", "in", "notin", "replace", "split"}


def _type_name(right: Any) -> str:
    from pscompat.lang import ast as A
    if isinstance(right, A.TypeLiteral):
        return right.name
    if isinstance(right, PSObject) and right.has("FullName"):
        return str(right.get("FullName"))
    return ps_string(right)


def is_type(value: Any, type_ref: Any) -> bool:
    name = _type_name(type_ref)
    try:
        key = type_key(name)
    except TypeNotFound:
        key = ""
    if isinstance(value, DotNetObject):
        return key in value.type_keys or key in ("object", "psobject")
    if not key:
        return isinstance(value, PSObject) and any(t.lower() == name.lower() for t in value.type_names)
    checks = {
        "string": lambda v: isinstance(v, str), "int": lambda v: isinstance(v, int) and not isinstance(v, bool)
        and -(2**31) <= v < 2**31, "long": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "double": lambda v: isinstance(v, float) and not isinstance(v, Single),
        "float": lambda v: isinstance(v, Single), "decimal": lambda v: isinstance(v, Decimal),
        "bool": lambda v: isinstance(v, bool), "datetime": lambda v: isinstance(v, _dt.datetime),
        "hashtable": lambda v: isinstance(v, PSHashtable), "array": lambda v: isinstance(v, list),
        "object[]": lambda v: isinstance(v, list), "pscustomobject": lambda v: isinstance(v, PSObject),
        "psobject": lambda v: v is not None, "object": lambda v: v is not None,
        "timespan": lambda v: isinstance(v, TimeSpan),
        "collections.arraylist": lambda v: isinstance(v, ArrayList),
    }
    check = checks.get(key)
    if check is None:
        return isinstance(value, PSObject) and any(t.lower() == name.lower() or t.lower() == "system." + name.lower()
                                                   for t in value.type_names)
    return bool(check(value))


def _range(left: Any, right: Any) -> list[Any]:
    if isinstance(left, str) and isinstance(right, str) and len(left) == 1 and len(right) == 1:
        a, b = ord(left), ord(right)
        step = 1 if b >= a else -1
        return [chr(c) for c in range(a, b + step, step)]
    a = int(cast(left, "int"))
    b = int(cast(right, "int"))
    step = 1 if b >= a else -1
    return list(range(a, b + step, step))


def arithmetic(op: str, left: Any, right: Any) -> Any:
    if op == "+":
        if left is None:
            if isinstance(right, list):
                return list(right)
            return right
        if isinstance(left, list):
            return list(left) + (list(right) if isinstance(right, list) else [right])
        if isinstance(left, str):
            return left + ps_string(right)
        if isinstance(left, PSHashtable):
            if not isinstance(right, PSHashtable):
                raise OperatorError("A hash table can only be added to another hash table.", "AddHashTableToNonHashTable")
            merged = left.copy()
            for k, v in right.items():
                if k in merged:
                    raise OperatorError(f"Item has already been added. Key in dictionary: '{k}'  Key being added: "
                                        f"'{k}'", "DuplicateKeyInHashLiteral")
                merged[k] = v
            return merged
        if isinstance(left, _dt.datetime) and isinstance(right, TimeSpan):
            return left + right.delta
        if isinstance(left, TimeSpan) and isinstance(right, TimeSpan):
            return TimeSpan(left.delta + right.delta)
    if op == "-":
        if isinstance(left, _dt.datetime):
            if isinstance(right, _dt.datetime):
                return TimeSpan(left.replace(tzinfo=None) - right.replace(tzinfo=None))
            if isinstance(right, TimeSpan):
                return left - right.delta
        if isinstance(left, TimeSpan) and isinstance(right, TimeSpan):
            return TimeSpan(left.delta - right.delta)
    if op == "*":
        if isinstance(left, str):
            return left * int(to_number(right))
        if isinstance(left, list):
            return list(left) * int(to_number(right))
    if isinstance(left, (PSObject, PSHashtable, list, _dt.datetime)):
        raise OperatorError(f"Method invocation failed because [{type_name_of(left)}] does not contain a method "
                            f"named 'op_{_OP_NAMES[op]}'.", "MethodNotFound")
    a = to_number(left)
    b = to_number(right)
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        if isinstance(a, float) or isinstance(b, float):
            a, b = float(a), float(b)
        else:
            a, b = Decimal(a), Decimal(b)
    try:
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/":
            if b == 0:
                raise OperatorError("Attempted to divide by zero.", "RuntimeException")
            if isinstance(a, int) and isinstance(b, int):
                return a // b if a % b == 0 else a / b
            return a / b
        if b == 0:
            raise OperatorError("Attempted to divide by zero.", "RuntimeException")
        if isinstance(a, int) and isinstance(b, int):
            r = abs(a) % abs(b)
            return -r if a < 0 else r
        import math
        return math.fmod(a, b)
    except TypeError:
        raise OperatorError(f"The operator '{op}' cannot be applied to these values.", "OperatorFailed") from None


_OP_NAMES = {"+": "Addition", "-": "Subtraction", "*": "Multiply", "/": "Division", "%": "Modulus"}
