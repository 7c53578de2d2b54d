"""The session itself: modules, help, variables, commands, strict mode, Invoke-Command."""

from __future__ import annotations

from typing import Any

from pscompat.errors import ErrorRecord
from pscompat.lang.dotnet import ps_string
from pscompat.script.binding import CommandArgument
from pscompat.script.binding import ParamSpec as P
from pscompat.script.builtins.registry import REGISTRY, Call, builtin
from pscompat.values import PSObject

_U = "Microsoft.PowerShell.Commands"


@builtin("Get-Help", f"{_U}.GetHelpCommand",
         [P("Name", "string", position=0), P("Full", "switch"), P("Examples", "switch"), P("Detailed", "switch"),
          P("Parameter", "string"), P("Online", "switch")], aliases=("help",))
def get_help(call: Call) -> list[Any]:
    name = ps_string(call.get("Name") or "Get-Help")
    options = {"full": call.switch("Full"), "examples": call.switch("Examples"), "detailed": call.switch("Detailed"),
               "parameter": call.get("Parameter")}
    fn = call.ctx.scope.find_function(name.lower())
    from pscompat.script import comment_help
    if fn is not None:   # a function of the script: its comment-based help, or its syntax
        return [comment_help.help_for_function(call.interp, fn, **options)]
    import os
    if (name.lower().endswith(".ps1") or os.sep in name or "/" in name) and os.path.isfile(name):
        from pscompat.lang.parser import ParseError, decode_script_bytes, parse_script
        with open(name, "rb") as handle:
            text = decode_script_bytes(handle.read())
        try:
            block = parse_script(text, name)
        except ParseError as exc:
            raise call.error(exc.message, exc.error_id, "ParserError", name) from None
        return [comment_help.help_for_script(call.interp, name, block, **options)]
    entry = REGISTRY.get(name.lower())
    if entry is not None:
        params = " ".join(f"[-{p.name}]" for p in entry.params)
        return [f"\nNAME\n    {entry.name}\n\nSYNTAX\n    {entry.name} {params} [<CommonParameters>]\n\n"
                f"REMARKS\n    {entry.name} is a pscompat built-in; see docs/scripts.md.\n"]
    try:
        from pscompat.docs import help as help_module
        render = help_module.render_help
    except (ImportError, AttributeError):
        render = None
    if render is not None:
        try:
            text = render(name, full=call.switch("Full"), examples=call.switch("Examples"),
                          parameter=call.get("Parameter"))
            return [text]
        except ErrorRecord:
            raise
        except (LookupError, ValueError, FileNotFoundError):
            pass
    raise call.error(f"Get-Help could not find {name} in a help file in this session.", "HelpNotFound",
                     "ResourceUnavailable", name, "Microsoft.PowerShell.Commands.HelpNotFoundException")


@builtin("Set-Variable", f"{_U}.SetVariableCommand",
         [P("Name", "string", position=0, mandatory=True), P("Value", "object", position=1, pipeline=True),
          P("Scope", "string"), P("Option", "string"), P("PassThru", "switch")], aliases=("set",))
def set_variable(call: Call) -> list[Any]:
    value = call.get("Value") if call.input is None else (call.input[0] if len(call.input) == 1 else call.input)
    scope = ps_string(call.get("Scope") or "").lower()
    call.interp.set_variable(call.ctx.scope, ps_string(call.get("Name")), value,
                             scope if scope in ("script", "global") else "")
    return []


@builtin("Get-Variable", f"{_U}.GetVariableCommand",
         [P("Name", "string", position=0), P("ValueOnly", "switch"), P("Scope", "string")], aliases=("gv",))
def get_variable(call: Call) -> list[Any]:
    name = ps_string(call.get("Name"))
    found, value = call.ctx.scope.lookup(name.lower())
    if not found:
        raise call.error(f"Cannot find a variable with the name '{name}'.", "VariableNotFound", "ObjectNotFound",
                         name, "System.Management.Automation.ItemNotFoundException")
    if call.switch("ValueOnly"):
        return [value]
    return [PSObject({"Name": name, "Value": value}, type_names=["System.Management.Automation.PSVariable"])]


@builtin("Set-StrictMode", "Microsoft.PowerShell.Commands.SetStrictModeCommand",
         [P("Version", "string"), P("Off", "switch")])
def set_strict_mode(call: Call) -> list[Any]:
    """Accepted; pscompat keeps PowerShell's non-strict lookups (a deviation listed in docs/scripts.md)."""
    return []


@builtin("Invoke-Command", "Microsoft.PowerShell.Commands.InvokeCommandCommand",
         [P("ScriptBlock", "scriptblock", position=0, mandatory=True), P("ArgumentList", "object[]", aliases=("Args",)),
          P("InputObject", "object", pipeline=True), P("ComputerName", "string[]", aliases=("Cn",)),
          P("Session", "object"), P("NoNewScope", "switch")], aliases=("icm",))
def invoke_command(call: Call) -> list[Any]:
    if call.has("ComputerName") or call.has("Session"):
        raise call.error("Invoke-Command on remote computers is not supported by pscompat.", "NotSupported",
                         "NotImplemented")
    block = call.get("ScriptBlock")
    args = [CommandArgument(None, a) for a in (call.get("ArgumentList") or [])]
    return call.interp.invoke_script_block(block, call.ctx.scope, args=args, input_objects=call.input,
                                           dot=call.switch("NoNewScope"))
