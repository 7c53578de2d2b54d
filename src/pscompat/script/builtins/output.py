"""Output-stream cmdlets: Write-Output/-Error/-Warning/-Verbose/-Debug/-Information, Out-*,
Tee-Object and Format-Table/-List.
"""

from __future__ import annotations

import os
from typing import Any

from pscompat.errors import ErrorRecord
from pscompat.lang.dotnet import ps_string
from pscompat.script.binding import ParamSpec as P
from pscompat.script.builtins.objects import calculated_property, expand_names
from pscompat.script.builtins.registry import Call, builtin
from pscompat.script.formatting import format_list, format_table
from pscompat.values import FormattedText, PSHashtable, PSObject

_U = "Microsoft.PowerShell.Commands"


@builtin("Write-Output", f"{_U}.WriteOutputCommand",
         [P("InputObject", "object", position=0, pipeline=True), P("NoEnumerate", "switch")], aliases=("echo", "write"))
def write_output(call: Call) -> list[Any]:
    if call.input is not None:
        return call.input
    value = call.get("InputObject")
    if isinstance(value, list) and not call.switch("NoEnumerate"):
        return value
    return [value] if "InputObject" in call.params else []


@builtin("Write-Verbose", f"{_U}.WriteVerboseCommand", [P("Message", "string", position=0, mandatory=True,
                                                                   pipeline=True)])
def write_verbose(call: Call) -> list[Any]:
    for m in call.items("Message"):
        call.ctx.write_verbose(ps_string(m))
    return []


@builtin("Write-Debug", f"{_U}.WriteDebugCommand", [P("Message", "string", position=0, mandatory=True,
                                                               pipeline=True)])
def write_debug(call: Call) -> list[Any]:
    for m in call.items("Message"):
        call.ctx.write_debug(ps_string(m))
    return []


@builtin("Write-Warning", f"{_U}.WriteWarningCommand", [P("Message", "string", position=0, mandatory=True,
                                                                   pipeline=True)])
def write_warning(call: Call) -> list[Any]:
    for m in call.items("Message"):
        call.ctx.write_warning(ps_string(m))
    return []


@builtin("Write-Information", f"{_U}.WriteInformationCommand",
         [P("MessageData", "object", position=0, mandatory=True, pipeline=True), P("Tags", "string[]")])
def write_information(call: Call) -> list[Any]:
    for m in call.items("MessageData"):
        call.ctx.write_information(ps_string(m))
    return []


@builtin("Write-Error", f"{_U}.WriteErrorCommand",
         [P("Message", "string", position=0, pipeline=True), P("Exception", "object"), P("ErrorRecord", "object"),
          P("Category", "string"), P("ErrorId", "string"), P("TargetObject", "object"),
          P("RecommendedAction", "string"), P("CategoryActivity", "string"), P("CategoryReason", "string")])
def write_error(call: Call) -> list[Any]:
    existing = call.get("ErrorRecord")
    if isinstance(existing, ErrorRecord):
        call.write_error(existing)
        return []
    exc = call.get("Exception")
    message = call.get("Message")
    if message is None and exc is not None:
        message = exc.get("Message") if isinstance(exc, PSObject) else ps_string(exc)
    for m in (call.input if call.input is not None else [message]):
        error_id = call.get("ErrorId") or "Microsoft.PowerShell.Commands.WriteErrorException"
        category = call.get("Category") or "NotSpecified"
        record = ErrorRecord(ps_string(m), error_id, category if category in _categories() else "NotSpecified",
                             command="Write-Error", target=call.get("TargetObject"),
                             exception_type="Microsoft.PowerShell.Commands.WriteErrorException")
        interp = call.interp
        if interp.call_stack:
            # inside a function, PowerShell reports the function's invocation: "f : message", FQID ...,f
            name, node, source = interp.call_stack[-1]
            record.command, record.fqid_suffix = name, name
            if node is not None:
                interp.attach_position(record, node, source)
        elif interp.script_path and interp.depth <= 1 and call.ctx.scope is interp.script_scope:
            record.command = interp.script_path
            record.fqid_suffix = os.path.basename(interp.script_path)
            record.details["position"] = None
        if call.get("ErrorId"):
            record.error_id = ps_string(call.get("ErrorId"))
            record.fqid_suffix = record.fqid_suffix or "Microsoft.PowerShell.Commands.WriteErrorException"
        call.write_error(record)
    return []


def _categories() -> frozenset[str]:
    from pscompat.errors import CATEGORIES
    return CATEGORIES


