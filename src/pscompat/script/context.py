"""What a running command sees of the script (``InvocationContext``: streams, preferences,
variables) and ``$PSCmdlet`` in an advanced function (``CmdletContext``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pscompat.errors import ErrorRecord
from pscompat.lang import ast as A
from pscompat.lang.dotnet import ps_string
from pscompat.script.flow import runtime_error
from pscompat.script.scope import Scope
from pscompat.values import AutomationNull, PSObject

if TYPE_CHECKING:
    from pscompat.script.evaluator import Interpreter
    from pscompat.script.scripthost import ScriptHost

__all__ = ["InvocationContext", "CmdletContext"]


@dataclass
class InvocationContext:
    """What a command sees of the running script: streams, preferences, variables."""

    interp: Interpreter
    scope: Scope
    command: str
    node: A.Node | None = None
    error_action: str | None = None
    warning_action: str | None = None
    errors: list[ErrorRecord] = field(default_factory=list)
    merged: list[Any] | None = None   # 2>&1: error records join the output here

    @property
    def host(self) -> ScriptHost:
        return self.interp.host

    def effective_error_action(self) -> str:
        return self.error_action or ps_string(self.interp.get_variable(self.scope, "ErrorActionPreference")) \
            or "Continue"

    def write_error(self, record: ErrorRecord) -> None:
        self.interp.write_error(record, self)

    def write_warning(self, text: str) -> None:
        action = (self.warning_action or ps_string(self.interp.get_variable(self.scope, "WarningPreference"))
                  or "Continue").lower()
        if action == "stop":
            raise runtime_error(f"The running command stopped because the preference variable \"WarningPreference\" "
                                f"or common parameter is set to Stop: {text}", "ActionPreferenceStop",
                                "OperationStopped")
        if action not in ("silentlycontinue", "ignore"):
            self.interp.emit_stream("warning", text)

    def write_verbose(self, text: str) -> None:
        if ps_string(self.interp.get_variable(self.scope, "VerbosePreference")).lower() in ("continue", "inquire"):
            self.interp.emit_stream("verbose", text)

    def write_debug(self, text: str) -> None:
        if ps_string(self.interp.get_variable(self.scope, "DebugPreference")).lower() in ("continue", "inquire"):
            self.interp.emit_stream("debug", text)

    def write_information(self, text: str, host: bool = False) -> None:
        pref = ps_string(self.interp.get_variable(self.scope, "InformationPreference")).lower()
        if host or pref in ("continue", "inquire"):
            self.interp.emit_stream("information", text)

    def get_variable(self, name: str) -> Any:
        return self.interp.get_variable(self.scope, name)


class CmdletContext:
    """``$PSCmdlet`` in an advanced function: ShouldProcess (-WhatIf), WriteVerbose, ThrowTerminatingError..."""

    def __init__(self, interp: Interpreter, scope: Scope, name: str, what_if: bool, confirm: bool) -> None:
        self.interp, self.scope, self.name = interp, scope, name
        self.what_if, self.confirm = what_if, confirm

    def ps_string(self) -> str:
        return self.name

    def _claim(self, record: ErrorRecord) -> None:
        """A record a script built (``[ErrorRecord]::new(...)``) is the function's own: its FQID is
        ``id,Function-Name`` and the error view names the function."""
        if record.details.get("constructed"):
            record.command = record.command or self.name
            record.fqid_suffix = record.fqid_suffix or self.name
            stack = self.interp.call_stack
            if stack and stack[-1][0] == self.name and stack[-1][1] is not None:
                self.interp.attach_position(record, stack[-1][1], stack[-1][2])   # the function's call site

    def member(self, name: str) -> tuple[bool, Any]:
        key = name.lower()
        if key == "parametersetname":
            return True, "__AllParameterSets"
        if key == "myinvocation":
            return True, PSObject({"MyCommand": PSObject({"Name": self.name}), "InvocationName": self.name})
        if key == "sessionstate":
            return True, None
        return False, None

    def call(self, name: str, args: list[Any], node: A.Node) -> Any:
        key = name.lower()
        ctx = InvocationContext(self.interp, self.scope, self.name, node)
        if key == "shouldprocess":
            if self.what_if:
                target = ps_string(args[0]) if args else ""
                action = ps_string(args[1]) if len(args) > 1 else self.name
                if len(args) >= 3:
                    self.interp.emit_stream("information", f"What if: {ps_string(args[0])}")
                else:
                    self.interp.emit_stream("information",
                                            f'What if: Performing the operation "{action}" on target "{target}".')
                return False
            return True
        if key == "shouldcontinue":
            return True
        if key == "writeverbose":
            ctx.write_verbose(ps_string(args[0]))
            return AutomationNull
        if key == "writewarning":
            ctx.write_warning(ps_string(args[0]))
            return AutomationNull
        if key == "writedebug":
            ctx.write_debug(ps_string(args[0]))
            return AutomationNull
        if key == "writeobject":
            return args[0] if args else AutomationNull
        if key == "writeerror" and args and isinstance(args[0], ErrorRecord):
            self._claim(args[0])
            self.interp.write_error(args[0], ctx)
            return AutomationNull
        if key == "throwterminatingerror" and args and isinstance(args[0], ErrorRecord):
            self._claim(args[0])
            args[0].terminating = True
            raise args[0]
        raise runtime_error(f"Method invocation failed because [System.Management.Automation.PSScriptCmdlet] does "
                            f"not contain a method named '{name}'.", "MethodNotFound")
