"""Comment-based help (about_Comment_Based_Help) and Clear-Host (issue 10 item 4).

about_Comment_Based_Help: help keywords (.SYNOPSIS, .DESCRIPTION, .PARAMETER <name>, .EXAMPLE,
.NOTES, .LINK...) in a comment block at the start of a script (or its end), before a function
(no blank line between) or at the start/end of its body; ``Get-Help <script path>``,
``Get-Help <function>``, ``<script> -?`` and ``<function> -?`` show it; without one, Get-Help
shows the syntax built from the param block. Positional parameters follow declaration order.
"""

from __future__ import annotations

import io
from pathlib import Path

from pscompat.script.builtins.console import CLEAR_SCREEN
from pscompat.script.runner import run_file

from .helpers import run

SCRIPT = """<#
.SYNOPSIS
Issues a pass for one user.
.DESCRIPTION
Creates a Temporary Access Pass and prints it.
.PARAMETER UserId
The user's UPN.
.EXAMPLE
./issue.ps1 -UserId adele@contoso.lab

Issues a pass for Adele.
.NOTES
Needs UserAuthMethod-TAP.ReadWrite.All.
#>
param([Parameter(Mandatory)][string]$UserId, [int]$Lifetime = 60, [switch]$OneTime)
"ran $UserId"
"""


def _script(tmp_path: Path) -> Path:
    path = tmp_path / "issue.ps1"
    path.write_text(SCRIPT)
    return path


def test_get_help_of_a_script(tmp_path: Path) -> None:
    path = _script(tmp_path)
    out = run(f"Get-Help '{path}'").out
    assert f"NAME\n    {path}\n" in out
    assert "SYNOPSIS\n    Issues a pass for one user.\n" in out
    assert f"SYNTAX {path} [-UserId] <String> [[-Lifetime] <Int32>] [-OneTime] [<CommonParameters>]" \
        in " ".join(out.split())   # the renderer wraps long lines at the width
    assert "DESCRIPTION\n    Creates a Temporary Access Pass and prints it." in out
    full = run(f"Get-Help '{path}' -Full").out
    assert "-UserId <String>\n        The user's UPN." in full and "Required?                    true" in full
    examples = run(f"Get-Help '{path}' -Examples").out
    assert "./issue.ps1 -UserId adele@contoso.lab" in examples and "Issues a pass for Adele." in examples
    assert "ran" not in out   # help never runs the script


def test_question_mark_shows_help_instead_of_running(tmp_path: Path) -> None:
    path = _script(tmp_path)
    r = run(f"& '{path}' -?")
    assert r.code == 0 and "SYNOPSIS\n    Issues a pass for one user." in r.out and "ran" not in r.out
    from pscompat.script.scripthost import ScriptHost
    out = io.StringIO()
    assert run_file(str(path), ["-?"], host=ScriptHost(out, io.StringIO())) == 0
    assert "Issues a pass for one user." in out.getvalue() and "ran" not in out.getvalue()


def test_function_help_before_inside_and_generated() -> None:
    before = "<#\n.SYNOPSIS\nGets a thing.\n#>\nfunction Get-Thing { param([string]$Name, [switch]$Force) }\n"
    assert "SYNOPSIS\n    Gets a thing." in run(before + "Get-Help Get-Thing").out
    assert "SYNTAX\n    Get-Thing [[-Name] <String>] [-Force]" in run(before + "Get-Thing -?").out
    inside = "function f {\n  # .SYNOPSIS\n  # Does f.\n  param($a)\n}\nGet-Help f"
    assert "SYNOPSIS\n    Does f." in run(inside).out
    bare = run("function g([int]$n) { }; Get-Help g").out   # no help comment: the generated syntax
    assert "SYNOPSIS\n    g [[-n] <Int32>]" in bare
    blank_gap = "<#\n.SYNOPSIS\nNot mine.\n#>\n\n\nfunction h { }\nGet-Help h"
    assert "Not mine." not in run(blank_gap).out


def test_clear_host_writes_nothing_when_not_a_terminal() -> None:
    r = run("Clear-Host; cls; 'x'")
    assert r.out == "x\n" and CLEAR_SCREEN not in r.out
