"""Generated scripts (expressions, pipelines, control flow over mixed values) never crash the
evaluator: every failure is a PowerShell ErrorRecord in the error view, never 'internal error'."""

from __future__ import annotations

import random

import pytest

from .helpers import run

# 10KB, not 10MB: statements now run on after a statement-terminating error, and
# ``(1..3) * 10MB`` builds a 31-million-item array (slow in pwsh too).
ATOMS = ["$x", "$y", "1", "2.5", "'a'", '"b $x"', "$null", "$true", "@()", "@(1,'b',$null)", "@{a=1;b='x'}",
         "[pscustomobject]@{N=1;S='q'}", "(Get-Date)", "[datetime]'2022-06-05'", "'2022-06-05'", "0x10", "10KB",
         "$h", "$_", "(1..3)", "'a,b'", "[int]'7'", "-1", "[math]::Round(2.5)", "(@{a=1}).a", "$x.Count", "'abc'.Length"]
BINOPS = ["+", "-", "*", "/", "%", "-eq", "-ne", "-gt", "-like", "-match", "-split", "-join", "-f", "??", "..",
          "-contains", "-in", "-replace", ",", "-and", "-or", "-is", "-as"]
MEMBERS = [".Count", ".Length", ".ToUpper()", ".Split('a')", "[0]", "[-1]", ".Keys", ".ToString()", ".AddDays(1)",
           ".Trim()", ".GetType().Name", ".N"]
COMMANDS = ["ForEach-Object { $_ }", "Where-Object { $_ }", "Sort-Object", "Select-Object -First 1", "Measure-Object",
            "ConvertTo-Json", "Group-Object", "Write-Output", "Out-String", "Format-Table",
            "Select-Object -ExpandProperty N", "Sort-Object -Descending", "ForEach-Object N", "Measure-Object -Sum"]


def _expression(rng: random.Random, depth: int = 0) -> str:
    r = rng.random()
    if depth > 2 or r < 0.4:
        text = rng.choice(ATOMS)
    elif r < 0.8:
        text = f"{_expression(rng, depth + 1)} {rng.choice(BINOPS)} {_expression(rng, depth + 1)}"
    else:
        text = f"({_expression(rng, depth + 1)})"
    if rng.random() < 0.3:
        text = f"({text}){rng.choice(MEMBERS)}"
    return text


def _statement(rng: random.Random) -> str:
    e = lambda: _expression(rng)  # noqa: E731
    return rng.choice([
        lambda: f"$x = {e()}", lambda: f"{e()} | {rng.choice(COMMANDS)}",
        lambda: f"if ({e()}) {{ {e()} }} else {{ {e()} }}", lambda: f"foreach ($y in {e()}) {{ {e()} }}",
        lambda: f"switch ({e()}) {{ 1 {{ 'one' }} default {{ {e()} }} }}",
        lambda: f"try {{ {e()} }} catch {{ $_.Exception.Message }}", lambda: f"$h = {e()}",
    ])()


@pytest.mark.parametrize("seed", range(8))
def test_generated_scripts_never_crash(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PSCOMPAT_NO_NATIVE", "1")
    rng = random.Random(seed)
    for _ in range(60):
        text = "\n".join(_statement(rng) for _ in range(rng.randint(1, 4)))
        result = run(text)
        assert "internal error" not in result.err, text
        assert "Traceback" not in result.err, text
