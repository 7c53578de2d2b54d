"""OData query options for GET /users: $filter (a subset), $select, $orderby, $top, paging."""

from __future__ import annotations

import re
from typing import Any

from pscompat.lab.http import GraphError, bad_request

FILTERABLE = {p.lower(): p for p in ("id", "userPrincipalName", "mail", "displayName", "givenName",
                                     "surname", "userType", "accountEnabled", "jobTitle", "department")}
_TOKEN = re.compile(r"\s*(?:('(?:[^']|'')*')|(\()|(\))|(,)|([A-Za-z_$][\w.$/]*)|(-?\d+(?:\.\d+)?))")


def _unsupported(prop: str) -> GraphError:
    return bad_request(f"Unsupported or invalid query filter clause specified for property '{prop}' "
                       "of resource 'User'.", code="Request_UnsupportedQuery")


def _invalid() -> GraphError:
    return bad_request("Invalid filter clause", code="BadRequest")


def _tokens(text: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise _invalid()
        pos = m.end()
        if m.group(1) is not None:
            out.append(("str", m.group(1)[1:-1].replace("''", "'")))
        elif m.group(2):
            out.append(("(", None))
        elif m.group(3):
            out.append((")", None))
        elif m.group(4):
            out.append((",", None))
        elif m.group(5):
            word = m.group(5)
            low = word.lower()
            if low in ("true", "false"):
                out.append(("lit", low == "true"))
            elif low == "null":
                out.append(("lit", None))
            else:
                out.append(("word", word))
        else:
            out.append(("lit", float(m.group(6))))
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, Any]]) -> None:
        self.t = tokens
        self.i = 0

    def peek(self) -> tuple[str, Any] | None:
        return self.t[self.i] if self.i < len(self.t) else None

    def take(self, kind: str | None = None) -> tuple[str, Any]:
        tok = self.peek()
        if tok is None or (kind is not None and tok[0] != kind):
            raise _invalid()
        self.i += 1
        return tok

    def keyword(self, word: str) -> bool:
        tok = self.peek()
        if tok and tok[0] == "word" and tok[1].lower() == word:
            self.i += 1
            return True
        return False

    def parse(self) -> Any:
        node = self.or_()
        if self.peek() is not None:
            raise _invalid()
        return node

    def or_(self) -> Any:
        node = self.and_()
        while self.keyword("or"):
            node = ("or", node, self.and_())
        return node

    def and_(self) -> Any:
        node = self.atom()
        while self.keyword("and"):
            node = ("and", node, self.atom())
        return node

    def _prop(self) -> str:
        name = self.take("word")[1]
        prop = FILTERABLE.get(name.lower())
        if prop is None:
            raise _unsupported(name)
        return prop

    def atom(self) -> Any:
        tok = self.peek()
        if tok is None:
            raise _invalid()
        if tok[0] == "(":
            self.take("(")
            node = self.or_()
            self.take(")")
            return node
        if tok[0] == "word" and tok[1].lower() in ("startswith", "endswith") and \
                self.i + 1 < len(self.t) and self.t[self.i + 1][0] == "(":
            func = self.take("word")[1].lower()
            self.take("(")
            prop = self._prop()
            self.take(",")
            value = self.take("str")[1]
            self.take(")")
            return (func, prop, value)
        if tok[0] == "word" and tok[1].lower() == "not":
            self.take("word")
            return ("not", self.atom())
        prop = self._prop()
        op_tok = self.take("word")
        op = op_tok[1].lower()
        if op in ("eq", "ne"):
            kind, value = self.take()
            if kind not in ("str", "lit"):
                raise _invalid()
            return (op, prop, value)
        if op == "in":
            self.take("(")
            values = [self.take("str")[1]]
            while self.peek() and self.peek()[0] == ",":  # type: ignore[index]
                self.take(",")
                values.append(self.take("str")[1])
            self.take(")")
            return ("in", prop, values)
        raise _unsupported(prop)


def parse_filter(text: str) -> Any:
    return _Parser(_tokens(text)).parse()


def _norm(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def matches(node: Any, data: dict[str, Any]) -> bool:
    op = node[0]
    if op == "or":
        return matches(node[1], data) or matches(node[2], data)
    if op == "and":
        return matches(node[1], data) and matches(node[2], data)
    if op == "not":
        return not matches(node[1], data)
    value = _norm(data.get(node[1]))
    if op == "eq":
        return bool(value == _norm(node[2]))
    if op == "ne":
        return bool(value != _norm(node[2]))
    if op == "in":
        return value in [_norm(v) for v in node[2]]
    if not isinstance(value, str):
        return False
    if op == "startswith":
        return value.startswith(node[2].lower())
    return value.endswith(node[2].lower())


def parse_select(text: str | None, allowed: tuple[str, ...], type_name: str) -> list[str] | None:
    """``$select`` -> canonical property names (Graph matches them case-insensitively)."""
    if text is None:
        return None
    canonical = {p.lower(): p for p in allowed}
    out: list[str] = []
    for part in text.split(","):
        name = part.strip()
        if not name:
            continue
        if name == "*":
            return list(allowed)
        prop = canonical.get(name.lower())
        if prop is None:
            raise bad_request(f"Could not find a property named '{name}' on type 'microsoft.graph.{type_name}'.")
        if prop not in out:
            out.append(prop)
    return out or None


def parse_top(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        top = int(text)
    except ValueError:
        top = -1
    if not 1 <= top <= 999:
        raise bad_request(f"Invalid page size specified: '{text}'. Must be between 1 and 999 inclusive.",
                          code="Request_BadRequest")
    return top


def parse_orderby(text: str | None) -> tuple[str, bool] | None:
    if not text:
        return None
    parts = text.strip().split()
    prop = {"displayname": "displayName", "userprincipalname": "userPrincipalName"}.get(parts[0].lower())
    if prop is None or len(parts) > 2 or (len(parts) == 2 and parts[1].lower() not in ("asc", "desc")):
        raise bad_request(f"Sorting not supported for '{parts[0] if parts else text}'.",
                          code="Request_UnsupportedQuery")
    return prop, len(parts) == 2 and parts[1].lower() == "desc"
