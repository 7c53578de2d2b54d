"""The built-in cmdlet registry: ``@builtin`` records a function with PowerShell's parameter
metadata; ``Builtin.run`` binds, applies the common parameters and calls it with a ``Call``.

The evaluator looks commands up in ``REGISTRY`` and hands itself to ``Call``; this module only
names the evaluator for type checking, so there is no import cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pscompat.errors import ErrorRecord
from pscompat.lang.dotnet import ps_string
from pscompat.script.binding import (
    NO_VALUE,
    CommandArgument,
    ParamSpec,
    bind_arguments,
    check_mandatory_value,
    missing_mandatory,
)
from pscompat.script.scriptblock import ScriptBlockValue

if TYPE_CHECKING:
    from pscompat.script.evaluator import Interpreter, InvocationContext

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
        return self.interp.invoke_script_block(block, self.ctx.scope, dollar_under=dollar_under
                                               if dollar_under is not None else NO_VALUE,
                                               args=[CommandArgument(None, a) for a in (args or [])])

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
        for spec in self.params:
            if spec.mandatory and spec.name in result.bound:
                check_mandatory_value(spec, result.bound[spec.name], self.name, self.type_name)
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
                from pscompat.script.flow import Flow
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
