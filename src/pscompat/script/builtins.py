"""The built-in cmdlet registry and the small core cmdlets (Write-*, Out-*, Get-Date, ...).

A built-in is a Python function taking a ``Call`` (bound parameters, pipeline input, the
invocation context) and returning its output objects.  Registration carries PowerShell's
parameter metadata so binding errors read like PowerShell's (``-Prop`` -> ``-Property``).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pscompat.errors import ErrorRecord
from pscompat.lang.dotnet import cast, format_datetime, ps_string
from pscompat.script.binding import CommandArgument, ParamSpec, bind_arguments, missing_mandatory
from pscompat.script.values import ScriptBlockValue, SecureString
from pscompat.values import PSHashtable, PSObject, local_now

if TYPE_CHECKING:
    from pscompat.script.evaluator import Interpreter, InvocationContext

__all__ = ["REGISTRY", "Builtin", "Call", "builtin"]


@dataclass
class Call:
    """One invocation of a built-in."""

    interp: Interpreter
    ctx: InvocationContext
    params: dict[str, Any]
    input: list[Any] | None
    name: str
    type_name: str
    common: dict[str, Any] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return name in self.params

    def get(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)

    def switch(self, name: str) -> bool:
        return bool(self.params.get(name, False))

    def error(self, message: str, error_id: str, category: str = "NotSpecified", target: Any = None,
              exception_type: str = "System.Management.Automation.RuntimeException") -> ErrorRecord:
        return ErrorRecord(message, error_id, category, command=self.name, fqid_suffix=self.type_name,
                           target=target, exception_type=exception_type)

    def write_error(self, record: ErrorRecord) -> None:
        self.ctx.write_error(record)

    def invoke(self, block: ScriptBlockValue, dollar_under: Any = None, args: list[Any] | None = None) -> list[Any]:
        from pscompat.script.binding import CommandArgument as Arg
        from pscompat.script.evaluator import NO_VALUE
        return self.interp.invoke_script_block(block, self.ctx.scope, dollar_under=dollar_under
                                               if dollar_under is not None else NO_VALUE,
                                               args=[Arg(None, a) for a in (args or [])])

    def items(self, param: str = "InputObject") -> list[Any]:
        """Pipeline input if any, else the parameter's value (enumerated)."""
        if self.input is not None:
            return self.input
        value = self.params.get(param)
        if value is None and param not in self.params:
            return []
        return value if isinstance(value, list) else [value]

    def path(self, value: Any) -> str:
        return self.interp.resolve_path(ps_string(value))


@dataclass
class Builtin:
    name: str
    func: Callable[[Call], list[Any] | None]
    params: list[ParamSpec]
    type_name: str
    should_process: bool = False
    pipeline_param: str | None = None

    def run(self, interp: Interpreter, ctx: InvocationContext, args: list[CommandArgument],
            input_objects: list[Any] | None) -> list[Any]:
        result = bind_arguments(self.name, self.params, args, suffix=self.type_name,
                                should_process=self.should_process)
        missing = [p.name for p in self.params if p.mandatory and p.name not in result.bound
                   and not (p.pipeline and input_objects is not None)]
        if missing:
            raise missing_mandatory(self.name, missing, self.type_name)
        common = result.common
        if "ErrorAction" in common:
            ctx.error_action = ps_string(common["ErrorAction"])
        if "WarningAction" in common:
            ctx.warning_action = ps_string(common["WarningAction"])
        call = Call(interp, ctx, result.bound, input_objects, self.name, self.type_name, common)
        saved: dict[str, Any] = {}
        scope = ctx.scope
        for flag, var in (("Verbose", "verbosepreference"), ("Debug", "debugpreference")):
            if flag in common:
                saved[var] = scope.vars.get(var)
                scope.vars[var] = "Continue" if common[flag] else "SilentlyContinue"
        if "InformationAction" in common:
            saved["informationpreference"] = scope.vars.get("informationpreference")
            scope.vars["informationpreference"] = ps_string(common["InformationAction"])
        try:
            try:
                output = list(self.func(call) or [])
            except (ErrorRecord, KeyboardInterrupt, RecursionError):
                raise
            except Exception as exc:  # noqa: BLE001 - a value the cmdlet cannot take: its error, not a crash
                from pscompat.script.evaluator import Flow
                if isinstance(exc, Flow):
                    raise
                raise _as_record(self, exc) from None
        except ErrorRecord as record:
            if "ErrorVariable" in common:
                interp._set_collector(common["ErrorVariable"], [record], scope)
            raise
        finally:
            for var, value in saved.items():
                if value is None:
                    scope.vars.pop(var, None)
                else:
                    scope.vars[var] = value
        if "ErrorVariable" in common:
            interp._set_collector(common["ErrorVariable"], list(ctx.errors), scope)
        if "OutVariable" in common:
            interp._set_collector(common["OutVariable"], output, scope)
        interp.last_success = not ctx.errors
        return output


