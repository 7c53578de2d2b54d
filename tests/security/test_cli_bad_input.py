"""Bad command lines: a PowerShell-style error and a non-zero exit, never a Python traceback."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from contextlib import redirect_stderr
from pathlib import Path

import click
import pytest

from pscompat.cliguard import clean_argv, guard

BIN = Path(sys.executable).parent
TRACEBACK = "Traceback (most recent call last)"
NOT_A_SCRIPT = "is not recognized as the name of a script file"


def pscompat(*args: str | bytes, tmp_path: Path, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PSCOMPAT_", "AZURE_"))}
    env.update(HOME=str(tmp_path), PSCOMPAT_QUIET="1", PSCOMPAT_LAB_DB=str(tmp_path / "lab.db"),
               PSCOMPAT_CONFIG_DIR=str(tmp_path / "config"))
    proc = subprocess.run([str(BIN / "pscompat"), *args], input=stdin, capture_output=True, env=env, timeout=60,
                          cwd=tmp_path)
    out = subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode("utf-8", "replace"),
                                      proc.stderr.decode("utf-8", "replace"))
    assert TRACEBACK not in out.stdout + out.stderr
    return out


def test_the_top_level_handler_turns_a_bug_into_one_record() -> None:
    err = io.StringIO()
    with redirect_stderr(err):
        code = guard("New-Thing", ["-Name", "x"], lambda: {}["missing"])
    assert code == 1
    assert err.getvalue() == ("New-Thing: Unexpected KeyError: 'missing' (a pscompat bug; -Debug shows the Python "
                              "detail).\n")


def test_debug_shows_the_python_detail_without_secrets() -> None:
    def boom() -> int:
        raise ValueError("bad value s3cr3t-Value~99")
    err = io.StringIO()
    with redirect_stderr(err):
        code = guard("Connect-MgGraph", ["-ClientSecret", "s3cr3t-Value~99", "-Debug"], boom)
    text = err.getvalue()
    assert code == 1 and "DEBUG: Traceback" in text and "boom" in text
    assert "s3cr3t-Value~99" not in text and "<redacted>" in text


def test_keyboard_interrupt_and_exit_pass_through() -> None:
    with pytest.raises(SystemExit):
        guard("x", [], lambda: sys.exit(3))


def test_undecodable_argv_bytes_become_replacement_characters() -> None:
    raw = os.fsdecode(b"ab\xff")                     # what Python makes of a non-UTF-8 argv word
    # a lone surrogate arrives as ED A0 80: three maximal invalid subparts, three U+FFFD (as .NET decodes them)
    assert clean_argv([raw, "plain", "\ud800x"]) == ["ab\ufffd", "plain", "\ufffd\ufffd\ufffdx"]


def test_run_on_a_device_a_directory_and_a_missing_file(tmp_path: Path) -> None:
    for target in ("/dev/zero", str(tmp_path), str(tmp_path / "missing.ps1")):
        for extra in ((), ("--parse-only",)):
            out = pscompat("run", *extra, target, tmp_path=tmp_path)
            assert out.returncode == 64 and NOT_A_SCRIPT in out.stderr, (target, out.stderr)


def test_run_on_a_binary_file_is_an_error_record(tmp_path: Path) -> None:
    """pwsh parses a binary file as script text: a parse error or, as here, an unknown command."""
    path = tmp_path / "bin.ps1"
    path.write_bytes(bytes(range(256)) * 4)
    out = pscompat("run", str(path), tmp_path=tmp_path)
    assert "FullyQualifiedErrorId" in out.stderr      # the exit code follows pwsh -File's rules
    as_text = bytes(range(1, 256)).decode("latin-1")   # argv cannot hold NUL
    assert pscompat("-c", as_text, tmp_path=tmp_path).returncode == 1


def test_run_on_undecodable_text(tmp_path: Path) -> None:
    path = tmp_path / "latin.ps1"
    path.write_bytes(b"Write-Output 'caf\xe9'\n")
    out = pscompat("run", str(path), tmp_path=tmp_path)
    assert out.returncode == 0 and out.stdout.startswith("caf")


def test_deep_nesting_is_call_depth_overflow(tmp_path: Path) -> None:
    for text in ("(" * 10_000 + "1" + ")" * 10_000, "{" * 10_000 + "}" * 10_000):
        out = pscompat("-c", text, tmp_path=tmp_path)
        assert out.returncode == 1 and ("call depth overflow" in out.stderr or "ParseException" in out.stderr)


def test_translate_deep_nesting(tmp_path: Path) -> None:
    path = tmp_path / "deep.ps1"
    path.write_text("(" * 10_000 + "\n")
    out = pscompat("translate", str(path), tmp_path=tmp_path)
    assert out.returncode != 0 and out.stderr.strip()


def test_invalid_utf8_in_a_cmdlet_argument(tmp_path: Path) -> None:
    out = pscompat(b"New-MgUserAuthenticationTemporaryAccessPassMethod", b"-UserId", b"ab\xff\xed\xa0\x80",
                   tmp_path=tmp_path)
    assert out.returncode == 1 and "ab\ufffd" in out.stderr


def test_run_dash_h_is_help(tmp_path: Path) -> None:
    out = pscompat("run", "-h", tmp_path=tmp_path)
    assert out.returncode == 0 and out.stdout.startswith("Usage: pscompat run")


def _commands() -> list[tuple[str, click.Command]]:
    from pscompat._cli_group import group
    found: list[tuple[str, click.Command]] = []
    ctx = click.Context(group)
    stack: list[tuple[str, click.Command]] = [("pscompat", group)]
    while stack:
        name, command = stack.pop()
        found.append((name, command))
        if isinstance(command, click.Group):
            for sub in command.list_commands(ctx):
                child = command.get_command(ctx, sub)
                if child is not None:
                    stack.append((f"{name} {sub}", child))
    return found


def test_every_numeric_option_is_range_checked() -> None:
    """An int/float option without a range lets 99999 or -1 through to code that overflows.
    ``pscompat lab ...`` options are the lab's own (tests/lab); every other command is held here."""
    unranged = []
    for name, command in _commands():
        if name.startswith("pscompat lab"):
            continue
        for param in command.params:
            if isinstance(param.type, (click.types.IntParamType, click.types.FloatParamType)) and \
                    not isinstance(param.type, (click.IntRange, click.FloatRange)):
                unranged.append(f"{name} {param.name}")
    assert not unranged
    assert len(_commands()) > 10       # the walk reached the lazy subcommands
