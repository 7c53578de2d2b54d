"""Hand-written PowerShell parser for the subset admin scripts use -> ``pscompat.lang.ast``.

PowerShell's tokens depend on the parse mode (``-eq`` is an operator in an expression and a
parameter name in a command; ``10MB`` is a number, ``Get-Date`` a bare word), so this is a
scannerless recursive-descent parser: each method scans the characters it expects with
precompiled regexes.  Anything outside the subset is a ``ParseError`` naming the construct,
line and column, raised before any of the script runs.

Accepted like PowerShell (and unlike tree-sitter-powershell): bare-word arrays in arguments
(``-Property Id,DisplayName``), ``??``, ``10MB``, chained calls in arguments, one-line
``param()``/``switch``, ``$env:TEMP\\foo.txt``, curly quotes and en/em dashes from web pages.
"""

from __future__ import annotations

import re
from typing import Any

from pscompat.lang import ast as A
from pscompat.lang.numbers import parse_number

__all__ = ["ParseError", "parse_script", "parse_expression", "parse_argument", "Parser"]

DASH = "-\u2013\u2014\u2015"
SQ = "'\u2018\u2019\u201a\u201b"
DQ = '"\u201c\u201d\u201e'
_D = "[" + DASH + "]"
# character classes as sets: '' (end of text) is never a member, unlike `'' in "abc"`
_DASH_SET = frozenset(DASH)
_SQ_SET = frozenset(SQ)
_DQ_SET = frozenset(DQ)
_C0 = frozenset("})")
_C1 = frozenset(",)")
_C2 = frozenset("$@(")
_C3 = frozenset(";\n})|")
_C4 = frozenset("$([{!,")
_C5 = frozenset("({")
_C6 = frozenset("$(")
_C7 = frozenset("|;\n)}")
_C8 = frozenset(" \t")
_C9 = frozenset(";\n)}|")
_C10 = frozenset("$({")
_C11 = frozenset("$@({")
_C12 = frozenset(" \t\r\n\f\v\u00a0(){};,|&<>")
_C13 = frozenset(".+")
_C14 = frozenset("=+")
_C15 = frozenset("*/%")
_C16 = frozenset("._")
_C17 = frozenset("$@([{!")
_C18 = frozenset("};")
_C19 = frozenset(";\n")

_WS = re.compile(r"(?:[ \t\f\v\r\u00a0\ufeff]+|`\r?\n|<#[\s\S]*?#>|#[^\n]*)*")
_WSNL = re.compile(r"(?:[ \t\f\v\r\n\u00a0\ufeff]+|`\r?\n|<#[\s\S]*?#>|#[^\n]*)*")
_BINOP_START = frozenset(DASH + "+*/%.?")
_POSTFIX_START = frozenset(DASH + ".:[+")
_WS_START = frozenset(" \t\f\v\r\n\u00a0\ufeff`<#")
_WORD = re.compile(r"[A-Za-z_][\w]*")
_KEYWORD = re.compile(r"([A-Za-z]+)(?=[\s(){};|&,]|$)")
_VARNAME = re.compile(r"(?:([A-Za-z]\w*):(?=[\w?]))?([\w?]+|\$|\^)")
_NUMBER = re.compile(
    r"(?:0[xX][0-9a-fA-F]+|0[bB][01]+|\d+(?:\.\d+)?(?:[eE][+\-]?\d+)?|\.\d+(?:[eE][+\-]?\d+)?)[a-zA-Z]*")
_BINOP = re.compile(
    _D + r"(and|or|xor|band|bor|bxor|shl|shr|isnot|is|as|f|"
    r"[ci]?(?:eq|ne|gt|ge|lt|le|notlike|like|notmatch|match|notcontains|contains|notin|in|replace|split|join))"
    r"(?![\w\-])", re.IGNORECASE)
_UNARY_WORD = re.compile(_D + r"(not|bnot|split|join)(?![\w\-])", re.IGNORECASE)
_ASSIGN = re.compile(r"(=|\+=|" + _D + r"=|\*=|/=|%=|\?\?=)(?!=)")
_PARAM = re.compile(_D + r"([A-Za-z_?][^\s:(){};,|&<>'\"\u2018\u2019\u201a\u201b\u201c\u201d\u201e]*)(:?)")
_REDIRECT = re.compile(r"([1-6*])?(>>?)(&([12]))?")
_TYPENAME = re.compile(r"[\w.`+]+")
_MEMBER = re.compile(r"[A-Za-z_]\w*")
_STR_SPECIAL = re.compile("[`$" + DQ + "]")
_HERE_SPECIAL = re.compile(r"[`$]")
_GENERIC_STOP = set(" \t\r\n\f\v\u00a0(){};,|&<>") | {""}
_ARG_END = set(" \t\r\n\f\v\u00a0(){};,|&<>") | {""}

_PREC = {"-and": 1, "-or": 1, "-xor": 1, "-band": 2, "-bor": 2, "-bxor": 2, "-shl": 2, "-shr": 2,
         "??": 7, "+": 9, "-": 9, "*": 10, "/": 10, "%": 10, "-f": 12, "..": 13}
_COMPARISON = 5

_SCOPES = {"script", "global", "local", "private", "env", "using", "variable", "function"}

_LOOP_KEYWORDS = {"foreach", "for", "while", "do", "switch"}
_UNSUPPORTED = {
    "class": "class definitions", "enum": "enum definitions", "trap": "trap statements",
    "data": "data sections", "using": "using statements", "workflow": "workflows",
    "configuration": "DSC configurations", "dynamicparam": "dynamicparam blocks",
    "parallel": "parallel blocks", "sequence": "sequence blocks", "inlinescript": "inlinescript",
    "clean": "clean blocks",
}
_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "e": "\x1b", "f": "\f", "n": "\n", "r": "\r",
            "t": "\t", "v": "\v"}


