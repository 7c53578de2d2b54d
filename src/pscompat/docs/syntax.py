"""SYNTAX lines: read the ones a doc writes, and write them the way PowerShell does.

Reading lets the importer compare SYNTAX with PARAMETERS (PARAMETERS wins, differences are
reported). Writing regenerates a set's syntax from its parameters, which is how the errata
replace a wrong SYNTAX block and how Get-Help text stays true to the corrected data.
Only ``re`` and the model's types are imported: the help path uses this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pscompat.model.types import display_type  # noqa: F401 - one owner, re-exported for the docs package

ALL_SETS = "__AllParameterSets"
SWITCH_NAMES = frozenset({"system.management.automation.switchparameter", "switchparameter", "switch"})

# One syntax element, tried in this order: [[-Name] <T>], [-Name] <T>, [-Name <T>], [-Name],
# -Name <T>, -Name, [<CommonParameters>]. A type is <...> or PowerShell's {A | B} enum form.
_TYPE = r"(?:<[^<>]*(?:<[^<>]*>[^<>]*)*>|\{[^{}]*\})"
_ELEMENT = re.compile(
    rf"\[\[-(?P<p_opt>[\w-]+)\]\s*(?P<t_popt>{_TYPE})\]"
    rf"|\[-(?P<p_man>[\w-]+)\]\s*(?P<t_pman>{_TYPE})"
    rf"|\[-(?P<n_opt>[\w-]+)(?:\s+(?P<t_nopt>{_TYPE}))?\]"
    rf"|-(?P<n_man>[\w-]+)(?:\s+(?P<t_nman>{_TYPE}))?"
    r"|(?P<common>\[?<CommonParameters>\]?)"
)


@dataclass(frozen=True)
class SyntaxElement:
    """A parameter as one SYNTAX line shows it."""

    name: str
    type: str | None      # None: a switch (no <Type>)
    mandatory: bool
    positional: bool


@dataclass(frozen=True)
class SyntaxLine:
    command: str
    elements: tuple[SyntaxElement, ...]
    common_parameters: bool

    def element(self, name: str) -> SyntaxElement | None:
        folded = name.casefold()
        return next((e for e in self.elements if e.name.casefold() == folded), None)


def parse_syntax(text: str) -> SyntaxLine:
    """Read one SYNTAX block (possibly wrapped over several lines)."""
    flat = " ".join(text.split())
    command, _, rest = flat.partition(" ")
    elements: list[SyntaxElement] = []
    common = False
    for match in _ELEMENT.finditer(rest):
        groups = match.groupdict()
        if groups["common"]:
            common = True
        elif groups["p_opt"]:
            elements.append(SyntaxElement(groups["p_opt"], _strip_type(groups["t_popt"]), False, True))
        elif groups["p_man"]:
            elements.append(SyntaxElement(groups["p_man"], _strip_type(groups["t_pman"]), True, True))
        elif groups["n_opt"]:
            elements.append(SyntaxElement(groups["n_opt"], _strip_type(groups["t_nopt"]), False, False))
        elif groups["n_man"]:
            elements.append(SyntaxElement(groups["n_man"], _strip_type(groups["t_nman"]), True, False))
    return SyntaxLine(command, tuple(elements), common)


def _strip_type(raw: str | None) -> str | None:
    if raw is None:
        return None
    inner = raw[1:-1].strip()
    return "SwitchParameter" if inner.casefold() in SWITCH_NAMES else inner


def is_switch(type_name: str | None) -> bool:
    return type_name is None or type_name.casefold() in SWITCH_NAMES


# PowerShell's type accelerators, as newer platyPS writes them in SYNTAX (``<int>``, ``<string[]>``).
_ACCELERATORS = {"int": "int32", "long": "int64", "bool": "boolean", "switch": "switchparameter",
                 "float": "single", "short": "int16", "byte": "byte", "pscredential": "pscredential"}


def same_type(a: str, b: str) -> bool:
    """Do two spellings name the same short type (case-insensitively, accelerators allowed)?"""
    def norm(name: str) -> str:
        short = display_type(name).casefold()
        core, brackets = short.rstrip("[]"), short[len(short.rstrip("[]")):]
        return _ACCELERATORS.get(core, core) + brackets
    return norm(a) == norm(b)


def _membership(param: Mapping[str, Any], set_name: str) -> Mapping[str, Any] | None:
    sets = param.get("sets") or {ALL_SETS: {}}
    found = sets.get(set_name)
    if found is None and set_name != ALL_SETS:
        found = sets.get(ALL_SETS)
    if found is None and set_name == ALL_SETS and sets:
        found = next(iter(sets.values()))
    return found if found is not None else None


def format_element(name: str, type_name: str, mandatory: bool, position: int | None) -> str:
    if is_switch(type_name):
        return f"-{name}" if mandatory else f"[-{name}]"
    shown = f"<{display_type(type_name)}>"
    if position is None:
        return f"-{name} {shown}" if mandatory else f"[-{name} {shown}]"
    return f"[-{name}] {shown}" if mandatory else f"[[-{name}] {shown}]"


def generate_set_syntax(cmdlet: str, parameters: Iterable[Mapping[str, Any]], set_name: str, *,
                        should_process: bool, common_parameters: bool) -> str:
    """One set's syntax in PowerShell's display order: positional parameters by position,
    then mandatory named ones, then optional ones (each in metadata order), then
    ``[-WhatIf] [-Confirm]`` and ``[<CommonParameters>]``."""
    positional: list[tuple[int, str]] = []
    mandatory: list[str] = []
    optional: list[str] = []
    for param in parameters:
        if param.get("hidden"):
            continue
        member = _membership(param, set_name)
        if member is None:
            continue
        is_mandatory = bool(member.get("mandatory"))
        position = member.get("position")
        text = format_element(param["name"], str(param.get("type") or "System.Object"), is_mandatory,
                              None if is_switch(param.get("type")) else position)
        if position is not None and not is_switch(param.get("type")):
            positional.append((int(position), text))
        elif is_mandatory:
            mandatory.append(text)
        else:
            optional.append(text)
    parts = [cmdlet, *(text for _, text in sorted(positional, key=lambda item: item[0])),
             *mandatory, *optional]
    if should_process:
        parts += ["[-WhatIf]", "[-Confirm]"]
    if common_parameters:
        parts.append("[<CommonParameters>]")
    return " ".join(parts)


def generate_syntax(doc: Mapping[str, Any]) -> dict[str, str]:
    """Every set's syntax for a paramsets mapping, keyed like ``doc['syntax']``."""
    sets = list(doc.get("parameter_sets") or []) or [ALL_SETS]
    return {
        name: generate_set_syntax(doc["cmdlet"], doc.get("parameters") or [], name,
                                  should_process=bool(doc.get("supports_should_process")),
                                  common_parameters=bool(doc.get("common_parameters")))
        for name in sets
    }
