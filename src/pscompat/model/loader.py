"""Load and validate the YAML model into the typed objects of ``pscompat.model.types``.

Files are read lazily and cached per process: a cold cmdlet call reads only the index of
names (all ``cmdlets/*.yaml``, small) and the one paramsets file it needs. Parsed YAML is also
kept as JSON under ``$XDG_CACHE_HOME/pscompat/model`` (keyed by path, mtime and size): PyYAML's
import and constructor cost ~40 ms per cold call, ``json`` under 1 ms.
"""

from __future__ import annotations

import functools
import json
import os
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

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


def _json_cache(path: Path) -> Path | None:
    """The JSON copy of ``path`` for its current mtime and size (None if it cannot be stat'ed)."""
    try:
        st = path.stat()
    except OSError:
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    tag = f"{zlib.crc32(str(path.resolve()).encode()):08x}-{path.stem}"
    return Path(base) / "pscompat" / "model" / f"{tag}-{st.st_mtime_ns}-{st.st_size}.json"


def _store_json(cache: Path, data: Any) -> None:
    """Best effort: only data that survives a JSON round trip unchanged is cached."""
    try:
        text = json.dumps(data)
        if json.loads(text) != data:
            return
        cache.parent.mkdir(parents=True, exist_ok=True)
        for stale in cache.parent.glob(cache.name.rsplit("-", 2)[0] + "-*.json"):
            stale.unlink(missing_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, cache)
    except (OSError, TypeError, ValueError):
        pass


def read_yaml(path: Path) -> Any:
    cache = _json_cache(path)
    if cache is not None:
        try:
            return json.loads(cache.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    import yaml  # only on a cache miss: importing PyYAML is a large part of a cold start
    try:
        with path.open("rb") as fh:
            data = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError as exc:
        raise ModelError(f"model file not found: {path}") from exc
    except yaml.YAMLError as exc:
        raise ModelError(f"{path}: {exc}") from exc
    if cache is not None:
        _store_json(cache, data)
    return data


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


INDEX_FILE = "_index.yaml"


@functools.cache
def _small_index() -> dict[str, str]:
    """``cmdlets/_index.yaml`` (written by ``pscompat docs generate``): casefolded name or alias -> file stem.

    One small file instead of every cmdlet file: a console script's start-up reads the index
    (for an alias or another spelling) and its own cmdlet's file, however many cmdlets exist."""
    path = data_root() / "cmdlets" / INDEX_FILE
    if not path.exists():
        return {}
    raw = read_yaml(path) or {}
    return {str(k): str(v) for k, v in (raw.get("names") or {}).items()}


def _path_for(name: str) -> Path | None:
    folder = data_root() / "cmdlets"
    direct = folder / f"{name}.yaml"
    if not name.startswith("_") and "/" not in name and direct.exists():
        return direct
    index = _small_index()
    stem = index.get(name.casefold())
    if stem is not None and (folder / f"{stem}.yaml").exists():
        return folder / f"{stem}.yaml"
    if index:   # the index is complete (tests/docs/test_generate.py keeps it so)
        return None
    return cmdlet_index().get(name.casefold())   # a data root without an index


def find_cmdlet(name: str) -> CmdletDef | None:
    """The cmdlet called ``name`` (a name or an alias, any case), or None."""
    path = _path_for(name)
    if path is None:
        return None
    cmdlet = _load_cmdlet_file(path)
    if name.casefold() not in {n.casefold() for n in (cmdlet.name, *cmdlet.aliases)}:
        return None
    return cmdlet


def load_cmdlet(name: str) -> CmdletDef:
    cmdlet = find_cmdlet(name)
    if cmdlet is None:
        raise ModelError(f"no cmdlet named {name!r} in {data_root() / 'cmdlets'}")
    return cmdlet


def clear_caches() -> None:
    """Forget loaded files (tests that write YAML, `pscompat docs import`)."""
    load_paramsets.cache_clear()
    cmdlet_index.cache_clear()
    _small_index.cache_clear()
    _load_cmdlet_file.cache_clear()
