"""PnP -> Mg translation of .ps1 scripts, as byte-preserving text edits.

Why edits and not re-printing an AST: a migrator's script keeps its comments, formatting, line
endings and every line we do not understand; only the spans of the PnP calls we rewrite
change. The parser (``pscompat.lang.parser``) gives exact offsets; every rewrite rule comes
from ``cmdlets/_families.yaml`` (parameter renames, switches, value maps, what to add when a
parameter is absent), so adding a family is YAML, not code. What cannot be made identical is
reported as a note, with the known difference's id from the YAML.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pscompat.binder.metadata import COMMON_PARAMETERS
from pscompat.lang import ast as A
from pscompat.model import ModelError, ParamSetsDef, find_cmdlet, load_paramsets

from .families import GUID, Family, ParamMap, load_families


class TranslateError(Exception):
    """The script cannot be translated at all (it does not parse)."""


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Note:
    """One report line: ``kind`` is translated | added | removed | difference | manual."""

    offset: int
    kind: str
    text: str
    difference: str = ""


@dataclass
class Translation:
    original: str
    translated: str
    notes: list[Note] = field(default_factory=list)
    calls: int = 0

    @property
    def changed(self) -> bool:
        return self.original != self.translated


@dataclass(frozen=True)
class _Param:
    """A parameter of the PnP cmdlet as the translator needs it."""

    name: str
    names: tuple[str, ...]          # matched exactly (name, aliases, the doc's spellings)
    switch: bool
    mapping: ParamMap | None
    prefixable: tuple[str, ...] = ()  # matched by prefix too (name and real aliases, as the binder does)


# ---------------------------------------------------------------- AST helpers


def walk(node: Any) -> Iterator[Any]:
    """Every AST node below ``node`` (depth first, source order)."""
    if isinstance(node, list | tuple):
        for item in node:
            yield from walk(item)
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        yield node
        for f in dataclasses.fields(node):
            if f.name != "source":
                yield from walk(getattr(node, f.name))


def _token_end(text: str, node: Any) -> int:
    """Where ``node``'s own text ends (the parser's ``end`` may include trailing blanks)."""
    if isinstance(node, A.CommandParameter):
        if node.colon and node.argument is not None:
            return _token_end(text, node.argument)
        return node.start + len(node.text)
    end = node.end
    while end > node.start and text[end - 1] in " \t\r\n":
        end -= 1
    return end


def _name_end(node: A.CommandParameter) -> int:
    return node.start + len(node.text.rstrip(":"))


def _is_true(node: Any) -> bool:
    return isinstance(node, A.Variable) and node.name.casefold() == "true" and not node.scope


def _paramsets_for(names: Sequence[str]) -> ParamSetsDef | None:
    """The cmdlet's paramsets (via cmdlets/ when defined there, else paramsets/<name>.yaml)."""
    for name in names:
        cmdlet = find_cmdlet(name)
        if cmdlet is not None:
            return cmdlet.paramsets
    for name in names:
        try:
            return load_paramsets(name)
        except ModelError:
            continue
    return None


# ---------------------------------------------------------------- the translator


