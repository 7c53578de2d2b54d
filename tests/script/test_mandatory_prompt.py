"""A missing mandatory parameter is asked for at a terminal, in scripts and the shell, as
PowerShell does ("cmdlet <name> at command pipeline position 1" / "Supply values for the
following parameters:" / "<Name>: "), and is MissingMandatoryParameter when nobody can answer
(stdin not a terminal, a -Parallel task)."""

from __future__ import annotations

import io

from pscompat.script.evaluator import Interpreter
from pscompat.script.external import make_invoker
from pscompat.script.runner import run_script
from pscompat.script.scripthost import ScriptHost

MG = "New-MgUserAuthenticationTemporaryAccessPassMethod"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(text: str, answers: str, tty: bool = True) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    host = ScriptHost(out, err, Terminal(answers) if tty else io.StringIO(answers))
    interp = Interpreter(host, make_invoker())
    code = run_script(text, None, host=host, interp=interp)
    return code, out.getvalue(), err.getvalue()


def test_a_cmdlet_asks_for_its_mandatory_parameter() -> None:
    code, out, err = _run(f"{MG} -WhatIf", "AdeleV@contoso.lab\n")
    assert code == 0
    assert err.startswith(f"cmdlet {MG} at command pipeline position 1\nSupply values for the following "
                          "parameters:\nUserId: ")
    assert out.startswith("What if: Performing the operation")


def test_a_function_asks_and_converts_the_answer() -> None:
    code, out, err = _run('function Double { param([Parameter(Mandatory)][int]$N) "twice: $($N * 2)" }\nDouble',
                          "21\n")
    assert (code, out) == (0, "twice: 42\n")
    assert "cmdlet Double at command pipeline position 1" in err and "N: " in err


def test_no_terminal_no_prompt() -> None:
    code, out, err = _run(f"{MG} -WhatIf", "AdeleV@contoso.lab\n", tty=False)
    assert "Supply values" not in err and "MissingMandatoryParameter" in err
    code, out, err = _run("function Double { param([Parameter(Mandatory)][int]$N) $N }\nDouble", "", tty=True)
    assert "MissingMandatoryParameter" in err   # end of input at the prompt: the error, as pwsh
