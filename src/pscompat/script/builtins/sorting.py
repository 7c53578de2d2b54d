"""Sort-Object, Group-Object and Compare-Object, as PowerShell 7 orders, groups and compares
(SortObjectCommand, GroupObjectCommand, CompareObjectCommand, OrderByProperty; comparisons in
script/ordering.py).

Keys: a property name, a script block (``Sort-Object { $_.X }``, run with ``$_``), or a hashtable
(``@{Expression=...; Descending=$true}``, ``e``/``a``/``d`` abbreviations). A hashtable's keys are
not properties for these cmdlets (PowerShell reads properties through PSObject, which does not
adapt dictionary keys): ``@{n=1} | Sort-Object n`` finds no ``n``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from pscompat.lang.dotnet import is_true, ps_string
from pscompat.script.binding import ParamSpec as P
from pscompat.script.builtins.objects import _dot_invoke
from pscompat.script.builtins.registry import Call, builtin
from pscompat.script.members import get_property
from pscompat.script.ordering import MISSING, compare_keys, compare_values
from pscompat.script.scriptblock import ScriptBlockValue
from pscompat.values import PSHashtable, PSObject

_U = "Microsoft.PowerShell.Commands"
_DICTIONARY_PROPERTIES = {"count", "keys", "values", "isreadonly", "isfixedsize", "issynchronized"}
Getter = Callable[[Any], Any]


def _property(item: Any, name: str) -> Any:
    if isinstance(item, PSHashtable) and name.lower() not in _DICTIONARY_PROPERTIES:
        return MISSING
    found, value = get_property(item, name)
    return value if found else MISSING


def _block_getter(call: Call, block: ScriptBlockValue) -> Getter:
    def get(item: Any) -> Any:
        out = _dot_invoke(call, block, item)
        return None if not out else out[0] if len(out) == 1 else out
    return get


def _key(call: Call, spec: Any, descending: bool) -> tuple[Getter, bool]:
    """One sort/group key and its direction."""
    if isinstance(spec, ScriptBlockValue):
        return _block_getter(call, spec), descending
    if isinstance(spec, PSHashtable):
        expression: Any = None
        for k, v in spec.items():
            name = ps_string(k).lower()
            if name and "expression".startswith(name):
                expression = v
            elif name and "descending".startswith(name):
                descending = is_true(v)
            elif name and "ascending".startswith(name):
                descending = not is_true(v)
            else:
                raise call.error(f'The "{ps_string(k)}" key is not valid.', "DictionaryKeyIllegal", "InvalidArgument",
                                 exception_type="System.NotSupportedException")
        if expression is None:
            raise call.error("The Expression key is missing from a calculated property.", "DictionaryKeyMissing",
                             "InvalidArgument", exception_type="System.NotSupportedException")
        return _key(call, expression, descending)
    name = ps_string(spec)
    return (lambda item: _property(item, name)), descending


def _keys(call: Call, descending: bool) -> list[tuple[Getter, bool]]:
    props = call.get("Property")
    if props is None:
        return [((lambda item: item), descending)]
    return [_key(call, spec, descending) for spec in (props if isinstance(props, list) else [props])]


@builtin("Sort-Object", f"{_U}.SortObjectCommand",
         [P("Property", "object[]", position=0), P("Descending", "switch"), P("Unique", "switch"),
          P("CaseSensitive", "switch"), P("InputObject", "object", pipeline=True), P("Top", "int"),
          P("Bottom", "int"), P("Stable", "switch"), P("Culture", "string")], aliases=("sort",))
def sort_object(call: Call) -> list[Any]:
    """Stable whether or not -Stable is given (an unstable sort may order ties either way)."""
    keys = _keys(call, call.switch("Descending"))
    cs = call.switch("CaseSensitive")
    directions = [d for _, d in keys]
    rows = [([get(item) for get, _ in keys], item) for item in call.items()]
    def by_keys(a: tuple[list[Any], Any], b: tuple[list[Any], Any]) -> int:
        return compare_keys(a[0], b[0], directions, cs)
    rows.sort(key=functools.cmp_to_key(by_keys))
    if call.switch("Unique"):
        unique: list[tuple[list[Any], Any]] = []
        for row in rows:
            if not unique or compare_keys(unique[-1][0], row[0], directions, cs) != 0:
                unique.append(row)
        rows = unique
    out = [item for _, item in rows]
    if call.has("Top"):
        out = out[:max(0, int(call.get("Top")))]
    elif call.has("Bottom"):
        bottom = max(0, int(call.get("Bottom")))
        out = out[len(out) - bottom:] if bottom else []
    return out


def _group_name(values: list[Any]) -> str:
    """GroupInfo.BuildName: the key values joined by ', ', a collection as {a, b}, $null skipped."""
    parts = []
    for v in values:
        if v is None or v is MISSING:
            continue
        parts.append("{" + ", ".join(ps_string(x) for x in v) + "}" if isinstance(v, list) else ps_string(v))
    return ", ".join(parts)


def _same_types(rows: list[list[Any]]) -> bool:
    seen: list[type | None] = []
    for values in rows:
        types = [type(v) if v is not None and v is not MISSING else None for v in values]
        if not seen:
            seen = types
            continue
        if len(types) != len(seen):
            return False
        for i, t in enumerate(types):
            if t is None:
                continue
            if seen[i] is None:
                seen[i] = t
            elif seen[i] is not t:
                return False
    return True


@builtin("Group-Object", f"{_U}.GroupObjectCommand",
         [P("Property", "object[]", position=0), P("NoElement", "switch"), P("AsHashTable", "switch"),
          P("AsString", "switch"), P("CaseSensitive", "switch"), P("Culture", "string"),
          P("InputObject", "object", pipeline=True)],
         aliases=("group",))
def group_object(call: Call) -> list[Any]:
    """Groups sorted by their key when every key value has one type (PowerShell 7), else in the
    order each group first appears; keys equal by the sort comparison (case-insensitive)."""
    if call.switch("AsString") and not call.switch("AsHashTable"):
        raise call.error("The AsString parameter requires the AsHashTable parameter.", "ArgumentException",
                         "InvalidArgument", exception_type="System.ArgumentException")
    keys = _keys(call, False)
    props = call.get("Property")
    if call.switch("AsHashTable") and not call.switch("AsString") and isinstance(props, list) and len(props) > 1:
        raise call.error("The AsHashTable parameter needs a single property; add AsString to group by several.",
                         "ArgumentException", "InvalidArgument", exception_type="System.ArgumentException")
    cs = call.switch("CaseSensitive")
    ascending = [False] * len(keys)
    entries = [([get(item) for get, _ in keys], item) for item in call.items() if item is not None]
    ordered = _same_types([values for values, _ in entries])
    if ordered:
        def by_keys(a: tuple[list[Any], Any], b: tuple[list[Any], Any]) -> int:
            return compare_keys(a[0], b[0], ascending, cs)
        entries.sort(key=functools.cmp_to_key(by_keys))
    groups: list[tuple[list[Any], list[Any]]] = []
    for values, item in entries:
        target = None
        candidates = groups[-1:] if ordered else groups
        for group in candidates:
            if compare_keys(group[0], values, ascending, cs) == 0:
                target = group
                break
        if target is None:
            target = (values, [])
            groups.append(target)
        target[1].append(item)
    if call.switch("AsHashTable"):
        table = PSHashtable()
        for values, members in groups:
            key = _group_name(values) if call.switch("AsString") else values[0]
            table[None if key is MISSING else key] = members
        return [table] if groups else []
    out = []
    for values, members in groups:
        no_element = call.switch("NoElement")
        type_name = f"{_U}.GroupInfoNoElement" if no_element else f"{_U}.GroupInfo"
        obj = PSObject(type_names=[type_name, f"{_U}.GroupInfo"] if no_element else [type_name])
        obj.set("Values", [None if v is MISSING else v for v in values])
        obj.set("Count", len(members))
        obj.set("Group", [] if no_element else members)
        obj.set("Name", _group_name(values))
        out.append(obj)
    return out


_INT_MAX = 2**31 - 1


def _key_name(spec: Any) -> str:
    """What Compare-Object names a -Property column: the property, or the expression's text."""
    if isinstance(spec, PSHashtable):
        for k, v in spec.items():
            if ps_string(k) and "expression".startswith(ps_string(k).lower()):
                return _key_name(v)
    return ps_string(spec)


