"""Object pipeline cmdlets: New-Object, Where/ForEach/Select/Sort/Measure/Group-Object,
Get-Member and Add-Member.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from pscompat.lang.dotnet import TypeNotFound, is_true, ps_string, static_call, type_name_of
from pscompat.script.binding import ParamSpec as P
from pscompat.script.builtins.registry import Call, builtin
from pscompat.script.dotnet_static import NOT_HANDLED, dotnet_static
from pscompat.script.formatting import object_properties
from pscompat.script.members import get_property
from pscompat.script.operators import binary, compare, like
from pscompat.script.scriptblock import ScriptBlockValue
from pscompat.values import PSHashtable, PSObject

_U = "Microsoft.PowerShell.Commands"


def _constructor(type_name: str, args: list[Any]) -> Any:
    """``[Type]::new(args)`` for the types pscompat models (Stopwatch, StringBuilder, Version...),
    so New-Object and ``::new`` build them alike; NOT_HANDLED for others."""
    try:
        special = dotnet_static(type_name, "new", args)
        return special if special is not NOT_HANDLED else static_call(type_name, "new", args)
    except (AttributeError, TypeNotFound):
        return NOT_HANDLED


@builtin("New-Object", f"{_U}.NewObjectCommand",
         [P("TypeName", "string", position=0, mandatory=True), P("ArgumentList", "object[]", position=1,
                                                                 aliases=("Args",)),
          P("Property", "hashtable")])
def new_object(call: Call) -> list[Any]:
    from pscompat.values import ArrayList
    type_name = ps_string(call.get("TypeName")).lower()
    if type_name.startswith("system."):
        type_name = type_name[7:]
    props = call.get("Property")
    if type_name in ("psobject", "management.automation.psobject", "pscustomobject", "object"):
        obj = PSObject(props.items() if isinstance(props, PSHashtable) else ())
        return [obj]
    if type_name in ("collections.arraylist",) or type_name.startswith("collections.generic.list"):
        result = ArrayList(call.get("ArgumentList") or [])
        result.generic = "generic" in type_name
        return [result]
    if type_name in ("collections.hashtable", "hashtable"):
        return [PSHashtable()]
    if type_name in ("datetime",):
        args = [int(a) for a in (call.get("ArgumentList") or [])]
        return [_dt.datetime(*args)]  # type: ignore[arg-type]
    if type_name.endswith("pscredential"):
        from pscompat.script.builtins.credentials import make_credential
        args = call.get("ArgumentList") or []
        if len(args) != 2:
            raise call.error(f'Cannot find an overload for "PSCredential" and the argument count: "{len(args)}".',
                             "ConstructorInvokedThrowException,Microsoft.PowerShell.Commands.NewObjectCommand",
                             "InvalidOperation")
        return [make_credential(args[0], args[1])]
    if type_name.endswith("exception"):
        from pscompat.lang.dotnet import full_type_name
        args = call.get("ArgumentList") or []
        full = full_type_name(ps_string(call.get("TypeName")))
        return [PSObject({"Message": ps_string(args[0]) if args else f"Exception of type '{full}' was thrown.",
                          "InnerException": None}, type_names=[full, "System.Exception"])]
    constructed = _constructor(ps_string(call.get("TypeName")), list(call.get("ArgumentList") or []))
    if constructed is not NOT_HANDLED:
        return [constructed]
    raise call.error(f'Cannot find type [{call.get("TypeName")}]: verify that the assembly containing this type is '
                     "loaded.", "TypeNotFound", "InvalidType", call.get("TypeName"),
                     "System.Management.Automation.PSArgumentException")


@builtin("Get-Member", f"{_U}.GetMemberCommand",
         [P("Name", "string[]", position=0), P("InputObject", "object", pipeline=True), P("MemberType", "string"),
          P("Force", "switch")], aliases=("gm",))
def get_member(call: Call) -> list[Any]:
    out = []
    seen: set[str] = set()
    for item in call.items():
        type_name = type_name_of(item)
        if type_name in seen:
            continue
        seen.add(type_name)
        if isinstance(item, PSObject):
            for name, value in item.properties():
                out.append(PSObject({"Name": name, "MemberType": "NoteProperty",
                                     "Definition": f"{type_name_of(value).rsplit('.', 1)[-1]} {name}={ps_string(value)}"},
                                    type_names=["Microsoft.PowerShell.Commands.MemberDefinition"]))
        else:
            out.append(PSObject({"Name": "ToString", "MemberType": "Method", "Definition": "string ToString()"},
                                type_names=["Microsoft.PowerShell.Commands.MemberDefinition"]))
    return out


@builtin("Add-Member", f"{_U}.AddMemberCommand",
         [P("MemberType", "string", position=0), P("Name", "string", position=1), P("Value", "object", position=2),
          P("SecondValue", "object", position=3), P("InputObject", "object", pipeline=True),
          P("NotePropertyName", "string"), P("NotePropertyValue", "object"), P("NotePropertyMembers", "object"),
          P("PassThru", "switch"), P("Force", "switch"), P("TypeName", "string")])
def add_member(call: Call) -> list[Any]:
    from pscompat.values import PSHashtable
    members: list[tuple[str, Any]] = []
    if call.has("NotePropertyMembers"):
        table = call.get("NotePropertyMembers")
        members = [(ps_string(k), v) for k, v in (table.items() if isinstance(table, PSHashtable) else [])]
    elif call.has("NotePropertyName"):
        members = [(ps_string(call.get("NotePropertyName")), call.get("NotePropertyValue"))]
    elif call.has("Name"):
        members = [(ps_string(call.get("Name")), call.get("Value"))]
    out = []
    for item in call.items():
        if isinstance(item, PSObject):
            for name, value in members:
                if item.has(name) and not call.switch("Force"):
                    call.write_error(call.error(
                        f'Cannot add a member with the name "{name}" because a member with that name already exists. '
                        "To overwrite the member anyway, add the Force parameter to your command.",
                        "MemberAlreadyExists", "InvalidOperation", item))
                    continue
                item.set(name, value)
            if call.has("TypeName"):
                item.type_names.insert(0, ps_string(call.get("TypeName")))
        elif isinstance(item, PSHashtable):
            for name, value in members:
                item[name] = value
        if call.switch("PassThru"):
            out.append(item)
    return out


def _dot_invoke(call: Call, block: ScriptBlockValue, item: Any) -> list[Any]:
    """ForEach-Object / Where-Object blocks run in the caller's scope (like dot-sourcing) with ``$_``."""
    scope = call.ctx.scope
    saved = scope.vars.get("_", _MISSING)
    scope.vars["_"] = item
    try:
        return call.interp.invoke_script_block(block, scope, dot=True)
    finally:
        if saved is _MISSING:
            scope.vars.pop("_", None)
        else:
            scope.vars["_"] = saved


