"""The parser's state and scanning primitives (whitespace, expected characters, errors), shared
by the statement, command, expression and string parsers that ``Parser`` combines."""

from __future__ import annotations

import re
from collections.abc import Callable

from pscompat.lang import ast as A
from pscompat.lang.syntax import KEYWORD, WS, WS_START, WSNL, ParseError

__all__ = ["ParserCore"]


class ParserCore:
    """One parse of one source text: position, newline mode, and the low-level scanners."""

    # Entry points one part of the grammar calls in another (defined by the mixins ``Parser`` combines).
    parse_bracket: Callable[..., str | A.Attribute]
    parse_double_quoted: Callable[..., A.Node]
    parse_expression: Callable[..., A.Node]
    parse_generic_word: Callable[..., A.Node]
    parse_here_string: Callable[..., A.Node]
    parse_inner_statements: Callable[..., list[A.Node]]
    parse_pipeline: Callable[..., A.Node]
    parse_postfix: Callable[..., A.Node]
    parse_primary: Callable[..., A.Node]
    parse_script_block: Callable[..., A.ScriptBlock]
    parse_single_quoted: Callable[..., A.Constant]
    parse_statement: Callable[..., A.Node]
    parse_statements: Callable[..., list[A.Node]]
    parse_variable: Callable[..., A.Variable]
    parse_variable_or_subexpr_in_string: Callable[..., A.Node]

    def __init__(self, text: str, path: str | None = None) -> None:
        if text.startswith("\ufeff"):
            text = text[1:]
        self.text = text
        self.n = len(text)
        self.pos = 0
        self.source = A.Source(text, path)
        self.nl = [False]   # stack: are newlines whitespace here (inside ( ) and [ ])?
        self.namespaces: list[str] = []   # ``using namespace X``: where short type names resolve

    def error(self, message: str, pos: int | None = None, construct: str = "",
              error_id: str = "UnexpectedToken", length: int = 1) -> ParseError:
        at = self.pos if pos is None else pos
        line, col = self.source.position(min(at, self.n))
        return ParseError(message, line, col, construct, error_id, self.source.path,
                          self.source.line_text(line), length)

    def ws(self) -> None:
        if self.text[self.pos:self.pos + 1] not in WS_START:
            return
        self.pos = (WSNL if self.nl[-1] else WS).match(self.text, self.pos).end()  # type: ignore[union-attr]
        if self.text.startswith("<#", self.pos):
            raise self.error("Missing closing '#>' in block comment.", construct="block comment",
                             error_id="MissingEndMultiLineComment")

    def wsnl(self) -> None:
        if self.text[self.pos:self.pos + 1] not in WS_START:
            return
        self.pos = WSNL.match(self.text, self.pos).end()  # type: ignore[union-attr]
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
        m = KEYWORD.match(self.text, self.pos)
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
