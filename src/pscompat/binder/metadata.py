"""The merged parameter metadata of one command: its own parameters plus the common ones.

Built once per CmdletDef from the paramsets YAML. Order matters: it is PowerShell's metadata
order (own parameters as declared, then the common parameters, then WhatIf/Confirm), which
AmbiguousParameter lists and the mandatory prompt follow.
"""

from __future__ import annotations

from pscompat.model import ALL_SETS, CmdletDef, SetMembership
from pscompat.model.types import SWITCH_TYPES

from . import errors
from .types import TypeSpec, parse_type

__all__ = ["ParameterInfo", "CommandMetadata", "COMMON_PARAMETERS", "SHOULD_PROCESS_PARAMETERS",
           "metadata_for"]

_ACTION = "System.Management.Automation.ActionPreference"
_SWITCH = "System.Management.Automation.SwitchParameter"

# (name, .NET type, aliases) in PowerShell's order.
COMMON_PARAMETERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Verbose", _SWITCH, ("vb",)),
    ("Debug", _SWITCH, ("db",)),
    ("ErrorAction", _ACTION, ("ea",)),
    ("WarningAction", _ACTION, ("wa",)),
    ("InformationAction", _ACTION, ("infa",)),
    ("ProgressAction", _ACTION, ("proga",)),
    ("ErrorVariable", "System.String", ("ev",)),
    ("WarningVariable", "System.String", ("wv",)),
    ("InformationVariable", "System.String", ("iv",)),
    ("OutVariable", "System.String", ("ov",)),
    ("OutBuffer", "System.Int32", ("ob",)),
    ("PipelineVariable", "System.String", ("pv",)),
)
SHOULD_PROCESS_PARAMETERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("WhatIf", _SWITCH, ("wi",)),
    ("Confirm", _SWITCH, ("cf",)),
)


class ParameterInfo:
    """One bindable parameter (own or common) with what binding needs to know.

    ``sets``: set name -> membership; empty for common parameters (they are in every set).
    (A plain class, not a dataclass: building dataclasses costs cold-start time.)
    """

    __slots__ = ("name", "type", "aliases", "compat_aliases", "common", "sets", "mandatory_somewhere",
                 "takes_pipeline")

    def __init__(self, name: str, type: TypeSpec, aliases: tuple[str, ...] = (),
                 compat_aliases: tuple[str, ...] = (), common: bool = False,
                 sets: dict[str, SetMembership] | None = None) -> None:
        self.name = name
        self.type = type
        self.aliases = aliases
        self.compat_aliases = compat_aliases
        self.common = common
        self.sets: dict[str, SetMembership] = dict(sets or {})
        self.mandatory_somewhere = any(m.mandatory for m in self.sets.values())
        self.takes_pipeline = any(m.value_from_pipeline or m.value_from_pipeline_by_property_name
                                  for m in self.sets.values())

    def __repr__(self) -> str:
        return f"ParameterInfo({self.name!r}, {self.type.name!r})"

    @property
    def in_all_sets(self) -> bool:
        return self.common or not self.sets or ALL_SETS in self.sets

    def membership(self, set_name: str) -> SetMembership | None:
        if self.common:
            return _COMMON_MEMBERSHIP
        return self.sets.get(set_name) or self.sets.get(ALL_SETS)

    @property
    def is_switch(self) -> bool:
        return self.type.kind == "switch"


_COMMON_MEMBERSHIP = SetMembership()


class CommandMetadata:
    """A command's bindable parameters, its sets and how errors name it."""

    def __init__(self, cmdlet: CmdletDef, parameters: list[ParameterInfo], set_names: tuple[str, ...],
                 default_set: str | None, target: errors.Target, function: bool) -> None:
        self.cmdlet = cmdlet
        self.parameters = parameters
        self.set_names = set_names
        self.default_set = default_set
        self.target = target
        self.function = function

    def sets_of(self, parameter: ParameterInfo) -> frozenset[str]:
        """The sets a parameter belongs to (all sets for common and ``(All)`` parameters)."""
        if parameter.in_all_sets:
            return frozenset(self.set_names)
        return frozenset(s for s in parameter.sets if s in self.set_names)

    def match(self, typed: str, *, strict: bool = False) -> ParameterInfo | None:
        """PowerShell's name matching: exact name/alias, then a unique or own-winning prefix.

        Raises AmbiguousParameter; returns None when nothing matches (the caller decides when
        NamedParameterNotFound is reported). ``compat_aliases`` count only as exact names and
        only outside strict mode.
        """
        folded = typed.casefold()
        for p in self.parameters:
            if p.name.casefold() == folded or any(a.casefold() == folded for a in p.aliases):
                return p
        if not strict:
            for p in self.parameters:
                if any(a.casefold() == folded for a in p.compat_aliases):
                    return p
        if not folded:
            return None
        candidates = [p for p in self.parameters
                      if p.name.casefold().startswith(folded)
                      or any(a.casefold().startswith(folded) for a in p.aliases)]
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            own = [p for p in candidates if not p.common]
            if len(own) == 1:
                return own[0]
            raise errors.ambiguous_parameter(self.target, typed, [p.name for p in candidates])
        return None


def _parameter_sets(cmdlet: CmdletDef) -> tuple[str, ...]:
    return cmdlet.paramsets.effective_sets


def _metadata(cmdlet: CmdletDef) -> CommandMetadata:
    params: list[ParameterInfo] = []
    for p in cmdlet.paramsets.parameters:
        type_name = "System.Management.Automation.SwitchParameter" if p.type in SWITCH_TYPES else p.type
        params.append(ParameterInfo(name=p.name, type=parse_type(type_name), aliases=tuple(p.aliases),
                                    compat_aliases=tuple(getattr(p, "compat_aliases", ()) or ()),
                                    sets=dict(p.sets)))
    own = {p.name.casefold() for p in params}
    commons = list(COMMON_PARAMETERS) if cmdlet.paramsets.common_parameters else []
    if cmdlet.supports_should_process:
        commons += list(SHOULD_PROCESS_PARAMETERS)
    for name, type_name, aliases in commons:
        if name.casefold() not in own:  # an own parameter of that name would shadow it
            params.append(ParameterInfo(name=name, type=parse_type(type_name), aliases=aliases, common=True))
    return CommandMetadata(
        cmdlet=cmdlet, parameters=params, set_names=_parameter_sets(cmdlet),
        default_set=cmdlet.paramsets.default_parameter_set,
        target=errors.Target(command=cmdlet.name, type_name=cmdlet.error_type_name),
        function=cmdlet.kind == "function")


_CACHE: dict[int, tuple[CmdletDef, CommandMetadata]] = {}


def metadata_for(cmdlet: CmdletDef) -> CommandMetadata:
    """Merged metadata for ``cmdlet``, cached per CmdletDef object (they are immutable)."""
    hit = _CACHE.get(id(cmdlet))
    if hit is not None and hit[0] is cmdlet:
        return hit[1]
    meta = _metadata(cmdlet)
    _CACHE[id(cmdlet)] = (cmdlet, meta)
    return meta