_MISSING = object()


def _prop(item: Any, name: str) -> Any:
    found, value = get_property(item, name)
    return value if found else None


_WHERE_OPS = ["EQ", "NE", "GT", "GE", "LT", "LE", "Like", "NotLike", "Match", "NotMatch", "Contains", "NotContains",
              "In", "NotIn", "Is", "IsNot", "CEQ", "CNE", "CGT", "CGE", "CLT", "CLE", "CLike", "CNotLike", "CMatch",
              "CNotMatch", "CContains", "CNotContains", "CIn", "CNotIn", "Not"]


@builtin("Where-Object", f"{_U}.WhereObjectCommand",
         [P("FilterScript", "object", position=0), P("Property", "string"), P("Value", "object", position=1),
          P("InputObject", "object", pipeline=True)] + [P(op, "switch") for op in _WHERE_OPS],
         aliases=("where", "?"))
def where_object(call: Call) -> list[Any]:
    script = call.get("FilterScript")
    prop = call.get("Property")
    if isinstance(script, ScriptBlockValue):
        return [item for item in call.items() if is_true(_collapse(_dot_invoke(call, script, item)))]
    if prop is None and script is not None:
        prop = ps_string(script)
    op = next((o for o in _WHERE_OPS if call.switch(o)), None)
    value = call.get("Value")
    out = []
    for item in call.items():
        current = _prop(item, ps_string(prop))
        if op is None:
            keep = is_true(current)
        elif op == "Not":
            keep = not is_true(current)
        else:
            keep = is_true(binary("-" + op.lower(), current, value))
        if keep:
            out.append(item)
    return out


