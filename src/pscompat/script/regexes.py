""".NET regular expressions in Python's ``re``: the pattern (named groups ``(?<name>...)``) and
the replacement syntax (``$1``, ``${name}``, ``$0``, ``$$``), for -match, -replace and -split."""

from __future__ import annotations

import re
from typing import Any

from pscompat.lang.dotnet import ps_string
from pscompat.script.operator_errors import OperatorError

__all__ = ["dotnet_regex", "dotnet_replacement"]


def dotnet_replacement(text: str) -> str:
    """.NET replacement syntax -> Python's ``re.sub`` syntax."""
    out: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "$" and i + 1 < len(text):
            n = text[i + 1]
            if n == "$":
                out.append("$")
                i += 2
                continue
            m = re.match(r"\{(\w+)\}|(\d+)", text[i + 1:])
            if m:
                out.append(f"\\g<{m.group(1) or m.group(2)}>")
                i += 1 + m.end()
                continue
        out.append("\\\\" if c == "\\" else c)
        i += 1
    return "".join(out)


def dotnet_regex(pattern: Any, case_sensitive: bool, flags: int = 0) -> re.Pattern[str]:
    """Compile a .NET pattern; an invalid one is PowerShell's InvalidRegularExpression error."""
    text = ps_string(pattern)
    text = re.sub(r"\(\?<([A-Za-z_]\w*)>", r"(?P<\1>", text)
    try:
        return re.compile(text, flags | (0 if case_sensitive else re.IGNORECASE))
    except re.error as exc:
        raise OperatorError(f'The regular expression pattern {ps_string(pattern)} is not valid.',
                            "InvalidRegularExpression", "InvalidOperation") from exc
