"""Text views of a parity verdict: a side-by-side table of A and B, and a one-line summary.

Plain columns (no colours) so the output reads the same in CI logs, in pytest assertion
messages and on a terminal. The caller gives the total width (the plugin: the terminal's, or
``--pscompat-width``); a value wider than its column is cut in the table, and when it belongs to
a difference the full A and B values follow on their own lines: a differing value is never cut.
"""

from __future__ import annotations

import json
from typing import Any

from .compare import Verdict
from .trace import Trace

WIDTH = 38          # a value column when no total width is given
MIN_WIDTH = 16      # a value column never gets narrower than this
_VERDICT = len("known: isusableonce-always-sent")


def _text(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return " ".join(text.split())


def _show(value: Any, width: int = WIDTH) -> str:
    text = _text(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def _row(path: str, a: Any, b: Any, verdict: str, path_width: int, width: int = WIDTH) -> str:
    return f"{path:<{path_width}}  {_show(a, width):<{width}}  {_show(b, width):<{width}}  {verdict}".rstrip()


def _full(a: Any, b: Any, verdict: str, width: int, indent: str) -> list[str]:
    """The whole A and B values under a difference row whose values did not fit."""
    if verdict == "=" or (len(_text(a)) <= width and len(_text(b)) <= width):
        return []
    return [f"{indent}    A: {_text(a)}", f"{indent}    B: {_text(b)}"]


def render_side_by_side(verdict: Verdict, a: Trace, b: Trace, *, label_a: str = "A", label_b: str = "B",
                        show_equal: bool = False, total_width: int | None = None) -> str:
    """Every difference (and with ``show_equal`` every compared field), A left, B right.

    ``total_width``: the line width to fill (e.g. the terminal's); None keeps 38-character columns."""
    rows: list[tuple[str, Any, Any, str]] = []
    differing = {d.path: d for d in verdict.differences}
    if show_equal:
        for group in sorted(set(a) & set(b)):
            for name in sorted(set(a[group]) & set(b[group])):
                path = f"{group}.{name}"
                if path not in differing:
                    rows.append((path, a[group][name], b[group][name], "="))
    for d in verdict.differences:
        rows.append((d.path, d.a, d.b, f"known: {d.known}" if d.known else "UNEXPECTED"))
    rows += [(f"(expected difference {rid})", "-", "-", "MISSING") for rid in verdict.missing_always]
    # One line per group (a request, an output object...), its fields indented below it.
    split = [_split(r[0]) for r in rows]
    width = max([len("  ." + field) if field else len(group) for group, field in split] + [4])
    column = WIDTH if total_width is None else max(MIN_WIDTH, (total_width - width - _VERDICT - 6) // 2)
    head = _row("path", label_a, label_b, "verdict", width, column)
    lines = [head, "-" * len(head)]
    current = None
    for (group, field), (_, a_value, b_value, verdict_text) in zip(split, rows, strict=True):
        if not field:
            lines.append(_row(group, a_value, b_value, verdict_text, width, column))
            lines += _full(a_value, b_value, verdict_text, column, "")
            current = None
            continue
        if group != current:
            lines.append(group)
            current = group
        lines.append(_row("  ." + field, a_value, b_value, verdict_text, width, column))
        lines += _full(a_value, b_value, verdict_text, column, "  ")
    if not rows:
        lines.append("(no differences)")
    return "\n".join(lines) + "\n"


def _split(path: str) -> tuple[str, str]:
    """``requests[POST /x.y#1].body.a`` -> (``requests[POST /x.y#1]``, ``body.a``)."""
    close = path.rfind("]")
    if close == -1 or close + 1 >= len(path) or path[close + 1] != ".":
        return path, ""
    return path[:close + 1], path[close + 2:]


def summary(verdict: Verdict) -> str:
    n = len(verdict.differences)
    unexpected = len(verdict.unexpected)
    parts = [f"{n} difference(s)"]
    if verdict.exact:
        parts.append("--exact: none allowed")
    else:
        if verdict.known_ids:
            parts.append("known: " + ", ".join(verdict.known_ids))
        if unexpected:
            parts.append(f"{unexpected} unexpected")
        if verdict.missing_always:
            parts.append("expected but not seen: " + ", ".join(verdict.missing_always))
    return ("parity OK: " if verdict.ok else "parity FAILED: ") + "; ".join(parts)