class _Translator:
    def __init__(self, text: str, families: Mapping[str, Family]) -> None:
        self.text = text
        self.families = families
        self.edits: list[Edit] = []
        self.notes: list[Note] = []
        self.calls = 0
        self._params_cache: dict[str, list[_Param]] = {}
        self.user_variables: set[str] = set()
        self.splats: dict[str, A.Hashtable | None] = {}     # $name = @{...} (None: assigned more than once)
        self._splats_done: set[str] = set()
        self._comment_lines: set[int] = set()

    # -- lookup tables from the YAML

    def _family_for(self, name: str, side: str) -> Family | None:
        for family in self.families.values():
            if family.side_of(name) == side:
                return family
        return None

    def _pnp_params(self, family: Family) -> list[_Param]:
        """PnP parameters: from paramsets when pscompat has the cmdlet, else from the family."""
        if family.name in self._params_cache:
            return self._params_cache[family.name]
        params: list[_Param] = []
        paramsets = _paramsets_for(family.pnp.names) if family.pnp.implemented else None
        if paramsets is not None:
            for p in paramsets.parameters:
                mapping = family.param_for_pnp(p.name)
                extra = mapping.spellings if mapping else ()
                params.append(_Param(p.name, (p.name, *p.aliases, *extra), p.is_switch, mapping,
                                     (p.name, *p.aliases)))
        known = {p.name.casefold() for p in params}
        for mapping in family.parameters:
            if mapping.pnp.casefold() not in known:
                params.append(_Param(mapping.pnp, mapping.pnp_names, mapping.switch, mapping, (mapping.pnp,)))
        self._params_cache[family.name] = params
        return params

    @staticmethod
    def _resolve(typed: str, params: Sequence[_Param]) -> _Param | None:
        """PowerShell's name matching: exact name/alias, else a unique prefix (own parameters win
        over common ones). Common parameters come back as a ``_Param`` without a mapping."""
        folded = typed.casefold()
        common = [_Param(name, (name, *aliases), type_name.endswith("SwitchParameter"), None, (name, *aliases))
                  for name, type_name, aliases in COMMON_PARAMETERS]
        for p in (*params, *common):
            if any(n.casefold() == folded for n in p.names):
                return p
        for candidates in (params, common):
            hits = [p for p in candidates if any(n.casefold().startswith(folded) for n in p.prefixable)]
            if len(hits) == 1:
                return hits[0]
            if hits:
                return None
        return None

    # -- edits and notes

    def edit(self, start: int, end: int, text: str) -> None:
        self.edits.append(Edit(start, end, text))

    def note(self, offset: int, kind: str, text: str, difference: str = "") -> None:
        self.notes.append(Note(offset, kind, text, difference))

    # -- one command

    def translate_command(self, command: A.Command, family: Family, prefix: str = "",
                          replace_from: int | None = None, bound: Sequence[str] = ()) -> bool:
        """Rewrite one PnP command of ``family``; False (and a note) when it must stay as is."""
        head = command.elements[0]
        params = self._pnp_params(family)
        plan: list[tuple[int, int, str]] = []   # local edits, applied only when the whole call maps
        seen: set[str] = {b.casefold() for b in bound}
        notes: list[tuple[str, str, str]] = []
        elements = command.elements
        positional_slots = sorted((m for m in family.parameters if m.position is not None),
                                  key=lambda m: m.position or 0)
        i = 1
        while i < len(elements):
            element = elements[i]
            if isinstance(element, A.Variable) and element.splat:
                why = self._plan_splat(element.name, params, plan, notes, seen)
                if why:
                    return self._manual(command, why, family)
                i += 1
                continue
            if not isinstance(element, A.CommandParameter):
                if positional_slots:
                    slot = positional_slots.pop(0)
                    seen.add(slot.pnp.casefold())
                    if slot.manual:
                        return self._manual(command, f"-{slot.pnp}: {slot.value}", family)
                    if slot.mg is None:
                        plan.append((_token_end(self.text, elements[i - 1]), _token_end(self.text, element), ""))
                        notes.append(("removed", f"removed positional {slot.pnp}: {slot.value}", ""))
                        i += 1
                        continue
                return self._manual(command, f"positional argument {self._src(element)!r} has no named PnP parameter", family)
            resolved = self._resolve(element.name, params)
            if resolved is None:
                return self._manual(command, f"-{element.name} is not a parameter of {family.pnp.cmdlet} that translate knows", family)
            argument: Any = element.argument if element.colon else None
            last = i
            if not element.colon and not resolved.switch and i + 1 < len(elements) \
                    and not isinstance(elements[i + 1], A.CommandParameter):
                argument, last = elements[i + 1], i + 1
            if resolved.mapping is None and resolved not in params:  # a common parameter: same on Mg
                i = last + 1
                continue
            mapping = resolved.mapping
            if resolved.name.casefold() in seen:  # PnP itself fails (ParameterAlreadyBound / pipeline)
                return self._manual(command, f"-{resolved.name} is bound twice (argument or pipeline)", family)
            seen.add(resolved.name.casefold())
            if mapping is None:
                return self._manual(command, f"-{resolved.name} has no Mg counterpart in _families.yaml", family)
            if mapping.manual:
                return self._manual(command, f"-{resolved.name}: {mapping.value}", family)
            if mapping.mg is None:
                plan.append((_token_end(self.text, elements[i - 1]), _token_end(self.text, elements[last]), ""))
                notes.append(("removed", f"removed -{element.name}: {mapping.value}", ""))
                i = last + 1
                continue
            if element.colon and resolved.switch and _is_true(argument):
                plan.append((element.start, _token_end(self.text, element), f"-{mapping.mg}"))
            else:
                if element.name != mapping.mg:
                    plan.append((element.start, _name_end(element), f"-{mapping.mg}"))
                if argument is not None:
                    new_value = self._map_value(argument, mapping)
                    if new_value is not None:
                        plan.append((argument.start, _token_end(self.text, argument), new_value))
            if element.name.casefold() != mapping.mg.casefold():
                why = "the doc's spelling" if element.name.casefold() in (s.casefold() for s in mapping.spellings) else "renamed"
                notes.append(("translated", f"-{element.name} -> -{mapping.mg} ({why})", ""))
            i = last + 1
        # parameters PnP sends even when absent: add them so the Mg request stays the same
        insert_at = _token_end(self.text, elements[-1])
        for absent in family.parameters:
            add = absent.translate.get("when_absent")
            if add and absent.pnp.casefold() not in seen:
                plan.append((insert_at, insert_at, f" {add}"))
                notes.append(("added", f"added {add}: {absent.translate.get('reason', '')}",
                              absent.translate.get("removes", "")))
        if family.scopes and not any(m.app_only and m.pnp.casefold() in seen for m in family.parameters):
            scopes = ",".join(family.scopes)
            plan.append((insert_at, insert_at, f" -Scopes {scopes}"))
            notes.append(("added", f"added -Scopes {scopes} (delegated sign-in asks for its scopes in Connect-MgGraph)", ""))
        # commit: the name, then the parameters
        if replace_from is not None:
            self.edit(replace_from, _token_end(self.text, head), prefix)
        else:
            self.edit(head.start, _token_end(self.text, head), family.mg.cmdlet)
        for start, end, new in plan:
            self.edit(start, end, new)
        self.calls += 1
        self.note(command.start, "translated", f"{command.name_text} -> {family.mg.cmdlet}")
        for kind, text, diff_id in notes:
            self.note(command.start, kind, text, diff_id)
        for diff in family.differences:
            when = diff.report_when.split()
            if when[:1] == ["call"] or (when[:1] == ["parameter"] and when[1].casefold() in seen):
                self.note(command.start, "difference", f"{diff.id}: {diff.what}", diff.id)
        return True

    def _map_value(self, argument: Any, mapping: ParamMap) -> str | None:
        if mapping.pipeline.get("property") and isinstance(argument, A.Variable) and not argument.scope \
                and argument.name.casefold() in self.user_variables:
            # a PnP user object (from Get-PnPEntraIDUser): Mg wants the property the pipe-bind used
            return f"{self._src(argument)}.{mapping.pipeline['property']}"
        if mapping.wrap:
            return mapping.wrap.format(value=self._src(argument))
        if isinstance(argument, A.Constant) and isinstance(argument.value, str):
            value = argument.value
            for pnp_value, mg_value in mapping.values.items():
                if value.casefold() == pnp_value.casefold():
                    return mg_value
            if mapping.guid_lower and GUID.match(value) and value != value.lower():
                return self._src(argument).lower()
        return None

    def _src(self, node: Any) -> str:
        return self.text[node.start:_token_end(self.text, node)]

    def _manual(self, command: A.Command, why: str, family: Family | None = None) -> bool:
        """Leave the call as it is: a report line naming the Mg cmdlet to use, and the same text
        as a ``# pscompat-translate:`` comment above the call's line (once, so --write twice
        adds nothing)."""
        why = why.rstrip(". ")
        target = f"; use {family.mg.cmdlet} (Microsoft Graph PowerShell)" if family is not None else ""
        self.note(command.start, "manual", f"{command.name_text}: left as is: {why}{target}")
        self._comment(command.start, f"{command.name_text} left as is: {why}{target}")
        return False

    def _comment(self, offset: int, text: str) -> None:
        line_start = self.text.rfind("\n", 0, offset) + 1
        if line_start in self._comment_lines:
            return
        indent = self.text[line_start:offset]
        indent = indent[:len(indent) - len(indent.lstrip(" \t"))]
        newline = "\r\n" if "\r\n" in self.text else "\n"
        comment = f"{indent}# pscompat-translate: {text}"
        previous_end = line_start - len(newline) if line_start else 0
        previous_start = self.text.rfind("\n", 0, max(previous_end, 0)) + 1
        if line_start and self.text[previous_start:previous_end].strip() == comment.strip():
            return
        self._comment_lines.add(line_start)
        self.edit(line_start, line_start, comment + newline)

    def _plan_splat(self, name: str, params: Sequence[_Param], plan: list[tuple[int, int, str]],
                    notes: list[tuple[str, str, str]], seen: set[str]) -> str:
        """Rewrite the keys of ``$name = @{...}`` as the Mg parameter names; "" when done, else why not."""
        table = self.splats.get(name.casefold())
        if table is None:
            return (f"splatted arguments (@{name}) come from something other than one @{{...}} literal "
                    "in this script; translate the keys by hand")
        edits: list[tuple[int, int, str]] = []
        for key, value in table.pairs:
            key_text = key.value if isinstance(key, A.Constant) and isinstance(key.value, str) else None
            resolved = self._resolve(key_text, params) if key_text else None
            if resolved is None:
                return f"@{name}: key {self._src(key)!r} is not a parameter translate knows"
            if resolved.mapping is None and resolved not in params:
                continue  # a common parameter: the same on Mg
            mapping = resolved.mapping
            if mapping is None or mapping.manual or mapping.mg is None:
                why = mapping.value if mapping is not None else "no Mg counterpart in _families.yaml"
                return f"@{name}: key {key_text}: {why}"
            seen.add(resolved.name.casefold())
            if key_text != mapping.mg:
                edits.append((key.start, _token_end(self.text, key), mapping.mg))
                notes.append(("translated", f"@{name}: key {key_text} -> {mapping.mg}", ""))
            if isinstance(value, A.Pipeline) and len(value.elements) == 1:
                value = getattr(value.elements[0], "expression", value.elements[0])
            new_value = self._map_value(value, mapping)
            if new_value is not None:
                edits.append((value.start, _token_end(self.text, value), new_value))
        if name.casefold() not in self._splats_done:   # one hashtable, however many calls use it
            self._splats_done.add(name.casefold())
            plan.extend(edits)
        return ""

    # -- pipelines

    def translate_pipeline(self, pipeline: A.Pipeline, done: set[int]) -> None:
        elements = pipeline.elements
        for index, command in enumerate(elements):
            if id(command) in done or not isinstance(command, A.Command) or command.invocation:
                continue
            name = command.name_text
            if not name:
                continue
            family = self._family_for(name, "pnp")
            if family is None:
                continue
            done.add(id(command))
            following = elements[index + 1] if index + 1 < len(elements) else None
            if isinstance(following, A.Command) and self._is_lookup(family) \
                    and self._fold_lookup(command, following, family):
                done.add(id(following))
                continue
            if not family.mg.implemented:
                self._manual(command, f"{family.mg.cmdlet} is not implemented in pscompat", family)
                continue
            if index > 0:
                self._manual(command, "it takes pipeline input here, which Mg binds to -InputObject "
                                      "(an object with a UserId property); pass the user with -UserId instead", family)
                continue
            self.translate_command(command, family)

    def _fold_lookup(self, lookup: A.Command, target: A.Command, lookup_family: Family) -> bool:
        """``Get-PnPEntraIDUser -Identity X | New-PnP...`` -> ``New-Mg... -UserId X``."""
        family = self._family_for(target.name_text or "", "pnp")
        if family is None or not family.mg.implemented:
            return False
        identity = self._single_identity(lookup, lookup_family)
        identity_map = next((m for m in family.parameters if m.pipeline.get("source")
                             and lookup_family.side_of(m.pipeline["source"])), None)
        if identity is None or identity_map is None or identity_map.mg is None:
            return False
        value = self._map_value(identity, identity_map) or self._src(identity)
        prefix = f"{family.mg.cmdlet} -{identity_map.mg} {value}"
        if not self.translate_command(target, family, prefix=prefix, replace_from=lookup.start,
                                      bound=(identity_map.pnp,)):
            return False
        self.note(lookup.start, "translated", f"{lookup.name_text} -Identity X | ... -> -{identity_map.mg} X")
        for diff in family.differences:
            if diff.report_when == "lookup":
                self.note(lookup.start, "difference", f"{diff.id}: {diff.what}", diff.id)
        return True

    def _single_identity(self, lookup: A.Command, family: Family) -> Any | None:
        """The X of ``Get-PnPEntraIDUser -Identity X`` (or ``Get-PnPEntraIDUser X``), else None."""
        args = lookup.elements[1:]
        if len(args) == 1 and not isinstance(args[0], A.CommandParameter):
            return args[0]
        if len(args) == 1 and isinstance(args[0], A.CommandParameter) and args[0].colon:
            param, value = args[0], args[0].argument
        elif len(args) == 2 and isinstance(args[0], A.CommandParameter) and not args[0].colon \
                and not isinstance(args[1], A.CommandParameter):
            param, value = args[0], args[1]
        else:
            return None
        names = [m.pnp for m in family.parameters]
        if value is None or not any(n.casefold().startswith(param.name.casefold()) for n in names):
            return None
        return value

    def _is_lookup(self, family: Family) -> bool:
        """A family whose output another family's parameter takes from the pipeline (user.get)."""
        return any(m.pipeline.get("source") and family.side_of(m.pipeline["source"])
                   for other in self.families.values() for m in other.parameters)

    def _hashtables(self, script: A.ScriptBlock) -> dict[str, A.Hashtable | None]:
        found: dict[str, A.Hashtable | None] = {}
        for node in walk(script):
            if isinstance(node, A.Assignment) and isinstance(node.target, A.Variable) and not node.target.scope:
                key = node.target.name.casefold()
                value = node.value
                if isinstance(value, A.Pipeline) and len(value.elements) == 1:
                    value = value.elements[0]
                value = getattr(value, "expression", value)
                table = value if isinstance(value, A.Hashtable) and node.op == "=" else None
                found[key] = None if key in found else table
        return found

    def run(self, script: A.ScriptBlock) -> None:
        self.user_variables = self._variables_holding_users(script)
        self.splats = self._hashtables(script)
        done: set[int] = set()
        for node in walk(script):
            if isinstance(node, A.Pipeline):
                self.translate_pipeline(node, done)

    def _variables_holding_users(self, script: A.ScriptBlock) -> set[str]:
        """``$u = Get-PnPEntraIDUser ...``: names of variables that hold PnP user objects."""
        names: set[str] = set()
        for node in walk(script):
            if isinstance(node, A.Assignment) and node.op == "=" and isinstance(node.target, A.Variable) \
                    and isinstance(node.value, A.Pipeline) and node.value.elements:
                last = node.value.elements[-1]
                name = last.name_text if isinstance(last, A.Command) else None
                found = self._family_for(name, "pnp") if name else None
                if found is not None and self._is_lookup(found):
                    names.add(node.target.name.casefold())
        return names

    def result(self) -> str:
        out = self.text
        last_start = len(out) + 1
        for e in sorted(self.edits, key=lambda e: (e.start, e.end), reverse=True):
            if e.end > last_start:
                raise AssertionError(f"overlapping edits at {e.start}")  # a translator bug
            out = out[:e.start] + e.text + out[e.end:]
            last_start = e.start
        return out


def translate_text(text: str, path: str = "<script>", families: Mapping[str, Family] | None = None) -> Translation:
    """Translate one script's text; a leading BOM and every other byte outside edits are kept."""
    from pscompat.lang.parser import ParseError, parse_script
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom):]
    try:
        script = parse_script(body, path)
    except ParseError as exc:
        line, column = getattr(exc, "line", 0), getattr(exc, "column", 0)
        raise TranslateError(f"{path}:{line}:{column}: {exc}") from None
    translator = _Translator(body, families if families is not None else load_families())
    translator.run(script)
    notes = sorted(translator.notes, key=lambda n: n.offset)
    return Translation(text, bom + translator.result(), notes, translator.calls)


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def report_lines(translation: Translation, path: str) -> list[str]:
    """``path:line: kind: text`` lines, in source order."""
    body = translation.original.lstrip("\ufeff")
    return [f"{path}:{line_of(body, n.offset)}: {n.kind}: {n.text}" for n in translation.notes]
