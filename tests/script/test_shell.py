"""pscompat shell in a real pseudo-terminal (pexpect): prompt, completion, multi-line input, errors, exit."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest

from pscompat.script.shell import is_incomplete


@pytest.mark.parametrize(("text", "incomplete"), [
    ("$h = @{", True), ("if ($x) {", True), ("'abc", True), ('"abc', True), ("foreach ($i in 1..3) {\n  $i", True),
    ("Get-Date |", True), ("$x = 1", False), ("Get-Date", False), ("$x = )", False), ("@{ a = 1 }", False),
    ("function f {\n param($a)\n", True), ("try { 1 }", True),
])
def test_is_incomplete(text: str, incomplete: bool) -> None:
    assert is_incomplete(text) is incomplete


def test_shell_session(tmp_path: Path) -> None:
    env = dict(os.environ, TERM="dumb", PYTHONUNBUFFERED="1", XDG_STATE_HOME=str(tmp_path))
    child = pexpect.spawn(sys.executable, ["-m", "pscompat.cli", "shell"], cwd=str(tmp_path), env=env,
                          encoding="utf-8", timeout=20, dimensions=(40, 200))
    try:
        prompt = f"PS {tmp_path}> "
        child.expect_exact(prompt)
        child.send("Get-Dat\t")
        child.expect_exact("Get-Date")
        child.send(" -Form\t")
        child.expect_exact("-Format")
        child.sendline(" 'yyyy'")
        child.expect(r"\d{4}\r\n")
        child.expect_exact(prompt)
        child.sendline("$myVariable = 41")
        child.expect_exact(prompt)
        child.send("$myVar\t")
        child.expect_exact("$myVariable")
        child.sendline(" + 1")
        child.expect_exact("42")
        child.expect_exact(prompt)
        child.sendline("$h = @{")
        child.expect_exact(">> ")
        child.sendline("  Name = 'lab'")
        child.expect_exact(">> ")
        child.sendline("}")
        child.expect_exact(prompt)
        child.sendline("$h.Name.ToUpper()")
        child.expect_exact("LAB")
        child.expect_exact(prompt)
        child.sendline("$pw = Read-Host -Prompt 'Secret' -AsSecureString")
        child.expect_exact("Secret: ")
        child.sendline("hunter2-topsecret")
        child.expect_exact(prompt)
        assert "hunter2-topsecret" not in child.before
        child.sendline("$pw.Length; \"$pw\"")
        child.expect_exact("17")
        child.expect_exact("System.Security.SecureString")
        child.expect_exact(prompt)
        child.sendline("Get-Nothing")
        child.expect_exact("The term 'Get-Nothing' is not recognized")
        child.expect_exact(prompt)
        child.sendline("exit 4")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 4
    assert (tmp_path / "pscompat" / "shell_history").exists()


def test_completion_candidates() -> None:
    from pscompat.script.evaluator import Interpreter
    from pscompat.script.shell import Completer
    completer = Completer(Interpreter())
    assert completer.candidates("New-MgUserAuthenticationTemporaryAccessPassMethod -Us", "-Us") == ["-UserId"]
    assert "New-PnPAzureADUserTemporaryAccessPass" in completer.candidates("New-PnPAzure", "New-PnPAzure")
    assert completer.candidates("Get-Date | Select-Object -Ex", "-Ex") == ["-ExcludeProperty", "-ExpandProperty"]
    assert completer.candidates("$x = Get-Da", "Get-Da") == ["Get-Date"]


def test_path_completion(tmp_path: Path) -> None:
    from pscompat.script.evaluator import Interpreter
    from pscompat.script.shell import Completer
    (tmp_path / "users.csv").write_text("x")
    (tmp_path / "reports").mkdir()
    completer = Completer(Interpreter())
    prefix = str(tmp_path) + "/"
    assert completer.candidates(f"Import-Csv {prefix}us", f"{prefix}us") == [f"{prefix}users.csv"]
    assert completer.candidates(f"Get-ChildItem {prefix}re", f"{prefix}re") == [f"{prefix}reports/"]
