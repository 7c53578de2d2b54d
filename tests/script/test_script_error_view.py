"""A script's errors use the same error view as a cmdlet run from bash, plus the script position."""

from __future__ import annotations

import io

from pscompat import invoke
from pscompat.errors import ErrorRecord
from pscompat.render.errors import render_script_error as render_error
from pscompat.render.errors import script_activity, script_position

from .helpers import run

MG = "New-MgUserAuthenticationTemporaryAccessPassMethod"


def test_a_binding_error_shows_the_same_from_bash_and_from_a_script_apart_from_the_position() -> None:
    err = io.StringIO()
    code = invoke.run_cmdlet_argv(MG, ["--error-view", "normal", "-UserId", "x", "-Nope", "1"],
                                  stdout=io.StringIO(), stderr=err)
    assert code == 1
    bash = err.getvalue().split("\n")
    script = run(f"{MG} -UserId x -Nope 1", path="/tmp/t.ps1")
    assert script.code == 0  # a binding error is statement-terminating: the script ends normally (about_Pwsh)
    lines = script.err.split("\n")
    assert lines[1:4] == ["At /tmp/t.ps1:1 char:61", f"+ {MG} -UserId x -Nope 1", "+ " + " " * 60 + "~~~~~"]
    assert lines[:1] + lines[4:] == bash[:-1] + ["", ""]  # and the script's blank line after the error
    assert bash[0] == f"{MG} : A parameter cannot be found that matches parameter name 'Nope'."


def test_the_runner_supplies_position_and_activity() -> None:
    record = ErrorRecord("m", "E", "InvalidOperation", command="Get-Thing",
                         exception_type="System.Management.Automation.RuntimeException")
    assert script_position(record) is None and script_activity(record) == "Get-Thing"
    record.details["position"] = {"path": None, "line": 2, "column": 3, "line_text": "x Get-Thing", "length": 9}
    position = script_position(record)
    assert position is not None and (position.path, position.line, position.column) == (None, 2, 3)
    assert render_error(record) == ("Get-Thing : m\nAt line:2 char:3\n+ x Get-Thing\n+   ~~~~~~~~~\n"
                                    "    + CategoryInfo          : InvalidOperation: (:) [Get-Thing], RuntimeException\n"
                                    "    + FullyQualifiedErrorId : E\n\n")
    runtime = ErrorRecord("boom", "RuntimeException", "OperationStopped",
                          exception_type="System.Management.Automation.RuntimeException")
    assert script_activity(runtime) == ""  # throw / 1/0: no command wrote it
    record.exception_type = "System.Management.Automation.ParameterBindingException"
    assert script_activity(record) == "Get-Thing"
    record.exception_type = "Microsoft.PowerShell.Commands.WriteErrorException"
    assert script_activity(record) == "Write-Error"