def _collapse(values: list[Any]) -> Any:
    if not values:
        return None
    return values[0] if len(values) == 1 else values


@builtin("ForEach-Object", f"{_U}.ForEachObjectCommand",
         [P("Process", "object", position=0), P("Begin", "object"), P("End", "object"), P("MemberName", "string"),
          P("ArgumentList", "object[]"), P("InputObject", "object", pipeline=True), P("Parallel", "object"),
          P("ThrottleLimit", "int"), P("TimeoutSeconds", "int"), P("AsJob", "switch"), P("UseNewRunspace", "switch")],
         aliases=("foreach", "%"))
def foreach_object(call: Call) -> list[Any]:
    from pscompat.script.builtins.jobs import check_parameter_set, foreach_parallel
    check_parameter_set(call)
    if call.has("Parallel"):
        return foreach_parallel(call)   # script/builtins/jobs.py
    process = call.get("Process")
    member = call.get("MemberName")
    if process is not None and not isinstance(process, (ScriptBlockValue, list)):
        member, process = ps_string(process), None
    out: list[Any] = []
    begin = call.get("Begin")
    if isinstance(begin, ScriptBlockValue):
        out.extend(_dot_invoke(call, begin, None))
    blocks = process if isinstance(process, list) else [process] if process is not None else []
    for item in call.items():
        if member is not None:
            found, value = get_property(item, member)
            if found:
                out.extend(value if isinstance(value, list) else [value])
            else:
                from pscompat.script.members import MethodNotFound, call_method
                try:
                    result = call_method(item, member, list(call.get("ArgumentList") or []))
                except MethodNotFound:
                    continue
                if result is not None:
                    out.append(result)
            continue
        for block in blocks:
            if isinstance(block, ScriptBlockValue):
                out.extend(_dot_invoke(call, block, item))
    end = call.get("End")
    if isinstance(end, ScriptBlockValue):
        out.extend(_dot_invoke(call, end, None))
    return out


def calculated_property(call: Call, spec: Any) -> tuple[str, Any]:
    """A property spec: a name, or @{Name=...; Expression=...} -> (name, getter)."""
    if isinstance(spec, PSHashtable):
        name = None
        expr = None
        for key, value in spec.items():
            k = ps_string(key).lower()
            if "name".startswith(k) or "label".startswith(k):
                name = ps_string(value)
            elif "expression".startswith(k):
                expr = value
        if expr is None:
            raise call.error("The Expression key is missing from a calculated property.", "DictionaryKeyMissing",
                             "InvalidArgument", exception_type="System.NotSupportedException")
        if isinstance(expr, ScriptBlockValue):
            block_name, getter = calculated_property(call, expr)
            return name or block_name.strip(), getter
        prop_name = ps_string(expr)
        return name or prop_name, lambda item: _prop(item, prop_name)
    if isinstance(spec, ScriptBlockValue):   # a bare block is a calculated property named by its text
        block = spec
        return block.ps_string(), lambda item: _collapse(_dot_invoke(call, block, item))
    text = ps_string(spec)
    return text, lambda item: _prop(item, text)


