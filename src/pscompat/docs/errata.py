"""Errata: corrections to what a doc says, kept next to the data and applied by machine.

A committed paramsets file is always ``import_doc(doc)`` plus its ``errata`` patches, so a
doc error is never fixed silently by hand. Each erratum is ``{id, doc, source, error,
resolution, patch}``; ``patch`` is a list of operations, applied in order:

- ``{op: set, field: F, value: V}``: set a top-level field (``kind``, ``common_parameters``...).
- ``{op: add_parameter, parameter: {...}, after: Name}``: add a parameter (``after`` optional;
  default: append, which keeps the doc's metadata order in front).
- ``{op: set_parameter, name: N, <field>: V, ...}``: replace fields of a parameter. Fields:
  ``type aliases compat_aliases description wildcard default_value hidden sets``, plus
  ``pipeline`` / ``mandatory`` / ``position`` which apply to every set the parameter is in.
- ``{op: rename_parameter, name: N, to: M}``; ``{op: add_alias, name: N, alias: A}``;
  ``{op: remove_parameter, name: N}``.
- ``{op: add_common_parameter, name: N}``: the doc's CommonParameters list lacks N.
- ``{op: set_example, index: I, title/code/remarks: V}``.
- ``{op: replace_syntax, generate: true}``: rebuild every set's SYNTAX from the (patched)
  parameters after all patches ran; or ``{op: replace_syntax, syntax: {Set: text}}``.

An operation whose target does not exist is an error: a stale erratum must not pass quietly.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .syntax import ALL_SETS, generate_syntax

PARAMETER_FIELDS = frozenset({"type", "aliases", "compat_aliases", "description", "wildcard",
                              "default_value", "hidden", "sets"})
MEMBERSHIP_FIELDS = frozenset({"pipeline", "mandatory", "position"})
ERRATUM_KEYS = ("id", "doc", "source", "error", "resolution", "patch")


class PatchError(Exception):
    """An erratum cannot be applied (unknown op, missing target, bad value)."""


def apply_errata(imported: Mapping[str, Any], errata: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """A new mapping: ``imported`` with every erratum's patch applied and ``errata`` attached."""
    doc = copy.deepcopy(dict(imported))
    regenerate = False
    for erratum in errata:
        missing = [key for key in ("id", "error", "resolution") if not erratum.get(key)]
        if missing:
            raise PatchError(f"erratum {erratum.get('id', '?')!r} lacks {', '.join(missing)}")
        for op in erratum.get("patch") or []:
            try:
                regenerate = _apply(doc, op) or regenerate
            except PatchError as exc:
                raise PatchError(f"erratum {erratum['id']!r}: {exc}") from None
    if regenerate:
        doc["syntax"] = generate_syntax(doc)
    doc["errata"] = [{key: copy.deepcopy(e[key]) for key in ERRATUM_KEYS if key in e} for e in errata]
    return doc


def _param(doc: dict[str, Any], name: str) -> dict[str, Any]:
    folded = str(name).casefold()
    for param in doc.get("parameters") or []:
        if param["name"].casefold() == folded:
            return param  # type: ignore[no-any-return]
    raise PatchError(f"no parameter -{name}")


def _op_set(doc: dict[str, Any], op: Mapping[str, Any]) -> bool:
    field = op.get("field")
    if not field or field in ("parameters", "errata"):
        raise PatchError(f"set: bad field {field!r}")
    doc[field] = copy.deepcopy(op.get("value"))
    return False


def _op_add_parameter(doc: dict[str, Any], op: Mapping[str, Any]) -> bool:
    param = copy.deepcopy(dict(op.get("parameter") or {}))
    if not param.get("name") or not param.get("type"):
        raise PatchError("add_parameter needs a parameter with name and type")
    params: list[dict[str, Any]] = doc.setdefault("parameters", [])
    if any(p["name"].casefold() == param["name"].casefold() for p in params):
        raise PatchError(f"add_parameter: -{param['name']} already exists")
    full = {"name": param.pop("name"), "type": param.pop("type"), "aliases": param.pop("aliases", []),
            "description": param.pop("description", ""), "wildcard": param.pop("wildcard", False),
            "default_value": param.pop("default_value", None),
            "sets": param.pop("sets", {ALL_SETS: {"mandatory": False, "position": None, "pipeline": []}})}
    full.update(param)
    after = op.get("after")
    index = params.index(_param(doc, after)) + 1 if after else len(params)
    params.insert(index, full)
    return False