@builtin("Out-Null", f"{_U}.OutNullCommand", [P("InputObject", "object", pipeline=True)])
def out_null(call: Call) -> list[Any]:
    return []


@builtin("Out-Host", f"{_U}.OutHostCommand", [P("InputObject", "object", pipeline=True), P("Paging", "switch")])
def out_host(call: Call) -> list[Any]:
    from pscompat.script.formatting import format_objects
    call.interp.host.write_output_text(format_objects(call.items()))
    return []


@builtin("Out-String", f"{_U}.OutStringCommand",
         [P("InputObject", "object", pipeline=True), P("Stream", "switch"), P("Width", "int")])
def out_string(call: Call) -> list[Any]:
    from pscompat.script.formatting import format_objects
    text = format_objects(call.items())
    if call.switch("Stream"):
        return text.splitlines()
    return [text]


@builtin("Out-File", f"{_U}.OutFileCommand",
         [P("FilePath", "string", position=0, mandatory=True, aliases=("Path",)), P("InputObject", "object",
                                                                                    pipeline=True),
          P("Append", "switch"), P("Encoding", "string"), P("Force", "switch"), P("NoNewline", "switch"),
          P("Width", "int"), P("NoClobber", "switch")])
def out_file(call: Call) -> list[Any]:
    from pscompat.script.formatting import format_objects
    path = call.path(call.get("FilePath"))
    if call.switch("NoClobber") and os.path.exists(path):
        raise call.error(f"The file '{path}' already exists.", "NoClobber", "ResourceExists", path,
                         "System.IO.IOException")
    text = format_objects(call.items())
    with open(path, "a" if call.switch("Append") else "w", encoding="utf-8") as handle:
        handle.write(text.rstrip("\n") if call.switch("NoNewline") else text)
    return []


@builtin("Tee-Object", f"{_U}.TeeObjectCommand",
         [P("FilePath", "string", position=0, aliases=("Path",)), P("Variable", "string"),
          P("InputObject", "object", pipeline=True), P("Append", "switch")], aliases=("tee",))
def tee_object(call: Call) -> list[Any]:
    items = call.items()
    if call.has("Variable"):
        call.interp.set_variable(call.ctx.scope, ps_string(call.get("Variable")), list(items))
    if call.has("FilePath"):
        from pscompat.script.formatting import format_objects
        with open(call.path(call.get("FilePath")), "a" if call.switch("Append") else "w", encoding="utf-8") as handle:
            handle.write(format_objects(items))
    return items


def _format_props(call: Call, items: list[Any]) -> list[str] | None:
    props = call.get("Property")
    if props is None or not items:
        return None
    names = expand_names(items[0], props if isinstance(props, list) else [props])
    return [n if isinstance(n, str) else calculated_property(call, n)[0] for n in names]


def _with_calculated(call: Call, items: list[Any]) -> list[Any]:
    props = call.get("Property")
    if props is None or not any(isinstance(p, PSHashtable) for p in (props if isinstance(props, list) else [props])):
        return items
    out = []
    for item in items:
        obj = PSObject()
        for spec in expand_names(item, props if isinstance(props, list) else [props]):
            name, getter = calculated_property(call, spec)
            obj.set(name, getter(item))
        out.append(obj)
    return out


@builtin("Format-Table", f"{_U}.FormatTableCommand",
         [P("Property", "object[]", position=0), P("AutoSize", "switch"), P("HideTableHeaders", "switch"),
          P("Wrap", "switch"), P("GroupBy", "object"), P("InputObject", "object", pipeline=True)], aliases=("ft",))
def format_table_cmd(call: Call) -> list[Any]:
    items = [x for x in call.items() if x is not None]
    if not items:
        return []
    props = _format_props(call, items)
    items = _with_calculated(call, items)
    if props is None and not isinstance(items[0], PSObject):
        from pscompat.script.formatting import format_objects
        return [FormattedText(format_objects(items))]
    return [FormattedText(format_table(items, props, hide_headers=call.switch("HideTableHeaders")))]


@builtin("Format-List", f"{_U}.FormatListCommand",
         [P("Property", "object[]", position=0), P("GroupBy", "object"), P("InputObject", "object", pipeline=True)],
         aliases=("fl",))
def format_list_cmd(call: Call) -> list[Any]:
    items = [x for x in call.items() if x is not None]
    if not items:
        return []
    props = _format_props(call, items)
    items = _with_calculated(call, items)
    return [FormattedText(format_list(items, props))]
