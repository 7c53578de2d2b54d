"""The .NET types parallel scripts share state with (about_Thread_Jobs, about_Foreach-Parallel:
"use thread-safe types such as System.Collections.Concurrent"):

- ``[System.Collections.Concurrent.ConcurrentBag[T]]::new()``: Add, TryTake, TryPeek, ToArray,
  Count, IsEmpty, Clear; enumerated most recent first (a bag filled by one thread is a stack);
- ``ConcurrentQueue[T]``: Enqueue, TryDequeue, TryPeek, first in first out;
- ``ConcurrentStack[T]``: Push, PushRange, TryPop, TryPeek, last in first out;
- ``ConcurrentDictionary[K,V]``: TryAdd, TryGetValue, TryRemove, TryUpdate, AddOrUpdate and
  GetOrAdd (values or script-block factories), the indexer, ContainsKey, Keys, Values; string
  keys are case-sensitive (.NET's default comparer, unlike a hashtable); enumerated as
  KeyValuePair objects (Key, Value);
- ``[System.Threading.Interlocked]::Increment([ref]$n)`` / Decrement / Add / Exchange /
  CompareExchange / Read: atomic on the reference;
- ``[hashtable]::Synchronized($h)``: a wrapper over the same table whose writes take a lock
  (IsSynchronized is True).

Every operation takes the collection's lock, so threads of ``ForEach-Object -Parallel`` and
thread jobs never lose an item. Elements convert to ``T`` as .NET's method binder would
(``ConcurrentBag[int]`` ``.Add('5')`` stores 5; a value that does not convert is the
method-argument conversion error).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from pscompat.lang.dotnet import CastError, cast, ps_string
from pscompat.values import DotNetObject, PSHashtable, PSObject, PSReference

__all__ = ["new_concurrent", "is_concurrent_type", "interlocked", "SyncHashtable", "CONCURRENT_TYPES"]

_NS = "System.Collections.Concurrent."
CONCURRENT_TYPES = {"concurrentbag": 1, "concurrentqueue": 1, "concurrentstack": 1, "concurrentdictionary": 2}
_UNTYPED = {"object", "psobject", "pscustomobject", "system.object", "system.management.automation.psobject",
            "system.management.automation.pscustomobject"}


def _generic_args(inner: str) -> list[str]:
    """``string,int`` or ``[string],[int]`` -> the type names, brackets stripped."""
    parts, depth, current = [], 0, ""
    for ch in inner:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += ch
    parts.append(current)
    return [p.strip().strip("[]").strip() for p in parts if p.strip()]


def _parse(type_name: str) -> tuple[str, list[str]] | None:
    low = type_name.replace(" ", "")
    bare = low.lower()
    for prefix in ("system.collections.concurrent.", "collections.concurrent."):
        if bare.startswith(prefix):
            rest = low[len(prefix):]
            name, _, inner = rest.partition("[")
            if name.lower() in CONCURRENT_TYPES and inner.endswith("]"):
                args = _generic_args(inner[:-1])
                if len(args) == CONCURRENT_TYPES[name.lower()]:
                    return name.lower(), args
    return None


def is_concurrent_type(type_name: str) -> bool:
    return _parse(type_name) is not None


def _converter(type_name: str) -> Callable[[Any], Any]:
    if type_name.lower() in _UNTYPED:
        return lambda v: v

    def convert(value: Any) -> Any:
        try:
            return cast(value, type_name)
        except (CastError, ValueError) as exc:
            raise CastError(f'Cannot convert argument "item", with value: "{ps_string(value)}", for "Add" to type '
                            f'"{type_name}": "{exc}"') from None
    return convert


class _Concurrent(DotNetObject):
    """Shared parts: the lock, the element conversion, Count/IsEmpty/ToArray/Clear, GetType."""

    kind = ""

    def __init__(self, args: list[str]) -> None:
        self.lock = threading.RLock()
        self.args = args
        self.convert = _converter(args[-1] if self.kind != "concurrentdictionary" else args[1])
        display = {"concurrentbag": "ConcurrentBag", "concurrentqueue": "ConcurrentQueue",
                   "concurrentstack": "ConcurrentStack", "concurrentdictionary": "ConcurrentDictionary"}[self.kind]
        arity = len(args)
        self.type_names = (f"{_NS}{display}`{arity}", "System.Object")
        self.type_keys = (f"collections.concurrent.{self.kind}[{','.join(a.lower() for a in args)}]",
                          f"collections.concurrent.{self.kind}")
        self.items: list[Any] = []

    def snapshot(self) -> list[Any]:
        with self.lock:
            return list(self.items)

    def ps_property(self, name: str) -> tuple[bool, Any]:
        key = name.lower()
        if key == "count":
            return True, len(self.items)
        if key == "isempty":
            return True, not self.items
        return False, None

    def _common(self, key: str, args: list[Any]) -> tuple[bool, Any]:
        if key == "toarray":
            return True, list(self.ps_enumerate() or [])
        if key == "clear":
            with self.lock:
                self.items.clear()
            return True, None
        if key == "tostring":
            return True, self.type_name
        return False, None

    def ps_string(self) -> str:
        return f"{self.type_name}[{', '.join(self.args)}]"


def _out(ref: Any, value: Any) -> None:
    if not isinstance(ref, PSReference):
        raise CastError('Cannot convert argument "result", with value: "", for "TryTake" to type '
                        '"System.Management.Automation.PSReference": "Reference type is expected in argument."')
    ref.value = value


class _Sequence(_Concurrent):
    """Bag, queue and stack differ only in their method names and in which end an item leaves
    by (and so the order they enumerate in)."""

    adds: tuple[str, ...] = ()
    take = ""
    from_front = False      # True: first in first out (a queue)

    def ps_enumerate(self) -> list[Any]:
        items = self.snapshot()
        return items if self.from_front else list(reversed(items))

    def ps_call(self, name: str, args: list[Any]) -> Any:
        key = name.lower()
        if key in self.adds and len(args) == 1:
            value = self.convert(args[0])
            with self.lock:
                self.items.append(value)
            return None
        if key == "pushrange" and "push" in self.adds and len(args) == 1:
            values = [self.convert(v) for v in (args[0] if isinstance(args[0], list) else [args[0]])]
            with self.lock:
                self.items.extend(values)
            return None
        if key in (self.take, "trypeek") and len(args) == 1:
            end = 0 if self.from_front else -1
            with self.lock:
                if not self.items:
                    _out(args[0], None)
                    return False
                value = self.items.pop(end) if key == self.take else self.items[end]
            _out(args[0], value)
            return True
        found, result = self._common(key, args)
        if found:
            return result
        raise AttributeError(name)


class ConcurrentBag(_Sequence):
    kind, adds, take = "concurrentbag", ("add",), "trytake"   # one thread's bag behaves as a stack


class ConcurrentQueue(_Sequence):
    kind, adds, take, from_front = "concurrentqueue", ("enqueue",), "trydequeue", True


class ConcurrentStack(_Sequence):
    kind, adds, take = "concurrentstack", ("push",), "trypop"


def _pair(key: Any, value: Any) -> PSObject:
    return PSObject([("Key", key), ("Value", value)],
                    type_names=("System.Collections.Generic.KeyValuePair`2", "System.ValueType", "System.Object"))


class ConcurrentDictionary(_Concurrent):
    kind = "concurrentdictionary"

    def __init__(self, args: list[str]) -> None:
        super().__init__(args)
        self.key_convert = _converter(args[0])
        self.table: dict[Any, Any] = {}

    def snapshot(self) -> list[Any]:
        with self.lock:
            return [_pair(k, v) for k, v in self.table.items()]

    def ps_enumerate(self) -> list[Any]:
        return self.snapshot()

    def ps_property(self, name: str) -> tuple[bool, Any]:
        key = name.lower()
        with self.lock:
            if key == "count":
                return True, len(self.table)
            if key == "isempty":
                return True, not self.table
            if key == "keys":
                return True, list(self.table)
            if key == "values":
                return True, list(self.table.values())
        return False, None

    def _key(self, value: Any) -> Any:
        if value is None:
            raise CastError("Value cannot be null. (Parameter 'key')")
        return self.key_convert(value)

    def ps_index(self, key: Any) -> Any:
        """PowerShell's indexer on a dictionary: a missing key reads as $null (no exception)."""
        k = self._key(key)
        with self.lock:
            return self.table.get(k)

    def ps_set_index(self, key: Any, value: Any) -> None:
        k, v = self._key(key), self.convert(value)
        with self.lock:
            self.table[k] = v

    def ps_call(self, name: str, args: list[Any]) -> Any:
        key = name.lower()
        n = len(args)
        if key == "tryadd" and n == 2:
            k, v = self._key(args[0]), self.convert(args[1])
            with self.lock:
                if k in self.table:
                    return False
                self.table[k] = v
                return True
        if key in ("trygetvalue", "tryremove") and n == 2:
            k = self._key(args[0])
            with self.lock:
                found = k in self.table
                value = (self.table.pop(k) if key == "tryremove" else self.table[k]) if found else None
            _out(args[1], value)
            return found
        if key == "tryupdate" and n == 3:
            k = self._key(args[0])
            with self.lock:
                if k in self.table and self.table[k] == args[2]:
                    self.table[k] = self.convert(args[1])
                    return True
                return False
        if key == "containskey" and n == 1:
            k = self._key(args[0])
            with self.lock:
                return k in self.table
        if key == "getoradd" and n == 2:
            k = self._key(args[0])
            with self.lock:
                if k not in self.table:
                    made = args[1](k) if callable(args[1]) else args[1]
                    self.table[k] = self.convert(made)
                return self.table[k]
        if key == "addorupdate" and n == 3:
            k = self._key(args[0])
            add, update = args[1], args[2]
            with self.lock:
                if k in self.table:
                    new = update(k, self.table[k]) if callable(update) else update
                else:
                    new = add(k) if callable(add) else add
                self.table[k] = self.convert(new)
                return self.table[k]
        if key == "clear":
            with self.lock:
                self.table.clear()
            return None
        if key == "toarray":
            return self.snapshot()
        if key == "tostring":
            return self.type_name
        raise AttributeError(name)


