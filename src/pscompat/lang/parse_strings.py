"""String literals: single- and double-quoted, here-strings, escapes and ``$var``/``$()`` inside
expandable strings."""

from __future__ import annotations

import re
from typing import Any

from pscompat.lang import ast as A
from pscompat.lang.parser_core import ParserCore
from pscompat.lang.syntax import C5, DQ, DQ_SET, ESCAPES, HERE_SPECIAL, SQ, SQ_SET, STR_SPECIAL, VARNAME

__all__ = ["StringParser"]


class StringParser(ParserCore):
    """String literals: single- and double-quoted, here-strings, escapes and ``$var``/``$()`` inside."""

    def parse_single_quoted(self) -> A.Constant:
        start = self.pos
        text = self.text
        i = self.pos + 1
        buf: list[str] = []
        while True:
            j = i
            while j < self.n and text[j] not in SQ_SET:
                j += 1
            if j >= self.n:
                raise self.error("The string is missing the terminator: '.", start, "string",
                                 "TerminatorExpectedAtEndOfString")
            buf.append(text[i:j])
            if j + 1 < self.n and text[j + 1] in SQ_SET:
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
            m = STR_SPECIAL.search(text, i)
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
                if j + 1 < self.n and (text[j + 1] in C5 or VARNAME.match(text, j + 1)):
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
            if j + 1 < self.n and text[j + 1] in DQ_SET:
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
        buf.append(ESCAPES.get(nxt, nxt))
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
        expandable = quote in DQ_SET
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
            m = HERE_SPECIAL.search(text, i, body_end)
            if not m:
                buf.append(text[i:body_end])
                break
            j = m.start()
            buf.append(text[i:j])
            if text[j] == "`" and j + 1 < body_end:
                i = self._escape(j, buf)
                continue
            if text[j] == "$" and j + 1 < body_end and (text[j + 1] in C5 or VARNAME.match(text, j + 1)):
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