def _as_record(builtin: Builtin, exc: Exception) -> ErrorRecord:
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    if isinstance(exc, OSError):
        message = f"{exc.strerror}: '{exc.filename}'" if exc.filename else (exc.strerror or str(exc))
    return ErrorRecord(message, "InvalidOperation", "InvalidOperation", command=builtin.name,
                       fqid_suffix=builtin.type_name, exception_type="System.Management.Automation.RuntimeException")


REGISTRY: dict[str, Builtin] = {}


def builtin(name: str, type_name: str, params: list[ParamSpec], *, aliases: tuple[str, ...] = (),
            should_process: bool = False) -> Callable[[Callable[[Call], list[Any] | None]], Callable[[Call], Any]]:
    def register(func: Callable[[Call], list[Any] | None]) -> Callable[[Call], Any]:
        entry = Builtin(name, func, params, type_name, should_process)
        for n in (name, *aliases):
            REGISTRY[n.lower()] = entry
        return func
    return register


P = ParamSpec
_UTILITY = "Microsoft.PowerShell.Commands"


# ------------------------------------------------------------------ output streams

@builtin("Write-Output", f"{_UTILITY}.WriteOutputCommand",
         [P("InputObject", "object", position=0, pipeline=True), P("NoEnumerate", "switch")], aliases=("echo", "write"))
def write_output(call: Call) -> list[Any]:
    if call.input is not None:
        return call.input
    value = call.get("InputObject")
    if isinstance(value, list) and not call.switch("NoEnumerate"):
        return value
    return [value] if "InputObject" in call.params else []


@builtin("Write-Host", f"{_UTILITY}.WriteHostCommand",
         [P("Object", "object", position=0, pipeline=True, remaining=True), P("NoNewline", "switch"), P("Separator", "object"),
          P("ForegroundColor", "string"), P("BackgroundColor", "string")])
def write_host(call: Call) -> list[Any]:
    values = call.input if call.input is not None else (
        [call.get("Object")] if "Object" in call.params else [])
    sep = ps_string(call.get("Separator", " "))
    parts: list[str] = []
    for v in values:
        parts.extend(ps_string(x) for x in (v if isinstance(v, list) else [v]))
    text = sep.join(parts)
    target = call.interp._redirect_target("information")
    if target is None:
        call.interp.host.write_host(text, newline=not call.switch("NoNewline"))
    else:
        call.interp.emit_stream("information", text)
    return []


@builtin("Write-Verbose", f"{_UTILITY}.WriteVerboseCommand", [P("Message", "string", position=0, mandatory=True,
                                                                   pipeline=True)])
def write_verbose(call: Call) -> list[Any]:
    for m in call.items("Message"):
        call.ctx.write_verbose(ps_string(m))
    return []


@builtin("Write-Debug", f"{_UTILITY}.WriteDebugCommand", [P("Message", "string", position=0, mandatory=True,
                                                               pipeline=True)])
def write_debug(call: Call) -> list[Any]:
    for m in call.items("Message"):
        call.ctx.write_debug(ps_string(m))
    return []


@builtin("Write-Warning", f"{_UTILITY}.WriteWarningCommand", [P("Message", "string", position=0, mandatory=True,
                                                                   pipeline=True)])
def write_warning(call: Call) -> list[Any]:
    for m in call.items("Message"):
        call.ctx.write_warning(ps_string(m))
    return []


@builtin("Write-Information", f"{_UTILITY}.WriteInformationCommand",
         [P("MessageData", "object", position=0, mandatory=True, pipeline=True), P("Tags", "string[]")])
def write_information(call: Call) -> list[Any]:
    for m in call.items("MessageData"):
        call.ctx.write_information(ps_string(m))
    return []


