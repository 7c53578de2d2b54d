"""Comment-based help of scripts and functions (about_Comment_Based_Help), for ``Get-Help
./x.ps1``, ``Get-Help MyFunction``, ``./x.ps1 -?`` and ``MyFunction -?``.

Where PowerShell looks, in order:
- a script: a help comment at its start (after blank lines and ``#requires``), else at its end;
- a function: the comment just before ``function`` (no blank line between), else the first one
  inside the body, else the last one inside it.

A help comment is a ``<# ... #>`` block or a run of ``#`` lines containing at least one help
keyword (``.SYNOPSIS``, ``.DESCRIPTION``, ``.PARAMETER name``, ``.EXAMPLE``, ``.INPUTS``,
``.OUTPUTS``, ``.NOTES``, ``.LINK``...). Without one, Get-Help shows the syntax PowerShell
builds from the param block, as it does. The text is laid out by the cmdlet help renderer
(docs/help.py) from a paramsets model built here.
"""

from __future__ import annotations

import re
from typing import Any

from pscompat.lang import ast as A

__all__ = ["script_help", "function_help", "render_command_help", "help_for_script", "help_for_function",
           "asks_for_help"]

_KEYWORDS = ("synopsis", "description", "parameter", "example", "inputs", "outputs", "notes", "link",
             "component", "role", "functionality", "forwardhelptargetname", "forwardhelpcategory",
             "remotehelprunspace", "externalhelp")
_KEYWORD_LINE = re.compile(r"^\s*\.(\w+)[ \t]*(.*?)\s*$")
_BLOCK = re.compile(r"<#(.*?)#>", re.S)


def _dedent(lines: list[str]) -> str:
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    indents = [len(x) - len(x.lstrip()) for x in lines if x.strip()]
    cut = min(indents) if indents else 0
    return "\n".join(x[cut:] if x.strip() else "" for x in lines)


def parse_help(content: str) -> dict[str, Any] | None:
    """The sections of a help comment's text; None when it has no help keyword."""
    sections: list[tuple[str, str, list[str]]] = []
    for line in content.splitlines():
        m = _KEYWORD_LINE.match(line)
        if m and m.group(1).lower() in _KEYWORDS:
            sections.append((m.group(1).lower(), m.group(2), []))
        elif sections:
            sections[-1][2].append(line)
    if not sections:
        return None
    help_: dict[str, Any] = {"parameters": {}, "examples": [], "links": []}
    for key, arg, body in sections:
        text = _dedent(body)
        if key == "parameter":
            help_["parameters"][arg.lower()] = text
        elif key == "example":
            code, _, remarks = text.partition("\n\n")
            help_["examples"].append((code.strip("\n"), remarks.strip()))
        elif key == "link":
            help_["links"].append(text or arg)
        else:
            help_[key] = text or arg
    return help_


