"""The project's own small PowerShell AST.

The parser (``pscompat.lang.parser``) produces these nodes and the evaluator
(``pscompat.script``) walks them; nothing else in the project sees tokens.  Every node keeps
``start``/``end`` offsets into its ``Source`` so runtime errors can print PowerShell's
``At <file>:<line> char:<col>`` view with the offending text underlined.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any


class Source:
    """A script's text and path, with fast offset -> (line, column) lookup."""

    __slots__ = ("text", "path", "_starts")

    def __init__(self, text: str, path: str | None = None) -> None:
        self.text = text
        self.path = path
        starts = [0]
        find = text.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset."""
        index = bisect.bisect_right(self._starts, offset) - 1
        return index + 1, offset - self._starts[index] + 1

    def line_text(self, line: int) -> str:
        start = self._starts[line - 1]
        end = self._starts[line] - 1 if line < len(self._starts) else len(self.text)
        return self.text[start:end].rstrip("\r")


@dataclass(slots=True)
class Node:
    start: int = field(default=0, kw_only=True, compare=False)
    end: int = field(default=0, kw_only=True, compare=False)


# ---------------------------------------------------------------- expressions

@dataclass(slots=True)
class Constant(Node):
    """A number, or a bare word / quoted string without expansion (``kind`` says which)."""
    value: Any
    kind: str = "number"  # number | single | double | bare | here_single | here_double | verbatim (--%)


@dataclass(slots=True)
class ExpandableString(Node):
    """``"text $var $(expr)"``: literal ``str`` parts and expression parts, in order."""
    parts: list[Any]
    kind: str = "double"  # double | here_double | bare


@dataclass(slots=True)
class Variable(Node):
    name: str                # without $ and scope: "x", "_", "true", "TEMP"
    scope: str = ""          # "" | script | global | local | private | env | using | variable
    splat: bool = False      # @params


@dataclass(slots=True)
class ArrayLiteral(Node):
    """``1, 2, 3`` (and unary ``,x``)."""
    elements: list[Node]


@dataclass(slots=True)
class ArrayExpression(Node):
    """``@( statements )``."""
    body: list[Node]


@dataclass(slots=True)
class SubExpression(Node):
    """``$( statements )``."""
    body: list[Node]


@dataclass(slots=True)
class Paren(Node):
    """``( pipeline )``."""
    pipeline: Node


@dataclass(slots=True)
class Hashtable(Node):
    pairs: list[tuple[Node, Node]]


@dataclass(slots=True)
class TypeLiteral(Node):
    """``[int]`` used as a value (for ``::`` static access or ``-is``/``-as``)."""
    name: str


@dataclass(slots=True)
class Convert(Node):
    """``[type] operand`` (includes ``[ordered]@{}`` and ``[PSCustomObject]@{}``)."""
    type_name: str
    operand: Node


@dataclass(slots=True)
class Member(Node):
    """``target.Name`` / ``target::Name``; ``name`` is a str or an expression (``$x.$prop``)."""
    target: Node
    name: Any
    static: bool = False


@dataclass(slots=True)
class InvokeMember(Node):
    """``target.Name(args)`` / ``[type]::Name(args)``."""
    target: Node
    name: Any
    args: list[Node]
    static: bool = False


@dataclass(slots=True)
class Index(Node):
    target: Node
    index: Node


@dataclass(slots=True)
class Unary(Node):
    """Prefix ``-not ! - + -split -join , ++ --`` and postfix ``++ --`` (op ``post++``)."""
    op: str
    operand: Node


@dataclass(slots=True)
class Binary(Node):
    op: str            # lower-cased: "-eq", "-ceq", "+", "..", "??", "-f", ...
    left: Node
    right: Node


@dataclass(slots=True)
class Ternary(Node):
    """``condition ? if_true : if_false`` (PowerShell 7): below every binary operator, right-associative."""
    condition: Node
    if_true: Node
    if_false: Node


@dataclass(slots=True)
class ScriptBlockExpression(Node):
    block: ScriptBlock


# ---------------------------------------------------------------- commands and pipelines

@dataclass(slots=True)
class CommandParameter(Node):
    """``-Name``, ``-Name:value``; ``argument`` is set only for the colon form."""
    name: str
    argument: Node | None = None
    colon: bool = False
    text: str = ""


@dataclass(slots=True)
class Redirection(Node):
    """``2>$null``, ``> file``, ``>> file``, ``*>&1``: ``stream`` is '1','2','3'..'6','*'."""
    stream: str
    target: Node | None = None   # file target (None when merging)
    append: bool = False
    merge_to: str = ""           # "1" for 2>&1


@dataclass(slots=True)
class Command(Node):
    """A command invocation: ``elements[0]`` is the name (Constant or expression)."""
    elements: list[Node]
    invocation: str = ""          # "" | "&" | "."
    redirections: list[Redirection] = field(default_factory=list)

    @property
    def name_text(self) -> str | None:
        head = self.elements[0]
        return head.value if isinstance(head, Constant) and isinstance(head.value, str) else None


@dataclass(slots=True)
class CommandExpression(Node):
    """An expression used as a pipeline element (only the first one may be)."""
    expression: Node
    redirections: list[Redirection] = field(default_factory=list)


@dataclass(slots=True)
class Pipeline(Node):
    elements: list[Node]


# ---------------------------------------------------------------- statements

@dataclass(slots=True)
class Assignment(Node):
    target: Node
    op: str            # "=", "+=", "-=", "*=", "/=", "%=", "??="
    value: Node        # a statement (pipeline, if, foreach, ...)


@dataclass(slots=True)
class If(Node):
    clauses: list[tuple[Node, StatementBlock]]
    else_block: StatementBlock | None = None


@dataclass(slots=True)
class StatementBlock(Node):
    statements: list[Node]


@dataclass(slots=True)
class ForEach(Node):
    variable: Variable
    iterable: Node
    body: StatementBlock
    label: str = ""


@dataclass(slots=True)
class For(Node):
    init: Node | None
    condition: Node | None
    iterator: Node | None
    body: StatementBlock
    label: str = ""


@dataclass(slots=True)
class While(Node):
    condition: Node
    body: StatementBlock
    label: str = ""


@dataclass(slots=True)
class DoLoop(Node):
    body: StatementBlock
    condition: Node
    until: bool = False
    label: str = ""


@dataclass(slots=True)
class SwitchClause(Node):
    pattern: Node | None     # None = default
    body: StatementBlock


@dataclass(slots=True)
class Switch(Node):
    value: Node
    clauses: list[SwitchClause]
    flags: list[str] = field(default_factory=list)   # wildcard, regex, exact, casesensitive
    label: str = ""


@dataclass(slots=True)
class CatchClause(Node):
    types: list[str]
    body: StatementBlock


@dataclass(slots=True)
class Try(Node):
    body: StatementBlock
    catches: list[CatchClause]
    finally_block: StatementBlock | None = None


@dataclass(slots=True)
class Trap(Node):
    """``trap [Type] { ... }``: handles the terminating errors of the statements in its own block."""

    types: list[str]
    body: StatementBlock


@dataclass(slots=True)
class Flow(Node):
    """``throw``, ``return``, ``exit`` (with optional pipeline), ``break``/``continue`` (label)."""
    kind: str
    value: Node | None = None
    label: str = ""


@dataclass(slots=True)
class Attribute(Node):
    """``[Parameter(Mandatory, Position=0)]``, ``[ValidateSet('a','b')]``, ``[CmdletBinding()]``."""
    name: str
    positional: list[Node] = field(default_factory=list)
    named: list[tuple[str, Node | None]] = field(default_factory=list)


@dataclass(slots=True)
class Parameter(Node):
    name: str
    type_name: str | None = None
    attributes: list[Attribute] = field(default_factory=list)
    default: Node | None = None


@dataclass(slots=True)
class ParamBlock(Node):
    parameters: list[Parameter]
    attributes: list[Attribute] = field(default_factory=list)


@dataclass(slots=True)
class ScriptBlock(Node):
    """A script, a function body or ``{ }``: ``begin``/``process``/``end`` lists of statements.

    Unnamed statements go to ``end`` (``process`` for filters), as PowerShell does.
    """
    param_block: ParamBlock | None
    begin_block: list[Node] | None
    process_block: list[Node] | None
    end_block: list[Node]
    source: Source | None = field(default=None, compare=False, repr=False)
    using_modules: tuple[tuple[str, int], ...] = ()   # ``using module X`` at a script's top: (name, offset)

    @property
    def text(self) -> str:
        return self.source.text[self.start:self.end] if self.source else ""


@dataclass(slots=True)
class FunctionDefinition(Node):
    name: str
    body: ScriptBlock
    is_filter: bool = False