_CLASSES: dict[str, type[_Concurrent]] = {"concurrentbag": ConcurrentBag, "concurrentqueue": ConcurrentQueue,
                                          "concurrentstack": ConcurrentStack,
                                          "concurrentdictionary": ConcurrentDictionary}


def new_concurrent(type_name: str, args: list[Any]) -> DotNetObject:
    """``[...Concurrent.X[T]]::new()`` (a collection argument fills a bag, queue or stack)."""
    parsed = _parse(type_name)
    if parsed is None:
        raise ValueError(type_name)
    kind, generic = parsed
    obj = _CLASSES[kind](generic)
    if args and kind != "concurrentdictionary":
        source = args[0] if isinstance(args[0], list) else [args[0]]
        obj.items.extend(obj.convert(v) for v in source)
    return obj


class SyncHashtable(PSHashtable):
    """``[hashtable]::Synchronized($h)``: the same table, every write under one lock."""

    __slots__ = ("lock",)

    def __init__(self, original: PSHashtable) -> None:
        super().__init__(ordered=original.ordered)
        self._data = original._data   # a wrapper, as .NET's: changes show in both
        self.lock = threading.RLock()

    def __setitem__(self, key: Any, value: Any) -> None:
        with self.lock:
            super().__setitem__(key, value)

    def __delitem__(self, key: Any) -> None:
        with self.lock:
            super().__delitem__(key)


