"""platyPS markdown -> a paramsets mapping (the schema of docs/architecture.md).

The importer is faithful to the doc: it records what the doc says, even where the doc is wrong.
Corrections are the job of the ``errata`` patches (``pscompat.docs.errata``). Where the doc
contradicts itself, PARAMETERS wins over SYNTAX and the difference goes into
``import_warnings`` (and to stderr from ``pscompat docs import``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .markdown import Document, Section, code_blocks, paragraph_text, parse_document
from .syntax import ALL_SETS, is_switch, parse_syntax, same_type

SHOULD_PROCESS = ("WhatIf", "Confirm")
# Engine-provided parameters that newer platyPS versions list under PARAMETERS.
LISTED_COMMON = ("ProgressAction",)
_DEFAULT_SUFFIX = re.compile(r"\s*\(Default\)\s*$", re.IGNORECASE)
_EXAMPLE_TITLE = re.compile(r"^[-\s]*(.*?)[-\s]*$")
# NOTES' complex parameters in both schemas: platyPS 0.14 writes `KEY <Type>`: and
# "- `[Name <Type>]`:" bullets; the 2024-05-01 docs drop the backticks and the bullets.
_COMPLEX_HEAD = re.compile(r"^(?P<tick>`?)(?P<key>[A-Z][A-Z0-9_]*) <(?P<type>[^>]+)>(?P=tick):\s*(?P<desc>.*)$")
_COMPLEX_PROP = re.compile(
    r"^(?P<indent>\s*)(?:- `(?P<open>\[?)(?P<name>[^\s<\]]+) <(?P<type>[^>]*)>\]?`"
    r"|(?P<open2>\[?)(?P<name2>[^\s<\]\[]+) <(?P<type2>[^>]*)>\]?):\s*(?P<desc>.*)$")
_LINK = re.compile(r"^\s*\[(?P<text>[^\]]*)\]\((?P<uri>[^)]*)\)\s*$")
_COMMON_NAMES = re.compile(r"-(\w+)")


class DocImportError(Exception):
    """The file is not a platyPS cmdlet doc the importer can read (user input, not a bug)."""


def import_doc(path: str | Path) -> dict[str, Any]:
    """Read one platyPS file and return its paramsets mapping (without errata)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise DocImportError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DocImportError(f"{path}: cannot read ({exc})") from exc
    return import_text(text, source=path.name)


def import_text(text: str, source: str = "<text>") -> dict[str, Any]:
    """The importer proper, on markdown text (``source`` is recorded as the doc's file name)."""
    doc = parse_document(text)
    return _Importer(doc, source).run()


