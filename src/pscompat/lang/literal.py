"""The literal reader: constant PowerShell expressions and single argument tokens -> values.

Same code path as scripts: the text goes through ``pscompat.lang.parser`` and the resulting
AST is folded here with the casts and static members of ``pscompat.lang.dotnet`` that the
script evaluator also uses.  Anything that needs a runtime (a variable other than
``$true``/``$false``/``$null``, a command, an expandable string with ``$var``) raises
``LiteralError`` naming the construct.
"""

from __future__ import annotations

from typing import Any

from pscompat.lang import ast as A
from pscompat.lang.dotnet import CastError, TypeNotFound, cast, static_call, static_member
from pscompat.lang.parser import ParseError, parse_argument, parse_script
from pscompat.values import PSHashtable, PSObject

__all__ = ["LiteralError", "evaluate_literal", "argument_value", "fold"]

_CONSTANT_VARS = {"true": True, "false": False, "null": None}


class LiteralError(ValueError):
    """The text is not a constant expression (or does not parse); the message names the construct."""


def evaluate_literal(text: str) -> Any:
    """Evaluate a constant expression: ``@{a=1; b=@(1,2)}``, ``[datetime]'2022-06-05'``, ``10MB``..."""
    try:
        block = parse_script(text)
    except ParseError as exc:
        raise LiteralError(f"{exc.message} (line {exc.line}, column {exc.column})") from None
    statements = block.end_block
    if block.param_block is not None or block.begin_block or block.process_block or len(statements) != 1:
        raise LiteralError("a constant must be exactly one expression")
    return _statement_value(statements[0])


def argument_value(token: str) -> Any:
    """What PowerShell's parser makes of ONE command argument token in argument mode.

    ``60`` -> 60, ``0x3c`` -> 60, ``1kb`` -> 1024, ``$true`` -> True, ``'text'`` -> 'text',
    ``a,b`` -> ['a', 'b'], ``@{...}`` -> PSHashtable, ``abc`` -> 'abc', ``-5`` -> -5,
    ``-abc`` -> '-abc'.  A token with whitespace that is not one argument (bash's
    ``"John Doe"``) is taken verbatim, since bash already did the quoting.
    """
    try:
        node = parse_argument(token)
    except ParseError as exc:
        if any(c.isspace() for c in token):
            return token
        raise LiteralError(f"{exc.message} (line {exc.line}, column {exc.column})") from None
    return fold(node)


def _needs_runtime(what: str) -> LiteralError:
    return LiteralError(f"{what} needs a running script, not a constant")


def _statement_value(node: A.Node) -> Any:
    """The value of a constant statement (a pipeline of one expression)."""
    if isinstance(node, A.Pipeline):
        if len(node.elements) != 1 or not isinstance(node.elements[0], A.CommandExpression):
            first = node.elements[0]
            if isinstance(first, A.Command):
                raise _needs_runtime(f"the command '{first.name_text or '&'}'")
            raise _needs_runtime("a pipeline")
        return fold(node.elements[0].expression)
    if isinstance(node, A.Assignment):
        raise _needs_runtime("an assignment")
    raise _needs_runtime(f"a {type(node).__name__.lower()} statement")


def _flatten(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for v in values:
        if isinstance(v, list):
            out.extend(v)
        else:
            out.append(v)
    return out


def fold(node: A.Node) -> Any:
    """Evaluate a constant AST node; ``LiteralError`` for anything else."""
    if isinstance(node, A.Constant):
        return node.value
    if isinstance(node, A.Variable):
        if node.scope == "" and not node.splat and node.name.lower() in _CONSTANT_VARS:
            return _CONSTANT_VARS[node.name.lower()]
        raise _needs_runtime(f"the variable '${node.scope + ':' if node.scope else ''}{node.name}'")
    if isinstance(node, A.ExpandableString):
        raise _needs_runtime("an expandable string with variables or subexpressions")
    if isinstance(node, A.ArrayLiteral):
        return [fold(e) for e in node.elements]
    if isinstance(node, A.ArrayExpression):
        return _flatten([_statement_value(s) for s in node.body])
    if isinstance(node, A.SubExpression):
        values = _flatten([_statement_value(s) for s in node.body])
        return values[0] if len(values) == 1 else (values or None)
    if isinstance(node, A.Paren):
        return _statement_value(node.pipeline)
    if isinstance(node, A.Hashtable):
        table = PSHashtable()
        for key, value in node.pairs:
            table[fold(key)] = _statement_value(value)
        return table
    if isinstance(node, A.Convert):
        name = node.type_name.lower()
        if name == "ordered":
            if not isinstance(node.operand, A.Hashtable):
                raise LiteralError("The ordered attribute can be specified only on a hash literal node.")
            value = fold(node.operand)
            return PSHashtable(value.items(), ordered=True)
        operand = fold(node.operand)
        try:
            result = cast(operand, node.type_name)
        except (CastError, TypeNotFound) as exc:
            raise LiteralError(str(exc)) from None
        if isinstance(result, PSObject) and isinstance(operand, PSHashtable):
            return result
        return result
    if isinstance(node, A.Member) and node.static and isinstance(node.target, A.TypeLiteral) and \
            isinstance(node.name, str):
        if node.name.lower() in ("now", "utcnow", "today", "newguid"):
            raise _needs_runtime(f"[{node.target.name}]::{node.name}")
        try:
            return static_member(node.target.name, node.name)
        except (AttributeError, TypeNotFound):
            raise LiteralError(f"unknown static member [{node.target.name}]::{node.name}") from None
    if isinstance(node, A.InvokeMember) and node.static and isinstance(node.target, A.TypeLiteral) and \
            isinstance(node.name, str):
        if node.name.lower() not in ("parse", "parseexact", "specifykind"):
            raise _needs_runtime(f"the method call [{node.target.name}]::{node.name}()")
        args = [fold(a) for a in node.args]
        try:
            return static_call(node.target.name, node.name, args)
        except (AttributeError, TypeNotFound):
            raise LiteralError(f"unknown static method [{node.target.name}]::{node.name}()") from None
        except (CastError, ValueError) as exc:
            raise LiteralError(f'Exception calling "{node.name}" with "{len(args)}" argument(s): "{exc}"') from None
    if isinstance(node, A.Unary) and node.op in ("-", "+"):
        value = fold(node.operand)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return -value if node.op == "-" else value
        raise _needs_runtime(f"the unary operator '{node.op}' on a non-number")
    if isinstance(node, A.Unary):
        raise _needs_runtime(f"the operator '{node.op}'")
    if isinstance(node, A.Binary):
        raise _needs_runtime(f"the operator '{node.op}'")
    if isinstance(node, A.ScriptBlockExpression):
        raise _needs_runtime("a script block")
    if isinstance(node, A.TypeLiteral):
        raise _needs_runtime(f"the type literal [{node.name}]")
    if isinstance(node, (A.Member, A.InvokeMember)):
        raise _needs_runtime("member access")
    if isinstance(node, A.Index):
        raise _needs_runtime("indexing")
    raise _needs_runtime(f"a {type(node).__name__}")
