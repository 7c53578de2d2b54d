"""Statements: script blocks and named blocks, param() and attributes, type names, if/loops/
switch/try, flow keywords and function definitions."""

from __future__ import annotations

import re
from typing import Any

from pscompat.lang import ast as A
from pscompat.lang.parser_core import ParserCore
from pscompat.lang.syntax import (
    C0,
    C1,
    C2,
    C3,
    DASH,
    DQ_SET,
    KNOWN_MODULE_PREFIXES,
    LOOP_KEYWORDS,
    PARAM,
    SCOPES,
    SQ_SET,
    TYPENAME,
    UNSUPPORTED,
    WORD,
)

__all__ = ["StatementParser", "STATEMENT_KEYWORDS"]


class StatementParser(ParserCore):
    """Statements: script blocks and named blocks, param() and attributes, type names, if/loops/."""

    def parse_script_block(self, closing: str = "") -> A.ScriptBlock:
        """Statements up to ``closing`` ('' = end of text), with param() and named blocks."""
        start = self.pos
        self.nl.append(False)
        self.wsnl()
        modules = self.parse_using_statements() if not closing and start == 0 else ()
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
        return A.ScriptBlock(param_block, begin, process, end, self.source, start=start, end=self.pos,
                             using_modules=tuple(modules))

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
            if c in C0 and c != closing:
                raise self.unexpected()
            statements.append(self.parse_statement())
            self.ws()
            c = self.text[self.pos:self.pos + 1]
            if isinstance(statements[-1], A.Trap):
                continue   # `trap { } "next"`: the block ends the statement (Trap.Tests.ps1)
            if c in (";", "\n"):
                self.pos += 1
            elif c and c != closing:
                if c in C0:
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
                m = WORD.match(self.text, self.pos)
                save = self.pos
                if m:
                    self.pos = m.end()
                    self.wsnl()
                    if self.text[self.pos:self.pos + 1] == "=":
                        self.pos += 1
                        self.wsnl()
                        attr.named.append((m.group(0), self.parse_expression(no_comma=True)))
                    elif self.text[self.pos:self.pos + 1] in C1:
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
        m = TYPENAME.match(self.text, self.pos)
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

    def parse_statement(self) -> A.Node:
        start = self.pos
        c = self.text[self.pos:self.pos + 1]
        label = ""
        if c == ":" and WORD.match(self.text, self.pos + 1):
            m = WORD.match(self.text, self.pos + 1)
            assert m is not None
            label = m.group(0)
            self.pos = m.end()
            self.wsnl()
            if self.keyword_at() not in LOOP_KEYWORDS:
                raise self.error("A loop label must be followed by a loop or switch statement.",
                                 construct="label", error_id="LabelNotFollowedByLoop")
        kw = self.keyword_at()
        if kw is not None:
            handler = STATEMENT_KEYWORDS.get(kw)
            if handler is not None:
                node = handler(self, start)
                if label and hasattr(node, "label"):
                    node.label = label  # type: ignore[attr-defined]
                return node
            if kw == "using":
                raise self.error("A 'using' statement must appear before any other statements in a script.",
                                 construct="using statement", error_id="UsingMustBeAtStartOfScript", length=5)
            if kw in UNSUPPORTED:
                raise self.error(f"The '{kw}' keyword ({UNSUPPORTED[kw]}) is not supported by pscompat.",
                                 construct=UNSUPPORTED[kw], error_id="UnsupportedConstruct", length=len(kw))
            if kw in ("elseif", "else", "catch", "finally", "until"):
                raise self.error(f"Unexpected token '{kw}' in expression or statement.",
                                 construct=kw, length=len(kw))
            if kw in ("param", "begin", "process", "end") and (
                    kw == "param" or self._named_block_follows(kw)):
                    raise self.error(f"Unexpected '{kw}' here: it must come first in a script block.",
                                     construct=f"{kw} block", length=len(kw))
        return self.parse_pipeline(allow_assignment=True)

    def parse_using_statements(self) -> list[tuple[str, int]]:
        """``using namespace X`` and ``using module X`` at the top of a script, before anything
        else (about_Using). Namespaces make short type names resolve here, at parse time;
        modules are checked and imported by the runner. ``using assembly`` loads .NET
        assemblies, which pscompat cannot: refused by name."""
        modules: list[tuple[str, int]] = []
        while self.keyword_at() == "using":
            start = self.pos
            self.pos += len("using")
            self.ws()
            m = WORD.match(self.text, self.pos)
            kind = m.group(0).lower() if m else ""
            if kind not in ("namespace", "module", "assembly"):
                raise self.error("The 'using' keyword must be followed by 'namespace', 'module' or 'assembly'.",
                                 construct="using statement", error_id="UsingStatementNotSupported", length=5,
                                 pos=start)
            assert m is not None
            self.pos = m.end()
            self.ws()
            name_start = self.pos
            while self.pos < self.n and not self.text[self.pos].isspace() and self.text[self.pos] != ";":
                self.pos += 1
            name = self.text[name_start:self.pos].strip("'\"")
            if not name:
                raise self.error(f"A name is missing after 'using {kind}'.", construct="using statement",
                                 error_id="MissingUsingItemName", pos=start, length=5)
            if kind == "assembly":
                raise self.error("The 'using assembly' statement (loading .NET assemblies) is not supported by "
                                 "pscompat.", construct="using assembly", error_id="UnsupportedConstruct",
                                 pos=start, length=5)
            if kind == "namespace":
                namespace = name[7:] if name.lower().startswith("system.") else name
                self.namespaces.extend(n for n in (name, namespace) if n not in self.namespaces)
            else:
                if not name.lower().startswith(KNOWN_MODULE_PREFIXES) and not name.lower().endswith(".psm1"):
                    raise self.error(f"Could not find the module '{name}'.", pos=name_start,
                                     construct="using module", error_id="ModuleNotFoundDuringParse",
                                     length=len(name))
                if name.lower().endswith(".psm1"):
                    raise self.error("'using module' with a script module file is not supported by pscompat.",
                                     pos=name_start, construct="using module", error_id="UnsupportedConstruct",
                                     length=len(name))
                modules.append((name, name_start))
            self.skip_separators()
            self.wsnl()
        return modules

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
            m = PARAM.match(self.text, self.pos)
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
        if c in C2 or c in SQ_SET or c in DQ_SET or c == "{" or c == "[" or c.isdigit() or c == "-" and \
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

    def st_trap(self, start: int) -> A.Node:
        self.pos += 4
        self.wsnl()
        types: list[str] = []
        if self.text[self.pos:self.pos + 1] == "[":
            tn = self.parse_bracket(allow_attribute=False)
            assert isinstance(tn, str)
            types.append(tn)
            self.wsnl()
        body = self.parse_braced_statements("trap statement")
        return A.Trap(types, body, start=start, end=self.pos)

    def _flow(self, start: int, kind: str) -> A.Node:
        self.pos += len(kind)
        self.ws()
        value: A.Node | None = None
        label = ""
        c = self.text[self.pos:self.pos + 1]
        if c and c not in C3:
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
        if ":" in name and name.split(":", 1)[0].lower() in SCOPES:
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


STATEMENT_KEYWORDS: dict[str, Any] = {
    "if": StatementParser.st_if,
    "foreach": StatementParser.st_foreach,
    "for": StatementParser.st_for,
    "while": StatementParser.st_while,
    "do": StatementParser.st_do,
    "switch": StatementParser.st_switch,
    "try": StatementParser.st_try,
    "trap": StatementParser.st_trap,
    "function": StatementParser.st_function,
    "filter": StatementParser.st_function,
    "throw": lambda p, s: p._flow(s, "throw"),
    "return": lambda p, s: p._flow(s, "return"),
    "exit": lambda p, s: p._flow(s, "exit"),
    "break": lambda p, s: p._flow(s, "break"),
    "continue": lambda p, s: p._flow(s, "continue"),
}
