"""Load and validate the YAML model into the typed objects of ``pscompat.model.types``.

Files are read lazily and cached per process: a cold cmdlet call reads only the index of
names (all ``cmdlets/*.yaml``, small) and the one paramsets file it needs.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from .types import (
    ALL_SETS,
    CmdletDef,
    ComplexParameter,
    ComplexProperty,
    Erratum,
    Example,
    OutputDef,
    ParameterDef,
    ParamSetsDef,
    SetMembership,
)

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ModelError(Exception):
    """A YAML file of the model is missing or malformed (a bug in the repo, not user input)."""


def data_root() -> Path:
    """Where ``cmdlets/`` and ``paramsets/`` live.

    ``PSCOMPAT_DATA`` wins; then the source tree (editable installs, tests); then the copy
    packaged inside ``pscompat/data``.
    """
    env = os.environ.get("PSCOMPAT_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    source_root = here.parents[3]
    if (source_root / "cmdlets").is_dir() and (source_root / "paramsets").is_dir():
        return source_root
    return here.parents[1] / "data"


def read_yaml(path: Path) -> Any:
    try:
        with path.open("rb") as fh:
            return yaml.load(fh, Loader=_Loader)
    except FileNotFoundError as exc:
        raise ModelError(f"model file not found: {path}") from exc
    except yaml.YAMLError as exc:
        raise ModelError(f"{path}: {exc}") from exc


def _tuple(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return tuple(value)
    return (value,)


def _membership(raw: Mapping[str, Any]) -> SetMembership:
    pipeline = {str(p).casefold() for p in _tuple(raw.get("pipeline"))}
    position = raw.get("position")
    return SetMembership(
        mandatory=bool(raw.get("mandatory", False)),
        position=int(position) if position is not None else None,
        value_from_pipeline="byvalue" in pipeline,
        value_from_pipeline_by_property_name="bypropertyname" in pipeline,
    )


def parse_paramsets(raw: Mapping[str, Any], origin: str = "<memory>") -> ParamSetsDef:
    """Turn a paramsets mapping (as written by ``pscompat docs import``) into a ParamSetsDef."""
    try:
        params = tuple(
            ParameterDef(
                name=p["name"],
                type=p.get("type") or "System.Object",
                aliases=_tuple(p.get("aliases")),
                description=p.get("description") or "",
                wildcard=bool(p.get("wildcard", False)),
                default_value=p.get("default_value"),
                sets={name: _membership(m or {}) for name, m in (p.get("sets") or {ALL_SETS: {}}).items()},
                hidden=bool(p.get("hidden", False)),
                compat_aliases=_tuple(p.get("compat_aliases")),
            )
            for p in raw.get("parameters") or ()
        )
        complex_params = {
            key: ComplexParameter(
                key=key, type=c.get("type", ""), description=c.get("description", ""),
                properties=tuple(ComplexProperty(name=x["name"], type=x.get("type", ""),
                                                 description=x.get("description", ""))
                                 for x in c.get("properties") or ()))
            for key, c in (raw.get("complex_parameters") or {}).items()
        }
        return ParamSetsDef(
            cmdlet=raw["cmdlet"],
            module=raw.get("module", ""),
            source=raw.get("source", ""),
            synopsis=raw.get("synopsis", ""),
            description=raw.get("description", ""),
            default_parameter_set=raw.get("default_parameter_set"),
            parameter_sets=_tuple(raw.get("parameter_sets")),
            parameters=params,
            common_parameters=bool(raw.get("common_parameters", True)),
            supports_should_process=bool(raw.get("supports_should_process", False)),
            syntax=dict(raw.get("syntax") or {}),
            inputs=_tuple(raw.get("inputs")),
            outputs=_tuple(raw.get("outputs")),
            complex_parameters=complex_params,
            examples=tuple(Example(title=e.get("title", ""), code=e.get("code", ""),
                                   remarks=e.get("remarks", ""))
                           for e in raw.get("examples") or ()),
            related_links=_tuple(raw.get("related_links")),
            notes=raw.get("notes", "") or "",
            errata=tuple(Erratum(id=e["id"], doc=e.get("doc", ""), error=e.get("error", ""),
                                 resolution=e.get("resolution", ""), source=e.get("source", ""),
                                 patch=_tuple(e.get("patch")))
                         for e in raw.get("errata") or ()),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{origin}: malformed paramsets ({exc!r})") from exc


@functools.cache
def load_paramsets(stem: str) -> ParamSetsDef:
    path = data_root() / "paramsets" / f"{stem}.yaml"
    return parse_paramsets(read_yaml(path), str(path))


@functools.cache
def cmdlet_index() -> dict[str, Path]:
    """casefolded name or alias -> cmdlets/<file>.yaml."""
    index: dict[str, Path] = {}
    for path in sorted((data_root() / "cmdlets").glob("*.yaml")):
        if path.name.startswith("_"):  # shared data files (families, deviations), not cmdlets
            continue
        raw = read_yaml(path) or {}
        for name in (raw.get("name"), *_tuple(raw.get("aliases"))):
            if name:
                index[str(name).casefold()] = path
    return index


def cmdlet_names(include_aliases: bool = True) -> list[str]:
    """Every cmdlet name (and alias), as spelled in the YAML."""
    names: list[str] = []
    for path in sorted(set(cmdlet_index().values())):
        raw = read_yaml(path) or {}
        names.append(raw["name"])
        if include_aliases:
            names.extend(_tuple(raw.get("aliases")))
    return names


def parse_cmdlet(raw: Mapping[str, Any], origin: str = "<memory>") -> CmdletDef:
    try:
        out = raw.get("output")
        output = OutputDef(type=out["type"], shape=out.get("shape", ""), view=out.get("view", "table"),
                           columns=_tuple(out.get("columns"))) if out else None
        paramsets = load_paramsets(raw.get("paramsets", raw["name"]))
        return CmdletDef(
            name=raw["name"],
            aliases=_tuple(raw.get("aliases")),
            module=raw.get("module", paramsets.module),
            kind=raw.get("kind", "function"),
            type_name=raw.get("type_name", raw["name"]),
            positional_binding=bool(raw.get("positional_binding", True)),
            supports_should_process=bool(raw.get("supports_should_process",
                                                 paramsets.supports_should_process)),
            confirm_impact=raw.get("confirm_impact", "Medium"),
            family=raw.get("family", ""),
            paramsets=paramsets,
            output=output,
            operations=dict(raw.get("operations") or {}),
            counterpart=dict(raw.get("counterpart") or {}),
            raw=dict(raw),
        )
    except (KeyError, TypeError) as exc:
        raise ModelError(f"{origin}: malformed cmdlet definition ({exc!r})") from exc


@functools.cache
def _load_cmdlet_file(path: Path) -> CmdletDef:
    return parse_cmdlet(read_yaml(path) or {}, str(path))


def find_cmdlet(name: str) -> CmdletDef | None:
    """The cmdlet called ``name`` (a name or an alias, any case), or None."""
    path = cmdlet_index().get(name.casefold())
    return _load_cmdlet_file(path) if path else None


def load_cmdlet(name: str) -> CmdletDef:
    cmdlet = find_cmdlet(name)
    if cmdlet is None:
        raise ModelError(f"no cmdlet named {name!r} in {data_root() / 'cmdlets'}")
    return cmdlet


def clear_caches() -> None:
    """Forget loaded files (tests that write YAML, `pscompat docs import`)."""
    load_paramsets.cache_clear()
    cmdlet_index.cache_clear()
    _load_cmdlet_file.cache_clear()
