"""Get-Help text from the paramsets YAML (errata applied), in Get-Help's layout.

``<Cmdlet> -?`` prints this from the cmdlet's cold entry point, so the module imports only
the model (already needed to bind), the syntax helpers and the standard library: no click,
no markdown library.
"""

from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Iterable

from pscompat.errors import ErrorRecord
from pscompat.model import ALL_SETS, CmdletDef, ModelError, ParameterDef, ParamSetsDef

from .syntax import _ELEMENT, display_type, generate_set_syntax, is_switch

INDENT = "    "
_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
_GET_HELP_FQID = "Microsoft.PowerShell.Commands.GetHelpCommand"
COMMON_PARAMETERS_TEXT = (
    "This cmdlet supports the common parameters: Verbose, Debug, ErrorAction, ErrorVariable, "
    "WarningAction, WarningVariable, OutBuffer, PipelineVariable, and OutVariable. For more "
    "information, see about_CommonParameters (https://go.microsoft.com/fwlink/?LinkID=113216).")


def render_help(cmdlet: str | CmdletDef | ParamSetsDef, *, full: bool = False, examples: bool = False,
                parameter: str | None = None, detailed: bool = False, width: int | None = None) -> str:
    """Get-Help text for a cmdlet name or alias (any case), a CmdletDef or a ParamSetsDef.

    Default view: NAME, SYNOPSIS, SYNTAX, DESCRIPTION, RELATED LINKS, REMARKS. ``full`` adds
    PARAMETERS with their attribute block, INPUTS, OUTPUTS, NOTES and EXAMPLES; ``examples``
    shows NAME, SYNOPSIS and EXAMPLES; ``detailed`` shows parameters without their attribute
    block, then EXAMPLES and REMARKS; ``parameter`` (wildcards allowed) shows only those
    parameters. Unknown names raise Get-Help's ErrorRecords.
    """
    name, doc = resolve(cmdlet)
    w = width or _width()
    if parameter is not None:
        return _parameters_only(name, doc, parameter, w)
    out: list[str] = ["", "NAME", INDENT + name, "", "SYNOPSIS", *_para(doc.synopsis, w, 1)]
    if examples:
        out += ["", *_examples(doc, w)]
        out += ["", "", *_remarks(name, doc)]
        return "\n".join(out).rstrip() + "\n"
    out += ["", "", "SYNTAX", *_syntax(name, doc, w), "", "DESCRIPTION", *_para(doc.description, w, 1)]
    if full or detailed:
        out += ["", "", "PARAMETERS"]
        params = _visible(doc) + (_should_process_params() if doc.supports_should_process else [])
        for param in params:
            out += _parameter_block(param, doc, w, attributes=full) + [""]
        if doc.common_parameters:
            out += [INDENT + "<CommonParameters>", *_para(COMMON_PARAMETERS_TEXT, w, 2), ""]
    if detailed and not full:
        out += [*_examples(doc, w), *_remarks(name, doc)]
    elif full:
        out += ["INPUTS", *_type_list(doc.inputs), "", "OUTPUTS", *_type_list(doc.outputs), ""]
        out += ["NOTES", "", *_para(doc.notes, w, 2), "", *_examples(doc, w), ""]
        out += ["RELATED LINKS", *_links(doc)]
    else:
        out += ["", "", "RELATED LINKS", *_links(doc), "", *_remarks(name, doc)]
    return "\n".join(out).rstrip() + "\n"


def resolve(cmdlet: str | CmdletDef | ParamSetsDef) -> tuple[str, ParamSetsDef]:
    """(name shown in NAME, its paramsets). An alias shows the cmdlet's current name."""
    if isinstance(cmdlet, CmdletDef):
        return cmdlet.name, cmdlet.paramsets
    if isinstance(cmdlet, ParamSetsDef):
        return cmdlet.cmdlet, cmdlet
    from pscompat.model import data_root, find_cmdlet, load_paramsets

    try:
        found = find_cmdlet(cmdlet)
    except ModelError:
        found = None
    if found is not None:
        return found.name, found.paramsets
    folder = data_root() / "paramsets"
    folded = cmdlet.casefold()
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
        if path.stem.casefold() == folded:
            try:
                doc = load_paramsets(path.stem)
            except ModelError:
                break
            return doc.cmdlet, doc
    raise help_not_found(cmdlet)


