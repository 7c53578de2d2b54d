"""Statements as PowerShell runs them: if, loops (foreach/for/while/do), switch, try/catch/finally,
flow (break/continue/return/exit/throw) and function definitions.

One function per statement kind, taking the ``Interpreter``; ``STATEMENT_HANDLERS`` maps AST node
types to them (pipelines and assignments the evaluator runs itself)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pscompat.errors import ErrorRecord
from pscompat.lang import ast as A
from pscompat.lang.dotnet import CastError, TypeNotFound, cast, is_true, ps_string
from pscompat.script.binding import NO_VALUE
from pscompat.script.error_handling import PARTIAL_OUTPUT, catch_matches, thrown
from pscompat.script.flow import BreakFlow, ContinueFlow, ExitFlow, ReturnFlow, collapse, enumerate_value
from pscompat.script.operators import binary, compare, like
from pscompat.script.scope import Scope
from pscompat.script.scriptblock import ScriptBlockValue
from pscompat.values import PSObject

if TYPE_CHECKING:
    from pscompat.script.evaluator import Interpreter


def st_if(interp: Interpreter, node: A.If, scope: Scope, out: list[Any]) -> None:
    for cond, body in node.clauses:
        if is_true(interp.statement_value(cond, scope)):
            interp.exec_block(body, scope, out)
            return
    if node.else_block is not None:
        interp.exec_block(node.else_block, scope, out)


def _loop_body(interp: Interpreter, body: A.StatementBlock, scope: Scope, out: list[Any], label: str) -> bool:
    """Run one iteration; False when the loop must stop (break)."""
    try:
        interp.exec_block(body, scope, out)
    except BreakFlow as flow:
        if flow.label and flow.label.lower() != label.lower():
            raise
        return False
    except ContinueFlow as flow:
        if flow.label and flow.label.lower() != label.lower():
            raise
    return True


def st_foreach(interp: Interpreter, node: A.ForEach, scope: Scope, out: list[Any]) -> None:
    value = interp.statement_value(node.iterable, scope)
    items = value if isinstance(value, list) else ([] if value is None else enumerate_value(value))
    for item in list(items):
        interp.set_variable(scope, node.variable.name, item, node.variable.scope)
        if not _loop_body(interp, node.body, scope, out, node.label):
            break


def st_for(interp: Interpreter, node: A.For, scope: Scope, out: list[Any]) -> None:
    if node.init is not None:
        interp.exec_statement(node.init, scope, [])
    while node.condition is None or is_true(interp.statement_value(node.condition, scope)):
        if not _loop_body(interp, node.body, scope, out, node.label):
            break
        if node.iterator is not None:
            interp.exec_statement(node.iterator, scope, [])


def st_while(interp: Interpreter, node: A.While, scope: Scope, out: list[Any]) -> None:
    while is_true(interp.statement_value(node.condition, scope)):
        if not _loop_body(interp, node.body, scope, out, node.label):
            break


def st_do(interp: Interpreter, node: A.DoLoop, scope: Scope, out: list[Any]) -> None:
    while True:
        if not _loop_body(interp, node.body, scope, out, node.label):
            break
        result = is_true(interp.statement_value(node.condition, scope))
        if result == node.until:
            break


def st_switch(interp: Interpreter, node: A.Switch, scope: Scope, out: list[Any]) -> None:
    value = interp.statement_value(node.value, scope)
    items = value if isinstance(value, list) else [value]
    flags = set(node.flags)
    cs = "casesensitive" in flags
    saved = scope.vars.get("_", NO_VALUE)
    try:
        for item in items:
            scope.vars["_"] = item
            matched = False
            try:
                for clause in node.clauses:
                    if clause.pattern is None:
                        continue
                    if _switch_matches(interp, clause.pattern, item, flags, cs, scope):
                        matched = True
                        interp.exec_block(clause.body, scope, out)
                if not matched:
                    for clause in node.clauses:
                        if clause.pattern is None:
                            interp.exec_block(clause.body, scope, out)
            except ContinueFlow as flow:
                if flow.label and flow.label.lower() != node.label.lower():
                    raise
                continue
    except BreakFlow as flow:
        if flow.label and flow.label.lower() != node.label.lower():
            raise
    finally:
        if saved is NO_VALUE:
            scope.vars.pop("_", None)
        else:
            scope.vars["_"] = saved


def _switch_matches(interp: Interpreter, pattern: A.Node, item: Any, flags: set[str], cs: bool, scope: Scope) -> bool:
    if isinstance(pattern, A.ScriptBlockExpression):
        result = interp.invoke_script_block(ScriptBlockValue(pattern.block), scope, dollar_under=item)
        return is_true(collapse(result))
    want = interp.eval(pattern, scope)
    if "wildcard" in flags:
        return like(item, want, cs)
    if "regex" in flags:
        found: list[Any] = []
        result = binary("-cmatch" if cs else "-match", ps_string(item), want, found)
        if found:
            scope.vars["matches"] = found[0]
        return bool(result)
    if isinstance(item, str) or isinstance(want, str):
        return compare(ps_string(item), ps_string(want), "eq", cs)
    return compare(item, want, "eq", cs)


def st_try(interp: Interpreter, node: A.Try, scope: Scope, out: list[Any]) -> None:
    """try/catch/finally: the body's terminating errors (statement- or script-terminating, in this
    block or any command it calls) go to the first catch whose types match (about_Try_Catch_Finally)."""
    try:
        interp.handlers += 1
        try:
            interp.exec_block(node.body, scope, out)
        except ErrorRecord as record:
            interp.handlers -= 1
            out.extend(record.details.pop(PARTIAL_OUTPUT, ()))
            _catch(interp, node, record, scope, out)
        else:
            interp.handlers -= 1
    finally:
        if node.finally_block is not None:
            interp.exec_block(node.finally_block, scope, out)


def _catch(interp: Interpreter, node: A.Try, record: ErrorRecord, scope: Scope, out: list[Any]) -> None:
    clause = next((c for c in node.catches if catch_matches(c.types, record)), None)
    if clause is None:
        raise record
    interp.last_success = False
    interp.attach_position(record, node.body)
    interp.report_error(record, show=False)
    saved = scope.vars.get("_", NO_VALUE)
    scope.vars["_"] = record
    try:
        interp.exec_block(clause.body, scope, out)
    finally:
        if saved is NO_VALUE:
            scope.vars.pop("_", None)
        else:
            scope.vars["_"] = saved


def st_flow(interp: Interpreter, node: A.Flow, scope: Scope, out: list[Any]) -> None:
    kind = node.kind
    if kind == "break":
        raise BreakFlow(node.label)
    if kind == "continue":
        raise ContinueFlow(node.label)
    if kind == "return":
        if node.value is not None:
            out.extend(interp.pipeline_output(node.value, scope))
        raise ReturnFlow()
    if kind == "exit":
        code = 0
        if node.value is not None:
            value = interp.statement_value(node.value, scope)
            try:
                code = int(cast(value, "int"))
            except (CastError, TypeNotFound):
                code = 0
        raise ExitFlow(code)
    raise thrown(_thrown(interp, node, scope))


def _thrown(interp: Interpreter, node: A.Flow, scope: Scope) -> ErrorRecord:
    """The record ``throw <value>`` raises: the record itself, an exception's record, or a
    RuntimeException whose message is the value (``ScriptHalted`` for a bare ``throw``)."""
    if node.value is None:   # a bare `throw` in a catch block or trap rethrows the error it handles
        found, current = scope.lookup("_")
        if found and isinstance(current, ErrorRecord):
            return current
    value = interp.statement_value(node.value, scope) if node.value is not None else None
    if isinstance(value, ErrorRecord):
        value.terminating = True
        return value
    if isinstance(value, PSObject) and isinstance(value.get("ErrorRecord"), ErrorRecord):
        record: ErrorRecord = value.get("ErrorRecord")
        return record
    if isinstance(value, PSObject) and "System.Exception" in value.type_names:
        message = ps_string(value.get("Message"))
        record = ErrorRecord(message, message, "OperationStopped", exception_type=value.type_name)
        record.details["inner_exception"] = value.get("InnerException")
        interp.attach_position(record, node)
        return record
    message = ps_string(value) if value is not None else "ScriptHalted"
    record = ErrorRecord(message, message, "OperationStopped", target=value,
                         exception_type="System.Management.Automation.RuntimeException")
    interp.attach_position(record, node)
    return record


def st_trap(interp: Interpreter, node: A.Trap, scope: Scope, out: list[Any]) -> None:
    """A trap does nothing where it stands: ``Interpreter.statement_failed`` runs it for its block."""


def st_function(interp: Interpreter, node: A.FunctionDefinition, scope: Scope, out: list[Any]) -> None:
    scope.functions[node.name.lower()] = node


STATEMENT_HANDLERS: dict[type, Callable[[Interpreter, Any, Scope, list[Any]], None]] = {
    A.If: st_if,
    A.ForEach: st_foreach,
    A.For: st_for,
    A.While: st_while,
    A.DoLoop: st_do,
    A.Switch: st_switch,
    A.Try: st_try,
    A.Flow: st_flow,
    A.FunctionDefinition: st_function,
    A.Trap: st_trap,
}
