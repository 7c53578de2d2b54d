"""Typed views of ``cmdlets/_families.yaml`` and ``cmdlets/_deviations.yaml``.

The matrix, the translator and the parity checker all read the same mapping between PnP and
Mg; keeping one loader means a YAML mistake is reported once, with the file name, instead of
surfacing as a KeyError deep inside one of the tools.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pscompat.model import ModelError, data_root
from pscompat.model.loader import read_yaml

GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
ANY = "<any>"   # a known difference's value that matches anything (<absent>/<present>: see trace)


@dataclass(frozen=True)
class Member:
    """One side of a family: the cmdlet, its aliases, and whether pscompat implements it."""

    cmdlet: str
    aliases: tuple[str, ...] = ()
    parameter_set: str | None = None
    implemented: bool = True

    @property
    def names(self) -> tuple[str, ...]:
        return (self.cmdlet, *self.aliases)


@dataclass(frozen=True)
class ParamMap:
    """PnP parameter -> Mg parameter (``mg`` None: no counterpart)."""

    pnp: str
    mg: str | None
    spellings: tuple[str, ...] = ()
    value: str = ""
    values: Mapping[str, str] = field(default_factory=dict)
    pipeline: Mapping[str, str] = field(default_factory=dict)
    absent: Mapping[str, str] = field(default_factory=dict)
    translate: Mapping[str, str] = field(default_factory=dict)
    switch: bool = False        # for cmdlets without paramsets: the PnP parameter takes no value
    app_only: bool = False      # its presence means app-only sign-in
    manual: bool = False        # translate cannot rewrite a call that uses it
    wrap: str = ""              # Mg value = wrap.format(value=<PnP value text>)
    guid_lower: bool = False    # PnP sends a GUID value lower-cased
    position: int | None = None  # for cmdlets without paramsets: its positional slot

    @property
    def pnp_names(self) -> tuple[str, ...]:
        return (self.pnp, *self.spellings)


@dataclass(frozen=True)
class KnownDifference:
    """A documented request/result difference between the PnP and the Mg side."""

    id: str
    where: str
    what: str
    why: str
    pnp: Any = ANY
    mg: Any = ANY
    compare: str = ""
    always: bool = False
    removable_by_translate: bool = False
    report_when: str = ""


@dataclass(frozen=True)
class Family:
    name: str
    intent: str
    pnp: Member
    mg: Member
    parameters: tuple[ParamMap, ...]
    differences: tuple[KnownDifference, ...]
    connection: str | None = None
    scopes: tuple[str, ...] = ()
    notes: str = ""

    def param_for_pnp(self, name: str) -> ParamMap | None:
        """The mapping whose PnP name or spelling equals ``name`` (case-insensitive)."""
        folded = name.casefold()
        for mapping in self.parameters:
            if any(n.casefold() == folded for n in mapping.pnp_names):
                return mapping
        return None

    def side_of(self, cmdlet: str) -> str | None:
        """``"pnp"``, ``"mg"`` or None for a cmdlet name or alias."""
        folded = cmdlet.casefold()
        for side, member in (("pnp", self.pnp), ("mg", self.mg)):
            if any(n.casefold() == folded for n in member.names):
                return side
        return None


@dataclass(frozen=True)
class Deviation:
    id: str
    applies_to: tuple[str, ...]
    what: str
    why: str
    source: str = ""


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _member(raw: Mapping[str, Any]) -> Member:
    return Member(cmdlet=raw["cmdlet"], aliases=tuple(raw.get("aliases") or ()),
                  parameter_set=raw.get("parameter_set"), implemented=bool(raw.get("implemented", True)))


def _strings(raw: Any) -> dict[str, str]:
    return {str(k): _text(v) for k, v in (raw or {}).items()}


def parse_families(raw: Mapping[str, Any], origin: str = "<memory>") -> dict[str, Family]:
    """``_families.yaml`` content -> families by name; a malformed entry raises ModelError."""
    families: dict[str, Family] = {}
    try:
        for name, body in (raw.get("families") or {}).items():
            families[name] = Family(
                name=name,
                intent=_text(body.get("intent")),
                pnp=_member(body["members"]["pnp"]),
                mg=_member(body["members"]["mg"]),
                parameters=tuple(
                    ParamMap(pnp=p["pnp"], mg=p.get("mg"), spellings=tuple(p.get("spellings") or ()),
                             value=_text(p.get("value")), values=_strings(p.get("values")),
                             pipeline=_strings(p.get("pipeline")), absent=_strings(p.get("absent")),
                             translate=_strings(p.get("translate")), switch=bool(p.get("switch")),
                             app_only=bool(p.get("app_only")), manual=bool(p.get("manual")),
                             wrap=str(p.get("wrap") or ""), guid_lower=p.get("guid") == "lower",
                             position=p.get("position"))
                    for p in body.get("parameters") or ()),
                differences=tuple(
                    KnownDifference(id=d["id"], where=d["where"], what=_text(d.get("what")),
                                    why=_text(d.get("why")), pnp=d.get("pnp", ANY), mg=d.get("mg", ANY),
                                    compare=d.get("compare", ""), always=bool(d.get("always", False)),
                                    removable_by_translate=bool(d.get("removable_by_translate", False)),
                                    report_when=str(d.get("report_when") or ""))
                    for d in body.get("differences") or ()),
                connection=body.get("connection"),
                scopes=tuple(body.get("scopes") or ()),
                notes=_text(body.get("notes")),
            )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ModelError(f"{origin}: malformed family ({exc!r})") from exc
    return families


def parse_deviations(raw: Mapping[str, Any], origin: str = "<memory>") -> list[Deviation]:
    try:
        return [Deviation(id=d["id"], applies_to=tuple(d.get("applies_to") or ("all",)),
                          what=_text(d["what"]), why=_text(d["why"]), source=_text(d.get("source")))
                for d in raw.get("deviations") or ()]
    except (KeyError, TypeError, AttributeError) as exc:
        raise ModelError(f"{origin}: malformed deviation ({exc!r})") from exc


def _read(name: str, root: Path | None) -> tuple[Mapping[str, Any], str]:
    path = (root or data_root()) / "cmdlets" / name
    return (read_yaml(path) or {}), str(path)


def load_families(root: Path | None = None) -> dict[str, Family]:
    raw, origin = _read("_families.yaml", root)
    return parse_families(raw, origin)


def load_deviations(root: Path | None = None) -> list[Deviation]:
    raw, origin = _read("_deviations.yaml", root)
    return parse_deviations(raw, origin)


def family_of(cmdlet: str, families: Mapping[str, Family]) -> tuple[Family, str] | None:
    """The family a cmdlet name or alias belongs to, and its side (pnp or mg)."""
    for family in families.values():
        side = family.side_of(cmdlet)
        if side:
            return family, side
    return None