def help_not_found(name: str) -> ErrorRecord:
    return ErrorRecord(
        message=(f"Get-Help could not find {name} in a help file in this session. "
                 "`pscompat cmdlets` lists the cmdlets pscompat knows."),
        error_id="HelpNotFound", category="ResourceUnavailable", command="Get-Help",
        fqid_suffix=_GET_HELP_FQID, target=name,
        exception_type="System.Management.Automation.HelpNotFoundException")


def _width() -> int:
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) >= 40:
        return int(columns)
    try:
        return max(40, os.get_terminal_size().columns)
    except OSError:
        return 120


def _plain(text: str) -> str:
    """The little markdown a doc carries, as Get-Help shows it: links as ``text (uri)``,
    no emphasis markers."""
    text = _LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})" if m.group(2) else m.group(1), text)
    return text.replace("**", "")


def _para(text: str, width: int, level: int) -> list[str]:
    """Each line of ``text`` indented ``level`` times and wrapped; blank lines kept."""
    prefix = INDENT * level
    out: list[str] = []
    for line in _plain(text).split("\n"):
        stripped = line.rstrip()
        if not stripped.strip():
            out.append("")
            continue
        lead = len(stripped) - len(stripped.lstrip())
        out += textwrap.wrap(stripped.strip(), width=max(20, width - 1), initial_indent=prefix + " " * lead,
                             subsequent_indent=prefix + " " * lead, break_long_words=False,
                             break_on_hyphens=False) or [prefix]
    return out


def _syntax_line(name: str, text: str) -> list[str]:
    flat = " ".join(text.split())
    _, _, rest = flat.partition(" ")
    return [name, *(m.group(0) for m in _ELEMENT.finditer(rest))]


def _syntax(name: str, doc: ParamSetsDef, width: int) -> list[str]:
    out: list[str] = []
    for set_name in doc.parameter_sets or (ALL_SETS,):
        text = doc.syntax.get(set_name) or generate_set_syntax(
            doc.cmdlet, _as_dicts(doc.parameters), set_name,
            should_process=doc.supports_should_process, common_parameters=doc.common_parameters)
        parts = _syntax_line(name, text)
        lines: list[str] = []
        current = INDENT + parts[0]
        for part in parts[1:]:
            if len(current) + 1 + len(part) > width - 1:
                lines.append(current)
                current = INDENT * 2 + part
            else:
                current += " " + part
        lines.append(current)
        out += lines + [""]
    return out


def _as_dicts(params: Iterable[ParameterDef]) -> list[dict[str, object]]:
    return [{"name": p.name, "type": p.type, "hidden": p.hidden,
             "sets": {s: {"mandatory": m.mandatory, "position": m.position} for s, m in p.sets.items()}}
            for p in params]


def _visible(doc: ParamSetsDef) -> list[ParameterDef]:
    return [p for p in doc.parameters if not p.hidden]


def _should_process_params() -> list[ParameterDef]:
    from pscompat.model import SetMembership

    switch = "System.Management.Automation.SwitchParameter"
    every = {ALL_SETS: SetMembership()}
    return [ParameterDef("WhatIf", switch, ("wi",), "Shows what would happen if the cmdlet runs. The cmdlet is not run.",
                         sets=every),
            ParameterDef("Confirm", switch, ("cf",), "Prompts you for confirmation before running the cmdlet.",
                         sets=every)]


