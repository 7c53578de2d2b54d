"""How Sort-Object and Group-Object compare values (ObjectCommandComparer over
LanguagePrimitives.TryCompare in PowerShell's source):

- ``$null`` against a number: a negative number is less than ``$null``, zero and positive ones
  greater (``CompareObjectToNull``); against anything else ``$null`` is less;
- strings: linguistic comparison (collation.py), case-insensitive unless -CaseSensitive;
- numbers of any type numerically; other values through the comparison operators' conversion
  of the second to the first's type; when that fails, their texts linguistically;
- a property an object does not have sorts after every value, ascending or descending.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

from pscompat.lang.dotnet import ps_string
from pscompat.script.collation import compare_strings
from pscompat.script.operators import compare

__all__ = ["MISSING", "compare_values", "compare_keys"]


class _Missing:
    """A property the object does not have (not the same as a property holding ``$null``)."""

    def __repr__(self) -> str:
        return "<missing property>"


MISSING: Any = _Missing()
_NUMBERS = (int, float, Decimal)


def _null_vs(value: Any) -> int:
    """Sign of ``$null`` compared with ``value`` (CompareObjectToNull with the number on the right)."""
    if isinstance(value, _NUMBERS) and not isinstance(value, bool):
        return 1 if value < 0 else -1
    return -1


def compare_values(a: Any, b: Any, case_sensitive: bool = False) -> int:
    """-1, 0 or 1 for two existing values, ascending."""
    if a is None and b is None:
        return 0
    if a is None:
        return _null_vs(b)
    if b is None:
        return -_null_vs(a)
    if isinstance(a, str):
        return compare_strings(a, ps_string(b), ignore_case=not case_sensitive)
    if isinstance(a, _NUMBERS) and isinstance(b, _NUMBERS) and not isinstance(a, bool) and not isinstance(b, bool):
        return (a > b) - (a < b)
    if isinstance(a, _dt.datetime) and isinstance(b, _dt.datetime):
        x, y = a.replace(tzinfo=None), b.replace(tzinfo=None)
        return (x > y) - (x < y)
    try:
        if compare(a, b, "lt", case_sensitive):
            return -1
        if compare(a, b, "gt", case_sensitive):
            return 1
        return 0
    except Exception:  # noqa: BLE001 - not comparable: PowerShell compares their texts
        return compare_strings(ps_string(a), ps_string(b), ignore_case=not case_sensitive)


def compare_keys(ka: list[Any], kb: list[Any], descending: list[bool], case_sensitive: bool) -> int:
    """Key by key: a missing property is last whatever the order; else the value order."""
    for i, (x, y) in enumerate(zip(ka, kb, strict=False)):
        if x is MISSING or y is MISSING:
            if x is MISSING and y is MISSING:
                continue
            return 1 if x is MISSING else -1
        r = compare_values(x, y, case_sensitive)
        if r:
            return -r if descending[i] else r
    return 0
