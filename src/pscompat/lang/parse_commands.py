"""Pipelines and commands in argument mode: assignments, redirections, parameters and bare-word
arguments."""

from __future__ import annotations

from typing import Any

from pscompat.lang import ast as A
from pscompat.lang.numbers import parse_number
from pscompat.lang.parser_core import ParserCore
from pscompat.lang.syntax import (
    ARG_END,
    ASSIGN,
    C4,
    C5,
    C6,
    C7,
    C8,
    C9,
    C10,
    C11,
    C12,
    C13,
    DASH_SET,
    DQ_SET,
    ESCAPES,
    GENERIC_STOP,
    NUMBER,
    PARAM,
    REDIRECT,
    SQ_SET,
    UNARY_WORD,
    VARNAME,
)

__all__ = ["CommandParser"]


STOP_PARSING_END = ("", " ", "\t", "\r", "\n", "|")


class CommandParser(ParserCore):
    """Pipelines and commands in argument mode: assignments, redirections, parameters and bare-word."""

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
                    m = ASSIGN.match(self.text, self.pos)
                    if m:
                        if not isinstance(expr, (A.Variable, A.Member, A.Index, A.Convert, A.ArrayLiteral)) or \
                                (isinstance(expr, A.Variable) and expr.scope == "using"):   # $using: is read-only
                            raise self.error(
                                "The assignment expression is not valid. The input to an assignment operator "
                                "must be an object that is able to accept assignments, such as a variable "
                                "or a property.", expr.start, "assignment", "InvalidLeftHandSide")
                        op = m.group(1)
                        if op[0] in DASH_SET:
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
        if c in C4 or c in SQ_SET or c in DQ_SET:
            return True
        if c == "@":
            return self.text[self.pos + 1:self.pos + 2] in C5 or self.text[self.pos + 1:self.pos + 2] in SQ_SET or self.text[self.pos + 1:self.pos + 2] in DQ_SET
        if c.isdigit() or (c == "." and self.text[self.pos + 1:self.pos + 2].isdigit()):
            m = NUMBER.match(self.text, self.pos)
            return m is not None and self.text[self.pos + m.end() - self.pos:self.pos + m.end() - self.pos + 1] in GENERIC_STOP | {".", "[", "+", "*", "/", "%", "="}
        if c in DASH_SET:
            n1 = self.text[self.pos + 1:self.pos + 2]
            if n1.isdigit() or (n1 == "." and self.text[self.pos + 2:self.pos + 3].isdigit()) or n1 in C6 or n1 in DASH_SET:
                return True
            return bool(UNARY_WORD.match(self.text, self.pos))
        return c == "+"

    def parse_redirections(self) -> list[A.Redirection]:
        redirs: list[A.Redirection] = []
        while True:
            self.ws()
            m = REDIRECT.match(self.text, self.pos)
            if not m or not m.group(2):
                return redirs
            rstart = self.pos
            stream = m.group(1) or "1"
            self.pos = m.end()
            if m.group(4):
                redirs.append(A.Redirection(stream, None, False, m.group(4), start=rstart, end=self.pos))
                continue
            self.ws()
            if not self.text[self.pos:self.pos + 1] or self.text[self.pos:self.pos + 1] in C7:
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
        elif c == "." and self.text[self.pos + 1:self.pos + 2] in C8:
            invocation = "."
            self.pos += 1
            self.ws()
        c = self.text[self.pos:self.pos + 1]
        if not c or c in C9:
            raise self.unexpected()
        if c == "<":
            raise self.error("The '<' operator is reserved for future use.", construct="input redirection",
                             error_id="RedirectionNotSupported")
        if invocation and (c in C10 or c in SQ_SET or c in DQ_SET):
            head = self.parse_argument_element()
        else:
            head = self.parse_generic_word()
        elements: list[A.Node] = [head]
        redirections: list[A.Redirection] = []
        no_more_params = False
        while True:
            self.ws()
            c = self.text[self.pos:self.pos + 1]
            if not c or c in C9:
                break
            if c == "&":
                break
            if c == "<":
                raise self.error("The '<' operator is reserved for future use.", construct="input redirection",
                                 error_id="RedirectionNotSupported")
            m = REDIRECT.match(self.text, self.pos)
            if m and m.group(2):
                redirections.extend(self.parse_redirections())
                continue
            if c in DASH_SET and not no_more_params:
                if self.text.startswith("--%", self.pos) and self.text[self.pos + 3:self.pos + 4] in STOP_PARSING_END:
                    elements.append(self.parse_verbatim_argument())
                    continue
                if self.text[self.pos + 1:self.pos + 2] in DASH_SET and self.text[self.pos + 2:self.pos + 3] in ARG_END:
                    no_more_params = True
                    self.pos += 2
                    continue
                pm = PARAM.match(self.text, self.pos)
                if pm:
                    pstart = self.pos
                    self.pos = pm.end()
                    name = pm.group(1)
                    if pm.group(2):
                        self.ws()
                        if not self.text[self.pos:self.pos + 1] or self.text[self.pos:self.pos + 1] in C9:
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

    def parse_verbatim_argument(self) -> A.Constant:
        """``--%``: the rest of the line, up to a newline or ``|``, is one argument taken as written
        (about_Parsing, "The stop-parsing token"); the evaluator expands ``%NAME%`` from the environment."""
        start = end = self.pos
        in_quotes = False
        while end < self.n and self.text[end] != "\n" and (in_quotes or self.text[end] != "|"):
            if self.text[end] == '"':
                in_quotes = not in_quotes  # a quoted '|' is text (Tokenizer.ScanVerbatimCommandArgument)
            end += 1
        self.pos = end
        return A.Constant(self.text[start + 3:end].strip(" \t\r"), "verbatim", start=start, end=end)

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
        if c == "@" and self.text[self.pos + 1:self.pos + 2] not in C5 and self.text[self.pos + 1:self.pos + 2] not in SQ_SET and self.text[self.pos + 1:self.pos + 2] not in DQ_SET:
            m = VARNAME.match(self.text, self.pos + 1)
            if m:
                self.pos = m.end()
                return A.Variable(m.group(2), "", True, start=start, end=self.pos)
        if c in C11 or c in SQ_SET or c in DQ_SET:
            if c == "$" and not (VARNAME.match(self.text, self.pos + 1) or self.text[self.pos + 1:self.pos + 2] in C5):
                return self.parse_generic_word()
            expr = self.parse_postfix(self.parse_primary(), argument_mode=True)
            if self.text[self.pos:self.pos + 1] not in ARG_END:
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
            if c in C12:
                if c == ">" or c == "<":
                    break
                break
            if c == "`":
                if i + 1 < n:
                    nxt = text[i + 1]
                    if nxt == "\n":
                        break
                    buf.append(ESCAPES.get(nxt, nxt) if nxt != "\r" else "")
                    i += 2
                    continue
                i += 1
                continue
            if c == "$" and i + 1 < n and (text[i + 1] == "(" or text[i + 1] == "{" or
                                           VARNAME.match(text, i + 1)):
                if "".join(buf):
                    parts.append("".join(buf))
                buf = []
                self.pos = i
                parts.append(self.parse_variable_or_subexpr_in_string())
                i = self.pos
                continue
            if c in SQ_SET or c in DQ_SET:
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
            if raw == word and (word[0].isdigit() or word[0] in DASH_SET or word[0] in C13):
                try:
                    return A.Constant(parse_number(word), "number", start=start, end=i)
                except ValueError:
                    pass
            return A.Constant(word, "bare", start=start, end=i)
        return A.ExpandableString(parts, "bare", start=start, end=i)
