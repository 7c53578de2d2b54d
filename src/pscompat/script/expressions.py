"""Expressions as PowerShell evaluates them: constants, variables, strings, arrays, hashtables,
casts, members and method calls, indexing, unary/binary operators, and assignment (which
``++``/``--`` also perform).

One function per expression kind, taking the ``Interpreter``; ``EXPRESSION_HANDLERS`` maps AST
node types to them and ``Interpreter.eval`` turns their failures into PowerShell errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pscompat.lang import ast as A
from pscompat.lang.dotnet import (
    CastError,
    TypeNotFound,
    cast,
    is_true,
    ps_string,
    static_call,
    static_member,
    type_key,
)
from pscompat.lang.parser import parse_script
from pscompat.script.binding import CommandArgument
from pscompat.script.concurrent import is_concurrent_type, new_concurrent
from pscompat.script.context import CmdletContext
from pscompat.script.dotnet_static import NOT_HANDLED, dotnet_static
from pscompat.script.error_handling import method_exception
from pscompat.script.flow import collapse, runtime_error, unroll
from pscompat.script.members import MethodError, MethodNotFound, call_method, get_property, set_property
from pscompat.script.operators import binary
from pscompat.script.scope import Scope
from pscompat.script.scriptblock import ScriptBlockValue
from pscompat.values import (
    ArrayList,
    AutomationNull,
    DotNetObject,
    PSHashtable,
    PSObject,
    PSReference,
    TimeSpan,
)

if TYPE_CHECKING:
    from pscompat.script.evaluator import Interpreter

_VOID_METHODS = {"add", "remove", "clear", "insert", "removeat", "addrange", "reverse", "sort", "writealltext",
                 "appendalltext", "setenvironmentvariable", "dispose"}


def assign(interp: Interpreter, node: A.Assignment, scope: Scope) -> None:
    op = node.op
    target = node.target
    if op == "=":
        value = interp.statement_value(node.value, scope)
    else:
        current = interp.eval(target, scope)
        if op == "??=":
            if current is not None:
                return
            value = interp.statement_value(node.value, scope)
        else:
            right = interp.statement_value(node.value, scope)
            value = _binary(interp, op[0], current, right, node)
    assign_to(interp, target, value, scope, node)


def assign_to(interp: Interpreter, target: A.Node, value: Any, scope: Scope, node: A.Node) -> None:
    if isinstance(target, A.Variable):
        interp.set_variable(scope, target.name, value, target.scope)
        return
    if isinstance(target, A.Convert):
        inner = target.operand
        try:
            value = cast(value, target.type_name)
        except (CastError, TypeNotFound) as exc:
            raise runtime_error(str(exc), "RuntimeException", "MetadataError") from None
        assign_to(interp, inner, value, scope, node)
        return
    if isinstance(target, A.Member):
        obj = interp.eval(target.target, scope)
        name = target.name if isinstance(target.name, str) else ps_string(interp.eval(target.name, scope))
        try:
            set_property(obj, name, value)
        except MethodError as exc:
            raise runtime_error(str(exc), "PropertyNotFound", "InvalidOperation") from None
        return
    if isinstance(target, A.Index):
        obj = interp.eval(target.target, scope)
        index = interp.eval(target.index, scope)
        if isinstance(obj, PSHashtable):
            obj[index] = value
            return
        if isinstance(obj, DotNetObject):
            try:
                obj.ps_set_index(index, value)
            except (TypeError, CastError) as exc:
                raise runtime_error(str(exc), "CannotIndex", "InvalidOperation") from None
            return
        if isinstance(obj, list):
            try:
                obj[int(cast(index, "int"))] = value
            except IndexError:
                raise runtime_error("Index was outside the bounds of the array.", "IndexOutOfRange",
                                    "InvalidOperation") from None
            return
        if obj is None:
            raise runtime_error("Cannot index into a null array.", "NullArray", "InvalidOperation")
        raise runtime_error(f"Unable to index into an object of type {ps_string(obj)}.", "CannotIndex")
    if isinstance(target, A.ArrayLiteral):
        values = value if isinstance(value, list) else [value]
        targets = target.elements
        for i, t in enumerate(targets):
            if i == len(targets) - 1:
                rest = values[i:]
                assign_to(interp, t, collapse(rest) if len(rest) != 1 else rest[0], scope, node)
            else:
                assign_to(interp, t, values[i] if i < len(values) else None, scope, node)
        return
    raise runtime_error("The assignment expression is not valid.", "InvalidLeftHandSide")


def ev_constant(interp: Interpreter, node: A.Constant, scope: Scope) -> Any:
    return node.value


def ev_variable(interp: Interpreter, node: A.Variable, scope: Scope) -> Any:
    return interp.get_variable(scope, node.name, node.scope)


def ev_expandable(interp: Interpreter, node: A.ExpandableString, scope: Scope) -> Any:
    parts: list[str] = []
    for part in node.parts:
        if isinstance(part, str):
            parts.append(part)
        else:
            value = interp.eval(part, scope)
            if isinstance(value, list):
                ofs = interp.get_variable(scope, "OFS")
                parts.append((" " if ofs is None else ps_string(ofs)).join(ps_string(v) for v in value))
            else:
                parts.append(ps_string(value))
    return "".join(parts)


def ev_array_literal(interp: Interpreter, node: A.ArrayLiteral, scope: Scope) -> Any:
    values = []
    for e in node.elements:
        v = interp.eval(e, scope)
        values.append(None if v is AutomationNull else v)
    return values


def ev_array_expression(interp: Interpreter, node: A.ArrayExpression, scope: Scope) -> Any:
    out: list[Any] = []
    interp.exec_statements(node.body, scope, out)
    return out


def ev_subexpression(interp: Interpreter, node: A.SubExpression, scope: Scope) -> Any:
    out: list[Any] = []
    interp.exec_statements(node.body, scope, out)
    return collapse(out)


def ev_paren(interp: Interpreter, node: A.Paren, scope: Scope) -> Any:
    inner = node.pipeline
    if isinstance(inner, A.Assignment):
        assign(interp, inner, scope)
        return interp.eval(inner.target, scope)
    return interp.statement_value(inner, scope)


def ev_hashtable(interp: Interpreter, node: A.Hashtable, scope: Scope, ordered: bool = False) -> Any:
    table = PSHashtable(ordered=ordered)
    for key_node, value_node in node.pairs:
        key = key_node.value if isinstance(key_node, A.Constant) else interp.eval(key_node, scope)
        if key in table:
            raise runtime_error(f"Duplicate keys '{ps_string(key)}' are not allowed in hash literals.",
                                "DuplicateKeyInHashLiteral", "ParserError")
        table[key] = interp.statement_value(value_node, scope)
    return table


def ev_type_literal(interp: Interpreter, node: A.TypeLiteral, scope: Scope) -> Any:
    try:
        type_key(node.name)
    except TypeNotFound as exc:
        raise runtime_error(str(exc), "TypeNotFound", "InvalidOperation", node.name) from None
    return node


def ev_convert(interp: Interpreter, node: A.Convert, scope: Scope) -> Any:
    low = node.type_name.lower()
    if low in ("ref", "system.management.automation.psreference", "management.automation.psreference"):
        return make_reference(interp, node.operand, scope)
    if low in ("ordered", "system.collections.specialized.ordereddictionary") and \
            isinstance(node.operand, A.Hashtable):
        return ev_hashtable(interp, node.operand, scope, ordered=True)
    value = interp.eval(node.operand, scope)
    if low == "void":
        return AutomationNull
    if low in ("pscustomobject", "system.management.automation.pscustomobject") and isinstance(value, PSHashtable):
        return PSObject(value.items())
    if low in ("scriptblock", "system.management.automation.scriptblock"):
        if isinstance(value, ScriptBlockValue):
            return value
        return ScriptBlockValue(parse_script(ps_string(value)))
    if low in ("collections.arraylist", "system.collections.arraylist") or \
            low.startswith(("system.collections.generic.list", "collections.generic.list")):
        items = value if isinstance(value, list) else ([] if value is None else [value])
        result = ArrayList(items)
        result.generic = "generic" in low
        return result
    if low in ("securestring", "system.security.securestring"):
        return value
    try:
        return cast(value, node.type_name)
    except TypeNotFound as exc:
        raise runtime_error(str(exc), "TypeNotFound", "InvalidOperation", node.type_name) from None
    except CastError as exc:
        error_id = "InvalidCastFromStringToInteger" if low in ("int", "int32", "system.int32", "long") and \
            isinstance(value, str) else "InvalidCastParseTargetInvocation" if "datetime" in low else \
            "ConvertToFinalInvalidCastException"
        raise runtime_error(str(exc), error_id, "InvalidArgument", value,
                            "System.Management.Automation.PSInvalidCastException") from None


def make_reference(interp: Interpreter, operand: A.Node, scope: Scope) -> PSReference:
    """``[ref]$x``: a reference to the variable where it lives (``.Value`` reads and writes it);
    ``[ref]`` of anything else refers to a copy of that value; a reference stays itself."""
    if isinstance(operand, A.Variable) and operand.scope in ("", "script", "global", "local"):
        key = operand.name.lower()
        owner: Scope | None = scope
        if not operand.scope:
            while owner is not None and key not in owner.vars:
                owner = owner.parent
        target = owner if owner is not None else scope
        name, qualifier = operand.name, operand.scope
        return PSReference(lambda: interp.get_variable(target, name, qualifier),
                           lambda value: interp.set_variable(target, name, value, qualifier))
    value = interp.eval(operand, scope)
    return value if isinstance(value, PSReference) else PSReference.of_value(value)


def member_value(interp: Interpreter, target: Any, name: str) -> Any:
    if isinstance(target, CmdletContext):
        return target.member(name)[1]
    found, value = get_property(target, name)
    if found:
        return value
    if isinstance(target, list):
        results: list[Any] = []
        for item in target:
            ok, v = get_property(item, name)
            if ok:
                if isinstance(v, list):
                    results.extend(v)
                else:
                    results.append(v)
        return collapse(results) if len(results) <= 1 else results
    if name.lower() in ("count", "length"):
        return 0 if target is None else 1   # PowerShell's intrinsic Count/Length on scalars
    return None


def ev_member(interp: Interpreter, node: A.Member, scope: Scope) -> Any:
    name = node.name if isinstance(node.name, str) else ps_string(interp.eval(node.name, scope))
    if node.static:
        if not isinstance(node.target, A.TypeLiteral):
            raise runtime_error("Static member access needs a type ([type]::Name).", "StaticMemberNeedsType")
        try:
            return static_member(node.target.name, name)
        except TypeNotFound as exc:
            raise runtime_error(str(exc), "TypeNotFound", "InvalidOperation") from None
        except AttributeError:
            return None
    target = interp.eval(node.target, scope)
    return member_value(interp, target, name)


def ev_invoke_member(interp: Interpreter, node: A.InvokeMember, scope: Scope) -> Any:
    name = node.name if isinstance(node.name, str) else ps_string(interp.eval(node.name, scope))
    args = [interp.eval(a, scope) for a in node.args]
    if node.static:
        if not isinstance(node.target, A.TypeLiteral):
            raise runtime_error("Static method calls need a type ([type]::Name()).", "StaticMemberNeedsType")
        return _static_call(interp, node.target.name, name, args)
    target = interp.eval(node.target, scope)
    key = name.lower()
    if isinstance(target, CmdletContext):
        return target.call(name, args, node)
    if isinstance(target, ScriptBlockValue) and key in ("invoke", "invokereturnasis"):
        return collapse(interp.invoke_script_block(target, scope, args=[CommandArgument(None, a) for a in args]))
    if key in ("foreach", "where") and args and isinstance(args[0], ScriptBlockValue) and \
            not isinstance(target, str):
        items = target if isinstance(target, list) else ([] if target is None else [target])
        out: list[Any] = []
        for item in items:
            result = interp.invoke_script_block(args[0], scope, dollar_under=item)
            if key == "foreach":
                out.extend(result)
            elif is_true(collapse(result)):
                out.append(item)
        return out
    if isinstance(target, PSObject) and isinstance(target.get(name), ScriptBlockValue):
        return collapse(interp.invoke_script_block(target.get(name), scope,
                                                  args=[CommandArgument(None, a) for a in args]))
    if target is None:
        raise runtime_error("You cannot call a method on a null-valued expression.", "InvokeMethodOnNull",
                            "InvalidOperation")
    if isinstance(target, DotNetObject):
        args = [_delegate(interp, a, scope) for a in args]
    try:
        result = call_method(target, name, args)
    except KeyError as exc:
        raise method_exception(runtime_error(f'Exception calling "{name}" with "{len(args)}" argument(s): '
                                             f'"{exc.args[0]}"', "KeyNotFoundException", "NotSpecified"),
                               str(exc.args[0])) from None
    except MethodNotFound as exc:
        raise runtime_error(str(exc), "MethodNotFound", "InvalidOperation", target) from None
    except (CastError, TypeNotFound, ValueError, IndexError, TypeError) as exc:
        raise runtime_error(f'Exception calling "{name}" with "{len(args)}" argument(s): "{exc}"',
                            "MethodInvocationException", "NotSpecified",
                            exception_type="System.Management.Automation.MethodInvocationException") from None
    return AutomationNull if result is None and key in _VOID_METHODS else result


def _delegate(interp: Interpreter, value: Any, scope: Scope) -> Any:
    """A script block passed to a .NET method becomes a delegate (AddOrUpdate's factories)."""
    if not isinstance(value, ScriptBlockValue):
        return value

    def call(*args: Any) -> Any:
        return collapse(interp.invoke_script_block(value, scope, args=[CommandArgument(None, a) for a in args]))
    return call


def _static_call(interp: Interpreter, type_name: str, name: str, args: list[Any]) -> Any:
    key = name.lower()
    low = type_name.lower()
    if key == "new" and is_concurrent_type(type_name):
        return new_concurrent(type_name, args)
    if key == "new" and low.replace("system.", "").endswith("exception"):
        from pscompat.lang.dotnet import full_type_name
        full = full_type_name(type_name)
        message = ps_string(args[0]) if args else f"Exception of type '{full}' was thrown."
        return PSObject({"Message": message, "InnerException": args[1] if len(args) > 1 else None},
                        type_names=[full, "System.Exception"])
    if key == "new" and low.endswith("pscredential"):
        if len(args) != 2:
            raise runtime_error(f'Cannot find an overload for "PSCredential" and the argument count: "{len(args)}".',
                                "MethodCountCouldNotFindBest", "InvalidOperation")
        from pscompat.script.builtins.credentials import make_credential
        return make_credential(args[0], args[1])
    if key == "new":
        if "list" in low or "arraylist" in low:
            result = ArrayList(args[0] if args and isinstance(args[0], list) else [])
            result.generic = "generic" in low
            return result
        if low in ("hashtable", "system.collections.hashtable"):
            return PSHashtable()
        if low in ("pscustomobject", "psobject", "system.management.automation.pscustomobject"):
            return PSObject()
        if "datetime" in low:
            import datetime as _dt
            return _dt.datetime(*[int(a) for a in args])  # type: ignore[arg-type]
        if "timespan" in low:
            import datetime as _dt
            parts = [int(a) for a in args]
            if len(parts) == 3:
                return TimeSpan(_dt.timedelta(hours=parts[0], minutes=parts[1], seconds=parts[2]))
            return TimeSpan(_dt.timedelta(days=parts[0], hours=parts[1], minutes=parts[2], seconds=parts[3]))
    try:
        special = dotnet_static(type_name, key, args)
        return special if special is not NOT_HANDLED else static_call(type_name, name, args)
    except TypeNotFound as exc:
        raise runtime_error(str(exc), "TypeNotFound", "InvalidOperation") from None
    except AttributeError:
        raise runtime_error(f"Method invocation failed because [{type_name}] does not contain a method named "
                            f"'{name}'.", "MethodNotFound", "InvalidOperation") from None
    except (CastError, ValueError, TypeError, OSError) as exc:
        raise method_exception(runtime_error(f'Exception calling "{name}" with "{len(args)}" argument(s): "{exc}"',
                                             "MethodInvocationException", "NotSpecified"), str(exc)) from None


def ev_index(interp: Interpreter, node: A.Index, scope: Scope) -> Any:
    target = interp.eval(node.target, scope)
    index = interp.eval(node.index, scope)
    if target is None:
        raise runtime_error("Cannot index into a null array.", "NullArray", "InvalidOperation")
    if isinstance(target, DotNetObject):
        try:
            return target.ps_index(index)
        except KeyError as exc:
            raise runtime_error(str(exc.args[0]), "KeyNotFoundException", "NotSpecified",
                                exception_type="System.Collections.Generic.KeyNotFoundException") from None
        except (TypeError, CastError) as exc:
            raise runtime_error(str(exc), "CannotIndex", "InvalidOperation") from None
    if isinstance(target, PSHashtable):
        if isinstance(index, list):
            return [target.get(i) for i in index]
        return target.get(index)
    if isinstance(target, PSObject):
        return target.get(ps_string(index))
    if isinstance(target, (list, str)):
        if isinstance(index, list):
            return [_index_one(interp, target, i) for i in index]
        return _index_one(interp, target, index)
    if isinstance(index, int) and index in (0, -1):
        return target
    return None


def _index_one(interp: Interpreter, target: list[Any] | str, index: Any) -> Any:
    try:
        i = int(cast(index, "int"))
    except (CastError, TypeNotFound):
        return None
    try:
        return target[i]
    except IndexError:
        return None


def ev_unary(interp: Interpreter, node: A.Unary, scope: Scope) -> Any:
    op = node.op
    if op in ("++", "--", "post++", "post--"):
        current = interp.eval(node.operand, scope)
        new = _binary(interp, "+" if op.endswith("++") else "-", current if current is not None else 0, 1, node)
        assign_to(interp, node.operand, new, scope, node)
        return new if not op.startswith("post") else current
    value = interp.eval(node.operand, scope)
    if op == "-not":
        return not is_true(value)
    if op == "-":
        return _binary(interp, "*", value, -1, node) if not isinstance(value, str) else \
            _binary(interp, "-", 0, value, node)
    if op == "+":
        return value
    if op == "-bnot":
        return ~int(cast(value, "long"))
    if op == "-split":
        return [p for item in unroll(value) for p in ps_string(item).split()]
    if op == "-join":
        return "".join(ps_string(v) for v in unroll(value))
    raise runtime_error(f"The unary operator '{op}' is not supported.", "NotSupported")


def _binary(interp: Interpreter, op: str, left: Any, right: Any, node: A.Node, scope: Scope | None = None) -> Any:
    runner = None
    if scope is not None and op.endswith(("replace", "split")):
        def runner(block: Any, dollar_under: Any) -> list[Any]:
            return interp.invoke_script_block(block, scope, dollar_under=dollar_under)
    try:
        return binary(op, left, right, call_block=runner)
    except (CastError, TypeNotFound) as exc:
        raise runtime_error(str(exc), "RuntimeException", "InvalidArgument") from None


def ev_binary(interp: Interpreter, node: A.Binary, scope: Scope) -> Any:
    op = node.op
    if op == "-and":
        return is_true(interp.eval(node.left, scope)) and is_true(interp.eval(node.right, scope))
    if op == "-or":
        return is_true(interp.eval(node.left, scope)) or is_true(interp.eval(node.right, scope))
    if op == "??":
        left = interp.eval(node.left, scope)
        return left if left is not None and left is not AutomationNull else interp.eval(node.right, scope)
    left = interp.eval(node.left, scope)
    right = interp.eval(node.right, scope)
    if op in ("-match", "-imatch", "-cmatch"):
        found: list[Any] = []
        try:
            result = binary(op, left, right, found)
        except (CastError, TypeNotFound) as exc:
            raise runtime_error(str(exc), "RuntimeException", "InvalidArgument") from None
        if found:
            interp.set_variable(scope, "Matches", found[0])
        return result
    return _binary(interp, op, left, right, node, scope)


def ev_ternary(interp: Interpreter, node: A.Ternary, scope: Scope) -> Any:
    branch = node.if_true if is_true(interp.eval(node.condition, scope)) else node.if_false
    return interp.eval(branch, scope)


def ev_script_block(interp: Interpreter, node: A.ScriptBlockExpression, scope: Scope) -> Any:
    return ScriptBlockValue(node.block)


EXPRESSION_HANDLERS: dict[type, Callable[[Interpreter, Any, Scope], Any]] = {
    A.Constant: ev_constant,
    A.Variable: ev_variable,
    A.ExpandableString: ev_expandable,
    A.ArrayLiteral: ev_array_literal,
    A.ArrayExpression: ev_array_expression,
    A.SubExpression: ev_subexpression,
    A.Paren: ev_paren,
    A.Hashtable: ev_hashtable,
    A.TypeLiteral: ev_type_literal,
    A.Convert: ev_convert,
    A.Member: ev_member,
    A.InvokeMember: ev_invoke_member,
    A.Index: ev_index,
    A.Unary: ev_unary,
    A.Binary: ev_binary,
    A.Ternary: ev_ternary,
    A.ScriptBlockExpression: ev_script_block,
}