def _per_set(param: ParameterDef, doc: ParamSetsDef, value: str) -> str:
    """One attribute across the parameter's sets: one value, or ``v (Set), w (Set)``."""
    seen: dict[str, list[str]] = {}
    for set_name, member in param.sets.items():
        if value == "required":
            text = "true" if member.mandatory else "false"
        elif value == "position":
            text = "named" if member.position is None else str(member.position)
        else:
            kinds = [k for k, on in (("ByValue", member.value_from_pipeline),
                                     ("ByPropertyName", member.value_from_pipeline_by_property_name)) if on]
            text = f"True ({', '.join(kinds)})" if kinds else "False"
        seen.setdefault(text, []).append(set_name)
    if len(seen) <= 1:
        return next(iter(seen), "false")
    return ", ".join(f"{text} ({', '.join(s for s in sets if s != ALL_SETS) or 'All'})"
                     for text, sets in seen.items())


def _parameter_block(param: ParameterDef, doc: ParamSetsDef, width: int, *, attributes: bool = True) -> list[str]:
    shown = f"[<{display_type(param.type)}>]" if is_switch(param.type) else f"<{display_type(param.type)}>"
    out = [f"{INDENT}-{param.name} {shown}", *_para(param.description, width, 2)]
    if not attributes:
        return out
    out.append("")
    rows = [("Required?", _per_set(param, doc, "required")),
            ("Position?", _per_set(param, doc, "position")),
            ("Default value", param.default_value or "None"),
            ("Accept pipeline input?", _per_set(param, doc, "pipeline")),
            ("Aliases", ", ".join(param.aliases) or "None"),
            ("Accept wildcard characters?", "true" if param.wildcard else "false")]
    out += [f"{INDENT * 2}{label:<29}{value}".rstrip() for label, value in rows]
    return out


def _parameters_only(name: str, doc: ParamSetsDef, pattern: str, width: int) -> str:
    from fnmatch import fnmatchcase

    folded = pattern.casefold()
    candidates = _visible(doc) + (_should_process_params() if doc.supports_should_process else [])
    chosen = [p for p in candidates if fnmatchcase(p.name.casefold(), folded)]
    if not chosen:
        raise ErrorRecord(message=f"No parameter matches criteria {pattern}.", error_id="NoParmsFound",
                          category="ObjectNotFound", command="Get-Help", fqid_suffix=_GET_HELP_FQID,
                          target=pattern, exception_type="System.ArgumentException")
    out: list[str] = [""]
    for param in chosen:
        out += _parameter_block(param, doc, width) + [""]
    return "\n".join(out).rstrip() + "\n"


def _type_list(types: Iterable[str]) -> list[str]:
    out: list[str] = []
    for type_name in types:
        out += [INDENT + type_name, ""]
    return out or [""]


def _example_title(title: str) -> str:
    core = title.strip(" -")
    side = max(3, (61 - len(core)) // 2)
    return f"{'-' * side} {core} {'-' * side}"


def _examples(doc: ParamSetsDef, width: int) -> list[str]:
    out: list[str] = []
    for example in doc.examples:
        out += [INDENT + _example_title(example.title), ""]
        out += [INDENT + line if line.strip() else "" for line in example.code.split("\n")]
        out += [""]
        if example.remarks:
            out += _para(example.remarks, width, 1) + [""]
        out += [""]
    return out


def _links(doc: ParamSetsDef) -> list[str]:
    out: list[str] = []
    for link in doc.related_links:
        match = _LINK.fullmatch(str(link).strip())
        if match:
            out.append(INDENT + " ".join(part for part in match.groups() if part))
        else:
            out.append(INDENT + str(link))
    return out


def _remarks(name: str, doc: ParamSetsDef) -> list[str]:
    lines = ["REMARKS"]
    if doc.examples:
        lines.append(f'{INDENT}To see the examples, type: "pscompat help {name} -Examples".')
    else:
        lines.append(f'{INDENT}No examples are documented for {name}.')
    lines.append(f'{INDENT}For technical information, type: "pscompat help {name} -Full".')
    lines.append(f'{INDENT}For one parameter, type: "pscompat help {name} -Parameter <Name>".')
    return lines
