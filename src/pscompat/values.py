"""PowerShell values as Python values, shared by every stage.

Mapping (one convention everywhere, so no stage re-invents it):

- ``$null`` -> ``None``; ``[bool]`` and ``[switch]`` -> ``bool``; ``[int]``/``[long]`` -> ``int``;
  ``[double]`` -> ``float``; ``[decimal]`` -> ``decimal.Decimal``; ``[string]`` -> ``str``.
- ``[datetime]`` -> ``datetime.datetime`` carrying .NET's ``DateTimeKind`` in its tzinfo:
  ``Utc`` = aware with ``timezone.utc``; ``Local`` = aware with the local zone; ``Unspecified`` =
  naive. ``dotnet_kind`` tells which.
- ``@{}`` -> ``PSHashtable`` (keys compared case-insensitively, as in PowerShell; insertion order
  kept, so ``[ordered]@{}`` is the same type with ``ordered=True``).
- ``[PSCustomObject]@{}`` and objects written by cmdlets -> ``PSObject`` (ordered properties,
  case-insensitive member lookup, a list of type names for views and pipeline binding).
- arrays -> ``list``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from typing import Any

__all__ = ["PSHashtable", "PSObject", "dotnet_kind", "local_now", "to_utc", "get_member"]


class PSHashtable(MutableMapping[Any, Any]):
    """A hashtable with PowerShell's case-insensitive string keys, keeping insertion order."""

    __slots__ = ("_data", "ordered")

    def __init__(self, items: Mapping[Any, Any] | Iterable[tuple[Any, Any]] | None = None,
                 *, ordered: bool = False) -> None:
        self._data: dict[Any, tuple[Any, Any]] = {}
        self.ordered = ordered
        if items is not None:
            pairs = items.items() if isinstance(items, Mapping) else items
            for key, value in pairs:
                self[key] = value

    @staticmethod
    def _fold(key: Any) -> Any:
        return key.casefold() if isinstance(key, str) else key

    def __getitem__(self, key: Any) -> Any:
        return self._data[self._fold(key)][1]

    def __setitem__(self, key: Any, value: Any) -> None:
        folded = self._fold(key)
        existing = self._data.get(folded)
        # PowerShell keeps the first spelling of a key when it is assigned again.
        self._data[folded] = (existing[0] if existing else key, value)

    def __delitem__(self, key: Any) -> None:
        del self._data[self._fold(key)]

    def __iter__(self) -> Iterator[Any]:
        return (original for original, _ in self._data.values())

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return self._fold(key) in self._data

    def original_key(self, key: Any) -> Any:
        """The key as it was first written (``@{ LifeTime = 1 }['lifetime']`` -> ``LifeTime``)."""
        return self._data[self._fold(key)][0]

    def copy(self) -> PSHashtable:
        return PSHashtable(self.items(), ordered=self.ordered)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PSHashtable):
            return self._data.keys() == other._data.keys() and all(
                self[k] == other[k] for k in self)
        if isinstance(other, Mapping):
            return self == PSHashtable(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        inner = "; ".join(f"{k!r} = {v!r}" for k, v in self.items())
        return f"{'[ordered]' if self.ordered else ''}@{{{inner}}}"


class PSObject:
    """An object with ordered, case-insensitive properties and PowerShell type names.

    ``type_names`` is most-derived first, like ``$obj.PSObject.TypeNames`` (views and
    ``ByValue`` pipeline binding use it).
    """

    __slots__ = ("_props", "type_names")

    def __init__(self, properties: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
                 type_names: Iterable[str] = ("System.Management.Automation.PSCustomObject",)) -> None:
        self._props = PSHashtable(properties or (), ordered=True)
        self.type_names: list[str] = list(type_names)

    @property
    def type_name(self) -> str:
        return self.type_names[0] if self.type_names else "System.Object"

    def properties(self) -> list[tuple[str, Any]]:
        return list(self._props.items())

    def property_names(self) -> list[str]:
        return list(self._props)

    def has(self, name: str) -> bool:
        return name in self._props

    def get(self, name: str, default: Any = None) -> Any:
        return self._props.get(name, default)

    def set(self, name: str, value: Any) -> None:
        self._props[name] = value

    def __getitem__(self, name: str) -> Any:
        return self._props[name]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PSObject):
            return NotImplemented
        return self.type_names == other.type_names and self.properties() == other.properties()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        inner = "; ".join(f"{k}={v!r}" for k, v in self._props.items())
        return f"<{self.type_name} @{{{inner}}}>"


def get_member(value: Any, name: str) -> tuple[bool, Any]:
    """Property lookup the way the pipeline binder sees it: (found, value)."""
    if isinstance(value, PSObject):
        return (True, value.get(name)) if value.has(name) else (False, None)
    if isinstance(value, PSHashtable):
        # A hashtable's keys are not properties for ByPropertyName binding, but member access
        # ($h.Key) reads them; callers that need the binder's view check the type first.
        return (True, value[name]) if name in value else (False, None)
    return False, None


def dotnet_kind(value: _dt.datetime) -> str:
    """.NET DateTimeKind of a datetime under this module's convention."""
    if value.tzinfo is None:
        return "Unspecified"
    if value.utcoffset() == _dt.timedelta(0) and value.tzinfo is _dt.UTC:
        return "Utc"
    return "Local"


def local_now() -> _dt.datetime:
    """``Get-Date``: local time, kind Local."""
    return _dt.datetime.now().astimezone()


def to_utc(value: _dt.datetime) -> _dt.datetime:
    """``.ToUniversalTime()``: Unspecified is taken as local first, as .NET does."""
    if value.tzinfo is None:
        value = value.astimezone()  # naive -> interpreted as local time
    return value.astimezone(_dt.UTC)
