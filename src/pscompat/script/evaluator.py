"""The script evaluator: walks ``pscompat.lang.ast`` with PowerShell's semantics.

Scopes are dynamic (a function's scope is a child of its caller's), assignment creates a local
unless a scope prefix says otherwise, pipelines pass objects (materialized per command),
errors are ErrorRecords: terminating ones are raised and stop their statement
(``statement_failed``; see ``error_handling`` for the three kinds), non-terminating ones go
through ``write_error`` which honours ``-ErrorAction`` / ``$ErrorActionPreference``.  Statements
and expressions live in ``statements.py``/``expressions.py``.  Commands resolve
to script functions, then built-ins (``pscompat.script.builtins``), then the external
``CommandInvoker`` (the Graph/PnP cmdlets), then ``.ps1`` files.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from pscompat.errors import ErrorRecord
from pscompat.lang import ast as A
from pscompat.lang.dotnet import CastError, TypeNotFound, cast, is_true, ps_string
from pscompat.lang.parser import ParseError, decode_script_bytes, parse_script
from pscompat.script.binding import (
    NO_VALUE,
    CommandArgument,
    ParamSpec,
    bind_arguments,
    check_mandatory_value,
    convert_argument,
    missing_mandatory,
    splat,
    validate,
)
from pscompat.script.context import CmdletContext, InvocationContext
from pscompat.script.error_handling import (
    DIVIDE_BY_ZERO,
    PARTIAL_OUTPUT,
    attach_module_exception,
    catch_matches,
    divide_by_zero,
    is_script_terminating,
    is_thrown,
    method_exception,
    terminate_script,
)
from pscompat.script.expressions import EXPRESSION_HANDLERS, assign
from pscompat.script.flow import (
    BreakFlow,
    ContinueFlow,
    ExitFlow,
    ReturnFlow,
    collapse,
    runtime_error,
    unroll,
)
from pscompat.script.members import MethodError, get_property
from pscompat.script.operators import OperatorError
from pscompat.script.scope import Scope
from pscompat.script.scriptblock import ScriptBlockValue
from pscompat.script.scripthost import ScriptHost
from pscompat.script.statements import STATEMENT_HANDLERS
from pscompat.values import (
    ArrayList,
    AutomationNull,
    PSHashtable,
    PSObject,
    SemanticVersion,
    Version,
    with_token_text,
)

__all__ = ["Interpreter", "CommandInvoker", "InvocationContext", "BreakFlow", "ContinueFlow", "ReturnFlow",
           "ExitFlow", "runtime_error", "set_default_invoker"]


# ------------------------------------------------------------------ external commands

class CommandInvoker(Protocol):
    """The hook for cmdlets pscompat implements outside the script package (Graph / PnP).

    ``arguments`` are ``pscompat.binder.Argument`` objects when that module exists (else
    ``CommandArgument``, same fields); return the output objects.  Terminating errors are
    raised as ErrorRecords; non-terminating ones go to ``context.write_error``.
    """

    def knows(self, name: str) -> bool: ...

    def invoke(self, name: str, arguments: list[Any], input_objects: list[Any] | None,
               context: InvocationContext) -> list[Any]: ...


_DEFAULT_INVOKER: list[CommandInvoker | None] = [None]


def set_default_invoker(invoker: CommandInvoker | None) -> None:
    """Plug the Graph/PnP cmdlet invoker in for every Interpreter created afterwards."""
    _DEFAULT_INVOKER[0] = invoker


def _default_invoker() -> CommandInvoker | None:
    if _DEFAULT_INVOKER[0] is not None:
        return _DEFAULT_INVOKER[0]
    try:
        from pscompat.script.external import make_invoker
    except ImportError:
        return None
    return make_invoker()


_CONSTANTS = {"true": True, "false": False, "null": None}
_PREFERENCES = {"erroractionpreference": "Continue", "warningpreference": "Continue",
                "verbosepreference": "SilentlyContinue", "debugpreference": "SilentlyContinue",
                "informationpreference": "SilentlyContinue", "progresspreference": "Continue",
                "confirmpreference": "High", "whatifpreference": False}


def _already_of_type(spec: ParamSpec, value: Any) -> bool:
    """The value needs no conversion for the parameter (an untyped or [object] one takes all)."""
    type_name = (spec.type or "").strip()
    if not type_name or type_name.lower() in ("object", "system.object", "psobject", "object[]"):
        return True
    if spec.is_switch:
        return isinstance(value, bool)
    from pscompat.script.operators import is_type
    element = type_name[:-2] if type_name.endswith("[]") else type_name
    try:
        return is_type(value, element) or (
            element != type_name and isinstance(value, list) and all(is_type(v, element) for v in value))
    except Exception:  # noqa: BLE001 - a type pscompat cannot test: let the coercion pass decide
        return False


def _pipeline_default(spec: ParamSpec, value: Any) -> Any:
    """An unbound pipeline parameter's value: its default, else its type's ([int] 0, [switch] False)."""
    if value is not None:
        return value
    if spec.is_switch or (spec.type or "").lower() in ("bool", "boolean", "system.boolean"):
        return False
    if (spec.type or "").lower() in ("int", "int32", "long", "int64", "double", "system.int32", "system.int64"):
        return 0
    return None


def input_not_bound(command: str, item: Any) -> ErrorRecord:
    return ErrorRecord(
        "The input object cannot be bound to any parameters for the command either because the command does not "
        "take pipeline input or the input and its properties do not match any of the parameters that take "
        "pipeline input.", "InputObjectNotBound", "InvalidArgument", command=command, fqid_suffix=command,
        target=item, exception_type="System.Management.Automation.ParameterBindingException", terminating=False)


class Interpreter:
    """Runs parsed scripts. One instance per script run or shell session."""

    def __init__(self, host: ScriptHost | None = None, invoker: CommandInvoker | None = None,
                 script_path: str | None = None) -> None:
        from pscompat.script import builtins
        self.host = host or ScriptHost()
        self.invoker = invoker if invoker is not None else _default_invoker()
        self.builtins = builtins.REGISTRY
        self.global_scope = Scope(None, is_script=True)
        self.script_scope = self.global_scope
        self.error_list: list[Any] = []
        self.last_success = True
        self.last_exit_code = 0
        self.stream_redirects: list[dict[str, Any]] = []
        self.formatter_sink: Callable[[list[Any]], None] | None = None
        self.source_stack: list[A.Source] = []
        self._opened_files: set[str] = set()
        self.var_names: dict[str, str] = {}
        self.depth = 0
        self.handlers = 0   # enclosing try bodies and blocks with a trap: they take terminating errors
        self._trap_cache: dict[int, tuple[list[A.Node], tuple[A.Trap, ...]]] = {}
        self.script_path = script_path
        # $using: values of the task this runspace runs (script/parallel.py); None outside -Parallel/jobs
        self.using_values: dict[str, Any] | None = None
        # (last command of the top-level pipeline running now, the printing output list it may write to)
        self.tail_stream: tuple[A.Command, list[Any]] | None = None
        # (function name, call-site node, call-site source): Write-Error reports the function's invocation
        self.call_stack: list[tuple[str, A.Node | None, A.Source | None]] = []   # first spelling of each variable (completion)
        g = self.global_scope.vars
        for key, value in _PREFERENCES.items():
            g[key] = value
        g["error"] = self.error_list
        g["psversiontable"] = PSHashtable({"PSVersion": SemanticVersion(7, 4, 0), "PSEdition": "Core",
                                           "GitCommitId": "7.4.0", "OS": "pscompat", "Platform": "Unix",
                                           "PSCompatibleVersions": [Version(1, 0), Version(2, 0), Version(3, 0),
                                                                    Version(4, 0), Version(5, 0), Version(5, 1),
                                                                    Version(6, 0), Version(7, 0)],
                                           "PSRemotingProtocolVersion": Version(2, 3),
                                           "SerializationVersion": Version(1, 1, 0, 1),
                                           "WSManStackVersion": Version(3, 0)})
        g["home"] = os.path.expanduser("~")
        g["iswindows"] = os.name == "nt"
        g["islinux"] = os.name != "nt"
        g["ismacos"] = False
        g["iscoreclr"] = True
        g["pid"] = os.getpid()
        g["ofs"] = " "
        g["args"] = []
        g["pscommandpath"] = script_path or ""
        g["psscriptroot"] = os.path.dirname(os.path.abspath(script_path)) if script_path else ""
        g["lastexitcode"] = 0
        g["host"] = PSObject({"Name": "pscompat", "Version": "7.4.0", "CurrentCulture": "en-US"},
                             type_names=["System.Management.Automation.Internal.Host.InternalHost"])
        command = PSObject({"Name": os.path.basename(script_path) if script_path else "",
                            "Path": os.path.abspath(script_path) if script_path else "",
                            "Definition": os.path.abspath(script_path) if script_path else "",
                            "CommandType": "ExternalScript"})
        g["myinvocation"] = PSObject({"MyCommand": command, "InvocationName": script_path or "",
                                     "ScriptName": "", "PSScriptRoot": g["psscriptroot"],
                                     "PSCommandPath": g["pscommandpath"], "Line": "", "BoundParameters": PSHashtable()},
                                    type_names=["System.Management.Automation.InvocationInfo"])

    # ------------------------------------------------------------ variables

    def get_variable(self, scope: Scope, name: str, scope_name: str = "") -> Any:
        key = name.lower()
        if not scope_name:
            if key in _CONSTANTS:
                return _CONSTANTS[key]
            if key == "psitem":
                key = "_"
            if key == "?":
                return self.last_success
            if key == "pwd":
                return os.getcwd()
            found, value = scope.lookup(key)
            return value if found else None
        if scope_name == "env":
            value = os.environ.get(name)
            if value is None:
                for k, v in os.environ.items():
                    if k.lower() == key:
                        return v
            return value
        if scope_name == "script":
            found, value = self.script_scope.lookup(key)
            return value if found else None
        if scope_name == "global":
            return self.global_scope.vars.get(key)
        if scope_name in ("local", "private"):
            return scope.vars.get(key)
        if scope_name == "using":
            return self._using_value(name)
        if scope_name == "variable":
            return self.get_variable(scope, name)
        return None

    def _using_value(self, name: str) -> Any:
        from pscompat.script.parallel import using_undefined, using_without_job
        if self.using_values is None:
            raise using_without_job()
        key = name.lower()
        if key not in self.using_values:
            raise using_undefined(name, "", "")
        return self.using_values[key]

    def set_variable(self, scope: Scope, name: str, value: Any, scope_name: str = "") -> None:
        key = name.lower()
        if key == "null" and not scope_name:
            return   # `$null = expr` discards the value
        if key in _CONSTANTS and not scope_name:
            raise runtime_error(f"Cannot overwrite variable {name.lower()} because it is read-only or constant.",
                                "VariableNotWritable", "WriteError", name,
                                "System.Management.Automation.SessionStateUnauthorizedAccessException")
        if key == "psitem":
            key = "_"
        if scope_name == "env":
            if value is None or value == "":
                os.environ.pop(name, None)
            else:
                os.environ[name] = ps_string(value)
            return
        self.var_names.setdefault(key, name)
        if scope_name == "script":
            self.script_scope.vars[key] = value
        elif scope_name == "global":
            self.global_scope.vars[key] = value
        else:
            scope.vars[key] = value

    # ------------------------------------------------------------ streams and errors

    def emit_stream(self, stream: str, text: str) -> None:
        target = self._redirect_target(stream)
        if target == "null":
            return
        if isinstance(target, list):
            target.append(text)
            return
        if isinstance(target, tuple):
            prefix = {"warning": "WARNING: ", "verbose": "VERBOSE: ", "debug": "DEBUG: "}.get(stream, "")
            self._append_file(target, prefix + text + "\n")
            return
        if stream == "warning":
            self.host.write_warning(text)
        elif stream == "verbose":
            self.host.write_verbose(text)
        elif stream == "debug":
            self.host.write_debug(text)
        else:
            self.host.write_host(text)

    def _redirect_target(self, stream: str) -> Any:
        number = {"error": "2", "warning": "3", "verbose": "4", "debug": "5", "information": "6"}[stream]
        for frame in reversed(self.stream_redirects):
            if number in frame:
                return frame[number]
            if "*" in frame:
                return frame["*"]
        return None

    def write_error(self, record: ErrorRecord, ctx: InvocationContext) -> None:
        """A non-terminating error, honouring -ErrorAction / $ErrorActionPreference."""
        self.last_success = False
        attach_module_exception(record)
        if ctx.node is not None and "position" not in record.details:
            self.attach_position(record, ctx.node)
        action = ctx.effective_error_action().lower()
        if action == "ignore":
            return
        if action == "stop":
            record.terminating = True
            record.details["action_preference_stop"] = True   # pwsh: an ActionPreferenceStopException
            raise terminate_script(record)
        ctx.errors.append(record)
        self.report_error(record, show=action != "silentlycontinue")

    def _append_file(self, target: tuple[str, str, bool], text: str) -> None:
        _, path, append = target
        mode = "a" if append or path in self._opened_files else "w"
        self._opened_files.add(path)
        with open(path, mode, encoding="utf-8") as handle:
            handle.write(text)

    def show_error(self, record: ErrorRecord) -> None:
        from pscompat.render.errors import render_script_error as render_error
        self.host.write_error_text(render_error(record))

    def attach_position(self, record: ErrorRecord, node: A.Node, source: A.Source | None = None) -> None:
        if "position" in record.details or not (source or self.source_stack):
            return
        source = source or self.source_stack[-1]
        line, col = source.position(node.start)
        text = source.line_text(line)
        end_line, _ = source.position(max(node.start, node.end - 1))
        length = (node.end - node.start) if end_line == line else len(text) - col + 1
        record.details["position"] = {"path": source.path, "line": line, "column": col, "line_text": text,
                                      "length": max(1, length)}

    # ------------------------------------------------------------ running scripts

    def run_script_block(self, block: A.ScriptBlock, arguments: list[CommandArgument], *, name: str,
                         sink: Callable[[list[Any]], None] | None = None, stream: Any = None) -> None:
        """Run a whole script: bind its param() block, then run each top-level statement.

        Output goes to ``stream`` (a list whose ``extend`` prints at once, see
        ``formatting.StreamingOutput``) as it is produced, or to ``sink`` once per statement.
        """
        assert block.source is not None
        self.source_stack.append(block.source)
        scope = self.script_scope
        try:
            self._bind_block_parameters(block, arguments, scope, name, function=False)
            statements = (block.begin_block or []) + (block.process_block or []) + block.end_block
            traps = self._traps(statements)
            self.handlers += bool(traps)
            try:
                self._run_top_statements(statements, traps, scope, stream, sink)
            finally:
                self.handlers -= bool(traps)
        finally:
            self.source_stack.pop()

    def _run_top_statements(self, statements: list[A.Node], traps: tuple[A.Trap, ...], scope: Scope, stream: Any,
                            sink: Callable[[list[Any]], None] | None) -> None:
        """The script's own statements, each one's output to ``sink`` as it completes."""
        for stmt in statements:
            out: list[Any] = stream if stream is not None else []
            try:
                self.exec_statement(stmt, scope, out)
            except ReturnFlow:
                if sink:
                    sink(out)
                return
            except ErrorRecord as record:
                if type(stmt) is A.Assignment:
                    record.details.pop(PARTIAL_OUTPUT, None)
                self.statement_failed(record, traps, scope, out)
            if sink:
                sink(out)

    def _bind_block_parameters(self, block: A.ScriptBlock, arguments: list[CommandArgument], scope: Scope,
                               name: str, function: bool, pipeline_bound: Iterable[str] = ()) -> None:
        specs, advanced = self.param_specs(block.param_block)
        should_process = self.supports_should_process(block.param_block)
        result = bind_arguments(name, specs, arguments, advanced=advanced, function=True,
                                allow_extra=not advanced, suffix=name, should_process=should_process)
        ctx_common = result.common
        if advanced:
            what_if = bool(ctx_common.get("WhatIf", is_true(self.get_variable(scope, "WhatIfPreference"))))
            scope.vars["pscmdlet"] = CmdletContext(self, scope, name, what_if, bool(ctx_common.get("Confirm")))
            if "WhatIf" in ctx_common:
                scope.vars["whatifpreference"] = bool(ctx_common["WhatIf"])
        scope.vars["args"] = result.extra
        bound_table = PSHashtable()
        for spec in specs:
            key = spec.name.lower()
            if spec.name in result.bound:
                check_mandatory_value(spec, result.bound[spec.name], name)
                if spec.validators:
                    validate(spec, result.bound[spec.name], name)
                scope.vars[key] = result.bound[spec.name]
                bound_table[spec.name] = result.bound[spec.name]
            elif spec.name in pipeline_bound:
                continue
            else:
                default = spec.default
                if isinstance(default, A.Node):
                    value = self.eval(default, scope)
                    if spec.type and not spec.is_switch and value is not None:
                        value = convert_argument(spec, value, name, name, True)
                    scope.vars[key] = value
                elif spec.is_switch:
                    scope.vars[key] = False
                else:
                    scope.vars[key] = None if (spec.type or "").lower() not in ("int", "int32", "long", "double") \
                        else 0
        missing = [s.name for s in specs if s.mandatory and s.name not in result.bound and s.name not in pipeline_bound]
        if missing:
            from pscompat.script.prompting import prompt_missing
            answers = prompt_missing(self, name, missing)
            if answers is None:
                raise missing_mandatory(name, missing)
            for spec in specs:
                if spec.name in answers:
                    value = convert_argument(spec, answers[spec.name], name, name, True) if spec.type else \
                        answers[spec.name]
                    scope.vars[spec.name.lower()] = value
                    bound_table[spec.name] = value
        scope.vars["psboundparameters"] = bound_table
        self._apply_common(ctx_common, scope)

    def _apply_common(self, common: dict[str, Any], scope: Scope) -> None:
        if "ErrorAction" in common:
            scope.vars["erroractionpreference"] = ps_string(common["ErrorAction"])
        if "WarningAction" in common:
            scope.vars["warningpreference"] = ps_string(common["WarningAction"])
        if "InformationAction" in common:
            scope.vars["informationpreference"] = ps_string(common["InformationAction"])
        if common.get("Verbose"):
            scope.vars["verbosepreference"] = "Continue"
        if common.get("Debug"):
            scope.vars["debugpreference"] = "Continue"

    def supports_should_process(self, block: A.ParamBlock | None) -> bool:
        if block is None:
            return False
        for attr in block.attributes:
            if attr.name.lower() == "cmdletbinding":
                for key, value in attr.named:
                    if key.lower() == "supportsshouldprocess":
                        return True if value is None else is_true(self.eval(value, self.global_scope))
        return False

    def param_specs(self, block: A.ParamBlock | None) -> tuple[list[ParamSpec], bool]:
        if block is None:
            return [], False
        advanced = any(a.name.lower() == "cmdletbinding" for a in block.attributes)
        specs: list[ParamSpec] = []
        explicit_positions = False
        for p in block.parameters:
            spec = ParamSpec(p.name, p.type_name, default=p.default if p.default is not None else NO_VALUE)
            for attr in p.attributes:
                low = attr.name.lower()
                if low in ("parameter", "system.management.automation.parameter"):
                    advanced = True
                    for key, value in attr.named:
                        k = key.lower()
                        flag = True if value is None else is_true(self.eval(value, self.global_scope))
                        if k == "mandatory":
                            spec.mandatory = flag
                        elif k == "valuefrompipeline":
                            spec.pipeline = flag
                        elif k == "valuefrompipelinebypropertyname":
                            spec.pipeline_by_name = flag
                        elif k == "position" and value is not None:
                            spec.position = int(cast(self.eval(value, self.global_scope), "int"))
                            explicit_positions = True
                elif low in ("validateset", "validaterange", "validatenotnullorempty", "validatenotnull"):
                    values = [self.eval(v, self.global_scope) for v in attr.positional]
                    spec.validators.append((low, values))
                elif low in ("allownull", "allowemptystring", "allowemptycollection"):
                    spec.validators.append((low, []))
                elif low == "alias":
                    names = [self.eval(v, self.global_scope) for v in attr.positional]
                    flat: list[str] = []
                    for n in names:
                        flat.extend(ps_string(x) for x in (n if isinstance(n, list) else [n]))
                    spec.aliases = tuple(flat)
            specs.append(spec)
        if not explicit_positions:
            index = 0
            for spec in specs:
                if not spec.is_switch:
                    spec.position = index
                    index += 1
        return specs, advanced

    # ------------------------------------------------------------ statements

    def exec_statements(self, statements: list[A.Node], scope: Scope, out: list[Any]) -> None:
        """Run a statement list; a statement's terminating error stops that statement only
        (``statement_failed``), and the block's ``trap`` statements see its errors."""
        traps = self._traps(statements)
        if traps:
            self.handlers += 1
        try:
            for stmt in statements:
                try:
                    self.exec_statement(stmt, scope, out)
                except ErrorRecord as record:
                    if type(stmt) is A.Assignment:   # what it wrote was going to the variable
                        record.details.pop(PARTIAL_OUTPUT, None)
                    self.statement_failed(record, traps, scope, out)
        finally:
            if traps:
                self.handlers -= 1

    def _traps(self, statements: list[A.Node]) -> tuple[A.Trap, ...]:
        key = id(statements)
        found = self._trap_cache.get(key)
        if found is None:
            found = self._trap_cache[key] = (statements, tuple(s for s in statements if isinstance(s, A.Trap)))
        return found[1]

    def statement_failed(self, record: ErrorRecord, traps: tuple[A.Trap, ...], scope: Scope, out: list[Any]) -> None:
        """A statement ended with ``record`` (PowerShell's CheckActionPreference): the block's trap
        handles it; else an enclosing try/trap, or the script's end if it is script-terminating;
        else ``$ErrorActionPreference`` decides (Stop: script-terminating; SilentlyContinue/Ignore:
        only ``$Error``; Continue: shown) and the next statement runs."""
        self.last_success = False
        out.extend(record.details.pop(PARTIAL_OUTPUT, ()))
        trap = next((t for t in traps if t.types and catch_matches(t.types, record)), None) or \
            next((t for t in traps if not t.types), None)
        if trap is not None:
            self._run_trap(trap, record, scope, out)
            return
        if self.handlers > 0:
            raise record
        action = ps_string(self.get_variable(scope, "ErrorActionPreference")).lower() or "continue"
        quiet = action in ("silentlycontinue", "ignore")
        if is_script_terminating(record) and not (quiet and is_thrown(record)):
            raise record   # a `throw` alone yields to SilentlyContinue/Ignore (CommandErrorHandling.Tests.ps1)
        if action == "stop":
            raise terminate_script(record)
        self.report_error(record, show=not quiet and not is_thrown(record))

    def _run_trap(self, trap: A.Trap, record: ErrorRecord, scope: Scope, out: list[Any]) -> None:
        """``trap``: its body runs with ``$_``; ``continue`` resumes silently, ``break`` rethrows,
        falling off the end shows the error and resumes with the next statement (about_Trap)."""
        self.report_error(record, show=False)
        child = Scope(scope)
        child.vars["_"] = child.vars["psitem"] = record
        self.handlers -= 1   # an error inside the trap body goes to the enclosing handlers
        try:
            self.exec_block(trap.body, child, out)
        except ContinueFlow:
            return
        except BreakFlow:
            raise terminate_script(record) from None
        finally:
            self.handlers += 1
        self._show_reported(record)

    def report_error(self, record: ErrorRecord, show: bool = True) -> None:
        """Put ``record`` in ``$Error`` (once) and, if ``show``, on the error stream."""
        if not self.error_list or self.error_list[0] is not record:
            self.error_list.insert(0, record)
        if show:
            self._show_reported(record)

    def _show_reported(self, record: ErrorRecord) -> None:
        target = self._redirect_target("error")
        if target == "null":
            return
        if isinstance(target, list):
            target.append(record)
            return
        if isinstance(target, tuple):
            from pscompat.render.errors import render_script_error
            self._append_file(target, render_script_error(record))
            return
        self.show_error(record)

    def exec_statement(self, node: A.Node, scope: Scope, out: list[Any]) -> None:
        try:
            self._exec(node, scope, out)
        except ErrorRecord as record:
            self.attach_position(record, node)
            raise

    def _exec(self, node: A.Node, scope: Scope, out: list[Any]) -> None:
        kind = type(node)
        if kind is A.Pipeline:
            assert isinstance(node, A.Pipeline)
            if len(node.elements) == 1 and isinstance(node.elements[0], A.CommandExpression) and \
                    not node.elements[0].redirections:
                expr = node.elements[0].expression
                if isinstance(expr, A.Unary) and expr.op in ("++", "--", "post++", "post--"):
                    self.eval(expr, scope)
                    return
                out.extend(unroll(self.eval(expr, scope)))
                self.last_success = True
                return
            if getattr(out, "streaming", False) and self._streamable_tail(node, scope):
                self.run_pipeline_streaming(node, scope, out)
                return
            if getattr(out, "streaming", False) and isinstance(node.elements[-1], A.Command):
                # the last command may print as it goes (ForEach-Object -Parallel: script/builtins/jobs.py)
                self.tail_stream = (node.elements[-1], out)
                try:
                    out.extend(self.run_pipeline(node, scope))
                finally:
                    self.tail_stream = None
                return
            out.extend(self.run_pipeline(node, scope))
            return
        if kind is A.Assignment:
            assert isinstance(node, A.Assignment)
            assign(self, node, scope)
            return
        handler = STATEMENT_HANDLERS.get(kind)
        if handler is None:
            raise runtime_error(f"The statement {kind.__name__} is not supported.", "NotSupported")
        handler(self, node, scope, out)

    def statement_value(self, node: A.Node, scope: Scope) -> Any:
        """The value of a statement used as an expression (assignment RHS, hashtable value)."""
        if isinstance(node, A.Pipeline) and len(node.elements) == 1 and \
                isinstance(node.elements[0], A.CommandExpression) and not node.elements[0].redirections:
            value = self.eval(node.elements[0].expression, scope)
            return None if value is AutomationNull else value
        out: list[Any] = []
        self.exec_statement(node, scope, out)
        return collapse(out)

    def exec_block(self, block: A.StatementBlock, scope: Scope, out: list[Any]) -> None:
        self.exec_statements(block.statements, scope, out)

    def pipeline_output(self, node: A.Node, scope: Scope) -> list[Any]:
        out: list[Any] = []
        self.exec_statement(node, scope, out)
        return out

    # ------------------------------------------------------------ pipelines and commands

    def run_pipeline(self, node: A.Pipeline, scope: Scope) -> list[Any]:
        values: list[Any] | None = None
        for index, element in enumerate(node.elements):
            if isinstance(element, A.CommandExpression):
                result = unroll(self.eval(element.expression, scope))
                values = self._apply_output_redirections(element.redirections, result, scope)
            else:
                assert isinstance(element, A.Command)
                try:
                    values = self.invoke_command(element, scope, values if index > 0 else None)
                except ErrorRecord as record:
                    if index < len(node.elements) - 1:   # its output would have gone to the next command
                        record.details.pop(PARTIAL_OUTPUT, None)
                    raise
        return values or []

    def _streamable_tail(self, node: A.Pipeline, scope: Scope) -> bool:
        """A top-level ``... | ForEach-Object {}`` / ``Where-Object {}`` whose output can print per object."""
        if len(node.elements) < 2:
            return False
        last = node.elements[-1]
        if not isinstance(last, A.Command) or last.invocation or last.redirections or last.name_text is None:
            return False
        name = last.name_text.lower()
        if scope.find_function(name) is not None:
            return False
        builtin = self.builtins.get(name)
        if builtin is None or builtin.name not in ("ForEach-Object", "Where-Object"):
            return False
        for el in last.elements[1:]:
            if isinstance(el, A.CommandParameter) and any(
                    full.startswith(el.name.lower()) for full in ("begin", "end", "remainingscripts", "parallel")):
                return False
        return True

    def run_pipeline_streaming(self, node: A.Pipeline, scope: Scope, out: list[Any]) -> None:
        """Run all but the last command, then the last one per input object, printing as it goes
        (``Write-Host`` lines inside the block interleave with the output, as in PowerShell)."""
        head = A.Pipeline(node.elements[:-1], start=node.start, end=node.elements[-2].end)
        values = self.run_pipeline(head, scope)
        last = node.elements[-1]
        assert isinstance(last, A.Command)
        reported = len(self.error_list)
        for item in values:
            out.extend(self.invoke_command(last, scope, [item]))
        if len(self.error_list) != reported:
            self.last_success = False

    def _apply_output_redirections(self, redirections: list[A.Redirection], values: list[Any],
                                   scope: Scope) -> list[Any]:
        for redir in redirections:
            if redir.stream in ("1", "*") and redir.target is not None:
                target = self.eval(redir.target, scope)
                if target is None:
                    values = []
                    continue
                from pscompat.script.formatting import format_for_file
                path = self.resolve_path(ps_string(target))
                with open(path, "a" if redir.append else "w", encoding="utf-8") as handle:
                    handle.write(format_for_file(values))
                values = []
        return values

    def resolve_path(self, path: str) -> str:
        """A provider path: ``~`` expanded; on Linux/macOS ``\\`` separates too, as in PowerShell."""
        if os.sep == "/" and "\\" in path:
            path = path.replace("\\", "/")
        return os.path.expanduser(path)

    def evaluate_arguments(self, elements: list[A.Node], scope: Scope) -> list[CommandArgument]:
        args: list[CommandArgument] = []
        for el in elements:
            if isinstance(el, A.CommandParameter):
                if el.colon:
                    args.append(CommandArgument(el.name, self._argument_value(el.argument, scope)
                                                if el.argument is not None else None, True, el.text))
                else:
                    args.append(CommandArgument(el.name, NO_VALUE, False, el.text))
            elif isinstance(el, A.Variable) and el.splat:
                args.extend(splat(self.get_variable(scope, el.name, el.scope)))
            else:
                value = self._argument_value(el, scope)
                if value is AutomationNull:
                    value = None
                args.append(CommandArgument(None, value, False, self._text(el)))
        return args

    def _argument_value(self, node: A.Node, scope: Scope) -> Any:
        """A number typed in argument mode keeps its text for [string] parameters (``-UserId 007``)."""
        if isinstance(node, A.Constant) and node.kind == "verbatim":
            return re.sub(r"%([^%\s]+)%", lambda m: os.environ.get(m.group(1), m.group(0)), node.value)
        value = self.eval(node, scope)
        if isinstance(node, A.Constant) and node.kind == "number":
            return with_token_text(value, self._text(node))
        return value

    def _text(self, node: A.Node) -> str:
        if self.source_stack:
            return self.source_stack[-1].text[node.start:node.end]
        return ""

    def invoke_command(self, node: A.Command, scope: Scope, input_objects: list[Any] | None) -> list[Any]:
        head = node.elements[0]
        dot = node.invocation == "."
        if isinstance(head, A.Constant) and not node.invocation:
            name_value: Any = str(head.value)
        else:
            name_value = self.eval(head, scope)
        args = self.evaluate_arguments(node.elements[1:], scope)
        frame: dict[str, Any] = {}
        merged: list[Any] = []
        output_target: Any = NO_VALUE
        for redir in node.redirections:
            if redir.merge_to:
                frame[redir.stream] = merged
            elif redir.stream in ("1",):
                output_target = redir
            else:
                target = self.eval(redir.target, scope) if redir.target is not None else None
                if target is None:
                    frame[redir.stream] = "null"
                    if redir.stream == "*":
                        output_target = None
                else:
                    frame[redir.stream] = ("file", self.resolve_path(ps_string(target)), redir.append)
                    if redir.stream == "*":
                        output_target = redir
        ctx = InvocationContext(self, scope, ps_string(name_value) if isinstance(name_value, str) else "", node)
        ctx.merged = merged if merged or frame else None
        self.stream_redirects.append(frame)
        reported = len(self.error_list)
        try:
            try:
                result = self._dispatch(name_value, args, input_objects, scope, ctx, dot)
                if len(self.error_list) != reported:
                    self.last_success = False   # it (or a statement inside it) reported an error: $? is False
            except ErrorRecord as record:
                self.attach_position(record, self._offending_parameter(record, node) or node)
                self.last_success = False
                raise
        finally:
            self.stream_redirects.pop()
        if merged:
            result = list(result) + merged
        if output_target is not NO_VALUE:
            if output_target is None:
                return []
            assert isinstance(output_target, A.Redirection)
            return self._apply_output_redirections([output_target], result, scope)
        return result

    def _offending_parameter(self, record: ErrorRecord, node: A.Command) -> A.Node | None:
        """Binding errors about one parameter underline that parameter, as PowerShell does."""
        if record.error_id not in ("NamedParameterNotFound", "AmbiguousParameter", "ParameterAlreadyBound",
                                   "MissingArgument"):
            return None
        import re
        m = re.search(r"'([^']+)'", record.message)
        if m is None:
            return None
        typed = m.group(1).lower()
        matches = [el for el in node.elements[1:] if isinstance(el, A.CommandParameter) and
                   (el.name.lower() == typed or typed.startswith(el.name.lower()))]
        if not matches:
            return None
        return matches[-1] if record.error_id == "ParameterAlreadyBound" else matches[0]

    def _dispatch(self, name_value: Any, args: list[CommandArgument], input_objects: list[Any] | None,
                  scope: Scope, ctx: InvocationContext, dot: bool) -> list[Any]:
        if isinstance(name_value, ScriptBlockValue):
            return self.invoke_script_block(name_value, scope, args=args, input_objects=input_objects, dot=dot)
        name = ps_string(name_value)
        key = name.lower()
        fn = scope.find_function(key)
        if fn is not None:
            ctx.command = fn.name
            self.call_stack.append((fn.name, ctx.node, self.source_stack[-1] if self.source_stack else None))
            try:
                return self.call_function(fn, args, input_objects, scope)
            finally:
                self.call_stack.pop()
        builtin = self.builtins.get(key)
        if builtin is not None:
            ctx.command = builtin.name
            return builtin.run(self, ctx, args, input_objects)
        if self.invoker is not None and self.invoker.knows(name):
            return self._invoke_external(name, args, input_objects, ctx)
        if key.endswith(".ps1"):
            path = self.resolve_path(name)
            if os.path.isfile(path):
                return self.run_file(path, args, scope, dot, input_objects)
        native = self._native_path(name)
        if native is not None:
            return self._run_native(native, args, input_objects, scope)
        raise runtime_error(f"The term '{name}' is not recognized as a name of a cmdlet, function, script file, or "
                            "executable program.\nCheck the spelling of the name, or if a path was included, verify "
                            "that the path is correct and try again.", "CommandNotFoundException", "ObjectNotFound",
                            name, "System.Management.Automation.CommandNotFoundException", command=name)

    def _native_path(self, name: str) -> str | None:
        """An executable on PATH (or a path to one), as PowerShell runs native commands."""
        import shutil
        if os.environ.get("PSCOMPAT_NO_NATIVE"):
            return None
        if "/" in name or "\\" in name:
            path = self.resolve_path(name)
            return path if os.path.isfile(path) and os.access(path, os.X_OK) else None
        return shutil.which(name)

    def _run_native(self, path: str, args: list[CommandArgument], input_objects: list[Any] | None,
                    scope: Scope) -> list[Any]:
        """A native command: arguments as text, stdout lines as output strings, ``$LASTEXITCODE`` set."""
        import subprocess
        argv = [path]
        for a in args:
            if a.name is not None:
                argv.append(a.text.rstrip(":") + (":" + ps_string(a.value) if a.colon else "") if a.text else
                            f"-{a.name}")
                if a.value is not NO_VALUE and not a.colon:
                    argv.append(ps_string(a.value))
            elif isinstance(a.value, list):
                argv.extend(ps_string(v) for v in a.value)
            elif a.text.startswith("--%"):
                import shlex
                argv.extend(shlex.split(a.value, posix=True))  # the verbatim text is the command line's tail
            else:
                argv.append(ps_string(a.value))
        stdin_text = None if input_objects is None else "".join(ps_string(v) + "\n" for v in input_objects)
        completed = subprocess.run(argv, input=stdin_text, capture_output=True, text=True, check=False)
        if completed.stderr:
            self.host.write_error_text(completed.stderr)
        self.global_scope.vars["lastexitcode"] = completed.returncode
        self.last_success = completed.returncode == 0
        return completed.stdout.splitlines()

    def _invoke_external(self, name: str, args: list[CommandArgument], input_objects: list[Any] | None,
                         ctx: InvocationContext) -> list[Any]:
        assert self.invoker is not None
        external_args: list[Any] = list(args)
        try:
            from pscompat import binder
        except ImportError:
            binder = None  # type: ignore[assignment]
        if binder is not None and hasattr(binder, "Argument"):
            external_args = [binder.Argument(name=a.name, value=binder.NO_VALUE if a.value is NO_VALUE else a.value,
                                             colon=a.colon, text=None, splatted=a.splatted, token=a.text)
                             for a in args]
        common: dict[str, Any] = {}
        for index, a in enumerate(args):
            if a.name is None:
                continue
            low = a.name.lower()
            value = a.value
            if value is NO_VALUE and index + 1 < len(args) and args[index + 1].name is None:
                value = args[index + 1].value
            for canonical, alias in (("ErrorAction", "ea"), ("ErrorVariable", "ev"), ("OutVariable", "ov"),
                                     ("WarningAction", "wa")):
                if low == alias or (len(low) >= 6 and canonical.lower().startswith(low)):
                    common[canonical] = value
        if "ErrorAction" in common:
            ctx.error_action = ps_string(common["ErrorAction"])
        if "WarningAction" in common:
            ctx.warning_action = ps_string(common["WarningAction"])
        try:
            result = list(self.invoker.invoke(name, external_args, input_objects, ctx) or [])
        except ErrorRecord as record:
            attach_module_exception(record)
            self._record_error_variable(common, [record], ctx.scope)
            raise
        self._record_error_variable(common, ctx.errors, ctx.scope)
        if "OutVariable" in common:
            self._set_collector(common["OutVariable"], result, ctx.scope)
        self.last_success = not ctx.errors
        return result

    def _record_error_variable(self, common: dict[str, Any], errors: list[Any], scope: Scope) -> None:
        if "ErrorVariable" in common:
            self._set_collector(common["ErrorVariable"], list(errors), scope)

    def _set_collector(self, spec: Any, values: list[Any], scope: Scope) -> None:
        name = ps_string(spec)
        append = name.startswith("+")
        name = name.lstrip("+")
        if append:
            existing = self.get_variable(scope, name)
            base = list(existing) if isinstance(existing, list) else ([] if existing is None else [existing])
            self.set_variable(scope, name, ArrayList(base + values))
        else:
            self.set_variable(scope, name, ArrayList(values))

    def run_file(self, path: str, args: list[CommandArgument], scope: Scope, dot: bool,
                 input_objects: list[Any] | None = None) -> list[Any]:
        with open(path, "rb") as handle:
            text = decode_script_bytes(handle.read())
        try:
            block = parse_script(text, path)
        except ParseError as exc:
            raise runtime_error(exc.message, exc.error_id, "ParserError") from None
        from pscompat.script.comment_help import asks_for_help, help_for_script
        if asks_for_help(args):
            return [help_for_script(self, path, block)]
        try:
            return self.invoke_script_block(ScriptBlockValue(block), scope, args=args, dot=dot, source=block.source,
                                            input_objects=input_objects)
        except ExitFlow as flow:
            # `exit N` in a called script ends that script only; the caller sees $LASTEXITCODE
            self.global_scope.vars["lastexitcode"] = flow.code
            self.last_success = flow.code == 0
            return flow.output

    def call_function(self, fn: A.FunctionDefinition, args: list[CommandArgument], input_objects: list[Any] | None,
                      caller: Scope) -> list[Any]:
        from pscompat.script.comment_help import asks_for_help, help_for_function
        if asks_for_help(args):
            return [help_for_function(self, fn)]
        return self.invoke_script_block(ScriptBlockValue(fn.body), caller, args=args, input_objects=input_objects,
                                        name=fn.name)

    def invoke_script_block(self, sb: ScriptBlockValue, caller: Scope, *, args: list[CommandArgument] | None = None,
                            input_objects: list[Any] | None = None, dollar_under: Any = NO_VALUE, dot: bool = False,
                            name: str = "", source: A.Source | None = None) -> list[Any]:
        """Run a script block / function: param binding, begin/process/end, ``$_`` per input object."""
        if self.depth >= _MAX_DEPTH:
            # severe in PowerShell: no statement boundary absorbs it
            raise terminate_script(runtime_error("The script failed due to call depth overflow.", "CallDepthOverflow",
                                                 "InvalidOperation",
                                                 exception_type="System.Management.Automation.ScriptCallDepthException"))
        self.depth += 1
        try:
            return self._invoke_block(sb, caller, args, input_objects, dollar_under, dot, name, source)
        finally:
            self.depth -= 1

    def _invoke_block(self, sb: ScriptBlockValue, caller: Scope, args: list[CommandArgument] | None,
                      input_objects: list[Any] | None, dollar_under: Any, dot: bool, name: str,
                      source: A.Source | None) -> list[Any]:
        block = sb.block
        scope = caller if dot else Scope(caller)
        out: list[Any] = []
        pushed = False
        src = source or block.source
        if src is not None and (not self.source_stack or self.source_stack[-1] is not src):
            self.source_stack.append(src)
            pushed = True
        try:
            specs, _ = self.param_specs(block.param_block)
            pipe_specs = [s for s in specs if s.pipeline or s.pipeline_by_name]
            pre_bound = [s.name for s in pipe_specs] if input_objects is not None and pipe_specs else []
            self._bind_block_parameters(block, list(args or []), scope, name or "<ScriptBlock>", function=True,
                                        pipeline_bound=pre_bound)
            if dollar_under is not NO_VALUE:
                scope.vars["_"] = dollar_under
            has_named = block.begin_block is not None or block.process_block is not None
            if not has_named:
                scope.vars["input"] = list(input_objects or [])
                self._run_section(block.end_block, scope, out)
                return out
            if block.begin_block:
                self._run_section(block.begin_block, scope, out)
            if block.process_block is not None:
                items = input_objects if input_objects is not None else [dollar_under if dollar_under is not NO_VALUE
                                                                        else None]
                defaults = {s.name.lower(): _pipeline_default(s, scope.vars.get(s.name.lower())) for s in pipe_specs}
                for item in items:
                    scope.vars["_"] = item
                    if input_objects is not None and pipe_specs:
                        scope.vars.update(defaults)   # each object binds afresh (PowerShell restores defaults)
                        bound = self._bind_pipeline_object(pipe_specs, item, name)
                        if bound is None:
                            self.write_error(input_not_bound(name, item), InvocationContext(self, scope, name))
                            continue
                        try:
                            for spec in pipe_specs:
                                if spec.name.lower() in bound:
                                    check_mandatory_value(spec, bound[spec.name.lower()], name)
                        except ErrorRecord as refused:   # this object only; the next one binds afresh
                            self.write_error(refused, InvocationContext(self, scope, name))
                            continue
                        for key, value in bound.items():
                            scope.vars[key] = value
                    self._run_section(block.process_block, scope, out)
            if block.end_block:
                self._run_section(block.end_block, scope, out)
            return out
        finally:
            if pushed:
                self.source_stack.pop()

    def _bind_pipeline_object(self, specs: list[ParamSpec], item: Any, name: str) -> dict[str, Any] | None:
        """PowerShell's order for one pipeline object (ParameterBinderController): ByValue without
        type coercion, then ByPropertyName without coercion, then ByValue with coercion, then
        ByPropertyName with coercion; a parameter bound in one pass is done. None: the object
        binds to no parameter (InputObjectNotBound)."""
        bound: dict[str, Any] = {}
        for by_value, coerce in ((True, False), (False, False), (True, True), (False, True)):
            for spec in specs:
                key = spec.name.lower()
                if key in bound:
                    continue
                if by_value:
                    if not spec.pipeline:
                        continue
                    candidate = item
                else:
                    if not spec.pipeline_by_name or isinstance(item, PSHashtable):
                        continue
                    found, candidate = False, None
                    for prop in (spec.name, *spec.aliases):
                        found, candidate = get_property(item, prop)
                        if found:
                            break
                    if not found:
                        continue
                if not coerce:
                    if _already_of_type(spec, candidate):
                        bound[key] = candidate
                    continue
                try:
                    bound[key] = convert_argument(spec, candidate, name, name, True)
                except ErrorRecord:
                    continue
        return bound or None

    def _bind_pipeline_value(self, spec: ParamSpec, item: Any, name: str) -> Any:
        if spec.pipeline:
            try:
                return convert_argument(spec, item, name, name, True)
            except ErrorRecord:
                pass
        if spec.pipeline_by_name:
            for prop in (spec.name, *spec.aliases):
                found, value = get_property(item, prop)
                if found and not isinstance(item, PSHashtable):
                    return convert_argument(spec, value, name, name, True)
        return NO_VALUE

    def _run_section(self, statements: list[A.Node], scope: Scope, out: list[Any]) -> None:
        try:
            self.exec_statements(statements, scope, out)
        except ReturnFlow:
            pass
        except ErrorRecord as record:
            record.details[PARTIAL_OUTPUT] = list(out)   # written before the error: still output
            raise
        except ExitFlow as flow:
            flow.output = list(out) + flow.output   # what ran before `exit` still reaches the caller
            raise

    # ------------------------------------------------------------ expressions

    def eval(self, node: A.Node, scope: Scope) -> Any:
        handler = EXPRESSION_HANDLERS.get(type(node))
        if handler is None:
            raise runtime_error(f"The expression {type(node).__name__} is not supported.", "NotSupported")
        try:
            return handler(self, node, scope)
        except OperatorError as exc:
            record = runtime_error(exc.message, exc.error_id, exc.category)
            if exc.message == DIVIDE_BY_ZERO:
                divide_by_zero(record)
            self.attach_position(record, node)
            raise record from None
        except MethodError as exc:
            record = runtime_error(str(exc), "MethodInvocationException", "NotSpecified",
                                   exception_type="System.Management.Automation.MethodInvocationException")
            text = str(exc)
            if text.startswith("Exception calling") and '": "' in text:
                method_exception(record, text.split('": "', 1)[1][:-1])
            self.attach_position(record, node)
            raise record from None
        except (CastError, TypeNotFound) as exc:
            record = runtime_error(str(exc), "RuntimeException", "InvalidArgument")
            self.attach_position(record, node)
            raise record from None
        except (ValueError, IndexError, KeyError, TypeError, ArithmeticError, OSError) as exc:
            # an operation on values the .NET runtime would reject: a PowerShell RuntimeException, not a crash
            record = runtime_error(_exception_text(exc), "RuntimeException", "NotSpecified")
            if isinstance(exc, ZeroDivisionError):
                divide_by_zero(record)
            self.attach_position(record, node)
            raise record from None


_MAX_DEPTH = 100   # PowerShell's script call depth limit


def _exception_text(exc: BaseException) -> str:
    if isinstance(exc, ZeroDivisionError):
        return DIVIDE_BY_ZERO
    if isinstance(exc, IndexError):
        return "Index was outside the bounds of the array."
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc) or type(exc).__name__
