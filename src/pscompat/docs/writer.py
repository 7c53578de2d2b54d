"""Write paramsets YAML: import a doc, re-apply the errata of the existing file, dump stably.

The dump is deterministic (key order as built, no anchors, multi-line text as ``|`` blocks)
so that the committed files can be compared byte for byte with a fresh import.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errata import apply_errata
from .importer import DocImportError, import_doc


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and not any(line != line.rstrip() for line in value.split("\n")) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_paramsets(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096,
                     default_flow_style=False)


def read_errata(path: Path) -> list[dict[str, Any]]:
    """The errata of an existing paramsets file ([] when there is none)."""
    if not path.exists():
        return []
    try:
        with path.open("rb") as fh:
            raw = yaml.safe_load(fh) or {}
    except yaml.YAMLError as exc:
        raise DocImportError(f"{path}: existing file is not valid YAML ({str(exc).splitlines()[0]})") from None
    errata = raw.get("errata") if isinstance(raw, dict) else None
    if errata is None:
        return []
    if not isinstance(errata, list) or not all(isinstance(e, dict) for e in errata):
        raise DocImportError(f"{path}: 'errata' must be a list of mappings")
    return errata


def stem_for(data: dict[str, Any]) -> str:
    return str(data["cmdlet"])


def build_paramsets(doc_path: str | Path, errata: list[dict[str, Any]]) -> dict[str, Any]:
    """Importer output for ``doc_path`` with ``errata`` applied (the committed form)."""
    return apply_errata(import_doc(doc_path), errata)


@dataclass
class ImportResult:
    doc: Path
    target: Path
    text: str
    changed: bool
    warnings: list[str] = field(default_factory=list)


def import_docs(paths: Iterable[str | Path], out_dir: str | Path, *, check: bool = False) -> list[ImportResult]:
    """Import each doc into ``out_dir/<Cmdlet>.yaml``, keeping and re-applying that file's
    errata. With ``check`` nothing is written; ``changed`` says whether the file is stale."""
    out = Path(out_dir)
    results: list[ImportResult] = []
    for path in paths:
        imported = import_doc(path)
        target = out / f"{stem_for(imported)}.yaml"
        data = apply_errata(imported, read_errata(target))
        text = dump_paramsets(data)
        old = target.read_text(encoding="utf-8") if target.exists() else None
        results.append(ImportResult(Path(path), target, text, old != text, list(imported["import_warnings"])))
    if not check:
        for result in results:
            if result.changed:
                _write_atomically(result.target, result.text)
    return results


def _write_atomically(target: Path, text: str) -> None:
    """Nothing half-written: write a temp file beside the target and rename it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
