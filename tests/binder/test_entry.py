"""The cmdlet entry point: -WhatIf lines per set, -Confirm, -?, exit codes and stderr format."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pscompat import invoke
from pscompat.binder import CommandBinder, argv_to_arguments
from pscompat.errors import ErrorRecord
from pscompat.model import load_cmdlet
from pscompat.values import PSObject
from tests.binder.helpers import MG, PNP, PNP_TYPE

BIN = Path(sys.executable).parent
# facts/mg-cmdlets.md, with the set name as the only varying part
WHATIF = ('What if: Performing the operation "New-MgUserAuthenticationTemporaryAccessPassMethod_{}" on target '
          "\"Call remote 'POST /users/{{user-id}}/authentication/temporaryAccessPassMethods' operation\".")


class _Stdin(io.StringIO):
    def isatty(self) -> bool:
        return False


def call(name: str, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = invoke.run_cmdlet_argv(name, list(argv), stdout=out, stderr=err, stdin=_Stdin(stdin))
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(("set_name", "argv"), [
    ("CreateExpanded", ["-UserId", "x", "-WhatIf"]),
    ("CreateExpanded", ["-UserId", "x", "-LifetimeInMinutes", "60", "-wi"]),
    ("Create", ["-UserId", "x", "-BodyParameter", "@{lifetimeInMinutes=60}", "-WhatIf"]),
    ("CreateViaIdentity", ["-InputObject", '@{UserId="x"}', "-BodyParameter", '{"lifetimeInMinutes":60}',
                           "-WhatIf"]),
    ("CreateViaIdentityExpanded", ["-InputObject", '@{UserId="x"}', "-IsUsableOnce", "-WhatIf:$true"]),
])
def test_whatif_line_for_every_mg_set(set_name: str, argv: list[str]) -> None:
    code, out, err = call(MG, *argv)
    assert (code, err) == (0, "")
    assert out == WHATIF.format(set_name) + "\n"


def test_whatif_false_does_not_print_the_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(invoke, "_dispatch", lambda *args: 0)
    code, out, _ = call(MG, "-UserId", "x", "-WhatIf:$false")
    assert code == 0 and "What if" not in out


def test_confirm_asks_powershells_question_and_no_skips(monkeypatch: pytest.MonkeyPatch) -> None:
    reached: list[object] = []
    monkeypatch.setattr(invoke, "_dispatch", lambda inv, *rest: reached.append(inv) or 0)
    code, _, err = call(MG, "-UserId", "x", "-Confirm", stdin="n\n")
    assert code == 0 and not reached
    assert err == ("\nConfirm\nAre you sure you want to perform this action?\n"
                   + WHATIF.format("CreateExpanded")[len("What if: "):] + "\n"
                   '[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  [?] Help (default is "Y"): ')
    code, _, _ = call(MG, "-UserId", "x", "-Confirm", stdin="\n")
    assert code == 0 and len(reached) == 1


def test_confirm_without_an_answer_fails_like_a_non_interactive_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(invoke, "_dispatch", lambda *args: 0)
    code, _, err = call(MG, "-UserId", "x", "-Confirm", stdin="")
    assert code == 1
    assert err.rstrip().endswith("PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.")


def test_binding_error_goes_to_stderr_with_exit_1() -> None:
    code, out, err = call(PNP, "-Identity", "x", "-WhatIf")
    assert (code, out) == (1, "")
    assert err == ("New-PnPEntraIDUserTemporaryAccessPass: A parameter cannot be found that matches parameter "
                   "name 'WhatIf'.\n")


def test_unknown_command() -> None:
    code, _, err = call("New-MgNothing", "-X")
    assert code == 1 and "The term 'New-MgNothing' is not recognized" in err


def test_help_switch() -> None:
    code, out, _ = call(MG, "-?")
    assert code == 0 and "New-MgUserAuthenticationTemporaryAccessPassMethod" in out and "SYNTAX" in out


def test_pnp_pipeline_string_binds_identity() -> None:
    binder = CommandBinder(load_cmdlet(PNP))
    binder.bind_arguments(argv_to_arguments(["-LifeTimeInMinutes", "10"]))
    binder.finish(expect_input=True)
    first = binder.bind_input("johndoe@contoso.onmicrosoft.com")
    assert first.parameters == {"LifeTimeInMinutes": 10, "Identity": "johndoe@contoso.onmicrosoft.com"}
    user = PSObject({"Id": "72e2eb87-c124-4bd9-8e01-a447a1752058"},
                    type_names=["PnP.PowerShell.Commands.Model.EntraID.User"])
    second = binder.bind_input(user)
    assert second.parameters["Identity"] is user and second.bound_from_pipeline == {"Identity"}


def test_mg_pipeline_identity_object_selects_via_identity() -> None:
    binder = CommandBinder(load_cmdlet(MG))
    binder.bind_arguments(argv_to_arguments(["-LifetimeInMinutes", "60"]))
    binder.finish(expect_input=True)
    identity = PSObject({"UserId": "u1"}, type_names=["Microsoft.Graph.PowerShell.Models.IdentitySignInsIdentity"])
    inv = binder.bind_input(identity)
    assert inv.parameter_set == "CreateViaIdentityExpanded"
    assert inv.parameters["InputObject"] is identity


def test_mg_pipeline_number_binds_nothing_and_the_pipeline_goes_on() -> None:
    binder = CommandBinder(load_cmdlet(MG))
    binder.bind_arguments(argv_to_arguments(["-LifetimeInMinutes", "60"]))
    binder.finish(expect_input=True)
    with pytest.raises(ErrorRecord) as info:
        binder.bind_input(5)
    assert info.value.fqid == "InputObjectNotBound,New-MgUserAuthenticationTemporaryAccessPassMethod"
    assert info.value.terminating is False and info.value.target == 5  # written, not thrown
    identity = PSObject({"UserId": "u1"}, type_names=["Microsoft.Graph.PowerShell.Models.IdentitySignInsIdentity"])
    assert binder.bind_input(identity).parameters["InputObject"] is identity


# --- the installed console scripts -------------------------------------------------------------

def script(name: str, *argv: str) -> subprocess.CompletedProcess[str]:
    exe = BIN / name
    if not exe.exists():
        pytest.skip(f"{name} console script not installed")
    return subprocess.run([str(exe), *argv], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=60, env={**os.environ, "PSCOMPAT_STRICT": ""})


def test_cli_whatif() -> None:
    done = script(MG, "-UserId", "x", "-WhatIf")
    assert (done.returncode, done.stdout, done.stderr) == (0, WHATIF.format("CreateExpanded") + "\n", "")


def test_cli_typo() -> None:
    done = script(MG, "-UserId", "x", "-LifetimeInMinute", "60", "-Usr", "y")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == ("New-MgUserAuthenticationTemporaryAccessPassMethod: A parameter cannot be found that "
                           "matches parameter name 'Usr'.\n")


def test_cli_bash_ate_false() -> None:
    done = script(PNP, "-Identity", "x", "-IsUsableOnce:")
    assert done.returncode == 1 and "-IsUsableOnce:'$false'" in done.stderr and "Traceback" not in done.stderr


def test_cli_missing_mandatory_without_terminal() -> None:
    done = script("New-PnPEntraIDUserTemporaryAccessPass")
    assert done.returncode == 1
    assert done.stderr == ("New-PnPEntraIDUserTemporaryAccessPass: Cannot process command because of one or "
                           "more missing mandatory parameters: Identity.\n")


def test_cli_prompts_for_missing_mandatory_on_a_terminal() -> None:
    pexpect = pytest.importorskip("pexpect")
    exe = BIN / MG
    if not exe.exists():
        pytest.skip("console script not installed")
    child = pexpect.spawn(str(exe), ["-WhatIf"], encoding="utf-8", timeout=30)
    try:
        child.expect_exact("cmdlet New-MgUserAuthenticationTemporaryAccessPassMethod at command pipeline position 1")
        child.expect_exact("Supply values for the following parameters:")
        child.expect_exact("UserId: ")
        child.sendline("u1")
        child.expect_exact(WHATIF.format("CreateExpanded"))
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0


def test_fqid_of_pnp_errors_is_the_dotnet_type() -> None:
    with pytest.raises(ErrorRecord) as info:
        CommandBinder(load_cmdlet(PNP)).bind_arguments(argv_to_arguments(["-Nope"]))
    assert info.value.fqid == "NamedParameterNotFound," + PNP_TYPE


def test_strict_option_reaches_the_binder() -> None:
    code, _, err = call(PNP, "-Identity", "x", "-IsUseableOnce", "--strict")
    assert code == 1
    assert err == ("New-PnPEntraIDUserTemporaryAccessPass: A parameter cannot be found that matches parameter "
                   "name 'IsUseableOnce'.\n")


def test_culture_option_reaches_compiled_conversions(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []
    monkeypatch.setattr(invoke, "_dispatch", lambda inv, *rest: seen.append(inv) or 0)
    assert call(PNP, "-Identity", "x", "-StartDateTime", "06/05/2022", "--culture", "en-GB")[0] == 0
    import datetime as dt
    assert seen[0].parameters["StartDateTime"] == dt.datetime(2022, 5, 6)  # type: ignore[attr-defined]


def test_whatif_path_imports_no_graph_http_or_click() -> None:
    code = (
        "import sys\n"
        "sys.argv = ['New-MgUserAuthenticationTemporaryAccessPassMethod', '-UserId', 'x', '-WhatIf']\n"
        "from pscompat.cli import cmdlet_main\n"
        "try:\n    cmdlet_main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('msgraph', 'httpx', 'click', 'kiota_abstractions', 'kiota_http', 'azure', 'starlette', 'yaml')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in heavy}))\n")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
            for _ in range(2)]  # the second run reads the model from the JSON cache, without PyYAML
    assert runs[-1].stdout.splitlines()[-1] == "[]", runs[-1].stdout + runs[-1].stderr


def test_cli_confirm_on_a_terminal_no_sends_nothing() -> None:
    pexpect = pytest.importorskip("pexpect")
    exe = BIN / MG
    if not exe.exists():
        pytest.skip("console script not installed")
    child = pexpect.spawn(str(exe), ["-UserId", "x", "-Confirm"], encoding="utf-8", timeout=30)
    try:
        child.expect_exact("Are you sure you want to perform this action?")
        child.expect_exact('[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  [?] Help (default is "Y"): ')
        child.sendline("?")
        child.expect_exact("N - Skip this operation and proceed with the next operation.")
        child.sendline("n")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
