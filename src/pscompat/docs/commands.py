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


@docs.command(name="generate")
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 when a committed cmdlets/*.yaml differs from a fresh generation.")
def generate_command(check: bool) -> None:
    """Write cmdlets/<Cmdlet>.yaml for the AutoRest Mg cmdlets from paramsets/ and cmdlets/_paths.yaml."""
    from pscompat.model import clear_caches
    from pscompat.model.loader import ModelError, data_root

    from .generate import GenerateError, generate_all

    try:
        results = generate_all(data_root(), check=check)
    except (GenerateError, ModelError, OSError) as exc:
        raise click.ClickException(f"cannot generate: {exc}") from None
    for target, changed in results:
        if check:
            click.echo(f"{target}: {'stale' if changed else 'up to date'}")
        else:
            click.echo(f"{target}: {'written' if changed else 'unchanged'}")
    clear_caches()
    if check and any(changed for _, changed in results):
        raise click.exceptions.Exit(1)


@docs.command(name="compare")
@click.option("--current-dir", "current_dirs", multiple=True, required=True,
              type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="A folder of Microsoft's current docs (repeatable), e.g. ../shared/docs-real/mg.")
@click.option("--seeds", "seed_dirs", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="A folder of seed docs (repeatable); docs/cmdlets is always one.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when cmdlets/_current_docs.yaml is stale.")
def compare_command(current_dirs: tuple[Path, ...], seed_dirs: tuple[Path, ...], check: bool) -> None:
    """Write cmdlets/_current_docs.yaml: where the current docs differ from the docs pscompat binds to."""
    from pscompat.model.loader import data_root

    from .current import compare_all
    from .importer import DocImportError
    from .writer import write_atomically

    root = data_root()
    try:
        text = compare_all(root / "paramsets", [root / "docs" / "cmdlets", *seed_dirs], current_dirs)
    except (DocImportError, OSError, ValueError) as exc:
        raise click.ClickException(f"cannot compare: {exc}") from None
    target = root / "cmdlets" / "_current_docs.yaml"
    old = target.read_text(encoding="utf-8") if target.exists() else None
    if check:
        click.echo(f"{target}: {'up to date' if old == text else 'stale'}")
        if old != text:
            raise click.exceptions.Exit(1)
        return
    if old != text:
        write_atomically(target, text)
    click.echo(f"{target}: {'unchanged' if old == text else 'written'}")


# Get-Help's own parameters, in its metadata order (for prefix matching like PowerShell's).
_HELP_SWITCHES = ("Full", "Detailed", "Examples", "Online")
_HELP_VALUED = ("Name", "Parameter")


@click.command(name="help", context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                                              "help_option_names": ["-h", "--help"]})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def help_command(args: tuple[str, ...]) -> None:
    """Get-Help for a cmdlet: pscompat help <Cmdlet> [-Full|-Detailed|-Examples|-Online|-Parameter Name].

    Options take PowerShell's form (-Full, -full, -Fu, -Parameter:Name) or --full.
    """
    from pscompat.errors import ErrorRecord

    try:
        options = parse_help_args(list(args))
        text = _render(options)
    except ErrorRecord as record:
        from pscompat.render.errors import format_error
        click.echo(format_error(record), err=True)
        raise click.exceptions.Exit(1) from None
    click.echo(text, nl=False)


def parse_help_args(argv: list[str]) -> dict[str, str | bool | None]:
    """Get-Help's arguments, bound the PowerShell way: names by unique prefix, any case,
    ``-Name:value``; the first bare word is -Name."""
    options: dict[str, str | bool | None] = {"Name": None, "Parameter": None, "Full": False, "Detailed": False,
                                             "Examples": False, "Online": False}
    index = 0
    while index < len(argv):
        token = argv[index]
        index += 1
        if token.startswith("-") and len(token) > 1 and not token.lstrip("-")[:1].isdigit():
            raw, colon, value = token.lstrip("-").partition(":")
            matches = [n for n in (*_HELP_SWITCHES, *_HELP_VALUED) if n.casefold().startswith(raw.casefold())]
            exact = [n for n in matches if n.casefold() == raw.casefold()]
            matches = exact or matches
            if not raw or not matches:
                raise _help_error(f"A parameter cannot be found that matches parameter name '{raw}'.",
                                  "NamedParameterNotFound")
            if len(matches) > 1:
                names = " ".join(f"-{n}" for n in matches)
                raise _help_error(f"Parameter cannot be processed because the parameter name '{raw}' is "
                                  f"ambiguous. Possible matches include: {names}.", "AmbiguousParameter")
            name = matches[0]
            if name in _HELP_SWITCHES:
                options[name] = not colon or value.casefold() not in ("$false", "false", "0")
                continue
            if not colon:
                if index >= len(argv):
                    raise _help_error(f"Missing an argument for parameter '{name}'. Specify a parameter of type "
                                      "'System.String' and try again.", "MissingArgument")
                value = argv[index]
                index += 1
            if options[name] is not None:
                raise _help_error(f"Cannot bind parameter because parameter '{name}' is specified more than once. "
                                  "To provide multiple values to parameters that can accept multiple values, use "
                                  'the array syntax. For example, "-parameter value1,value2,value3".',
                                  "ParameterAlreadyBound")
            options[name] = value
        elif options["Name"] is None:
            options["Name"] = token
        else:
            raise _help_error(f"A positional parameter cannot be found that accepts argument '{token}'.",
                              "PositionalParameterNotFound")
    return options


def _help_error(message: str, error_id: str) -> Exception:
    """Get-Help's own binding errors, as PowerShell reports them."""
    from pscompat.errors import ErrorRecord

    return ErrorRecord(message=message, error_id=error_id, category="InvalidArgument", command="Get-Help",
                       fqid_suffix="Microsoft.PowerShell.Commands.GetHelpCommand")


def _render(options: dict[str, str | bool | None]) -> str:
    from .help import render_help, resolve

    name = options["Name"]
    if not name:
        return _overview()
    if options["Online"]:
        _, doc = resolve(str(name))
        online = next((link.split(":", 1)[1].strip() for link in doc.related_links
                       if str(link).startswith("Online Version:")), None)
        return (online or f"{doc.cmdlet} has no online version.") + "\n"
    parameter = options["Parameter"]
    return render_help(str(name), full=bool(options["Full"]), detailed=bool(options["Detailed"]),
                       examples=bool(options["Examples"]),
                       parameter=str(parameter) if parameter is not None else None)


def _overview() -> str:
    from pscompat.model import cmdlet_names
    lines = ["", "TOPIC", "    pscompat help", "", "SHORT DESCRIPTION",
             "    Shows the help of a cmdlet: pscompat help <Cmdlet> [-Full|-Examples|-Parameter Name],",
             "    or <Cmdlet> -?", "", "CMDLETS"]
    lines += [f"    {name}" for name in cmdlet_names()]
    return "\n".join(lines) + "\n"


@click.command(name="completion")
@click.argument("shell", type=click.Choice(["bash"]), default="bash")
@click.option("--install", is_flag=True,
              help="Write the script into bash-completion's user folder, linked for every cmdlet name.")
def completion(shell: str, install: bool) -> None:
    """Print a bash completion script: subcommands, cmdlet names, and parameter names for
    every cmdlet command and for `pscompat <Cmdlet>`. Use: eval "$(pscompat completion bash)"
    in ~/.bashrc, or `pscompat completion bash --install` once."""
    from .completion import bash_script
    from .completion import install as install_script

    script = bash_script()
    if not install:
        click.echo(script, nl=False)
        return
    written = install_script(script)
    click.echo(f"{written[0]} (+{len(written) - 1} cmdlet links); open a new shell to use it.")