def expand_names(item: Any, patterns: list[Any]) -> list[Any]:
    names: list[Any] = []
    available = [n for n, _ in object_properties(item)] if isinstance(item, PSObject) else \
        [ps_string(k) for k in item] if isinstance(item, PSHashtable) else []
    for p in patterns:
        if isinstance(p, PSHashtable | ScriptBlockValue):
            names.append(p)
            continue
        text = ps_string(p)
        if any(c in text for c in "*?[") and available:
            names.extend(n for n in available if like(n, text) and n not in names)
        else:
            names.append(text)
    return names


@builtin("Select-Object", f"{_U}.SelectObjectCommand",
         [P("Property", "object[]", position=0), P("ExcludeProperty", "string[]"), P("ExpandProperty", "string"),
          P("First", "int"), P("Last", "int"), P("Skip", "int"), P("SkipLast", "int"), P("Unique", "switch"),
          P("Index", "int[]"), P("InputObject", "object", pipeline=True), P("Wait", "switch")], aliases=("select",))
def select_object(call: Call) -> list[Any]:
    items = list(call.items())
    if call.has("Skip"):
        items = items[call.get("Skip"):]
    if call.has("SkipLast"):
        items = items[:len(items) - call.get("SkipLast")] if call.get("SkipLast") else items
    if call.has("Index"):
        items = [items[i] for i in call.get("Index") if -len(items) <= i < len(items)]
    if call.has("First") or call.has("Last"):
        first = items[:call.get("First")] if call.has("First") else []
        last = items[len(items) - call.get("Last"):] if call.has("Last") and call.get("Last") else []
        items = first + [x for x in last if not any(x is y for y in first)] if call.has("First") and \
            call.has("Last") else (first if call.has("First") else last)
    out: list[Any] = []
    props = call.get("Property")
    expand = call.get("ExpandProperty")
    exclude = [ps_string(x) for x in (call.get("ExcludeProperty") or [])]
    for item in items:
        if props is not None:
            specs = expand_names(item, props if isinstance(props, list) else [props])
            obj = PSObject(type_names=["Selected." + (item.type_name if isinstance(item, PSObject) else
                                                      "System.Management.Automation.PSCustomObject"),
                                       "System.Management.Automation.PSCustomObject"])
            for spec in specs:
                name, getter = calculated_property(call, spec)
                if any(like(name, ex) for ex in exclude):
                    continue
                obj.set(name, getter(item))
            if expand is not None:
                found, value = get_property(item, ps_string(expand))
                if isinstance(value, PSObject):
                    for k, v in obj.properties():
                        value.set(k, v) if not value.has(k) else None
                out.extend(value if isinstance(value, list) else [value])
                continue
            out.append(obj)
        elif expand is not None:
            matches = expand_names(item, [expand])   # a wildcard names the one property it matches
            found, value = get_property(item, ps_string(matches[0] if len(matches) == 1 else expand))
            if not found:
                call.write_error(call.error(f'Property "{ps_string(expand)}" cannot be found.',
                                            "ExpandPropertyNotFound", "InvalidArgument", item,
                                            "System.Management.Automation.PSArgumentException"))
                continue
            out.extend(value if isinstance(value, list) else [value])
        elif exclude and isinstance(item, PSObject):
            out.append(PSObject([(k, v) for k, v in item.properties() if not any(like(k, ex) for ex in exclude)]))
        else:
            out.append(item)
    if call.switch("Unique"):
        unique: list[Any] = []
        for x in out:
            if not any(_same(x, y) for y in unique):
                unique.append(x)
        out = unique
    return out


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, PSObject) and isinstance(b, PSObject):
        return [(k.lower(), ps_string(v)) for k, v in a.properties()] == \
            [(k.lower(), ps_string(v)) for k, v in b.properties()]
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    try:
        return compare(a, b, "eq", True)
    except Exception:  # noqa: BLE001 - incomparable values are different
        return False
