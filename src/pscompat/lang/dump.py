"""A stable, indented text form of the AST, for golden tests and ``pscompat run --ast``."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from pscompat.lang import ast as A

__all__ = ["dump"]


def dump(node: Any) -> str:
    lines: list[str] = []
    _dump(node, 0, "", lines)
    return "\n".join(lines) + "\n"


def _scalar(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value}d"
    if isinstance(value, float):
        return repr(value)
    return repr(value)


def _dump(node: Any, depth: int, label: str, out: list[str]) -> None:
    pad = "  " * depth + (f"{label}: " if label else "")
    if isinstance(node, A.Node):
        scalars: list[str] = []
        children: list[tuple[str, Any]] = []
        for f in dataclasses.fields(node):
            if f.name in ("start", "end", "source"):
                continue
            value = getattr(node, f.name)
            if isinstance(value, A.Node) or (isinstance(value, list) and any(
                    isinstance(v, (A.Node, tuple)) for v in value)):
                children.append((f.name, value))
            elif (value is None or value == "" or value == [] or value == () or value is False) and not (
                    isinstance(node, A.Constant) and f.name == "value"):
                continue
            else:
                scalars.append(f"{f.name}={_scalar(value)}")
        out.append(pad + type(node).__name__ + (" " + " ".join(scalars) if scalars else ""))
        for name, value in children:
            _dump(value, depth + 1, name, out)
    elif isinstance(node, list):
        out.append(pad + "[")
        for item in node:
            _dump(item, depth + 1, "", out)
        out.append("  " * depth + "]")
    elif isinstance(node, tuple):
        out.append(pad + "(")
        for item in node:
            _dump(item, depth + 1, "", out)
        out.append("  " * depth + ")")
    else:
        out.append(pad + _scalar(node))
