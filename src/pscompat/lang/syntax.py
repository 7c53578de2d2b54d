"""The parser's lexical tables: PowerShell's dash and quote characters (ASCII and typographic),
the precompiled token regexes, operator precedence, and ``ParseError``."""

from __future__ import annotations

import re

__all__ = ["DASH", "SQ", "DQ", "D", "DASH_SET", "SQ_SET", "DQ_SET", "C0", "C1", "C2", "C3", "C4", "C5", "C6",
           "C7", "C8", "C9", "C10", "C11", "C12", "C13", "C14", "C15", "C16", "C17", "C18", "C19", "WS",
           "WSNL", "BINOP_START", "POSTFIX_START", "WS_START", "WORD", "KEYWORD", "VARNAME", "NUMBER",
           "BINOP", "UNARY_WORD", "ASSIGN", "PARAM", "REDIRECT", "TYPENAME", "MEMBER", "STR_SPECIAL",
           "HERE_SPECIAL", "GENERIC_STOP", "ARG_END", "PREC", "COMPARISON", "SCOPES", "LOOP_KEYWORDS",
           "UNSUPPORTED", "ESCAPES", "ParseError", "KNOWN_MODULE_PREFIXES"]


DASH = "-\u2013\u2014\u2015"
SQ = "'\u2018\u2019\u201a\u201b"
DQ = '"\u201c\u201d\u201e'
D = "[" + DASH + "]"
# character classes as sets: '' (end of text) is never a member, unlike `'' in "abc"`
DASH_SET = frozenset(DASH)
SQ_SET = frozenset(SQ)
DQ_SET = frozenset(DQ)
C0 = frozenset("})")
C1 = frozenset(",)")
C2 = frozenset("$@(")
C3 = frozenset(";\n})|")
C4 = frozenset("$([{!,")
C5 = frozenset("({")
C6 = frozenset("$(")
C7 = frozenset("|;\n)}")
C8 = frozenset(" \t")
C9 = frozenset(";\n)}|")
C10 = frozenset("$({")
C11 = frozenset("$@({")
C12 = frozenset(" \t\r\n\f\v\u00a0(){};,|&<>")
C13 = frozenset(".+")
C14 = frozenset("=+")
C15 = frozenset("*/%")
C16 = frozenset("._")
C17 = frozenset("$@([{!")
C18 = frozenset("};")
C19 = frozenset(";\n")

WS = re.compile(r"(?:[ \t\f\v\r\u00a0\ufeff]+|`\r?\n|<#[\s\S]*?#>|#[^\n]*)*")
WSNL = re.compile(r"(?:[ \t\f\v\r\n\u00a0\ufeff]+|`\r?\n|<#[\s\S]*?#>|#[^\n]*)*")
BINOP_START = frozenset(DASH + "+*/%.?")
POSTFIX_START = frozenset(DASH + ".:[+")
WS_START = frozenset(" \t\f\v\r\n\u00a0\ufeff`<#")
WORD = re.compile(r"[A-Za-z_][\w]*")
KEYWORD = re.compile(r"([A-Za-z]+)(?=[\s(){};|&,]|$)")
VARNAME = re.compile(r"(?:([A-Za-z]\w*):(?=[\w?]))?([\w?]+|\$|\^)")
NUMBER = re.compile(
    r"(?:0[xX][0-9a-fA-F]+|0[bB][01]+|\d+(?:\.\d+)?(?:[eE][+\-]?\d+)?|\.\d+(?:[eE][+\-]?\d+)?)[a-zA-Z]*")
BINOP = re.compile(
    D + r"(and|or|xor|band|bor|bxor|shl|shr|isnot|is|as|f|"
    r"[ci]?(?:eq|ne|gt|ge|lt|le|notlike|like|notmatch|match|notcontains|contains|notin|in|replace|split|join))"
    r"(?![\w\-])", re.IGNORECASE)
UNARY_WORD = re.compile(D + r"(not|bnot|split|join)(?![\w\-])", re.IGNORECASE)
ASSIGN = re.compile(r"(=|\+=|" + D + r"=|\*=|/=|%=|\?\?=)(?!=)")
PARAM = re.compile(D + r"([A-Za-z_?][^\s:(){};,|&<>'\"\u2018\u2019\u201a\u201b\u201c\u201d\u201e]*)(:?)")
REDIRECT = re.compile(r"([1-6*])?(>>?)(&([12]))?")
TYPENAME = re.compile(r"[\w.`+]+")
MEMBER = re.compile(r"[A-Za-z_]\w*")
STR_SPECIAL = re.compile("[`$" + DQ + "]")
HERE_SPECIAL = re.compile(r"[`$]")
GENERIC_STOP = set(" \t\r\n\f\v\u00a0(){};,|&<>") | {""}
ARG_END = set(" \t\r\n\f\v\u00a0(){};,|&<>") | {""}

PREC = {"-and": 1, "-or": 1, "-xor": 1, "-band": 2, "-bor": 2, "-bxor": 2, "-shl": 2, "-shr": 2,
         "??": 7, "+": 9, "-": 9, "*": 10, "/": 10, "%": 10, "-f": 12, "..": 13}
COMPARISON = 5

SCOPES = {"script", "global", "local", "private", "env", "using", "variable", "function"}

# Modules whose commands pscompat provides (Import-Module and ``using module`` accept them).
KNOWN_MODULE_PREFIXES = ("microsoft.graph", "pnp.powershell", "microsoft.powershell.", "az.accounts")

LOOP_KEYWORDS = {"foreach", "for", "while", "do", "switch"}
UNSUPPORTED = {
    "class": "class definitions", "enum": "enum definitions",
    "data": "data sections", "using": "using statements", "workflow": "workflows",
    "configuration": "DSC configurations", "dynamicparam": "dynamicparam blocks",
    "parallel": "parallel blocks", "sequence": "sequence blocks", "inlinescript": "inlinescript",
    "clean": "clean blocks",
}
ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "e": "\x1b", "f": "\f", "n": "\n", "r": "\r",
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
