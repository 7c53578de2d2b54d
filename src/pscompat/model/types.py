"""Typed, immutable views of ``paramsets/*.yaml`` and ``cmdlets/*.yaml``.

The YAML is the source of truth (see README, "The data model"); these classes only give it
names and types. ``ALL_SETS`` is PowerShell's ``__AllParameterSets``: a parameter declared for
it belongs to every set of the cmdlet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

ALL_SETS = "__AllParameterSets"

SWITCH_TYPES = frozenset({
    "System.Management.Automation.SwitchParameter", "SwitchParameter", "switch",
})


@dataclass(frozen=True)
class SetMembership:
    """How one parameter takes part in one parameter set."""

    mandatory: bool = False
    position: int | None = None
    value_from_pipeline: bool = False
    value_from_pipeline_by_property_name: bool = False


@dataclass(frozen=True)
class ParameterDef:
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    wildcard: bool = False
    default_value: str | None = None
    sets: Mapping[str, SetMembership] = field(default_factory=dict)
    hidden: bool = False
    # pscompat-only spellings honoured by exact name outside strict mode (errata, e.g. IsUseableOnce).
    compat_aliases: tuple[str, ...] = ()

    @property
    def is_switch(self) -> bool:
        return self.type in SWITCH_TYPES

    def in_set(self, set_name: str) -> SetMembership | None:
        """Membership in ``set_name`` (``ALL_SETS`` entries apply to every set)."""
        return self.sets.get(set_name) or self.sets.get(ALL_SETS)

    @property
    def short_type(self) -> str:
        """``System.Int32`` -> ``Int32``; the name Get-Help and the SYNTAX block show."""
        return display_type(self.type)


@dataclass(frozen=True)
class ComplexProperty:
    name: str
    type: str
    description: str = ""


@dataclass(frozen=True)
class ComplexParameter:
    """A NOTES block such as ``BODYPARAMETER <IMicrosoftGraph...>`` with its property list."""

    key: str
    type: str
    description: str
    properties: tuple[ComplexProperty, ...] = ()


@dataclass(frozen=True)
class Example:
    title: str
    code: str
    remarks: str = ""


@dataclass(frozen=True)
class Erratum:
    id: str
    doc: str
    error: str
    resolution: str
    source: str = ""
    patch: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class ParamSetsDef:
    """One ``paramsets/<Cmdlet>.yaml``: the cmdlet's interface exactly as its docs define it."""

    cmdlet: str
    module: str
    source: str
    synopsis: str
    description: str
    default_parameter_set: str | None
    parameter_sets: tuple[str, ...]
    parameters: tuple[ParameterDef, ...]
    common_parameters: bool = True
    supports_should_process: bool = False
    syntax: Mapping[str, str] = field(default_factory=dict)
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    complex_parameters: Mapping[str, ComplexParameter] = field(default_factory=dict)
    examples: tuple[Example, ...] = ()
    related_links: tuple[str, ...] = ()
    notes: str = ""
    errata: tuple[Erratum, ...] = ()

    def parameter(self, name: str) -> ParameterDef | None:
        folded = name.casefold()
        for p in self.parameters:
            if p.name.casefold() == folded:
                return p
        return None

    @property
    def effective_sets(self) -> tuple[str, ...]:
        """The real set names; a cmdlet whose parameters are all ``(All)`` has one implicit set."""
        return self.parameter_sets or (ALL_SETS,)


@dataclass(frozen=True)
class OutputDef:
    type: str
    shape: str
    view: str = "table"          # table | list
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class CmdletDef:
    """One ``cmdlets/<Cmdlet>.yaml`` joined with its paramsets."""

    name: str
    aliases: tuple[str, ...]
    module: str
    kind: str                    # "function" (Mg proxy functions) | "compiled" (PnP)
    type_name: str               # FQID suffix for binding errors
    positional_binding: bool
    supports_should_process: bool
    confirm_impact: str
    family: str
    paramsets: ParamSetsDef
    output: OutputDef | None
    # Per parameter set: the Graph operation, kept as data; pscompat.dispatch validates it.
    operations: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    counterpart: Mapping[str, Any] = field(default_factory=dict)
    raw: Mapping[str, Any] = field(default_factory=dict)

    @property
    def error_type_name(self) -> str:
        return self.type_name

    @property
    def acts_on_should_process(self) -> bool:
        """-WhatIf/-Confirm change what happens: False for a cmdlet that declares
        SupportsShouldProcess but never calls ShouldProcess (``calls_should_process: false``)."""
        return self.supports_should_process and bool(self.raw.get("calls_should_process", True))


def display_type(type_name: str) -> str:
    """The short type Get-Help shows: ``System.Nullable`1[System.Int32]`` -> ``Int32``,
    ``System.String[]`` -> ``String[]``, ``Int32?`` -> ``Int32``."""
    import re
    name = type_name.strip()
    nullable = re.fullmatch(r"(?:System\.)?Nullable(?:`1)?\[(.+)\]", name)
    if nullable:
        name = nullable.group(1)
    name = name.removesuffix("?")
    suffix = ""
    while name.endswith("[]"):
        name, suffix = name[:-2], suffix + "[]"
    return name.rsplit(".", 1)[-1] + suffix