def _op_set_parameter(doc: dict[str, Any], op: Mapping[str, Any]) -> bool:
    param = _param(doc, op.get("name", ""))
    changes = {k: v for k, v in op.items() if k not in ("op", "name")}
    unknown = set(changes) - PARAMETER_FIELDS - MEMBERSHIP_FIELDS
    if unknown or not changes:
        raise PatchError(f"set_parameter -{param['name']}: bad fields {sorted(unknown) or '(none)'}")
    for key, value in changes.items():
        if key in MEMBERSHIP_FIELDS:
            for member in param["sets"].values():
                member[key] = copy.deepcopy(value)
        else:
            param[key] = copy.deepcopy(value)
    return False


def _op_rename_parameter(doc: dict[str, Any], op: Mapping[str, Any]) -> bool:
    param = _param(doc, op.get("name", ""))
    new = op.get("to")
    if not new:
        raise PatchError("rename_parameter needs 'to'")
    param["name"] = new
    return False


def _op_add_alias(doc: dict[str, Any], op: Mapping[str, Any]) -> bool:
    param = _param(doc, op.get("name", ""))
    alias = op.get("alias")
    if not alias or alias in param["aliases"]:
        raise PatchError(f"add_alias -{param['name']}: bad or duplicate alias {alias!r}")
    param["aliases"].append(alias)
    return False


def _op_remove_parameter(doc: dict[str, Any], op: Mapping[str, Any]) -> bool:
    doc["parameters"].remove(_param(doc, op.get("name", "")))
    return False


def _op_add_common_parameter(doc: dict[str, Any], op: Mapping[str, Any]) -> bool:
    names: list[str] = doc.setdefault("common_parameter_names", [])
    name = op.get("name")
    if not name or name in names:
        raise PatchError(f"add_common_parameter: bad or duplicate name {name!r}")
    names.append(name)
    return False


def _op_set_example(doc: dict[str, Any], op: Mapping[str, Any]) -> bool:
    examples = doc.get("examples") or []
    index = op.get("index")
    if not isinstance(index, int) or not 0 <= index < len(examples):
        raise PatchError(f"set_example: no example {index!r}")
    for key in ("title", "code", "remarks"):
        if key in op:
            examples[index][key] = op[key]
    return False


def _op_replace_syntax(doc: dict[str, Any], op: Mapping[str, Any]) -> bool:
    if op.get("generate"):
        return True
    syntax = op.get("syntax")
    if not isinstance(syntax, Mapping) or not syntax:
        raise PatchError("replace_syntax needs generate: true or a syntax mapping")
    doc["syntax"] = dict(syntax)
    return False


_OPS: dict[str, Callable[[dict[str, Any], Mapping[str, Any]], bool]] = {
    "set": _op_set,
    "add_parameter": _op_add_parameter,
    "set_parameter": _op_set_parameter,
    "rename_parameter": _op_rename_parameter,
    "add_alias": _op_add_alias,
    "remove_parameter": _op_remove_parameter,
    "add_common_parameter": _op_add_common_parameter,
    "set_example": _op_set_example,
    "replace_syntax": _op_replace_syntax,
}


def _apply(doc: dict[str, Any], op: Mapping[str, Any]) -> bool:
    """Apply one op; True when the syntax must be regenerated at the end."""
    if not isinstance(op, Mapping):
        raise PatchError(f"patch entry is not a mapping: {op!r}")
    handler = _OPS.get(str(op.get("op")))
    if handler is None:
        raise PatchError(f"unknown op {op.get('op')!r} (known: {', '.join(sorted(_OPS))})")
    return handler(doc, op)