def _comment_runs(text: str) -> list[tuple[int, int, str]]:
    """Every comment in ``text``: (start, end, content), block comments and runs of # lines."""
    out = [(m.start(), m.end(), m.group(1)) for m in _BLOCK.finditer(text)]
    run: list[tuple[int, int, str]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith("#") and not stripped.startswith(("#>", "<#")) and \
                not stripped.lower().startswith("#requires") and not any(s <= offset < e for s, e, _ in out):
            run.append((offset, offset + len(line), stripped[1:]))
        elif run:
            out.append((run[0][0], run[-1][1], "\n".join(r[2] for r in run)))
            run = []
        offset += len(line)
    if run:
        out.append((run[0][0], run[-1][1], "\n".join(r[2] for r in run)))
    return sorted(out)


def script_help(text: str) -> dict[str, Any] | None:
    """The help comment at a script's start (before any code), else at its end."""
    comments = _comment_runs(text)
    if not comments:
        return None
    first_code = len(text)
    for line_start, line in _lines_with_offsets(text):
        s = line.strip()
        if s and not s.startswith("#") and not any(cs <= line_start < ce for cs, ce, _ in comments):
            first_code = line_start
            break
    for start, _end, content in comments:
        if start < first_code:
            found = parse_help(content)
            if found is not None:
                return found
    last = comments[-1]
    return parse_help(last[2]) if not text[last[1]:].strip() else None


def _lines_with_offsets(text: str) -> list[tuple[int, str]]:
    out, offset = [], 0
    for line in text.splitlines(keepends=True):
        out.append((offset, line))
        offset += len(line)
    return out


def function_help(node: A.FunctionDefinition) -> dict[str, Any] | None:
    source = node.body.source
    text = source.text if source is not None else ""
    if not text:
        return None
    comments = _comment_runs(text)
    before = [c for c in comments if c[1] <= node.start]
    if before:
        start, end, content = before[-1]
        gap = text[end:node.start]
        if not gap.strip() and gap.count("\n") <= 1:
            found = parse_help(content)
            if found is not None:
                return found
    inside = [c for c in comments if node.start < c[0] and c[1] <= node.end]
    for candidate in (inside[:1], inside[-1:]):
        for _s, _e, content in candidate:
            found = parse_help(content)
            if found is not None:
                return found
    return None


def _short_type(type_name: str | None) -> str:
    if not type_name:
        return "Object"
    from pscompat.lang.dotnet import TypeNotFound, full_type_name
    try:
        full = full_type_name(type_name)
    except TypeNotFound:
        full = type_name
    return full.rsplit(".", 1)[-1]


def _syntax(name: str, specs: list[Any], advanced: bool) -> str:
    parts = []
    for spec in specs:
        if spec.is_switch:
            parts.append(f"-{spec.name}" if spec.mandatory else f"[-{spec.name}]")
            continue
        typ = f"<{_short_type(spec.type)}>"
        flag = f"[-{spec.name}]" if spec.position is not None else f"-{spec.name}"
        parts.append(f"{flag} {typ}" if spec.mandatory else f"[{flag} {typ}]")
    if advanced:
        parts.append("[<CommonParameters>]")
    return " ".join([name, *parts])


def render_command_help(name: str, help_: dict[str, Any] | None, specs: list[Any], advanced: bool, *,
                        full: bool = False, examples: bool = False, detailed: bool = False,
                        parameter: str | None = None) -> str:
    """Get-Help's text for a script or function, through the cmdlet help renderer."""
    from pscompat.docs.help import render_help
    from pscompat.model.loader import parse_paramsets
    help_ = help_ or {"parameters": {}, "examples": [], "links": []}
    positional = [s for s in specs if not s.is_switch]
    if not any(s.position is not None for s in specs):   # positions follow the declaration order
        for i, spec in enumerate(positional):
            spec.position = i
    params = []
    for spec in specs:
        params.append({"name": spec.name, "type": "SwitchParameter" if spec.is_switch else _short_type(spec.type),
                       "description": help_["parameters"].get(spec.name.lower(), ""),
                       "sets": {"__AllParameterSets": {"mandatory": spec.mandatory, "position": spec.position,
                                                       "pipeline": [p for p, on in (("ByValue", spec.pipeline),
                                                                                    ("ByPropertyName",
                                                                                     spec.pipeline_by_name)) if on]}}})
    synopsis = help_.get("synopsis") or _syntax(name, specs, advanced)
    raw = {"cmdlet": name, "synopsis": synopsis, "description": help_.get("description", ""),
           "parameters": params, "common_parameters": advanced,
           "syntax": {"__AllParameterSets": _syntax(name, specs, advanced)},
           "inputs": [help_["inputs"]] if help_.get("inputs") else [],
           "outputs": [help_["outputs"]] if help_.get("outputs") else [],
           "examples": [{"title": f"EXAMPLE {i}", "code": code, "remarks": remarks}
                        for i, (code, remarks) in enumerate(help_["examples"], 1)],
           "related_links": help_["links"], "notes": help_.get("notes", "")}
    return render_help(parse_paramsets(raw, name), full=full, examples=examples, detailed=detailed,
                       parameter=parameter)


def asks_for_help(args: list[Any]) -> bool:
    """``-?`` among a command's arguments (PowerShell shows help instead of running it)."""
    return any(getattr(a, "name", None) == "?" for a in args)


def help_for_script(interp: Any, path: str, block: A.ScriptBlock, **options: Any) -> str:
    import os
    text = block.source.text if block.source is not None else ""
    specs, advanced = interp.param_specs(block.param_block)
    return render_command_help(os.path.abspath(path), script_help(text), specs, advanced, **options)


def help_for_function(interp: Any, fn: A.FunctionDefinition, **options: Any) -> str:
    specs, advanced = interp.param_specs(fn.body.param_block)
    return render_command_help(fn.name, function_help(fn), specs, advanced, **options)
