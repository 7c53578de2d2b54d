"""Expressions in expression mode: binary/unary operators by precedence, arrays, postfix
member access/calls/indexing, primaries, variables and hashtables."""

from __future__ import annotations

import re
from typing import Any

from pscompat.lang import ast as A
from pscompat.lang.numbers import parse_number
from pscompat.lang.parse_statements import STATEMENT_KEYWORDS
from pscompat.lang.parser_core import ParserCore
from pscompat.lang.syntax import (
    BINOP,
    BINOP_START,
    C6,
    C8,
    C14,
    C15,
    C16,
    C17,
    C18,
    C19,
    COMPARISON,
    DASH_SET,
    DQ_SET,
    MEMBER,
    NUMBER,
    POSTFIX_START,
    PREC,
    SCOPES,
    SQ_SET,
    UNARY_WORD,
    VARNAME,
)

__all__ = ["ExpressionParser"]


class ExpressionParser(ParserCore):
    """Expressions in expression mode: binary/unary operators by precedence, arrays, postfix."""

    def parse_expression(self, no_comma: bool = False) -> A.Node:
        condition = self.parse_binary(1, no_comma)
        save = self.pos
        self.ws()
        if self.text[self.pos:self.pos + 1] == "?" and self.text[self.pos + 1:self.pos + 2] in C8 | {"\n", "\r"}:
            self.pos += 1
            self.wsnl()
            if_true = self.parse_expression(no_comma)
            self.wsnl()
            if self.text[self.pos:self.pos + 1] != ":":
                raise self.error("Missing ':' in the ternary expression.", construct="ternary",
                                 error_id="MissingColonInTernaryExpression")
            self.pos += 1
            self.wsnl()
            if_false = self.parse_expression(no_comma)
            return A.Ternary(condition, if_true, if_false, start=condition.start, end=if_false.end)
        self.pos = save
        return condition

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
        if not c or c not in BINOP_START:
            return None, 0, 0
        if c in DASH_SET:
            m = BINOP.match(self.text, self.pos)
            if m:
                op = "-" + m.group(1).lower()
                if op in PREC:
                    return op, PREC[op], m.end() - self.pos
                return op, COMPARISON, m.end() - self.pos
            n1 = self.text[self.pos + 1:self.pos + 2]
            if n1 == "=" or n1 in DASH_SET:
                return None, 0, 0
            if n1.isalpha():
                tok = self.token_text()
                raise self.error(f"Unexpected token '{tok}' in expression or statement.",
                                 construct="operator", length=len(tok))
            return "-", 9, 1
        if c == "+" and self.text[self.pos + 1:self.pos + 2] not in C14:
            return "+", 9, 1
        if c in C15 and self.text[self.pos + 1:self.pos + 2] != "=":
            return c, 10, 1
        if c == "." and self.text[self.pos + 1:self.pos + 2] == ".":
            return "..", 13, 2
        if c == "?" and self.text[self.pos + 1:self.pos + 2] == "?" and self.text[self.pos + 2:self.pos + 3] != "=":
            return "??", 7, 2
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
        if c in DASH_SET or c == "+":
            m = UNARY_WORD.match(self.text, self.pos)
            if m:
                self.pos = m.end()
                self.wsnl()
                operand = self.parse_unary()
                return A.Unary("-" + m.group(1).lower(), operand, start=start, end=operand.end)
            n1 = self.text[self.pos + 1:self.pos + 2]
            if (c == "+" and n1 == "+") or (c in DASH_SET and n1 in DASH_SET):
                self.pos += 2
                self.ws()
                operand = self.parse_unary()
                return A.Unary("++" if c == "+" else "--", operand, start=start, end=operand.end)
            if c in DASH_SET and (n1.isdigit() or n1 == "."):
                m2 = NUMBER.match(self.text, self.pos + 1)
                if m2 and self.text[self.pos + m2.end() - self.pos:self.pos + m2.end() - self.pos + 1] not in C16 and not self.text[self.pos + m2.end() - self.pos:self.pos + m2.end() - self.pos + 1].isalnum():
                    try:
                        value = parse_number("-" + m2.group(0))
                        self.pos = m2.end()
                        return self.parse_postfix(A.Constant(value, "number", start=start, end=self.pos))
                    except ValueError:
                        pass
            self.pos += 1
            self.ws()
            operand = self.parse_unary()
            return A.Unary("-" if c in DASH_SET else "+", operand, start=start, end=operand.end)
        if c == "[":
            item = self.parse_bracket(allow_attribute=False)
            assert isinstance(item, str)
            item = self.check_type(item, start)
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

    def check_type(self, name: str, start: int) -> str:
        """A type used in an expression must be one pscompat can run: refuse others before the script
        starts. A short name resolves through the script's ``using namespace`` statements; the
        name returned is the one to use (``StringBuilder`` -> ``System.Text.StringBuilder``)."""
        from pscompat.lang.dotnet import TypeNotFound, type_key
        try:
            type_key(name)
            return name
        except TypeNotFound:
            for namespace in self.namespaces:
                try:
                    type_key(f"{namespace}.{name}")
                    return f"{namespace}.{name}"
                except TypeNotFound:
                    continue
            raise self.error(f"Unable to find type [{name}].", start + 1, "type literal", "TypeNotFound",
                             length=len(name)) from None

    def is_operand_start(self) -> bool:
        c = self.text[self.pos:self.pos + 1]
        if not c:
            return False
        if c in C17 or c in SQ_SET or c in DQ_SET or c.isdigit():
            return True
        if c in DASH_SET:
            return self.text[self.pos + 1:self.pos + 2].isdigit() or bool(UNARY_WORD.match(self.text, self.pos))
        return False

    def parse_postfix(self, expr: A.Node, argument_mode: bool = False) -> A.Node:
        text = self.text
        while self.pos < self.n:
            c = text[self.pos]
            if c not in POSTFIX_START:
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
            if not argument_mode and (c == "+" and self.text[self.pos + 1:self.pos + 2] == "+" or c in DASH_SET and self.text[self.pos + 1:self.pos + 2] in DASH_SET) \
                    and isinstance(expr, (A.Variable, A.Member, A.Index)):
                self.pos += 2
                expr = A.Unary("post++" if c == "+" else "post--", expr, start=expr.start, end=self.pos)
                continue
            break
        return expr

    def parse_member_name(self) -> Any:
        c = self.text[self.pos:self.pos + 1]
        m = MEMBER.match(self.text, self.pos)
        if m:
            self.pos = m.end()
            return m.group(0)
        if c in SQ_SET or c in DQ_SET or c == "$" or c == "(":
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
            if n1 in SQ_SET or n1 in DQ_SET:
                return self.parse_here_string()
            m = VARNAME.match(text, self.pos + 1)
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
            if kw in STATEMENT_KEYWORDS and kw not in ("function", "filter"):
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
        if c in SQ_SET:
            return self.parse_single_quoted()
        if c in DQ_SET:
            return self.parse_double_quoted()
        if c.isdigit() or c == ".":
            m = NUMBER.match(text, self.pos)
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
            item = self.check_type(item, start)
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
            if ":" in name and name.split(":", 1)[0].lower() in SCOPES:
                scope, name = name.split(":", 1)
            return A.Variable(name, scope.lower(), start=start, end=self.pos)
        m = VARNAME.match(self.text, self.pos)
        if not m:
            raise self.error("Invalid variable reference: '$' was not followed by a valid variable name "
                             "character.", start, "variable", "InvalidVariableReference")
        after = m.end()
        if not m.group(1) and self.text[after:after + 1] == ":" and self.text[after + 1:after + 2] != ":":
            # Tokenizer.ScanVariable: a ':' after the name starts a drive or scope, so a character
            # that cannot begin a name after it ("$u: text", "$h:$m", "$env:") is a parse error
            raise self.error("Variable reference is not valid. ':' was not followed by a valid variable name "
                             "character. Consider using ${} to delimit the name.", start, "variable",
                             "InvalidVariableReferenceWithDrive", length=after + 1 - start)
        scope = (m.group(1) or "").lower()
        if scope and scope not in SCOPES:
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
            if c in SQ_SET or c in DQ_SET or c in C6 or c.isdigit():
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
            if self.text[self.pos:self.pos + 1] in C18 or not self.text[self.pos:self.pos + 1]:
                raise self.error("Missing statement after '=' in hash literal.", construct="hash literal",
                                 error_id="MissingStatementInHashLiteral")
            value = self.parse_statement()
            pairs.append((key, value))
            self.ws()
            c = self.text[self.pos:self.pos + 1]
            if c in C19:
                self.pos += 1
            elif c != "}":
                raise self.error("Missing '=' operator after key in hash literal." if c else
                                 "Missing closing '}' in hash literal.", construct="hash literal",
                                 error_id="MissingEndCurlyBrace")
        self.nl.pop()
        return A.Hashtable(pairs, start=start, end=self.pos)
