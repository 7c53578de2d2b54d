"""Click commands: ``pscompat docs import``, ``pscompat help``, ``pscompat completion``."""

from __future__ import annotations

from pathlib import Path

import click


@click.group(name="docs")
def docs() -> None:
    """platyPS cmdlet docs -> paramsets YAML."""


@docs.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out-dir", default="paramsets", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Where paramsets/<Cmdlet>.yaml files go.")
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 when a committed file differs from a fresh import plus its errata.")
def import_command(files: tuple[Path, ...], out_dir: Path, check: bool) -> None:
    """Import FILE.md (platyPS) into OUT_DIR/<Cmdlet>.yaml, re-applying that file's errata.

    Where SYNTAX and PARAMETERS disagree, PARAMETERS wins; each difference is reported on
    stderr and kept in the file's import_warnings.
    """
    from pscompat.model import clear_caches

    from .errata import PatchError
    from .importer import DocImportError
    from .writer import import_docs

    try:
        results = import_docs(files, out_dir, check=check)
    except (DocImportError, PatchError) as exc:
        raise click.ClickException(str(exc)) from None
    except (OSError, ValueError) as exc:  # yaml errors in an existing target are ValueErrors
        raise click.ClickException(f"cannot import: {exc}") from None
    stale = []
    for result in results:
        for warning in result.warnings:
            click.echo(f"WARNING: {result.doc.name}: {warning}", err=True)
        if check:
            state = "stale" if result.changed else "up to date"
            click.echo(f"{result.target}: {state}")
            if result.changed:
                stale.append(result)
        else:
            click.echo(f"{result.target}: {'written' if result.changed else 'unchanged'}")
    clear_caches()
    if stale:
        raise click.exceptions.Exit(1)
