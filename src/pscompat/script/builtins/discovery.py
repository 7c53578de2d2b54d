"""Get-Command: how a newcomer finds the cmdlets (about_Command_Precedence, Get-Command docs).

It lists the Mg and PnP cmdlets pscompat runs (their module, their kind: the Mg SDK's are
functions, PnP's and Microsoft.Graph.Authentication's compiled cmdlets), the runner's built-ins,
their aliases, and the script's own functions. As PowerShell's:

- ``-Name`` takes wildcards (``Get-Command *TemporaryAccessPass*``); a name without wildcards
  that matches nothing is the CommandNotFoundException error, a pattern that matches nothing
  writes nothing;
- ``-Verb``/``-Noun`` (wildcards) select Verb-Noun commands, never aliases;
- ``-Module``, ``-CommandType`` (Alias, Function, Cmdlet; ``All``), ``-ParameterName``,
  ``-TotalCount`` filter; ``-Syntax`` writes each command's syntax lines instead;
- output: aliases, then functions, then cmdlets, each by name, in the view
  ``CommandType Name Version Source``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pscompat.lang.dotnet import ps_string
from pscompat.script.binding import ParamSpec as P
from pscompat.script.builtins.modules import module_version
from pscompat.script.builtins.registry import REGISTRY, Builtin, Call, builtin
from pscompat.script.operators import like
from pscompat.values import PSObject, Version

_U = "Microsoft.PowerShell.Commands"
_TYPE_ORDER = {"Alias": 0, "Function": 1, "Cmdlet": 2}
_INFO_TYPES = {"Alias": "System.Management.Automation.AliasInfo",
               "Function": "System.Management.Automation.FunctionInfo",
               "Cmdlet": "System.Management.Automation.CmdletInfo"}
_CORE = {"foreach-object", "where-object", "get-command", "get-help", "invoke-command", "get-job", "wait-job",
         "receive-job", "remove-job", "stop-job", "start-job", "get-module", "import-module", "remove-module",
         "set-strictmode", "out-null", "out-host", "out-default", "new-module", "get-history"}
_MANAGEMENT = {"get-content", "set-content", "add-content", "test-path", "join-path", "split-path", "new-item",
               "remove-item", "get-location", "set-location", "get-childitem", "copy-item", "move-item",
               "resolve-path", "get-item", "clear-content", "rename-item", "start-sleep", "push-location",
               "pop-location", "convert-path", "get-process"}
_THREADJOB = {"start-threadjob"}


@dataclass
class _Command:
    kind: str           # Alias | Function | Cmdlet
    name: str
    source: str
    version: Version | None
    definition: str
    params: list[str]
    syntax: list[str]


def _builtin_module(name: str) -> str:
    low = name.lower()
    if low in _CORE:
        return "Microsoft.PowerShell.Core"
    if low in _MANAGEMENT:
        return "Microsoft.PowerShell.Management"
    if low in _THREADJOB:
        return "ThreadJob"
    return "Microsoft.PowerShell.Utility"


def _builtin_syntax(entry: Builtin) -> str:
    parts = []
    for p in entry.params:
        typ = "" if p.is_switch else f" <{p.type or 'Object'}>"
        body = f"-{p.name}{typ}"
        if p.position is not None and not p.is_switch:
            body = f"[-{p.name}]{typ}"
        parts.append(body if p.mandatory else f"[{body}]")
    return f"{entry.name} {' '.join(parts)} [<CommonParameters>]".replace("  ", " ")


def _commands(call: Call) -> Iterator[_Command]:
    seen: set[str] = set()
    scope: Any = call.ctx.scope
    while scope is not None:   # the script's functions (inner scopes hide outer ones)
        for key, fn in scope.functions.items():
            if key not in seen:
                seen.add(key)
                names = [ps_string(p.name) for p in getattr(getattr(fn, "param_block", None), "parameters", []) or []]
                yield _Command("Function", fn.name, "", None, "", names, [f"{fn.name} [<CommonParameters>]"])
        scope = scope.parent
    for key, entry in sorted(REGISTRY.items()):
        module = _builtin_module(entry.name)
        version: Version | None = Version(7, 4, 0, 0) if module.startswith("Microsoft.PowerShell") else Version(2, 0, 7)
        params = [p.name for p in entry.params]
        if key != entry.name.lower():
            if key not in seen:
                seen.add(key)
                yield _Command("Alias", key, module, None, entry.name, [], [])
            continue
        if key not in seen:
            seen.add(key)
            yield _Command("Cmdlet", entry.name, module, version, "", params, [_builtin_syntax(entry)])
    from pscompat.model import cmdlet_names, find_cmdlet
    for name in cmdlet_names(include_aliases=False):
        cmdlet = find_cmdlet(name)
        if cmdlet is None or name.lower() in seen:
            continue
        seen.add(name.lower())
        kind = "Cmdlet" if cmdlet.kind == "compiled" else "Function"
        params = [p.name for p in cmdlet.paramsets.parameters]
        syntax = list(cmdlet.paramsets.syntax.values()) or [f"{cmdlet.name} [<CommonParameters>]"]
        version = module_version(cmdlet.module) if cmdlet.module else None
        yield _Command(kind, cmdlet.name, cmdlet.module, version, "", params, syntax)
        for alias in cmdlet.aliases:
            if alias.lower() not in seen:
                seen.add(alias.lower())
                yield _Command("Alias", alias, cmdlet.module, version, cmdlet.name, [], [])


def _matches(value: str, patterns: list[str]) -> bool:
    return any(like(value, p) for p in patterns)


def _info(cmd: _Command) -> PSObject:
    name = f"{cmd.name} -> {cmd.definition}" if cmd.kind == "Alias" else cmd.name
    return PSObject([("CommandType", cmd.kind), ("Name", name), ("Version", cmd.version), ("Source", cmd.source),
                     ("ModuleName", cmd.source), ("Definition", cmd.definition or "\n".join(cmd.syntax)),
                     ("Parameters", list(cmd.params))],
                    type_names=(_INFO_TYPES[cmd.kind], "System.Management.Automation.CommandInfo"))


@builtin("Get-Command", f"{_U}.GetCommandCommand",
         [P("Name", "string[]", position=0), P("Verb", "string[]"), P("Noun", "string[]"), P("Module", "string[]"),
          P("CommandType", "string[]"), P("ParameterName", "string[]"), P("TotalCount", "int"), P("Syntax", "switch"),
          P("All", "switch"), P("ListImported", "switch"), P("ArgumentList", "object[]", position=1),
          P("FullyQualifiedModule", "object[]"), P("ShowCommandInfo", "switch"), P("UseFuzzyMatching", "switch"),
          P("UseAbbreviationExpansion", "switch"), P("ParameterType", "object[]")], aliases=("gcm",))
def get_command(call: Call) -> list[Any]:
    names = [ps_string(n) for n in call.items("Name")] if call.has("Name") else []
    verbs = [ps_string(v) for v in (call.get("Verb") or [])]
    nouns = [ps_string(n) for n in (call.get("Noun") or [])]
    modules = [ps_string(m) for m in (call.get("Module") or [])]
    types = {ps_string(t).capitalize() for t in (call.get("CommandType") or [])}
    if "All" in types:
        types = set()
    param_names = [ps_string(p) for p in (call.get("ParameterName") or [])]
    found: list[_Command] = []
    hits: dict[str, int] = {n: 0 for n in names}
    for cmd in _commands(call):
        if types and cmd.kind not in types:
            continue
        if (verbs or nouns) and (cmd.kind == "Alias" or "-" not in cmd.name):
            continue
        verb, _, noun = cmd.name.partition("-")
        if verbs and not _matches(verb, verbs) or nouns and not _matches(noun, nouns):
            continue
        if modules and not _matches(cmd.source, modules):
            continue
        if param_names and not any(_matches(p, param_names) for p in cmd.params):
            continue
        if names:
            matched = [n for n in names if like(cmd.name, n)]
            if not matched:
                continue
            for n in matched:
                hits[n] += 1
        found.append(cmd)
    for name in names:
        if hits[name] == 0 and not any(c in name for c in "*?["):
            call.write_error(call.error(
                f"The term '{name}' is not recognized as a name of a cmdlet, function, script file, or executable "
                "program.\nCheck the spelling of the name, or if a path was included, verify that the path is "
                "correct and try again.", "CommandNotFoundException", "ObjectNotFound", name,
                "System.Management.Automation.CommandNotFoundException"))
    found.sort(key=lambda c: (_TYPE_ORDER[c.kind], c.name.lower()))
    if call.has("TotalCount"):
        found = found[:max(0, int(call.get("TotalCount")))]
    if call.switch("Syntax"):
        out: list[Any] = []
        for cmd in found:
            if cmd.kind == "Alias":
                out.append(cmd.definition)
            else:
                out.append("\n" + "\n\n".join(cmd.syntax) + "\n")
        return out
    return [_info(c) for c in found]