class _Importer:
    def __init__(self, doc: Document, source: str) -> None:
        self.doc = doc
        self.source = source
        self.warnings: list[str] = []

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def section(self, name: str) -> Section | None:
        return self.doc.sections.get(name)

    def text_of(self, name: str) -> str:
        section = self.section(name)
        return paragraph_text(section.all_lines) if section else ""

    # -- the whole file ------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        cmdlet = self.doc.title or self.doc.front_matter.get("title", "")
        if not cmdlet or "PARAMETERS" not in self.doc.sections and "SYNTAX" not in self.doc.sections:
            raise DocImportError(f"{self.source}: not a platyPS cmdlet doc (no '# <Cmdlet>' title "
                                 "with SYNTAX or PARAMETERS sections)")
        syntax_sets, default_set, syntax_text = self.read_syntax(cmdlet)
        params, should_process, listed_common = self.read_parameters()
        set_names = self.merge_set_names(syntax_sets, params)
        self.apply_syntax_fallbacks(params, syntax_text, set_names)
        self.compare(params, syntax_text, set_names)
        common_section = self.read_common_parameters()
        common = common_section is not None or any(
            parse_syntax(t).common_parameters for t in syntax_text.values())
        common_names = list(common_section or [])
        for name in listed_common:
            if name not in common_names:
                common_names.append(name)
        should_process = should_process or any(
            parse_syntax(t).element(n) is not None for t in syntax_text.values() for n in SHOULD_PROCESS)
        notes = self.text_of("NOTES")
        result: dict[str, Any] = {
            "cmdlet": cmdlet,
            "module": self.doc.front_matter.get("Module Name", ""),
            "source": self.source,
            "synopsis": self.text_of("SYNOPSIS"),
            "description": self.text_of("DESCRIPTION"),
            "default_parameter_set": default_set,
            "parameter_sets": set_names,
            "common_parameters": common,
            "common_parameter_names": common_names,
            "supports_should_process": should_process,
            "parameters": params,
            "syntax": syntax_text,
            "inputs": self.type_list("INPUTS"),
            "outputs": self.type_list("OUTPUTS"),
            "complex_parameters": parse_complex_parameters(notes),
            "examples": self.read_examples(),
            "notes": notes,
            "related_links": self.read_links(),
            "import_warnings": self.warnings,
        }
        return result

    # -- SYNTAX --------------------------------------------------------------------------------

    def read_syntax(self, cmdlet: str) -> tuple[list[str], str | None, dict[str, str]]:
        """Set names in SYNTAX order, the ``(Default)`` one, and each set's verbatim block."""
        section = self.section("SYNTAX")
        if section is None:
            self.warn("no SYNTAX section")
            return [], None, {}
        names: list[str] = []
        default: str | None = None
        text: dict[str, str] = {}
        blocks, _ = code_blocks(section.intro)
        if blocks and not section.subsections:
            text[ALL_SETS] = blocks[0][1].strip()
        for sub in section.subsections:
            name = _DEFAULT_SUFFIX.sub("", sub.title).strip()
            if name != sub.title.strip():
                default = name
            sub_blocks, _ = code_blocks(sub.lines)
            if not sub_blocks:
                self.warn(f"SYNTAX set {name!r} has no code block")
                continue
            if name != ALL_SETS:
                names.append(name)
            text[name] = sub_blocks[0][1].strip()
        for set_name, block in text.items():
            command = parse_syntax(block).command
            if command.casefold() != cmdlet.casefold():
                self.warn(f"SYNTAX ({set_name}) is for {command!r}, not {cmdlet!r}")
        return names, default, text

    # -- PARAMETERS ----------------------------------------------------------------------------

    def read_parameters(self) -> tuple[list[dict[str, Any]], bool, list[str]]:
        section = self.section("PARAMETERS")
        params: list[dict[str, Any]] = []
        should_process = False
        listed_common: list[str] = []
        if section is None:
            self.warn("no PARAMETERS section")
            return params, False, []
        for sub in section.subsections:
            title = sub.title.strip()
            if title.casefold() == "commonparameters":
                continue
            if not title.startswith("-"):
                self.warn(f"PARAMETERS entry {title!r} is not a '### -Name' heading; skipped")
                continue
            name = title[1:].strip()
            if name in SHOULD_PROCESS:
                should_process = True
                continue
            if name in LISTED_COMMON:
                listed_common.append(name)
                continue
            param = self.read_parameter(name, sub.lines)
            if any(p["name"].casefold() == name.casefold() for p in params):
                self.warn(f"PARAMETERS lists -{name} twice; the first entry is kept")
                continue
            params.append(param)
        return params, should_process, listed_common

    def read_parameter(self, name: str, lines: list[str]) -> dict[str, Any]:
        blocks, outside = code_blocks(lines)
        yaml_blocks = [body for info, body in blocks if info.casefold() in ("yaml", "yml", "")]
        if not yaml_blocks:
            self.warn(f"-{name} has no yaml metadata block; assumed an optional System.Object in all sets")
            yaml_blocks = [""]
        param: dict[str, Any] = {
            "name": name, "type": None, "aliases": [], "description": paragraph_text(outside),
            "wildcard": False, "default_value": None, "sets": {},
        }
        # platyPS writes one block per group of sets whose metadata differ; later blocks add sets.
        for body in yaml_blocks:
            if re.search(r"^ParameterSets:", body, re.MULTILINE):
                self.read_v2_block(name, body, param)
                continue
            meta = _metadata(body)
            type_name = meta.get("type") or "System.Object"
            if param["type"] is None:
                param["type"] = type_name
            elif not same_type(param["type"], type_name):
                self.warn(f"-{name}: metadata blocks disagree on the type ({param['type']} vs {type_name})")
            aliases = _split_list(meta.get("aliases", ""))
            for alias in aliases:
                if alias not in param["aliases"]:
                    param["aliases"].append(alias)
            param["wildcard"] = param["wildcard"] or _bool(meta.get("accept wildcard characters", "False"))
            default = meta.get("default value", "None")
            if default and default.casefold() != "none" and param["default_value"] is None:
                param["default_value"] = default
            membership = {
                "mandatory": self.required(name, meta),
                "position": _position(meta.get("position", "Named")),
                "pipeline": self.pipeline(name, meta.get("accept pipeline input", "False")),
            }
            set_field = meta.get("parameter sets", "(All)")
            sets = _split_list(set_field) or ["(All)"]
            for set_name in sets:
                key = ALL_SETS if set_name.casefold() in ("(all)", ALL_SETS.casefold()) else set_name
                param["sets"][key] = dict(membership)
        return param

    def read_v2_block(self, name: str, body: str, param: dict[str, Any]) -> None:
        """Microsoft.PowerShell.PlatyPS 1.x writes real YAML: ``ParameterSets`` is a list of
        ``{Name, Position, IsRequired, ValueFromPipeline, ValueFromPipelineByPropertyName}``."""
        import yaml

        try:
            meta = yaml.safe_load(body)
        except yaml.YAMLError as exc:
            self.warn(f"-{name}: metadata block is not valid YAML ({str(exc).splitlines()[0]}); skipped")
            return
        if not isinstance(meta, dict):
            self.warn(f"-{name}: metadata block is not a mapping; skipped")
            return
        type_name = str(meta.get("Type") or "System.Object")
        if param["type"] is None:
            param["type"] = type_name
        elif not same_type(param["type"], type_name):
            self.warn(f"-{name}: metadata blocks disagree on the type ({param['type']} vs {type_name})")
        aliases = meta.get("Aliases") or []
        for alias in _split_list(aliases) if isinstance(aliases, str) else [str(a) for a in aliases]:
            if alias not in param["aliases"]:
                param["aliases"].append(alias)
        param["wildcard"] = param["wildcard"] or meta.get("SupportsWildcards") is True
        default = meta.get("DefaultValue")
        if default not in (None, "", "None") and param["default_value"] is None:
            param["default_value"] = str(default)
        if meta.get("DontShow") is True:
            param["hidden"] = True
        accepted = meta.get("AcceptedValues") or []
        if isinstance(accepted, list) and accepted:
            param["accepted_values"] = [str(v) for v in accepted]
        sets = meta.get("ParameterSets") or [{"Name": "(All)"}]
        for entry in sets if isinstance(sets, list) else []:
            if not isinstance(entry, dict):
                continue
            set_name = str(entry.get("Name") or "(All)")
            key = ALL_SETS if set_name.casefold() in ("(all)", ALL_SETS.casefold()) else set_name
            param["sets"][key] = {
                "mandatory": entry.get("IsRequired") is True,
                "position": _position(str(entry.get("Position", "Named"))),
                "pipeline": [kind for kind, flag in (("ByValue", "ValueFromPipeline"),
                                                     ("ByPropertyName", "ValueFromPipelineByPropertyName"))
                             if entry.get(flag) is True],
            }

    def required(self, name: str, meta: dict[str, str]) -> bool | None:
        raw = meta.get("required")
        if raw is None or raw.strip() == "":
            return None  # resolved from SYNTAX later (the only case where SYNTAX informs)
        value = raw.strip().casefold()
        if value not in ("true", "false"):
            self.warn(f"-{name}: Required value {raw!r} is not True/False; taken as False")
        return value == "true"

    def pipeline(self, name: str, raw: str) -> list[str]:
        value = raw.strip()
        folded = value.casefold()
        if not folded or folded.startswith("false"):
            return []
        kinds: list[str] = []
        if "byvalue" in folded:
            kinds.append("ByValue")
        if "bypropertyname" in folded:
            kinds.append("ByPropertyName")
        if not kinds:
            self.warn(f"-{name}: 'Accept pipeline input: {value}' names no kind; assumed ByValue")
            kinds.append("ByValue")
        return kinds

    # -- reconciling SYNTAX and PARAMETERS -----------------------------------------------------

    def merge_set_names(self, syntax_sets: list[str], params: list[dict[str, Any]]) -> list[str]:
        names = list(syntax_sets)
        for param in params:
            for set_name in param["sets"]:
                if set_name != ALL_SETS and set_name not in names:
                    if syntax_sets:
                        self.warn(f"-{param['name']} names parameter set {set_name!r}, which SYNTAX "
                                  "does not show; the set is added")
                    names.append(set_name)
        return names

    def apply_syntax_fallbacks(self, params: list[dict[str, Any]], syntax: dict[str, str],
                               set_names: list[str]) -> None:
        """A missing Required value is the one thing SYNTAX may fill in, per set."""
        parsed = {name: parse_syntax(text) for name, text in syntax.items()}
        for param in params:
            filled: list[str] = []
            for set_name, member in param["sets"].items():
                if member["mandatory"] is not None:
                    continue
                targets = set_names if set_name == ALL_SETS else [set_name]
                shown = [parsed[t].element(param["name"]) for t in targets or [ALL_SETS] if t in parsed]
                member["mandatory"] = any(e is not None and e.mandatory for e in shown)
                label = "all sets" if set_name == ALL_SETS else set_name
                filled.append(f"{label}: {'mandatory' if member['mandatory'] else 'optional'}")
            if filled:
                self.warn(f"-{param['name']}: no Required value in PARAMETERS; taken from SYNTAX "
                          f"({', '.join(filled)})")

    def compare(self, params: list[dict[str, Any]], syntax: dict[str, str], set_names: list[str]) -> None:
        by_name = {p["name"].casefold(): p for p in params}
        for set_name, text in syntax.items():
            line = parse_syntax(text)
            label = "SYNTAX" if set_name == ALL_SETS else f"SYNTAX ({set_name})"
            for element in line.elements:
                if element.name in SHOULD_PROCESS or element.name in LISTED_COMMON:
                    continue
                param = by_name.get(element.name.casefold())
                if param is None:
                    self.warn(f"{label} shows -{element.name}, which PARAMETERS does not define; "
                              "PARAMETERS wins")
                    continue
                member = _member_of(param, set_name)
                if member is None:
                    self.warn(f"{label} shows -{element.name}, but PARAMETERS does not put it in that "
                              "set; PARAMETERS wins")
                    continue
                if element.mandatory != member["mandatory"]:
                    self.warn(f"{label} shows -{element.name} as "
                              f"{'mandatory' if element.mandatory else 'optional'}, PARAMETERS says "
                              f"Required: {member['mandatory']}; PARAMETERS wins")
                if element.positional != (member["position"] is not None):
                    self.warn(f"{label} shows -{element.name} as "
                              f"{'positional' if element.positional else 'named'}, PARAMETERS says "
                              f"Position: {member['position'] if member['position'] is not None else 'Named'}"
                              "; PARAMETERS wins")
                if (element.type is not None and not is_switch(element.type)
                        and not same_type(element.type, param["type"])):
                    self.warn(f"{label} shows -{element.name} <{element.type}>, PARAMETERS says "
                              f"{param['type']}; PARAMETERS wins")
                if is_switch(element.type) != is_switch(param["type"]):
                    self.warn(f"{label} shows -{element.name} as "
                              f"{'a switch' if is_switch(element.type) else 'taking a value'}, "
                              f"PARAMETERS says {param['type']}; PARAMETERS wins")
            targets = set_names if set_name == ALL_SETS else [set_name]
            for param in params:
                if param.get("hidden"):
                    continue  # DontShow parameters are left out of SYNTAX on purpose
                if line.element(param["name"]) is None and any(_member_of(param, t) for t in targets or [ALL_SETS]):
                    self.warn(f"{label} does not show -{param['name']}, which PARAMETERS defines "
                              "there; PARAMETERS wins")

    # -- the other sections --------------------------------------------------------------------

    def read_common_parameters(self) -> list[str] | None:
        section = self.section("PARAMETERS")
        if section is None:
            return None
        for sub in section.subsections:
            if sub.title.strip().casefold() == "commonparameters":
                text = " ".join(sub.lines)
                text = text.split("For more information")[0]
                return _COMMON_NAMES.findall(text)
        return None

    def type_list(self, name: str) -> list[str]:
        section = self.section(name)
        if section is None:
            return []
        types = [sub.title.strip() for sub in section.subsections if sub.title.strip()]
        if not types:  # some docs write the type as a plain line
            types = [line.strip() for line in section.intro if line.strip()]
        return types

    def read_examples(self) -> list[dict[str, str]]:
        section = self.section("EXAMPLES")
        if section is None:
            return []
        examples = []
        for sub in section.subsections:
            match = _EXAMPLE_TITLE.match(sub.title)
            title = match.group(1) if match else sub.title.strip()
            blocks, outside = code_blocks(sub.lines)
            examples.append({
                "title": title,
                "code": "\n".join(body.strip("\n") for _, body in blocks),
                "remarks": paragraph_text(outside),
            })
        return examples

    def read_links(self) -> list[str]:
        """Link lines as written; the front matter's online version first, as platyPS's MAML does."""
        online = self.doc.front_matter.get("online version") or self.doc.front_matter.get("HelpUri", "")
        links = [f"Online Version: {online}"] if online else []
        section = self.section("RELATED LINKS")
        if section is not None:
            links += [re.sub(r"^[-*]\s+", "", line.strip()) for line in section.all_lines if line.strip()]
        return links