class ParseError(Exception):
    """A PowerShell ParserError: message, 1-based line/column, the construct and the error id."""

    def __init__(self, message: str, line: int, column: int, construct: str = "",
                 error_id: str = "UnexpectedToken", path: str | None = None,
                 line_text: str = "", length: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.construct = construct
        self.error_id = error_id
        self.path = path
        self.line_text = line_text
        self.length = max(1, length)

    def __str__(self) -> str:
        return self.message

    def render(self) -> str:
        """PowerShell's error view for a parse error (``At <file>:<line> char:<col>``)."""
        where = self.path or "line"
        head = f"At {where}:{self.line} char:{self.column}" if self.path else \
            f"At line:{self.line} char:{self.column}"
        underline = " " * (self.column - 1) + "~" * min(self.length, max(1, len(self.line_text) - self.column + 1))
        return (f"{head}\n+ {self.line_text}\n+ {underline}\n{self.message}\n"
                f"    + CategoryInfo          : ParserError: (:) [], ParseException\n"
                f"    + FullyQualifiedErrorId : {self.error_id}\n")


class Parser:
    """One parse of one source text; see the module docstring."""

    def __init__(self, text: str, path: str | None = None) -> None:
        if text.startswith("\ufeff"):
            text = text[1:]
        self.text = text
        self.n = len(text)
        self.pos = 0
        self.source = A.Source(text, path)
        self.nl = [False]   # stack: are newlines whitespace here (inside ( ) and [ ])?

    # ------------------------------------------------------------ low level

    def error(self, message: str, pos: int | None = None, construct: str = "",
              error_id: str = "UnexpectedToken", length: int = 1) -> ParseError:
        at = self.pos if pos is None else pos
        line, col = self.source.position(min(at, self.n))
        return ParseError(message, line, col, construct, error_id, self.source.path,
                          self.source.line_text(line), length)

    def ws(self) -> None:
        if self.text[self.pos:self.pos + 1] not in _WS_START:
            return
        self.pos = (_WSNL if self.nl[-1] else _WS).match(self.text, self.pos).end()  # type: ignore[union-attr]
        if self.text.startswith("<#", self.pos):
            raise self.error("Missing closing '#>' in block comment.", construct="block comment",
                             error_id="MissingEndMultiLineComment")

    def wsnl(self) -> None:
        if self.text[self.pos:self.pos + 1] not in _WS_START:
            return
        self.pos = _WSNL.match(self.text, self.pos).end()  # type: ignore[union-attr]
        if self.text.startswith("<#", self.pos):
            raise self.error("Missing closing '#>' in block comment.", construct="block comment",
                             error_id="MissingEndMultiLineComment")

    def skip_separators(self) -> None:
        """Blank space, newlines and any ``;`` between statements (or hashtable entries)."""
        self.wsnl()
        while self.text[self.pos:self.pos + 1] == ";":
            self.pos += 1
            self.wsnl()

    def ch(self, offset: int = 0) -> str:
        i = self.pos + offset
        return self.text[i] if i < self.n else ""

    def expect(self, char: str, message: str, construct: str, error_id: str) -> None:
        if self.text[self.pos:self.pos + 1] != char:
            raise self.error(message, construct=construct, error_id=error_id)
        self.pos += 1

    def keyword_at(self) -> str | None:
        m = _KEYWORD.match(self.text, self.pos)
        return m.group(1).lower() if m else None

    def token_text(self) -> str:
        """The text of the token at pos, for 'Unexpected token' messages."""
        m = re.compile(r"[^\s]+").match(self.text, self.pos)
        return m.group(0)[:30] if m else ""

    def unexpected(self, where: str = "expression or statement") -> ParseError:
        tok = self.token_text()
        if not tok:
            return self.error("Unexpected end of input.", construct=where, error_id="UnexpectedEndOfInput")
        return self.error(f"Unexpected token '{tok}' in {where}.", construct=where, length=len(tok))

    # ------------------------------------------------------------ script blocks

    def parse_script_block(self, closing: str = "") -> A.ScriptBlock:
        """Statements up to ``closing`` ('' = end of text), with param() and named blocks."""
        start = self.pos
        self.nl.append(False)
        self.wsnl()
        param_block = None
        save = self.pos
        attrs = self.parse_attributes_ahead()
        if self.keyword_at() == "param":
            param_block = self.parse_param_block(attrs)
        else:
            self.pos = save
        self.wsnl()
        begin = process = None
        end: list[A.Node] = []
        kw = self.keyword_at()
        if kw in ("begin", "process", "end") and self._named_block_follows(kw):
            while True:
                self.wsnl()
                kw = self.keyword_at()
                if kw not in ("begin", "process", "end"):
                    break
                self.pos += len(kw)
                self.wsnl()
                body = self.parse_braced_statements(f"{kw} block")
                if kw == "begin":
                    begin = body.statements
                elif kw == "process":
                    process = body.statements
                else:
                    end = body.statements
                self.skip_separators()
        else:
            end = self.parse_statements(closing)
        self.wsnl()
        if closing and self.text[self.pos:self.pos + 1] != closing:
            if not self.text[self.pos:self.pos + 1]:
                raise self.error("Missing closing '}' in statement block or type definition.",
                                 start - 1, "script block", "MissingEndCurlyBrace")
            raise self.unexpected()
        if not closing and self.pos < self.n:
            raise self.unexpected()
        self.nl.pop()
        return A.ScriptBlock(param_block, begin, process, end, self.source, start=start, end=self.pos)

    def _named_block_follows(self, kw: str) -> bool:
        save = self.pos
        self.pos += len(kw)
        self.wsnl()
        ok = self.text[self.pos:self.pos + 1] == "{"
        self.pos = save
        return ok

    def parse_statements(self, closing: str) -> list[A.Node]:
        statements: list[A.Node] = []
        while True:
            self.skip_separators()
            c = self.text[self.pos:self.pos + 1]
            if not c or (closing and c == closing):
                return statements
            if c in _C0 and c != closing:
                raise self.unexpected()
            statements.append(self.parse_statement())
            self.ws()
            c = self.text[self.pos:self.pos + 1]
            if c in (";", "\n"):
                self.pos += 1
            elif c and c != closing:
                if c in _C0:
                    raise self.unexpected()
                raise self.unexpected()

    def parse_braced_statements(self, construct: str) -> A.StatementBlock:
        start = self.pos
        if self.text[self.pos:self.pos + 1] != "{":
            raise self.error(f"Missing statement block in {construct}.", construct=construct,
                             error_id="MissingStatementBlock")
        self.pos += 1
        self.nl.append(False)
        body = self.parse_statements("}")
        self.nl.pop()
        if self.text[self.pos:self.pos + 1] != "}":
            raise self.error("Missing closing '}' in statement block or type definition.", start,
                             construct, "MissingEndCurlyBrace")
        self.pos += 1
        return A.StatementBlock(body, start=start, end=self.pos)

    # ------------------------------------------------------------ param() and attributes

    def parse_attributes_ahead(self) -> list[A.Attribute]:
        attrs: list[A.Attribute] = []
        while self.text[self.pos:self.pos + 1] == "[":
            save = self.pos
            attr = self.parse_bracket(allow_attribute=True)
            if not isinstance(attr, A.Attribute):
                self.pos = save
                break
            attrs.append(attr)
            self.wsnl()
        return attrs

    def parse_param_block(self, attrs: list[A.Attribute]) -> A.ParamBlock:
        start = self.pos
        self.pos += len("param")
        self.wsnl()
        if self.text[self.pos:self.pos + 1] != "(":
            raise self.error("Missing '(' after 'param'.", construct="param block",
                             error_id="MissingOpenParenthesisAfterKeyword")
        self.pos += 1
        params = self.parse_parameter_list(")")
        return A.ParamBlock(params, attrs, start=start, end=self.pos)

    def parse_parameter_list(self, closing: str) -> list[A.Parameter]:
        params: list[A.Parameter] = []
        self.nl.append(True)
        while True:
            self.wsnl()
            if self.text[self.pos:self.pos + 1] == closing:
                self.pos += 1
                break
            pstart = self.pos
            attributes: list[A.Attribute] = []
            type_name = None
            while self.text[self.pos:self.pos + 1] == "[":
                item = self.parse_bracket(allow_attribute=True)
                if isinstance(item, A.Attribute):
                    attributes.append(item)
                else:
                    type_name = item
                self.wsnl()
            if self.text[self.pos:self.pos + 1] != "$":
                raise self.error("Missing parameter name in param block.", construct="param block",
                                 error_id="InvalidParameterName") if self.text[self.pos:self.pos + 1] else \
                    self.error("Missing closing ')' in param block.", construct="param block",
                               error_id="MissingEndParenthesisInFunctionParameterList")
            var = self.parse_variable()
            self.wsnl()
            default = None
            if self.text[self.pos:self.pos + 1] == "=":
                self.pos += 1
                self.wsnl()
                default = self.parse_expression(no_comma=True)
                self.wsnl()
            params.append(A.Parameter(var.name, type_name, attributes, default, start=pstart, end=self.pos))
            if self.text[self.pos:self.pos + 1] == ",":
                self.pos += 1
                continue
            if self.text[self.pos:self.pos + 1] != closing:
                raise self.error("Missing ')' in function parameter list.", construct="param block",
                                 error_id="MissingEndParenthesisInFunctionParameterList")
        self.nl.pop()
        return params

    def parse_bracket(self, allow_attribute: bool) -> str | A.Attribute:
        """``[type]`` -> the type name; ``[Name(args)]`` -> an Attribute."""
        start = self.pos
        self.pos += 1
        self.ws()
        name = self.scan_type_name()
        self.ws()
        if self.text[self.pos:self.pos + 1] == "(" and allow_attribute:
            self.pos += 1
            attr = A.Attribute(name, start=start)
            self.nl.append(True)
            while True:
                self.wsnl()
                if self.text[self.pos:self.pos + 1] == ")":
                    self.pos += 1
                    break
                m = _WORD.match(self.text, self.pos)
                save = self.pos
                if m:
                    self.pos = m.end()
                    self.wsnl()
                    if self.text[self.pos:self.pos + 1] == "=":
                        self.pos += 1
                        self.wsnl()
                        attr.named.append((m.group(0), self.parse_expression(no_comma=True)))
                    elif self.text[self.pos:self.pos + 1] in _C1:
                        attr.named.append((m.group(0), None))
                    else:
                        self.pos = save
                        attr.positional.append(self.parse_expression(no_comma=True))
                else:
                    attr.positional.append(self.parse_expression(no_comma=True))
                self.wsnl()
                if self.text[self.pos:self.pos + 1] == ",":
                    self.pos += 1
                elif self.text[self.pos:self.pos + 1] != ")":
                    raise self.error("Missing closing ')' in attribute.", construct="attribute",
                                     error_id="MissingEndParenthesisInExpression")
            self.nl.pop()
            self.ws()
            if self.text[self.pos:self.pos + 1] != "]":
                raise self.error("Missing closing ']' in attribute.", construct="attribute",
                                 error_id="EndSquareBracketExpectedAtEndOfAttribute")
            self.pos += 1
            attr.end = self.pos
            return attr
        if self.text[self.pos:self.pos + 1] != "]":
            raise self.error("Missing ] at end of type token.", construct="type literal",
                             error_id="EndSquareBracketExpectedAtEndOfType")
        self.pos += 1
        return name

    def scan_type_name(self) -> str:
        m = _TYPENAME.match(self.text, self.pos)
        if not m:
            raise self.error("Missing type name after '['.", construct="type literal",
                             error_id="MissingTypename")
        name = m.group(0)
        self.pos = m.end()
        while self.text[self.pos:self.pos + 1] == "[":           # generic arguments or array rank
            self.pos += 1
            self.ws()
            if self.text[self.pos:self.pos + 1] == "]":
                self.pos += 1
                name += "[]"
                continue
            args = [self.scan_type_name()]
            self.ws()
            while self.text[self.pos:self.pos + 1] == ",":
                self.pos += 1
                self.ws()
                args.append(self.scan_type_name())
                self.ws()
            if self.text[self.pos:self.pos + 1] != "]":
                raise self.error("Missing ] at end of type token.", construct="type literal",
                                 error_id="EndSquareBracketExpectedAtEndOfType")
            self.pos += 1
            name += "[" + ",".join(args) + "]"
        return name

    # ------------------------------------------------------------ statements

    def parse_statement(self) -> A.Node:
        start = self.pos
        c = self.text[self.pos:self.pos + 1]
        label = ""
        if c == ":" and _WORD.match(self.text, self.pos + 1):
            m = _WORD.match(self.text, self.pos + 1)
            assert m is not None
            label = m.group(0)
            self.pos = m.end()
            self.wsnl()
            if self.keyword_at() not in _LOOP_KEYWORDS:
                raise self.error("A loop label must be followed by a loop or switch statement.",
                                 construct="label", error_id="LabelNotFollowedByLoop")
        kw = self.keyword_at()
        if kw is not None:
            handler = _STATEMENTS.get(kw)
            if handler is not None:
                node = handler(self, start)
                if label and hasattr(node, "label"):
                    node.label = label  # type: ignore[attr-defined]
                return node
            if kw in _UNSUPPORTED:
                raise self.error(f"The '{kw}' keyword ({_UNSUPPORTED[kw]}) is not supported by pscompat.",
                                 construct=_UNSUPPORTED[kw], error_id="UnsupportedConstruct", length=len(kw))
            if kw in ("elseif", "else", "catch", "finally", "until"):
                raise self.error(f"Unexpected token '{kw}' in expression or statement.",
                                 construct=kw, length=len(kw))
            if kw in ("param", "begin", "process", "end") and (
                    kw == "param" or self._named_block_follows(kw)):
                    raise self.error(f"Unexpected '{kw}' here: it must come first in a script block.",
                                     construct=f"{kw} block", length=len(kw))
        return self.parse_pipeline(allow_assignment=True)

    def parse_condition(self, construct: str) -> A.Node:
        self.ws()
        if self.text[self.pos:self.pos + 1] != "(":
            raise self.error(f"Missing '(' after '{construct}' in {construct} statement.", construct=construct,
                             error_id="MissingOpenParenthesisInIfStatement")
        self.pos += 1
        self.nl.append(True)
        self.wsnl()
        if self.text[self.pos:self.pos + 1] == ")":
            raise self.error(f"Missing condition in {construct} statement after '{construct} ('.",
                             construct=construct, error_id="IfStatementMissingCondition")
        cond = self.parse_pipeline(allow_assignment=True)
        self.wsnl()
        self.nl.pop()
        if self.text[self.pos:self.pos + 1] != ")":
            raise self.error(f"Missing closing ')' after expression in '{construct}' statement.",
                             construct=construct, error_id="MissingEndParenthesisAfterStatement")
        self.pos += 1
        return cond

    def st_if(self, start: int) -> A.Node:
        self.pos += 2
        clauses: list[tuple[A.Node, A.StatementBlock]] = []
        cond = self.parse_condition("if")
        self.wsnl()
        clauses.append((cond, self.parse_braced_statements("if statement")))
        else_block = None
        while True:
            save = self.pos
            self.wsnl()
            kw = self.keyword_at() if self.text[self.pos:self.pos + 1] else None
            if kw == "elseif":
                self.pos += 6
                cond = self.parse_condition("elseif")
                self.wsnl()
                clauses.append((cond, self.parse_braced_statements("elseif statement")))
            elif kw == "else" or (self.text[self.pos:self.pos + 4].lower() == "else" and
                                  self.text[self.pos + 4:self.pos + 5] == "{"):
                self.pos += 4
                self.wsnl()
                else_block = self.parse_braced_statements("else statement")
                break
            else:
                self.pos = save
                break
        return A.If(clauses, else_block, start=start, end=self.pos)

    def st_foreach(self, start: int) -> A.Node:
        self.pos += 7
        self.ws()
        if self.text[self.pos:self.pos + 1] == DASH[0]:
            raise self.error("foreach -Parallel is not supported by pscompat.", construct="foreach -parallel",
                             error_id="UnsupportedConstruct")
        if self.text[self.pos:self.pos + 1] != "(":
            raise self.error("Missing opening '(' after keyword 'foreach'.", construct="foreach",
                             error_id="MissingOpenParenthesisAfterKeyword")
        self.pos += 1
        self.nl.append(True)
        self.wsnl()
        if self.text[self.pos:self.pos + 1] != "$":
            raise self.error("Missing variable name after foreach.", construct="foreach",
                             error_id="MissingVariableNameAfterForeach")
        var = self.parse_variable()
        self.wsnl()
        if self.keyword_at() != "in":
            raise self.error("Missing 'in' after variable in foreach loop.", construct="foreach",
                             error_id="MissingInInForeach")
        self.pos += 2
        self.wsnl()
        iterable = self.parse_pipeline(allow_assignment=False)
        self.wsnl()
        self.nl.pop()
        if self.text[self.pos:self.pos + 1] != ")":
            raise self.error("Missing closing ')' after expression in 'foreach' statement.",
                             construct="foreach", error_id="MissingEndParenthesisAfterForeach")
        self.pos += 1
        self.wsnl()
        body = self.parse_braced_statements("foreach loop")
        return A.ForEach(var, iterable, body, start=start, end=self.pos)

    def st_for(self, start: int) -> A.Node:
        self.pos += 3
        self.ws()
        if self.text[self.pos:self.pos + 1] != "(":
            raise self.error("Missing opening '(' after keyword 'for'.", construct="for",
                             error_id="MissingOpenParenthesisAfterKeyword")
        self.pos += 1
        self.nl.append(True)
        parts: list[A.Node | None] = []
        for i in range(3):
            self.wsnl()
            if self.text[self.pos:self.pos + 1] in (";", ")"):
                parts.append(None)
            else:
                parts.append(self.parse_pipeline(allow_assignment=True))
                self.wsnl()
            if i < 2:
                if self.text[self.pos:self.pos + 1] == ";":
                    self.pos += 1
                elif self.text[self.pos:self.pos + 1] == ")":
                    parts.extend([None] * (2 - i))
                    break
                else:
                    raise self.unexpected("for statement")
        self.wsnl()
        self.nl.pop()
        if self.text[self.pos:self.pos + 1] != ")":
            raise self.error("Missing closing ')' after expression in 'for' statement.", construct="for",
                             error_id="MissingEndParenthesisAfterStatement")
        self.pos += 1
        self.wsnl()
        body = self.parse_braced_statements("for loop")
        return A.For(parts[0], parts[1], parts[2], body, start=start, end=self.pos)

    def st_while(self, start: int) -> A.Node:
        self.pos += 5
        cond = self.parse_condition("while")
        self.wsnl()
        body = self.parse_braced_statements("while loop")
        return A.While(cond, body, start=start, end=self.pos)

    def st_do(self, start: int) -> A.Node:
        self.pos += 2
        self.wsnl()
        body = self.parse_braced_statements("do loop")
        self.wsnl()
        kw = self.keyword_at()
        if kw not in ("while", "until"):
            raise self.error("Missing while or until keyword in do loop.", construct="do loop",
                             error_id="MissingWhileOrUntilInDoWhile")
        self.pos += len(kw)
        cond = self.parse_condition(kw)
        return A.DoLoop(body, cond, kw == "until", start=start, end=self.pos)

    def st_switch(self, start: int) -> A.Node:
        self.pos += 6
        flags: list[str] = []
        while True:
            self.ws()
            m = _PARAM.match(self.text, self.pos)
            if not m:
                break
            flag = m.group(1).lower()
            if flag in ("file", "parallel"):
                raise self.error(f"switch -{m.group(1)} is not supported by pscompat.",
                                 construct=f"switch -{flag}", error_id="UnsupportedConstruct")
            if flag not in ("regex", "wildcard", "exact", "casesensitive"):
                raise self.error(f"Invalid switch statement option '-{m.group(1)}'.", construct="switch",
                                 error_id="InvalidSwitchFlag")
            flags.append(flag)
            self.pos = m.end()
        value = self.parse_condition("switch")
        self.wsnl()
        if self.text[self.pos:self.pos + 1] != "{":
            raise self.error("Missing opening '{' in switch statement.", construct="switch",
                             error_id="MissingCurlyBraceInSwitchStatement")
        self.pos += 1
        clauses: list[A.SwitchClause] = []
        self.nl.append(False)
        while True:
            self.skip_separators()
            if self.text[self.pos:self.pos + 1] == "}":
                self.pos += 1
                break
            if not self.text[self.pos:self.pos + 1]:
                raise self.error("Missing closing '}' in switch statement.", start, "switch",
                                 "MissingEndCurlyBrace")
            cstart = self.pos
            pattern: A.Node | None
            if self.keyword_at() == "default" and self._named_block_follows("default"):
                self.pos += 7
                pattern = None
            else:
                pattern = self.parse_switch_pattern()
            self.wsnl()
            body = self.parse_braced_statements("switch clause")
            clauses.append(A.SwitchClause(pattern, body, start=cstart, end=self.pos))
        self.nl.pop()
        return A.Switch(value, clauses, flags, start=start, end=self.pos)

    def parse_switch_pattern(self) -> A.Node:
        c = self.text[self.pos:self.pos + 1]
        if c in _C2 or c in _SQ_SET or c in _DQ_SET or c == "{" or c == "[" or c.isdigit() or c == "-" and \
                self.text[self.pos + 1:self.pos + 2].isdigit():
            return self.parse_expression(no_comma=True)
        return self.parse_generic_word()

    def st_try(self, start: int) -> A.Node:
        self.pos += 3
        self.wsnl()
        body = self.parse_braced_statements("try statement")
        catches: list[A.CatchClause] = []
        finally_block = None
        while True:
            save = self.pos
            self.wsnl()
            kw = self.keyword_at() if self.text[self.pos:self.pos + 1] else None
            if kw is None and self.text[self.pos:self.pos + 5].lower() == "catch" and \
                    self.text[self.pos + 5:self.pos + 6] in ("{", "["):
                kw = "catch"
            if kw == "catch":
                cstart = self.pos
                self.pos += 5
                types: list[str] = []
                self.wsnl()
                while self.text[self.pos:self.pos + 1] == "[":
                    tn = self.parse_bracket(allow_attribute=False)
                    assert isinstance(tn, str)
                    types.append(tn)
                    self.wsnl()
                    if self.text[self.pos:self.pos + 1] == ",":
                        self.pos += 1
                        self.wsnl()
                cbody = self.parse_braced_statements("catch block")
                catches.append(A.CatchClause(types, cbody, start=cstart, end=self.pos))
            elif kw == "finally" or self.text[self.pos:self.pos + 7].lower() == "finally" and \
                    self.text[self.pos + 7:self.pos + 8] == "{":
                self.pos += 7
                self.wsnl()
                finally_block = self.parse_braced_statements("finally block")
                break
            else:
                self.pos = save
                break
        if not catches and finally_block is None:
            raise self.error("The Try statement is missing its Catch or Finally block.", construct="try",
                             error_id="MissingCatchOrFinally")
        return A.Try(body, catches, finally_block, start=start, end=self.pos)

    def _flow(self, start: int, kind: str) -> A.Node:
        self.pos += len(kind)
        self.ws()
        value: A.Node | None = None
        label = ""
        c = self.text[self.pos:self.pos + 1]
        if c and c not in _C3:
            if kind in ("break", "continue"):
                word = self.parse_generic_word()
                label = str(word.value) if isinstance(word, A.Constant) else ""
            else:
                value = self.parse_pipeline(allow_assignment=False)
        return A.Flow(kind, value, label, start=start, end=self.pos)

    def st_function(self, start: int) -> A.Node:
        is_filter = self.keyword_at() == "filter"
        self.pos += 6 if is_filter else 8
        self.ws()
        m = re.compile(r"[^\s(){};]+").match(self.text, self.pos)
        if not m:
            raise self.error("Missing name after function keyword.", construct="function",
                             error_id="MissingNameAfterKeyword")
        name = m.group(0)
        if ":" in name and name.split(":", 1)[0].lower() in _SCOPES:
            name = name.split(":", 1)[1]
        self.pos = m.end()
        self.wsnl()
        params: list[A.Parameter] | None = None
        pstart = self.pos
        if self.text[self.pos:self.pos + 1] == "(":
            self.pos += 1
            params = self.parse_parameter_list(")")
            self.wsnl()
        if self.text[self.pos:self.pos + 1] != "{":
            raise self.error("Missing function body in function declaration.", construct="function",
                             error_id="MissingFunctionBody")
        self.pos += 1
        body = self.parse_script_block("}")
        self.pos += 1
        if params is not None:
            if body.param_block is not None:
                raise self.error("A function cannot have both a parameter list and a param block.",
                                 pstart, "function", "OnlyOneParameterListAllowed")
            body.param_block = A.ParamBlock(params, start=pstart, end=pstart)
        if is_filter and body.process_block is None and body.begin_block is None:
            body.process_block, body.end_block = body.end_block, []
        return A.FunctionDefinition(name, body, is_filter, start=start, end=self.pos)

    # ------------------------------------------------------------ pipelines and commands

    def parse_pipeline(self, allow_assignment: bool) -> A.Node:
        start = self.pos
        elements: list[A.Node] = []
        first = True
        while True:
            self.ws()
            if self.is_expression_start():
                if not first:
                    raise self.error("Expressions are only allowed as the first element of a pipeline.",
                                     construct="pipeline", error_id="ExpressionsMustBeFirstInPipeline")
                expr = self.parse_expression()
                self.ws()
                if allow_assignment and first:
                    m = _ASSIGN.match(self.text, self.pos)
                    if m:
                        if not isinstance(expr, (A.Variable, A.Member, A.Index, A.Convert, A.ArrayLiteral)):
                            raise self.error(
                                "The assignment expression is not valid. The input to an assignment operator "
                                "must be an object that is able to accept assignments, such as a variable "
                                "or a property.", expr.start, "assignment", "InvalidLeftHandSide")
                        op = m.group(1)
                        if op[0] in _DASH_SET:
                            op = "-="
                        self.pos = m.end()
                        self.wsnl()
                        value = self.parse_assignment_value()
                        return A.Assignment(expr, op, value, start=start, end=self.pos)
                redirs = self.parse_redirections()
                elements.append(A.CommandExpression(expr, redirs, start=expr.start, end=self.pos))
            else:
                elements.append(self.parse_command())
            first = False
            self.ws()
            if self.text[self.pos:self.pos + 1] == "|" and self.text[self.pos + 1:self.pos + 2] != "|":
                self.pos += 1
                self.wsnl()
                continue
            if self.text[self.pos:self.pos + 1] == "\n" and not self.nl[-1]:
                # PowerShell 7: a line starting with '|' continues the pipeline.
                save = self.pos
                self.wsnl()
                if self.text[self.pos:self.pos + 1] == "|" and self.text[self.pos + 1:self.pos + 2] != "|":
                    self.pos += 1
                    self.wsnl()
                    continue
                self.pos = save
            if self.text[self.pos:self.pos + 1] == "&" or self.text[self.pos:self.pos + 1] == "|":
                if self.text.startswith("&&", self.pos) or self.text.startswith("||", self.pos):
                    raise self.error("Pipeline chain operators (&&, ||) are not supported by pscompat.",
                                     construct="pipeline chain", error_id="UnsupportedConstruct", length=2)
                raise self.error("Background jobs ('&' at the end of a pipeline) are not supported by pscompat.",
                                 construct="background job", error_id="UnsupportedConstruct")
            break
        if not elements:
            raise self.unexpected()
        if len(elements) == 1 and isinstance(elements[0], A.CommandExpression) and not elements[0].redirections:
            return A.Pipeline(elements, start=start, end=self.pos)
        return A.Pipeline(elements, start=start, end=self.pos)

    def parse_assignment_value(self) -> A.Node:
        kw = self.keyword_at()
        if kw in ("if", "foreach", "for", "while", "do", "switch", "try"):
            return self.parse_statement()
        return self.parse_pipeline(allow_assignment=True)

    def is_expression_start(self) -> bool:
        c = self.text[self.pos:self.pos + 1]
        if not c:
            return False
        if c in _C4 or c in _SQ_SET or c in _DQ_SET:
            return True
        if c == "@":
            return self.text[self.pos + 1:self.pos + 2] in _C5 or self.text[self.pos + 1:self.pos + 2] in _SQ_SET or self.text[self.pos + 1:self.pos + 2] in _DQ_SET
        if c.isdigit() or (c == "." and self.text[self.pos + 1:self.pos + 2].isdigit()):
            m = _NUMBER.match(self.text, self.pos)
            return m is not None and self.text[self.pos + m.end() - self.pos:self.pos + m.end() - self.pos + 1] in _GENERIC_STOP | {".", "[", "+", "*", "/", "%", "="}
        if c in _DASH_SET:
            n1 = self.text[self.pos + 1:self.pos + 2]
            if n1.isdigit() or (n1 == "." and self.text[self.pos + 2:self.pos + 3].isdigit()) or n1 in _C6 or n1 in _DASH_SET:
                return True
            return bool(_UNARY_WORD.match(self.text, self.pos))
        return c == "+"

    def parse_redirections(self) -> list[A.Redirection]:
        redirs: list[A.Redirection] = []
        while True:
            self.ws()
            m = _REDIRECT.match(self.text, self.pos)
            if not m or not m.group(2):
                return redirs
            rstart = self.pos
            stream = m.group(1) or "1"
            self.pos = m.end()
            if m.group(4):
                redirs.append(A.Redirection(stream, None, False, m.group(4), start=rstart, end=self.pos))
                continue
            self.ws()
            if not self.text[self.pos:self.pos + 1] or self.text[self.pos:self.pos + 1] in _C7:
                raise self.error("Missing file specification after redirection operator.",
                                 construct="redirection", error_id="MissingFileSpecification")
            target = self.parse_argument_element()
            redirs.append(A.Redirection(stream, target, m.group(2) == ">>", start=rstart, end=self.pos))

    def parse_command(self) -> A.Command:
        start = self.pos
        invocation = ""
        c = self.text[self.pos:self.pos + 1]
        if c == "&" and self.text[self.pos + 1:self.pos + 2] != "&":
            invocation = "&"
            self.pos += 1
            self.ws()
        elif c == "." and self.text[self.pos + 1:self.pos + 2] in _C8:
            invocation = "."
            self.pos += 1
            self.ws()
        c = self.text[self.pos:self.pos + 1]
        if not c or c in _C9:
            raise self.unexpected()
        if c == "<":
            raise self.error("The '<' operator is reserved for future use.", construct="input redirection",
                             error_id="RedirectionNotSupported")
        if invocation and (c in _C10 or c in _SQ_SET or c in _DQ_SET):
            head = self.parse_argument_element()
        else:
            head = self.parse_generic_word()
        elements: list[A.Node] = [head]
        redirections: list[A.Redirection] = []
        no_more_params = False
        while True:
            self.ws()
            c = self.text[self.pos:self.pos + 1]
            if not c or c in _C9:
                break
            if c == "&":
                break
            if c == "<":
                raise self.error("The '<' operator is reserved for future use.", construct="input redirection",
                                 error_id="RedirectionNotSupported")
            m = _REDIRECT.match(self.text, self.pos)
            if m and m.group(2):
                redirections.extend(self.parse_redirections())
                continue
            if c in _DASH_SET and not no_more_params:
                if self.text.startswith("--%", self.pos):
                    raise self.error("The stop-parsing token '--%' is not supported by pscompat.",
                                     construct="stop-parsing token", error_id="UnsupportedConstruct", length=3)
                if self.text[self.pos + 1:self.pos + 2] in _DASH_SET and self.text[self.pos + 2:self.pos + 3] in _ARG_END:
                    no_more_params = True
                    self.pos += 2
                    continue
                pm = _PARAM.match(self.text, self.pos)
                if pm:
                    pstart = self.pos
                    self.pos = pm.end()
                    name = pm.group(1)
                    if pm.group(2):
                        self.ws()
                        if not self.text[self.pos:self.pos + 1] or self.text[self.pos:self.pos + 1] in _C9:
                            raise self.error(f"Missing an argument for parameter '{name}'.", construct="parameter",
                                             error_id="ParameterRequiresArgument")
                        arg = self.parse_command_argument()
                        elements.append(A.CommandParameter(name, arg, True, self.text[pstart:pm.end()],
                                                           start=pstart, end=self.pos))
                    else:
                        elements.append(A.CommandParameter(name, None, False, pm.group(0),
                                                           start=pstart, end=self.pos))
                    continue
            elements.append(self.parse_command_argument())
        return A.Command(elements, invocation, redirections, start=start, end=self.pos)

    def parse_command_argument(self) -> A.Node:
        """One argument: an element, or a comma list of elements (``Id,DisplayName``)."""
        start = self.pos
        first = self.parse_argument_element()
        self.ws()
        if self.text[self.pos:self.pos + 1] != ",":
            return first
        items = [first]
        while self.text[self.pos:self.pos + 1] == ",":
            self.pos += 1
            self.wsnl()
            items.append(self.parse_argument_element())
            self.ws()
        return A.ArrayLiteral(items, start=start, end=self.pos)

    def parse_argument_element(self) -> A.Node:
        start = self.pos
        c = self.text[self.pos:self.pos + 1]
        if c == "@" and self.text[self.pos + 1:self.pos + 2] not in _C5 and self.text[self.pos + 1:self.pos + 2] not in _SQ_SET and self.text[self.pos + 1:self.pos + 2] not in _DQ_SET:
            m = _VARNAME.match(self.text, self.pos + 1)
            if m:
                self.pos = m.end()
                return A.Variable(m.group(2), "", True, start=start, end=self.pos)
        if c in _C11 or c in _SQ_SET or c in _DQ_SET:
            if c == "$" and not (_VARNAME.match(self.text, self.pos + 1) or self.text[self.pos + 1:self.pos + 2] in _C5):
                return self.parse_generic_word()
            expr = self.parse_postfix(self.parse_primary(), argument_mode=True)
            if self.text[self.pos:self.pos + 1] not in _ARG_END:
                # "$env:TEMP\foo.txt", '"a"b': the rest of the word is glued on as a string.
                rest = self.parse_generic_word()
                parts: list[Any] = [expr]
                if isinstance(rest, A.ExpandableString):
                    parts.extend(rest.parts)
                else:
                    parts.append(str(rest.value))  # type: ignore[attr-defined]
                return A.ExpandableString(parts, "bare", start=start, end=self.pos)
            return expr
        return self.parse_generic_word()

    def parse_generic_word(self) -> A.Node:
        """A bare word in argument mode: a number when the whole word is one, else a string."""
        start = self.pos
        text = self.text
        parts: list[Any] = []
        buf: list[str] = []
        i = self.pos
        n = self.n
        while i < n:
            c = text[i]
            if c in _C12:
                if c == ">" or c == "<":
                    break
                break
            if c == "`":
                if i + 1 < n:
                    nxt = text[i + 1]
                    if nxt == "\n":
                        break
                    buf.append(_ESCAPES.get(nxt, nxt) if nxt != "\r" else "")
                    i += 2
                    continue
                i += 1
                continue
            if c == "$" and i + 1 < n and (text[i + 1] == "(" or text[i + 1] == "{" or
                                           _VARNAME.match(text, i + 1)):
                if "".join(buf):
                    parts.append("".join(buf))
                buf = []
                self.pos = i
                parts.append(self.parse_variable_or_subexpr_in_string())
                i = self.pos
                continue
            if c in _SQ_SET or c in _DQ_SET:
                self.pos = i
                inner = self.parse_primary()
                i = self.pos
                if isinstance(inner, A.Constant):
                    buf.append(str(inner.value))
                else:
                    if "".join(buf):
                        parts.append("".join(buf))
                    buf = []
                    parts.extend(inner.parts)  # type: ignore[attr-defined]
                continue
            buf.append(c)
            i += 1
        self.pos = i
        if buf:
            parts.append("".join(buf))
        if not parts:
            raise self.unexpected()
        if len(parts) == 1 and isinstance(parts[0], str):
            word = parts[0]
            raw = text[start:i]
            if raw == word and (word[0].isdigit() or word[0] in _DASH_SET or word[0] in _C13):
                try:
                    return A.Constant(parse_number(word), "number", start=start, end=i)
                except ValueError:
                    pass
            return A.Constant(word, "bare", start=start, end=i)
        return A.ExpandableString(parts, "bare", start=start, end=i)

    # ------------------------------------------------------------ expressions

    def parse_expression(self, no_comma: bool = False) -> A.Node:
        return self.parse_binary(1, no_comma)

    def parse_binary(self, min_prec: int, no_comma: bool) -> A.Node:
        left = self.parse_array(no_comma)
        while True:
            save = self.pos
            self.ws()
            op, prec, length = self.peek_binary_operator()
            if op is None or prec < min_prec:
                self.pos = save
                return left
            self.pos += length
            self.wsnl()
            right = self.parse_binary(prec + 1, no_comma)
            left = A.Binary(op, left, right, start=left.start, end=right.end)

    def peek_binary_operator(self) -> tuple[str | None, int, int]:
        c = self.text[self.pos:self.pos + 1]
        if not c or c not in _BINOP_START:
            return None, 0, 0
        if c in _DASH_SET:
            m = _BINOP.match(self.text, self.pos)
            if m:
                op = "-" + m.group(1).lower()
                if op in _PREC:
                    return op, _PREC[op], m.end() - self.pos
                return op, _COMPARISON, m.end() - self.pos
            n1 = self.text[self.pos + 1:self.pos + 2]
            if n1 == "=" or n1 in _DASH_SET:
                return None, 0, 0
            if n1.isalpha():
                tok = self.token_text()
                raise self.error(f"Unexpected token '{tok}' in expression or statement.",
                                 construct="operator", length=len(tok))
            return "-", 9, 1
        if c == "+" and self.text[self.pos + 1:self.pos + 2] not in _C14:
            return "+", 9, 1
        if c in _C15 and self.text[self.pos + 1:self.pos + 2] != "=":
            return c, 10, 1
        if c == "." and self.text[self.pos + 1:self.pos + 2] == ".":
            return "..", 13, 2
        if c == "?" and self.text[self.pos + 1:self.pos + 2] == "?" and self.text[self.pos + 2:self.pos + 3] != "=":
            return "??", 7, 2
        if c == "?" and self.text[self.pos + 1:self.pos + 2] in _C8:
            raise self.error("The ternary operator '? :' is not supported by pscompat.", construct="ternary",
                             error_id="UnsupportedConstruct")
        return None, 0, 0

    def parse_array(self, no_comma: bool) -> A.Node:
        first = self.parse_unary()
        if no_comma:
            return first
        save = self.pos
        self.ws()
        if self.text[self.pos:self.pos + 1] != ",":
            self.pos = save
            return first
        items = [first]
        while self.text[self.pos:self.pos + 1] == ",":
            self.pos += 1
            self.wsnl()
            items.append(self.parse_unary())
            save = self.pos
            self.ws()
        self.pos = save
        return A.ArrayLiteral(items, start=first.start, end=items[-1].end)

    def parse_unary(self) -> A.Node:
        start = self.pos
        c = self.text[self.pos:self.pos + 1]
        if c == ",":
            self.pos += 1
            self.wsnl()
            operand = self.parse_unary()
            return A.ArrayLiteral([operand], start=start, end=operand.end)
        if c == "!":
            self.pos += 1
            self.wsnl()
            operand = self.parse_unary()
            return A.Unary("-not", operand, start=start, end=operand.end)
        if c in _DASH_SET or c == "+":
            m = _UNARY_WORD.match(self.text, self.pos)
            if m:
                self.pos = m.end()
                self.wsnl()
                operand = self.parse_unary()
                return A.Unary("-" + m.group(1).lower(), operand, start=start, end=operand.end)
            n1 = self.text[self.pos + 1:self.pos + 2]
            if (c == "+" and n1 == "+") or (c in _DASH_SET and n1 in _DASH_SET):
                self.pos += 2
                self.ws()
                operand = self.parse_unary()
                return A.Unary("++" if c == "+" else "--", operand, start=start, end=operand.end)
            if c in _DASH_SET and (n1.isdigit() or n1 == "."):
                m2 = _NUMBER.match(self.text, self.pos + 1)
                if m2 and self.text[self.pos + m2.end() - self.pos:self.pos + m2.end() - self.pos + 1] not in _C16 and not self.text[self.pos + m2.end() - self.pos:self.pos + m2.end() - self.pos + 1].isalnum():
                    try:
                        value = parse_number("-" + m2.group(0))
                        self.pos = m2.end()
                        return self.parse_postfix(A.Constant(value, "number", start=start, end=self.pos))
                    except ValueError:
                        pass
            self.pos += 1
            self.ws()
            operand = self.parse_unary()
            return A.Unary("-" if c in _DASH_SET else "+", operand, start=start, end=operand.end)
        if c == "[":
            item = self.parse_bracket(allow_attribute=False)
            assert isinstance(item, str)
            self.check_type(item, start)
            after = self.pos
            if self.text.startswith("::", self.pos):
                return self.parse_postfix(A.TypeLiteral(item, start=start, end=after))
            self.ws()
            if self.is_operand_start():
                operand = self.parse_unary()
                return A.Convert(item, operand, start=start, end=operand.end)
            self.pos = after
            return self.parse_postfix(A.TypeLiteral(item, start=start, end=after))
        return self.parse_postfix(self.parse_primary())

    def check_type(self, name: str, start: int) -> None:
        """A type used in an expression must be one pscompat can run: refuse others before the script starts."""
        from pscompat.lang.dotnet import TypeNotFound, type_key
        try:
            type_key(name)
        except TypeNotFound:
            raise self.error(f"Unable to find type [{name}].", start + 1, "type literal", "TypeNotFound",
                             length=len(name)) from None

    def is_operand_start(self) -> bool:
        c = self.text[self.pos:self.pos + 1]
        if not c:
            return False
        if c in _C17 or c in _SQ_SET or c in _DQ_SET or c.isdigit():
            return True
        if c in _DASH_SET:
            return self.text[self.pos + 1:self.pos + 2].isdigit() or bool(_UNARY_WORD.match(self.text, self.pos))
        return False

    def parse_postfix(self, expr: A.Node, argument_mode: bool = False) -> A.Node:
        text = self.text
        while self.pos < self.n:
            c = text[self.pos]
            if c not in _POSTFIX_START:
                break
            if c == "." and self.text[self.pos + 1:self.pos + 2] != "." or c == ":" and self.text[self.pos + 1:self.pos + 2] == ":":
                static = c == ":"
                self.pos += 2 if static else 1
                name = self.parse_member_name()
                if self.text[self.pos:self.pos + 1] == "(":
                    args = self.parse_call_arguments()
                    expr = A.InvokeMember(expr, name, args, static, start=expr.start, end=self.pos)
                else:
                    expr = A.Member(expr, name, static, start=expr.start, end=self.pos)
                continue
            if c == "[":
                self.pos += 1
                self.nl.append(True)
                self.wsnl()
                index = self.parse_expression()
                self.wsnl()
                self.nl.pop()
                if self.text[self.pos:self.pos + 1] != "]":
                    raise self.error("Array index expression is missing or not valid.", construct="index",
                                     error_id="MissingArrayIndexExpression")
                self.pos += 1
                expr = A.Index(expr, index, start=expr.start, end=self.pos)
                continue
            if not argument_mode and (c == "+" and self.text[self.pos + 1:self.pos + 2] == "+" or c in _DASH_SET and self.text[self.pos + 1:self.pos + 2] in _DASH_SET) \
                    and isinstance(expr, (A.Variable, A.Member, A.Index)):
                self.pos += 2
                expr = A.Unary("post++" if c == "+" else "post--", expr, start=expr.start, end=self.pos)
                continue
            break
        return expr

    def parse_member_name(self) -> Any:
        c = self.text[self.pos:self.pos + 1]
        m = _MEMBER.match(self.text, self.pos)
        if m:
            self.pos = m.end()
            return m.group(0)
        if c in _SQ_SET or c in _DQ_SET or c == "$" or c == "(":
            node = self.parse_primary()
            if isinstance(node, A.Constant):
                return str(node.value)
            return node
        raise self.error("Missing property name after reference operator.", construct="member access",
                         error_id="MissingPropertyName")

    def parse_call_arguments(self) -> list[A.Node]:
        self.pos += 1
        args: list[A.Node] = []
        self.nl.append(True)
        self.wsnl()
        if self.text[self.pos:self.pos + 1] == ")":
            self.pos += 1
            self.nl.pop()
            return args
        while True:
            self.wsnl()
            args.append(self.parse_expression(no_comma=True))
            self.wsnl()
            if self.text[self.pos:self.pos + 1] == ",":
                self.pos += 1
                continue
            if self.text[self.pos:self.pos + 1] == ")":
                self.pos += 1
                break
            raise self.error("Missing closing ')' in method call.", construct="method call",
                             error_id="MissingEndParenthesisInMethodCall")
        self.nl.pop()
        return args

    def parse_primary(self) -> A.Node:
        start = self.pos
        c = self.text[self.pos:self.pos + 1]
        text = self.text
        if c == "$":
            n1 = self.text[self.pos + 1:self.pos + 2]
            if n1 == "(":
                self.pos += 2
                body = self.parse_inner_statements(")", "subexpression")
                return A.SubExpression(body, start=start, end=self.pos)
            return self.parse_variable()
        if c == "@":
            n1 = self.text[self.pos + 1:self.pos + 2]
            if n1 == "(":
                self.pos += 2
                body = self.parse_inner_statements(")", "array expression")
                return A.ArrayExpression(body, start=start, end=self.pos)
            if n1 == "{":
                return self.parse_hashtable()
            if n1 in _SQ_SET or n1 in _DQ_SET:
                return self.parse_here_string()
            m = _VARNAME.match(text, self.pos + 1)
            if m:
                self.pos = m.end()
                return A.Variable(m.group(2), "", True, start=start, end=self.pos)
            raise self.unexpected()
        if c == "(":
            self.pos += 1
            self.nl.append(True)
            self.wsnl()
            if self.text[self.pos:self.pos + 1] == ")":
                raise self.error("An expression was expected after '('.", construct="parenthesized expression",
                                 error_id="ExpectedExpression")
            kw = self.keyword_at()
            if kw in _STATEMENTS and kw not in ("function", "filter"):
                inner = self.parse_statement()
            else:
                inner = self.parse_pipeline(allow_assignment=True)
            self.wsnl()
            self.nl.pop()
            if self.text[self.pos:self.pos + 1] != ")":
                if not self.text[self.pos:self.pos + 1]:
                    raise self.error("Missing closing ')' in expression.", start,
                                     "parenthesized expression", "MissingEndParenthesisInExpression")
                raise self.unexpected()
            self.pos += 1
            return A.Paren(inner, start=start, end=self.pos)
        if c == "{":
            self.pos += 1
            block = self.parse_script_block("}")
            self.pos += 1
            block.start = start
            block.end = self.pos
            return A.ScriptBlockExpression(block, start=start, end=self.pos)
        if c in _SQ_SET:
            return self.parse_single_quoted()
        if c in _DQ_SET:
            return self.parse_double_quoted()
        if c.isdigit() or c == ".":
            m = _NUMBER.match(text, self.pos)
            if m:
                try:
                    value = parse_number(m.group(0))
                except ValueError:
                    raise self.error(f"Unexpected token '{m.group(0)}' in expression or statement.",
                                     construct="number", length=len(m.group(0))) from None
                self.pos = m.end()
                if self.text[self.pos:self.pos + 1].isalnum() or self.text[self.pos:self.pos + 1] == "_":
                    raise self.unexpected()
                return A.Constant(value, "number", start=start, end=self.pos)
        if c == "[":
            item = self.parse_bracket(allow_attribute=False)
            assert isinstance(item, str)
            self.check_type(item, start)
            return A.TypeLiteral(item, start=start, end=self.pos)
        if not c:
            raise self.error("Unexpected end of input: an expression was expected.", construct="expression",
                             error_id="ExpectedExpression")
        raise self.unexpected()

    def parse_inner_statements(self, closing: str, construct: str) -> list[A.Node]:
        start = self.pos - 2
        self.nl.append(False)
        body = self.parse_statements(closing)
        self.nl.pop()
        if self.text[self.pos:self.pos + 1] != closing:
            raise self.error(f"Missing closing '{closing}' in {construct}.", start, construct,
                             "MissingEndParenthesisInSubexpression")
        self.pos += 1
        return body

    def parse_variable(self) -> A.Variable:
        start = self.pos
        self.pos += 1
        if self.text[self.pos:self.pos + 1] == "{":
            end = self.text.find("}", self.pos)
            if end < 0:
                raise self.error("Missing '}' in variable reference.", start, "variable",
                                 "IncompleteDollarVariableReference")
            name = self.text[self.pos + 1:end]
            self.pos = end + 1
            scope = ""
            if ":" in name and name.split(":", 1)[0].lower() in _SCOPES:
                scope, name = name.split(":", 1)
            return A.Variable(name, scope.lower(), start=start, end=self.pos)
        m = _VARNAME.match(self.text, self.pos)
        if not m:
            raise self.error("Invalid variable reference: '$' was not followed by a valid variable name "
                             "character.", start, "variable", "InvalidVariableReference")
        scope = (m.group(1) or "").lower()
        if scope and scope not in _SCOPES:
            raise self.error(f"The drive-qualified variable '${m.group(0)}' is not supported by pscompat.",
                             start, "variable", "UnsupportedConstruct", length=len(m.group(0)) + 1)
        self.pos = m.end()
        return A.Variable(m.group(2), scope, start=start, end=self.pos)

    def parse_hashtable(self) -> A.Hashtable:
        start = self.pos
        self.pos += 2
        pairs: list[tuple[A.Node, A.Node]] = []
        self.nl.append(False)
        while True:
            self.skip_separators()
            c = self.text[self.pos:self.pos + 1]
            if c == "}":
                self.pos += 1
                break
            if not c:
                raise self.error("Missing closing '}' in hash literal.", start, "hash literal",
                                 "MissingEndCurlyBrace")
            kstart = self.pos
            if c in _SQ_SET or c in _DQ_SET or c in _C6 or c.isdigit():
                key = self.parse_unary()
            else:
                m = re.compile(r"[^\s=;}]+").match(self.text, self.pos)
                if not m:
                    raise self.unexpected("hash literal")
                self.pos = m.end()
                key = A.Constant(m.group(0), "bare", start=kstart, end=self.pos)
            self.ws()
            if self.text[self.pos:self.pos + 1] != "=":
                raise self.error("Missing '=' operator after key in hash literal.", construct="hash literal",
                                 error_id="MissingEqualsInHashLiteral")
            self.pos += 1
            self.wsnl()
            if self.text[self.pos:self.pos + 1] in _C18 or not self.text[self.pos:self.pos + 1]:
                raise self.error("Missing statement after '=' in hash literal.", construct="hash literal",
                                 error_id="MissingStatementInHashLiteral")
            value = self.parse_statement()
            pairs.append((key, value))
            self.ws()
            c = self.text[self.pos:self.pos + 1]
            if c in _C19:
                self.pos += 1
            elif c != "}":
                raise self.error("Missing '=' operator after key in hash literal." if c else
                                 "Missing closing '}' in hash literal.", construct="hash literal",
                                 error_id="MissingEndCurlyBrace")
        self.nl.pop()
        return A.Hashtable(pairs, start=start, end=self.pos)

    # ------------------------------------------------------------ strings

    def parse_single_quoted(self) -> A.Constant:
        start = self.pos
        text = self.text
        i = self.pos + 1
        buf: list[str] = []
        while True:
            j = i
            while j < self.n and text[j] not in _SQ_SET:
                j += 1
            if j >= self.n:
                raise self.error("The string is missing the terminator: '.", start, "string",
                                 "TerminatorExpectedAtEndOfString")
            buf.append(text[i:j])
            if j + 1 < self.n and text[j + 1] in _SQ_SET:
                buf.append(text[j + 1])
                i = j + 2
                continue
            self.pos = j + 1
            return A.Constant("".join(buf), "single", start=start, end=self.pos)

    def parse_double_quoted(self) -> A.Node:
        start = self.pos
        text = self.text
        i = self.pos + 1
        parts: list[Any] = []
        buf: list[str] = []
        while True:
            m = _STR_SPECIAL.search(text, i)
            if not m:
                raise self.error('The string is missing the terminator: ".', start, "string",
                                 "TerminatorExpectedAtEndOfString")
            j = m.start()
            buf.append(text[i:j])
            c = text[j]
            if c == "`":
                if j + 1 >= self.n:
                    raise self.error('The string is missing the terminator: ".', start, "string",
                                     "TerminatorExpectedAtEndOfString")
                i = self._escape(j, buf)
                continue
            if c == "$":
                self.pos = j
                if j + 1 < self.n and (text[j + 1] in _C5 or _VARNAME.match(text, j + 1)):
                    if "".join(buf):
                        parts.append("".join(buf))
                    buf = []
                    parts.append(self.parse_variable_or_subexpr_in_string())
                    i = self.pos
                else:
                    buf.append("$")
                    i = j + 1
                continue
            # a double quote: doubled -> literal, else the end
            if j + 1 < self.n and text[j + 1] in _DQ_SET:
                buf.append(text[j + 1])
                i = j + 2
                continue
            self.pos = j + 1
            if "".join(buf):
                parts.append("".join(buf))
            if not parts:
                return A.Constant("", "double", start=start, end=self.pos)
            if len(parts) == 1 and isinstance(parts[0], str):
                return A.Constant(parts[0], "double", start=start, end=self.pos)
            return A.ExpandableString(parts, "double", start=start, end=self.pos)

    def _escape(self, j: int, buf: list[str]) -> int:
        text = self.text
        nxt = text[j + 1]
        if nxt == "u" and j + 2 < self.n and text[j + 2] == "{":
            end = text.find("}", j + 3)
            if end > 0:
                try:
                    buf.append(chr(int(text[j + 3:end], 16)))
                    return end + 1
                except ValueError:
                    pass
        buf.append(_ESCAPES.get(nxt, nxt))
        return j + 2

    def parse_variable_or_subexpr_in_string(self) -> A.Node:
        start = self.pos
        if self.text[self.pos + 1:self.pos + 2] == "(":
            self.pos += 2
            body = self.parse_inner_statements(")", "subexpression")
            return A.SubExpression(body, start=start, end=self.pos)
        return self.parse_variable()

    def parse_here_string(self) -> A.Node:
        start = self.pos
        quote = self.text[self.pos + 1:self.pos + 2]
        expandable = quote in _DQ_SET
        nl = self.text.find("\n", self.pos + 2)
        if nl < 0 or self.text[self.pos + 2:nl].strip(" \t\r"):
            raise self.error("No characters are allowed after a here-string header but before the end of "
                             "the line.", start, "here-string", "UnexpectedCharactersAfterHereStringHeader")
        body_start = nl + 1
        closer = re.compile(r"\r?\n[" + (DQ if expandable else SQ) + "]@")
        if self.text.startswith(('"@', "'@"), body_start) and self.text[body_start] in (DQ if expandable else SQ):
            end_m: Any = None
            body_end, after = body_start, body_start + 2
        else:
            end_m = closer.search(self.text, body_start - 1 if body_start > 0 else 0)
            if end_m is None or end_m.start() < body_start - 1:
                end_m = closer.search(self.text, body_start)
            if end_m is None:
                raise self.error("The string is missing the terminator: " + ('"@' if expandable else "'@") + ".",
                                 start, "here-string", "TerminatorExpectedAtEndOfString")
            body_end, after = end_m.start(), end_m.end()
        body = self.text[body_start:body_end] if body_end > body_start else ""
        body = body.replace("\r\n", "\n")
        if not expandable:
            self.pos = after
            return A.Constant(body, "here_single", start=start, end=self.pos)
        # expand within the body: re-scan it with its own offsets
        parts: list[Any] = []
        buf: list[str] = []
        i = body_start
        text = self.text
        while True:
            m = _HERE_SPECIAL.search(text, i, body_end)
            if not m:
                buf.append(text[i:body_end])
                break
            j = m.start()
            buf.append(text[i:j])
            if text[j] == "`" and j + 1 < body_end:
                i = self._escape(j, buf)
                continue
            if text[j] == "$" and j + 1 < body_end and (text[j + 1] in _C5 or _VARNAME.match(text, j + 1)):
                if "".join(buf):
                    parts.append("".join(buf).replace("\r\n", "\n"))
                buf = []
                self.pos = j
                parts.append(self.parse_variable_or_subexpr_in_string())
                i = self.pos
                continue
            buf.append(text[j])
            i = j + 1
        if buf and "".join(buf):
            parts.append("".join(buf).replace("\r\n", "\n"))
        self.pos = after
        if all(isinstance(p, str) for p in parts):
            return A.Constant("".join(parts), "here_double", start=start, end=self.pos)
        return A.ExpandableString(parts, "here_double", start=start, end=self.pos)


_STATEMENTS: dict[str, Any] = {
    "if": Parser.st_if,
    "foreach": Parser.st_foreach,
    "for": Parser.st_for,
    "while": Parser.st_while,
    "do": Parser.st_do,
    "switch": Parser.st_switch,
    "try": Parser.st_try,
    "function": Parser.st_function,
    "filter": Parser.st_function,
    "throw": lambda p, s: p._flow(s, "throw"),
    "return": lambda p, s: p._flow(s, "return"),
    "exit": lambda p, s: p._flow(s, "exit"),
    "break": lambda p, s: p._flow(s, "break"),
    "continue": lambda p, s: p._flow(s, "continue"),
}


def decode_script_bytes(data: bytes) -> str:
    """Script file bytes -> text: UTF-8 (BOM optional), UTF-16 LE/BE with BOM, as PowerShell reads them."""
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_script(text: str, path: str | None = None) -> A.ScriptBlock:
    """Parse a whole script; ``ParseError`` for anything outside the subset, before anything runs."""
    parser = Parser(text, path)
    block = parser.parse_script_block("")
    block.start, block.end = 0, len(parser.text)
    return block


def parse_expression(text: str) -> A.Node:
    """Parse ``text`` as exactly one expression (the literal reader's entry point)."""
    parser = Parser(text)
    parser.nl = [True]
    parser.wsnl()
    node = parser.parse_expression()
    parser.wsnl()
    if parser.pos < parser.n:
        raise parser.unexpected()
    return node


def parse_argument(token: str) -> A.Node:
    """Parse ``token`` as ONE command argument in argument mode (what bash argv delivers)."""
    parser = Parser(token)
    if not token:
        return A.Constant("", "bare", start=0, end=0)
    node = parser.parse_command_argument()
    parser.ws()
    if parser.pos < parser.n:
        raise parser.unexpected("command argument")
    return node
