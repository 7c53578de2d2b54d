"""The YAML model loads, and every cmdlet name and alias has a console script."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from pscompat.model import ModelError, cmdlet_names, data_root, find_cmdlet, load_cmdlet

ROOT = Path(__file__).resolve().parents[1]


def test_every_cmdlet_loads_with_its_paramsets() -> None:
    names = cmdlet_names(include_aliases=False)
    assert "New-MgUserAuthenticationTemporaryAccessPassMethod" in names
    for name in names:
        cmdlet = load_cmdlet(name)
        # Get-MgContext and Disconnect-MgGraph really have no parameters; their docs say so.
        assert cmdlet.paramsets.parameters or cmdlet.paramsets.syntax, name
        assert cmdlet.kind in {"function", "compiled"}, name


def test_aliases_resolve_case_insensitively() -> None:
    cmdlet = find_cmdlet("new-pnpazureaduserTEMPORARYaccesspass")
    assert cmdlet is not None
    assert cmdlet.name == "New-PnPEntraIDUserTemporaryAccessPass"
    assert find_cmdlet("New-NoSuchThing") is None
    with pytest.raises(ModelError):
        load_cmdlet("New-NoSuchThing")


def test_console_scripts_match_cmdlet_names_and_aliases() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    cmdlet_scripts = {name for name, target in scripts.items() if target == "pscompat.cli:cmdlet_main"}
    assert cmdlet_scripts == set(cmdlet_names(include_aliases=True))
    assert scripts["pscompat"] == "pscompat.cli:main"


def test_data_root_is_the_source_tree_in_development() -> None:
    assert (data_root() / "cmdlets").is_dir()
    assert (data_root() / "paramsets").is_dir()


def test_double_dash_help_prints_the_cmdlets_help() -> None:
    import io

    from pscompat.invoke import run_cmdlet_argv

    out, err = io.StringIO(), io.StringIO()
    assert run_cmdlet_argv("New-MgUserAuthenticationTemporaryAccessPassMethod", ["--help"],
                           stdout=out, stderr=err) == 0
    text = out.getvalue()
    assert text.lstrip().startswith("NAME")
    assert "New-MgUserAuthenticationTemporaryAccessPassMethod -UserId <String>" in text