def _member_of(param: dict[str, Any], set_name: str) -> dict[str, Any] | None:
    sets: dict[str, Any] = param["sets"]
    if set_name in sets:
        return sets[set_name]  # type: ignore[no-any-return]
    return sets.get(ALL_SETS)


def _metadata(body: str) -> dict[str, str]:
    """platyPS's parameter block is ``Key: value`` lines; read them without a YAML parser so
    values such as ``True (ByValue)`` or an empty ``Aliases:`` stay text."""
    meta: dict[str, str] = {}
    for line in body.split("\n"):
        key, sep, value = line.partition(":")
        if sep and key.strip():
            meta[key.strip().casefold()] = value.strip()
    return meta


def _split_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _bool(value: str) -> bool:
    return value.strip().casefold() == "true"


def _position(value: str) -> int | None:
    value = value.strip()
    if value.isdigit():
        return int(value)
    return None


def parse_complex_parameters(notes: str) -> dict[str, Any]:
    """NOTES' COMPLEX PARAMETER PROPERTIES: ``KEY <Type>``: description, then ``- [Name <Type>]``
    lines (brackets = optional); deeper indentation nests properties under the previous one."""
    result: dict[str, Any] = {}
    current: dict[str, Any] | None = None
    stack: list[tuple[int, dict[str, Any]]] = []
    for line in notes.split("\n"):
        head = _COMPLEX_HEAD.match(line.strip()) if not line.startswith(" ") else None
        if head:
            current = {"type": head["type"].strip(), "description": head["desc"].strip(), "properties": []}
            result[head["key"]] = current
            stack = []
            continue
        prop = _COMPLEX_PROP.match(line)
        if prop and current is not None:
            indent = len(prop["indent"].expandtabs(2))
            old = prop["name"] is not None
            if not old and not prop["indent"]:
                continue    # 2024 schema: a property line is always indented
            entry = {"name": prop["name"] if old else prop["name2"],
                     "type": (prop["type"] if old else prop["type2"]).strip(),
                     "required": not (prop["open"] if old else prop["open2"]),
                     "description": prop["desc"].strip()}
            while stack and stack[-1][0] >= indent:
                stack.pop()
            parent = stack[-1][1].setdefault("properties", []) if stack else current["properties"]
            parent.append(entry)
            stack.append((indent, entry))
    return result