@builtin("Compare-Object", f"{_U}.CompareObjectCommand",
         [P("ReferenceObject", "psobject[]", position=0, mandatory=True, validators=[("allowemptycollection", [])]),
          P("DifferenceObject", "psobject[]", position=1, mandatory=True, pipeline=True,
            validators=[("allowemptycollection", [])]),
          P("SyncWindow", "int", validators=[("validaterange", [0, _INT_MAX])]), P("Property", "object[]"),
          P("ExcludeDifferent", "switch"), P("IncludeEqual", "switch"), P("PassThru", "switch"),
          P("Culture", "string"), P("CaseSensitive", "switch")],
         aliases=("compare",))
def compare_object(call: Call) -> list[Any]:
    """CompareObjectCommand's matching: each difference object is compared with the next
    reference object, then with the unmatched ones held back on either side (up to -SyncWindow
    of each); at the end the unmatched difference objects come out (=>), then the reference ones
    (<=). -ExcludeDifferent alone outputs nothing (it needs -IncludeEqual, as in PowerShell)."""
    reference = call.get("ReferenceObject") or []   # a psobject[] (its $null is refused at binding)
    difference = call.items("DifferenceObject")
    window = int(call.get("SyncWindow", _INT_MAX))
    cs = call.switch("CaseSensitive")
    include_equal = call.switch("IncludeEqual")
    exclude_different = call.switch("ExcludeDifferent")
    props = call.get("Property")
    specs = [] if props is None else props if isinstance(props, list) else [props]
    getters = [get for get, _ in _keys(call, False)]
    names = [_key_name(spec) for spec in specs]
    ascending = [False] * len(getters)
    out: list[Any] = []

    def entry(item: Any) -> tuple[list[Any], Any]:
        return [get(item) for get in getters], item

    def same(a: tuple[list[Any], Any], b: tuple[list[Any], Any]) -> bool:
        return compare_keys(a[0], b[0], ascending, cs) == 0

    def emit(found: tuple[list[Any], Any], side: str) -> None:
        if call.switch("PassThru"):
            item = found[1]
            if isinstance(item, PSObject):
                item.set("SideIndicator", side)   # on the object itself, as PowerShell's note
            out.append(item)
            return
        obj = PSObject()
        if names:
            for name, value in zip(names, found[0], strict=True):
                if not obj.has(name):
                    obj.set(name, None if value is MISSING else value)
        else:
            obj.set("InputObject", found[1])
        obj.set("SideIndicator", side)
        out.append(obj)

    def take(match: tuple[list[Any], Any] | None, held: list[tuple[list[Any], Any]]) -> tuple[list[Any], Any] | None:
        if match is None:
            return None
        for i, candidate in enumerate(held):
            if same(match, candidate):
                return held.pop(i)
        return None

    def hold(found: tuple[list[Any], Any], held: list[tuple[list[Any], Any]], side: str) -> None:
        if window == 0:
            if not exclude_different:
                emit(found, side)
            return
        while len(held) >= window:
            if not exclude_different:
                emit(held[0], side)
            held.pop(0)
        held.append(found)

    if call.input is not None and not difference:
        return []   # nothing came down the pipeline: no record to process
    if not reference:   # every difference object is unmatched
        if not exclude_different:
            for item in difference:
                emit(entry(item), "=>")
        return out
    references = [entry(r) for r in reference]
    next_ref = 0
    held_ref: list[tuple[list[Any], Any]] = []
    held_diff: list[tuple[list[Any], Any]] = []

    def process(incoming: tuple[list[Any], Any] | None) -> None:
        nonlocal next_ref
        ref = None
        if next_ref < len(references):
            ref = references[next_ref]
            next_ref += 1
        if ref is not None and incoming is not None and same(ref, incoming):
            if include_equal:
                emit(ref, "==")
            return
        matched = take(incoming, held_ref)
        if matched is not None:
            if include_equal:
                emit(matched, "==")
            incoming = None
        if ref is not None and take(ref, held_diff) is not None:
            if include_equal:
                emit(ref, "==")
            ref = None
        if incoming is not None:
            hold(incoming, held_diff, "=>")
        if ref is not None:
            hold(ref, held_ref, "<=")

    for item in difference:
        process(entry(item))
    while next_ref < len(references):
        process(None)
    if not exclude_different:
        for found in held_diff:
            emit(found, "=>")
        for found in held_ref:
            emit(found, "<=")
    return out


__all__ = ["sort_object", "group_object", "compare_object", "compare_values"]
