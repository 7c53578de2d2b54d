"""Secrets never reach the shell's history file, and one redact() rule serves the whole project."""

from __future__ import annotations

import ast
import os
import stat
import sys
from pathlib import Path

import pexpect
import pytest

from pscompat.redaction import REDACTED, redact
from pscompat.script.history import is_sensitive, save_history

SRC = Path(__file__).resolve().parents[2] / "src" / "pscompat"
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzdHVkZW50In0.c2lnbmF0dXJlLXNlY3JldA"


def test_longer_secrets_are_replaced_first() -> None:
    # a pass that is the start of a client secret: replacing the pass first leaves the secret's tail
    assert redact("secret=abcd1234XYZ pass=abcd1234", ["abcd1234", "abcd1234XYZ"]) == \
        f"secret={REDACTED} pass={REDACTED}"
    assert redact("a b c", ["a", "", None]) == "a b c"     # too short to be a secret


def test_every_host_uses_the_one_redact() -> None:
    from pscompat.connect.handler import scrub
    from pscompat.host import Host
    from pscompat.script.scripthost import ScriptHost
    for host in (Host(), ScriptHost()):
        host.add_secret("abcd1234")
        host.add_secret("abcd1234XYZ")
        assert host.redact("x abcd1234XYZ y") == f"x {REDACTED} y"
    assert scrub("x abcd1234XYZ y", "abcd1234", "abcd1234XYZ") == f"x {REDACTED} y"


def test_no_second_copy_of_the_redaction_rule() -> None:
    """No module but pscompat.redaction spells the redaction marker or a set of secret field
    names: the hosts, the Debug renderer, the trace comparer and the lab's recorder all import
    them (the lab may: redaction is a leaf)."""
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.name == "redaction.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value == REDACTED:
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "frozenset" \
                    and node.args and isinstance(node.args[0], ast.Set) \
                    and any(isinstance(e, ast.Constant) and e.value == "temporaryaccesspass" for e in node.args[0].elts):
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno} (secret field names)")
    assert not offenders


def test_one_rule_for_secret_fields_in_bodies() -> None:
    """A body's secret fields are redacted alike by the Debug renderer and the lab's HAR
    recorder: at any depth, whatever their case; an empty or null value is kept as it is."""
    import json

    from pscompat.lab.har import redact_body as har_body
    from pscompat.redaction import SECRET_FIELDS, redact_json
    from pscompat.render.debug import redact_body as debug_body
    body = {"temporaryAccessPass": "Xy7!abcd", "nested": [{"Password": "P@ssw0rd!", "client_assertion": "eyJ.x.y"}],
            "passwordProfile": {"password": "Other-1!"}, "secret": "", "refresh_token": None, "lifetimeInMinutes": 60}
    expected = {"temporaryAccessPass": REDACTED, "nested": [{"Password": REDACTED, "client_assertion": REDACTED}],
                "passwordProfile": {"password": REDACTED}, "secret": "", "refresh_token": None, "lifetimeInMinutes": 60}
    assert redact_json(body) == expected
    raw = json.dumps(body).encode()
    assert json.loads(har_body(raw, "application/json")) == expected == json.loads(debug_body(raw))
    assert {"temporaryaccesspass", "client_secret", "password", "access_token"} <= SECRET_FIELDS


@pytest.mark.parametrize(("line", "sensitive"), [
    (f'Connect-MgGraph -AccessToken "{TOKEN}"', True),
    ("$s = ConvertTo-SecureString 'P@ss' -AsPlainText -Force", True),
    ("Connect-MgGraph -ClientId a -ClientSecret xyz", True),
    ("$cred.Password", True),
    ("pscompat lab signin -pass 'Xy7!abcd'", True),
    ("New-PnPAzureADUserTemporaryAccessPass -Identity x", False),
    ("New-MgUserAuthenticationTemporaryAccessPassMethod -UserId AdeleV@contoso.lab", False),
    ("Get-Date", False),
    ("$passengers = 3", False),
])
def test_sensitive_lines_follow_psreadline(line: str, sensitive: bool) -> None:
    assert is_sensitive(line) is sensitive


def test_save_history_drops_sensitive_lines_and_is_0600(tmp_path: Path) -> None:
    import readline
    readline.clear_history()
    for line in ("Get-Date", f'Connect-MgGraph -AccessToken "{TOKEN}"', "$x = 1"):
        readline.add_history(line)
    path = tmp_path / "state" / "shell_history"
    save_history(readline, str(path))
    readline.clear_history()
    text = path.read_text()
    assert "Get-Date" in text and "$x = 1" in text and TOKEN not in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_token_typed_in_the_shell_is_not_saved(tmp_path: Path) -> None:
    env = dict(os.environ, TERM="dumb", PYTHONUNBUFFERED="1", XDG_STATE_HOME=str(tmp_path), HOME=str(tmp_path),
               PSCOMPAT_CONFIG_DIR=str(tmp_path / "config"))
    child = pexpect.spawn(sys.executable, ["-m", "pscompat.cli", "shell"], cwd=str(tmp_path), env=env,
                          encoding="utf-8", timeout=20, dimensions=(40, 200))
    try:
        prompt = f"PS {tmp_path}> "
        child.expect_exact(prompt)
        child.sendline("$before = 1")
        child.expect_exact(prompt)
        child.sendline(f"$token = '{TOKEN}'")
        child.expect_exact(prompt)
        child.sendline("exit")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    history = (tmp_path / "pscompat" / "shell_history").read_text()
    assert "$before = 1" in history and TOKEN not in history
