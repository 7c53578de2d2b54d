"""``pscompat matrix``, ``pscompat translate`` and ``pscompat parity``: thin click wrappers.

Each command turns the user's options into a call of one engine module and maps its result
to an exit code; model errors and bad input become one clear line on stderr and exit 2, never
a traceback (the engines raise ``ToolError`` or ``ModelError`` for those).
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from pscompat.model import ModelError

F = TypeVar("F", bound=Callable[..., Any])


class ToolError(Exception):
    """Bad input to one of the tools (a missing file, a script that does not parse)."""


def _guarded(func: Callable[..., int]) -> Callable[..., None]:
    """Run ``func``; turn ToolError/ModelError/OSError into ``pscompat <cmd>: message`` + exit 2."""
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            code = func(*args, **kwargs)
        except (ToolError, ModelError, OSError) as exc:
            click.echo(f"pscompat: {exc}", err=True)
            sys.exit(2)
        sys.exit(code)
    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


def default_matrix_path() -> Path:
    from pscompat.model import data_root
    return data_root() / "compat-matrix.md"


@click.command(name="matrix")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write (default: compat-matrix.md next to cmdlets/ and paramsets/).")
@click.option("--check", is_flag=True, help="Do not write; exit 1 (with a short diff) when the file is stale.")
@_guarded
def matrix(output: Path | None, check: bool) -> int:
    """Write compat-matrix.md from cmdlets/ and paramsets/ (--check: fail when it is stale)."""
    from .matrix import render_matrix
    target = output or default_matrix_path()
    text = render_matrix()
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if check:
        if current == text:
            click.echo(f"{target.name} is up to date.")
            return 0
        if current is None:
            click.echo(f"{target} does not exist; run `pscompat matrix`.", err=True)
            return 1
        diff = list(difflib.unified_diff(current.splitlines(), text.splitlines(),
                                         f"{target.name} (committed)", f"{target.name} (from the YAML)",
                                         lineterm="", n=1))
        shown = diff[:40]
        click.echo("\n".join(shown), err=True)
        if len(diff) > len(shown):
            click.echo(f"... {len(diff) - len(shown)} more diff lines", err=True)
        click.echo(f"{target.name} is stale; run `pscompat matrix` and commit it.", err=True)
        return 1
    if current != text:
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
        click.echo(f"wrote {target}")
    else:
        click.echo(f"{target.name} is up to date.")
    return 0


def _read_script(path: Path) -> str:
    """The script's text with its line endings untouched (newline='' keeps CRLF)."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return fh.read()
    except UnicodeDecodeError as exc:
        raise ToolError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except FileNotFoundError:
        raise ToolError(f"{path}: no such file") from None


@click.command(name="translate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--write", "mode", flag_value="write", help="Apply the translation to the files.")
@click.option("--check", "mode", flag_value="check", help="Exit 1 when a translation is pending (CI).")
@click.option("--report", is_flag=True, help="Print every change made, not only the differences that remain (stderr).")
@_guarded
def translate(files: tuple[Path, ...], mode: str | None, report: bool) -> int:
    """Rewrite PnP TAP calls in .ps1 scripts into Mg calls (default: print a unified diff)."""
    from .translate import TranslateError, report_lines, translate_text
    pending = 0
    for path in files:
        text = _read_script(path)
        try:
            result = translate_text(text, str(path))
        except TranslateError as exc:
            raise ToolError(str(exc)) from None
        if result.changed:
            pending += 1
        if mode == "write":
            if result.changed:
                tmp = path.with_name(path.name + ".pscompat-tmp")
                with tmp.open("w", encoding="utf-8", newline="") as fh:
                    fh.write(result.translated)
                tmp.replace(path)
                click.echo(f"translated {path} ({result.calls} call(s))")
        elif mode == "check":
            if result.changed:
                click.echo(f"{path}: {result.calls} call(s) to translate", err=True)
        else:
            diff = difflib.unified_diff(result.original.splitlines(keepends=True),
                                        result.translated.splitlines(keepends=True),
                                        str(path), f"{path} (translated)")
            for line in diff:
                click.echo(line, nl=not line.endswith("\n"))
        # What the translation cannot make identical is always explained (stderr, so the diff
        # on stdout stays a clean patch); --report adds every rename, addition and removal.
        for note, line in zip(result.notes, report_lines(result, str(path)), strict=True):
            if report or (mode != "check" and note.kind in EXPLAINED):
                click.echo(line, err=True)
    return 1 if mode == "check" and pending else 0


EXPLAINED = frozenset({"difference", "manual", "added"})


@click.command(name="parity")
@click.argument("a")
@click.argument("b")
@click.option("--script", "scripts", is_flag=True, help="A and B are .ps1 files, not command lines.")
@click.option("--exact", is_flag=True, help="Accept no difference at all, not even the known ones.")
@click.option("--all", "show_all", is_flag=True, help="Show every compared field, not only differences.")
@click.option("--now", default=None, metavar="ISO", help="The frozen instant of both labs (default: now, to the minute).")
@click.option("--scenario", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Lab scenario for the snapshot (default: the packaged one).")
@_guarded
def parity(a: str, b: str, scripts: bool, exact: bool, show_all: bool, now: str | None,
           scenario: Path | None) -> int:
    """Run A and B against identical fresh labs; exit 0 only if they differ by known differences."""
    import tempfile

    from .labrun import LabRunError, LabRunner, LabSnapshot
    from .parity import Subject, describe, run_parity
    if scripts:
        sa = Subject(_read_script(Path(a)), "script", a)
        sb = Subject(_read_script(Path(b)), "script", b)
    else:
        sa, sb = Subject(a), Subject(b)
    try:
        with tempfile.TemporaryDirectory(prefix="pscompat-parity-") as tmp:
            snapshot = LabSnapshot.create(now, scenario, Path(tmp))
            result = run_parity(sa, sb, LabRunner(snapshot, Path(tmp)), exact=exact)
    except LabRunError as exc:
        raise ToolError(str(exc)) from None
    except _parse_errors() as exc:
        raise ToolError(f"cannot parse: {exc}") from None
    click.echo(describe(result, sa, sb, show_equal=show_all), nl=False)
    return 0 if result.ok else 1


def _parse_errors() -> type[Exception]:
    from pscompat.lang.parser import ParseError
    return ParseError