def _number(ref: PSReference, what: str) -> Any:
    value = ref.value
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            return cast(value, "int")
        except (CastError, ValueError):
            raise CastError(f'Cannot convert argument "location1", with value: "{ps_string(value)}", for "{what}" '
                            'to type "System.Int32&"') from None
    return value


def interlocked(name: str, args: list[Any]) -> Any:
    """``[System.Threading.Interlocked]::<name>(...)``; AttributeError for another method."""
    key = name.lower()
    if not args or not isinstance(args[0], PSReference):
        raise CastError(f'Cannot convert argument "location1", with value: "{ps_string(args[0]) if args else ""}", '
                        f'for "{name}" to type "System.Int32&": "Reference type is expected in argument."')
    ref = args[0]
    with ref.lock:
        if key in ("increment", "decrement") and len(args) == 1:
            ref.value = _number(ref, name) + (1 if key == "increment" else -1)
            return ref.value
        if key == "add" and len(args) == 2:
            ref.value = _number(ref, name) + cast(args[1], "long" if isinstance(args[1], int) else "double")
            return ref.value
        if key == "exchange" and len(args) == 2:
            old, ref.value = ref.value, args[1]
            return old
        if key == "compareexchange" and len(args) == 3:
            old = ref.value
            if old == args[2]:
                ref.value = args[1]
            return old
        if key == "read" and len(args) == 1:
            return ref.value
    raise AttributeError(name)
