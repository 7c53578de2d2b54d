"""Hand-written PowerShell parser for the subset admin scripts use -> ``pscompat.lang.ast``.

PowerShell's tokens depend on the parse mode (``-eq`` is an operator in an expression and a
parameter name in a command; ``10MB`` is a number, ``Get-Date`` a bare word), so this is a
scannerless recursive-descent parser: each method scans the characters it expects with
precompiled regexes.  Anything outside the subset is a ``ParseError`` naming the construct,
line and column, raised before any of the script runs.

Accepted like PowerShell (and unlike tree-sitter-powershell): bare-word arrays in arguments
(``-Property Id,DisplayName``), ``??``, ``10MB``, chained calls in arguments, one-line
``param()``/``switch``, ``$env:TEMP\\foo.txt``, curly quotes and en/em dashes from web pages.

The grammar is split along PowerShell's own seams, one mixin each: ``parse_statements``
(blocks, param(), keywords), ``parse_commands`` (pipelines, argument mode),
``parse_expressions`` (operators, postfix, primaries), ``parse_strings`` (quoted and here
strings); ``parser_core`` holds the position and scanners, ``syntax`` the token tables.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from pscompat.lang import ast as A
from pscompat.lang.parse_commands import CommandParser
from pscompat.lang.parse_expressions import ExpressionParser
from pscompat.lang.parse_statements import StatementParser
from pscompat.lang.parse_strings import StringParser
from pscompat.lang.syntax import ParseError

__all__ = ["ParseError", "parse_script", "parse_expression", "parse_argument", "Parser", "CALL_DEPTH_OVERFLOW"]

_T = TypeVar("_T")


class Parser(StatementParser, CommandParser, ExpressionParser, StringParser):
    """One parse of one source text; see the module docstring."""


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


CALL_DEPTH_OVERFLOW = "The script failed due to call depth overflow."


def _depth_guarded(func: Callable[..., _T]) -> Callable[..., _T]:
    """Nesting deeper than the stack allows (10,000 parentheses or script blocks) is PowerShell's
    ScriptCallDepthException text as a parse error, never a RecursionError escaping to the user."""
    @functools.wraps(func)
    def guarded(text: str, *args: Any) -> _T:
        try:
            return func(text, *args)
        except RecursionError:
            path = args[0] if args and isinstance(args[0], str) else None
            first_line = text.split("\n", 1)[0][:200]
            raise ParseError(CALL_DEPTH_OVERFLOW, 1, 1, error_id="CallDepthOverflow", path=path,
                             line_text=first_line) from None
    return guarded


@_depth_guarded
def parse_script(text: str, path: str | None = None) -> A.ScriptBlock:
    """Parse a whole script; ``ParseError`` for anything outside the subset, before anything runs."""
    parser = Parser(text, path)
    block = parser.parse_script_block("")
    block.start, block.end = 0, len(parser.text)
    return block


@_depth_guarded
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


@_depth_guarded
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