@builtin("Write-Error", f"{_UTILITY}.WriteErrorCommand",
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


@builtin("Out-Null", f"{_UTILITY}.OutNullCommand", [P("InputObject", "object", pipeline=True)])
def out_null(call: Call) -> list[Any]:
    return []


@builtin("Out-Host", f"{_UTILITY}.OutHostCommand", [P("InputObject", "object", pipeline=True), P("Paging", "switch")])
def out_host(call: Call) -> list[Any]:
    from pscompat.script.formatting import format_objects
    call.interp.host.write_output_text(format_objects(call.items()))
    return []


@builtin("Out-String", f"{_UTILITY}.OutStringCommand",
         [P("InputObject", "object", pipeline=True), P("Stream", "switch"), P("Width", "int")])
def out_string(call: Call) -> list[Any]:
    from pscompat.script.formatting import format_objects
    text = format_objects(call.items())
    if call.switch("Stream"):
        return text.splitlines()
    return [text]


@builtin("Out-File", f"{_UTILITY}.OutFileCommand",
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


# ------------------------------------------------------------------ modules, help, misc

KNOWN_MODULE_PREFIXES = ("microsoft.graph", "pnp.powershell", "microsoft.powershell.", "az.accounts")


@builtin("Import-Module", "Microsoft.PowerShell.Commands.ImportModuleCommand",
         [P("Name", "string[]", position=0, mandatory=True, pipeline=True), P("Force", "switch"),
          P("MinimumVersion", "string"), P("RequiredVersion", "string"), P("Scope", "string"),
          P("DisableNameChecking", "switch"), P("Global", "switch"), P("PassThru", "switch"),
          P("Function", "string[]"), P("Cmdlet", "string[]"), P("Prefix", "string"), P("MaximumVersion", "string")],
         aliases=("ipmo",))
def import_module(call: Call) -> list[Any]:
    for name in call.items("Name"):
        text = ps_string(name)
        low = text.lower()
        if low == "microsoft.graph" or low.startswith(KNOWN_MODULE_PREFIXES) or low in ("pnp.powershell",):
            continue
        call.write_error(ErrorRecord(
            f"The specified module '{text}' was not loaded because no valid module file was found in any module "
            "directory.", "Modules_ModuleNotFound", "ResourceUnavailable", command="Import-Module",
            fqid_suffix="Microsoft.PowerShell.Commands.ImportModuleCommand", target=text,
            exception_type="System.IO.FileNotFoundException"))
    return []


@builtin("Get-Help", f"{_UTILITY}.GetHelpCommand",
         [P("Name", "string", position=0), P("Full", "switch"), P("Examples", "switch"), P("Detailed", "switch"),
          P("Parameter", "string"), P("Online", "switch")], aliases=("help",))
def get_help(call: Call) -> list[Any]:
    name = ps_string(call.get("Name") or "Get-Help")
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


@builtin("Start-Sleep", f"{_UTILITY}.StartSleepCommand",
         [P("Seconds", "double", position=0), P("Milliseconds", "int", aliases=("ms",)), P("Duration", "object")],
         aliases=("sleep",))
def start_sleep(call: Call) -> list[Any]:
    seconds = float(call.get("Seconds") or 0) + float(call.get("Milliseconds") or 0) / 1000
    scale = call.interp.host.sleep_scale
    env_scale = os.environ.get("PSCOMPAT_SLEEP_SCALE")
    if env_scale:
        with contextlib.suppress(ValueError):
            scale = float(env_scale)
    if seconds > 0 and scale > 0:
        time.sleep(seconds * scale)
    return []


@builtin("Read-Host", f"{_UTILITY}.ReadHostCommand",
         [P("Prompt", "object", position=0), P("AsSecureString", "switch"), P("MaskInput", "switch")])
def read_host(call: Call) -> list[Any]:
    prompt = ps_string(call.get("Prompt")) + ": " if "Prompt" in call.params else ""
    host = call.interp.host
    if call.switch("AsSecureString"):
        text = host.read_secret(prompt)
        host.add_secret(text)
        return [SecureString(text)]
    if call.switch("MaskInput"):
        text = host.read_secret(prompt)
        host.add_secret(text)
        return [text]
    return [host.read_line(prompt)]


@builtin("Get-Date", f"{_UTILITY}.GetDateCommand",
         [P("Date", "datetime", position=0, pipeline=True), P("Format", "string"), P("UFormat", "string"),
          P("Year", "int"), P("Month", "int"), P("Day", "int"), P("Hour", "int"), P("Minute", "int"),
          P("Second", "int"), P("Millisecond", "int"), P("DisplayHint", "string"), P("AsUTC", "switch"),
          P("UnixTimeSeconds", "long")])
def get_date(call: Call) -> list[Any]:
    values = call.input if call.input is not None else [call.get("Date") if call.has("Date") else None]
    out: list[Any] = []
    for v in values:
        value = cast(v, "datetime") if v is not None else local_now()
        if call.has("UnixTimeSeconds"):
            value = _dt.datetime.fromtimestamp(int(call.get("UnixTimeSeconds")), _dt.UTC).astimezone()
        replace = {k.lower(): int(call.get(k)) for k in ("Year", "Month", "Day", "Hour", "Minute", "Second")
                   if call.has(k)}
        if replace:
            value = value.replace(**replace)  # type: ignore[arg-type]
        if call.has("Millisecond"):
            value = value.replace(microsecond=int(call.get("Millisecond")) * 1000)
        if call.switch("AsUTC"):
            from pscompat.values import to_utc
            value = to_utc(value)
        if call.has("Format"):
            fmt = ps_string(call.get("Format"))
            if fmt.lower() == "filedatetime":
                fmt = "yyyyMMdd'T'HHmmssffff"
            elif fmt.lower() == "filedatetimeuniversal":
                from pscompat.values import to_utc
                value, fmt = to_utc(value), "yyyyMMdd'T'HHmmssffff'Z'"
            elif fmt.lower() == "filedate":
                fmt = "yyyyMMdd"
            out.append(format_datetime(value, fmt))
        elif call.has("UFormat"):
            out.append(_uformat(value, ps_string(call.get("UFormat"))))
        else:
            out.append(value)
    return out


def _uformat(value: _dt.datetime, fmt: str) -> str:
    if "%s" in fmt:
        stamp = int(value.timestamp()) if value.tzinfo else int(value.astimezone().timestamp())
        fmt = fmt.replace("%s", str(stamp))
    if "%Z" in fmt:
        offset = value.utcoffset() if value.tzinfo else value.astimezone().utcoffset()
        hours = int((offset or _dt.timedelta(0)).total_seconds() // 3600)
        fmt = fmt.replace("%Z", f"{hours:+03d}")
    return value.strftime(fmt)


@builtin("New-TimeSpan", f"{_UTILITY}.NewTimeSpanCommand",
         [P("Start", "datetime", position=0), P("End", "datetime", position=1), P("Days", "int"), P("Hours", "int"),
          P("Minutes", "int"), P("Seconds", "int"), P("Milliseconds", "int")])
def new_timespan(call: Call) -> list[Any]:
    from pscompat.script.values import TimeSpan
    if call.has("Start") or call.has("End"):
        start = call.get("Start") or local_now()
        end = call.get("End") or local_now()
        return [TimeSpan(end.replace(tzinfo=None) - start.replace(tzinfo=None))]
    return [TimeSpan(_dt.timedelta(days=call.get("Days", 0), hours=call.get("Hours", 0),
                                   minutes=call.get("Minutes", 0), seconds=call.get("Seconds", 0),
                                   milliseconds=call.get("Milliseconds", 0)))]


@builtin("New-Object", f"{_UTILITY}.NewObjectCommand",
         [P("TypeName", "string", position=0, mandatory=True), P("ArgumentList", "object[]", position=1,
                                                                 aliases=("Args",)),
          P("Property", "hashtable")])
def new_object(call: Call) -> list[Any]:
    from pscompat.script.values import ArrayList
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
        from pscompat.script.values import make_credential
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
    if type_name in ("text.stringbuilder",):
        return [""]
    raise call.error(f'Cannot find type [{call.get("TypeName")}]: verify that the assembly containing this type is '
                     "loaded.", "TypeNotFound", "InvalidType", call.get("TypeName"),
                     "System.Management.Automation.PSArgumentException")


@builtin("Test-Path", f"{_UTILITY}.TestPathCommand",
         [P("Path", "string[]", position=0, mandatory=True, pipeline=True, aliases=("LiteralPath",)),
          P("PathType", "string"), P("IsValid", "switch")])
def test_path(call: Call) -> list[Any]:
    out = []
    for p in call.items("Path"):
        text = ps_string(p)
        if text.lower().startswith("env:"):
            out.append(text[4:] in os.environ)
            continue
        path = call.path(text)
        if call.switch("IsValid"):
            out.append(True)
            continue
        kind = ps_string(call.get("PathType") or "Any").lower()
        if kind == "leaf":
            out.append(os.path.isfile(path))
        elif kind == "container":
            out.append(os.path.isdir(path))
        else:
            import glob
            out.append(os.path.exists(path) or bool(glob.glob(path)))
    return out


@builtin("Join-Path", f"{_UTILITY}.JoinPathCommand",
         [P("Path", "string[]", position=0, mandatory=True, pipeline=True), P("ChildPath", "string", position=1),
          P("AdditionalChildPath", "string[]", position=2)])
def join_path(call: Call) -> list[Any]:
    out = []
    extra = call.get("AdditionalChildPath") or []
    for p in call.items("Path"):
        parts = [ps_string(p)] + ([ps_string(call.get("ChildPath"))] if call.has("ChildPath") else []) + \
            [ps_string(x) for x in extra]
        joined = parts[0]
        for part in parts[1:]:
            part = part.replace("\\", "/")
            joined = joined.rstrip("/\\") + "/" + part.lstrip("/\\")
        out.append(joined)
    return out


@builtin("Split-Path", f"{_UTILITY}.SplitPathCommand",
         [P("Path", "string[]", position=0, mandatory=True, pipeline=True), P("Leaf", "switch"), P("Parent", "switch"),
          P("Extension", "switch"), P("LeafBase", "switch")])
def split_path(call: Call) -> list[Any]:
    out = []
    for p in call.items("Path"):
        text = ps_string(p).replace("\\", "/")
        if call.switch("Leaf"):
            out.append(os.path.basename(text))
        elif call.switch("LeafBase"):
            out.append(os.path.splitext(os.path.basename(text))[0])
        elif call.switch("Extension"):
            out.append(os.path.splitext(text)[1])
        else:
            out.append(os.path.dirname(text))
    return out


@builtin("Get-Location", f"{_UTILITY}.GetLocationCommand", [], aliases=("pwd", "gl"))
def get_location(call: Call) -> list[Any]:
    return [PSObject({"Path": os.getcwd()}, type_names=["System.Management.Automation.PathInfo"])]


@builtin("Set-Location", f"{_UTILITY}.SetLocationCommand", [P("Path", "string", position=0, pipeline=True)],
         aliases=("cd", "sl", "chdir"))
def set_location(call: Call) -> list[Any]:
    path = call.path(call.get("Path") or os.path.expanduser("~"))
    if not os.path.isdir(path):
        raise call.error(f"Cannot find path '{path}' because it does not exist.", "PathNotFound", "ObjectNotFound",
                         path, "System.Management.Automation.ItemNotFoundException")
    os.chdir(path)
    return []


@builtin("Set-Variable", f"{_UTILITY}.SetVariableCommand",
         [P("Name", "string", position=0, mandatory=True), P("Value", "object", position=1, pipeline=True),
          P("Scope", "string"), P("Option", "string"), P("PassThru", "switch")], aliases=("set",))
def set_variable(call: Call) -> list[Any]:
    value = call.get("Value") if call.input is None else (call.input[0] if len(call.input) == 1 else call.input)
    scope = ps_string(call.get("Scope") or "").lower()
    call.interp.set_variable(call.ctx.scope, ps_string(call.get("Name")), value,
                             scope if scope in ("script", "global") else "")
    return []


@builtin("Get-Variable", f"{_UTILITY}.GetVariableCommand",
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


@builtin("Get-Command", f"{_UTILITY}.GetCommandCommand",
         [P("Name", "string[]", position=0), P("Module", "string[]"), P("ErrorAction", "string")], aliases=("gcm",))
def get_command(call: Call) -> list[Any]:
    out = []
    for n in call.items("Name"):
        name = ps_string(n)
        entry = REGISTRY.get(name.lower())
        fn = call.ctx.scope.find_function(name.lower())
        invoker = call.interp.invoker
        if fn is not None:
            out.append(PSObject({"CommandType": "Function", "Name": fn.name, "Version": "", "Source": ""}))
        elif entry is not None:
            out.append(PSObject({"CommandType": "Cmdlet", "Name": entry.name, "Version": "7.4.0",
                                 "Source": "Microsoft.PowerShell.Utility"}))
        elif invoker is not None and invoker.knows(name):
            out.append(PSObject({"CommandType": "Function", "Name": name, "Version": "", "Source": "pscompat"}))
        else:
            call.write_error(call.error(
                f"The term '{name}' is not recognized as a name of a cmdlet, function, script file, or executable "
                "program.\nCheck the spelling of the name, or if a path was included, verify that the path is "
                "correct and try again.", "CommandNotFoundException", "ObjectNotFound", name,
                "System.Management.Automation.CommandNotFoundException"))
    return out


def _load_more() -> None:
    from pscompat.script import builtins_data, builtins_more, builtins_objects  # noqa: F401 - registration


_load_more()
