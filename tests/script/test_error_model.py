"""PowerShell's three kinds of error in scripts (issue 10 item 1), each test naming the PowerShell
test or engine source that asserts the behaviour."""

from __future__ import annotations

import pytest

from .helpers import run


def out_lines(text: str) -> list[str]:
    return run(text).out.splitlines()


# ------------------------------------------------------------------ statement-terminating

@pytest.mark.parametrize("failing", [
    "1/$zero",                                   # runtime exception in an expression
    "[int]::Parse('x')",                         # .NET method exception
    "Get-NoSuchCommand",                         # CommandNotFound
    "Get-Date -NoSuchParameter 1",               # parameter binding error
    "Get-Date -Year 'abc'",                      # ParameterArgumentTransformation
])
def test_a_statement_terminating_error_stops_the_statement_and_the_next_one_runs(failing: str) -> None:
    """CommandErrorHandling.Tests.ps1 ('ExpressionThrowException'/'MethodInvocationThrowException'
    emit an error with the default error action and the next statement's 'verbose-message' is
    written); MiscOps.cs ExceptionHandlingOps.CheckActionPreference reports and continues."""
    result = run(f"$zero = 0\n{failing}\n'next: ' + $?\n$Error.Count")
    assert result.code == 0
    assert result.out.splitlines() == ["next: False", "1"]
    assert "FullyQualifiedErrorId" in result.err


def test_inside_a_function_the_statement_stops_and_the_function_goes_on() -> None:
    """CommandErrorHandling.Tests.ps1: ``function ExpressionThrowException { 1/0; Write-Verbose
    'verbose-message' }`` writes the error and then the verbose message; ``$?`` after the call is
    False because the function reported an error (about_Automatic_Variables, ``$?``)."""
    result = run("function f { 1/$zero; 'after-in-f' }\n$zero = 0\nf\n\"after f: $?\"")
    assert result.out.splitlines() == ["after-in-f", "after f: False"]
    assert "Attempted to divide by zero." in result.err


def test_error_holds_the_record_with_powershell_ids() -> None:
    """CommandErrorHandling.Tests.ps1: a method exception's FQID is the inner exception's type
    name ('ArgumentNullException'); a division by zero is a RuntimeException wrapping
    System.DivideByZeroException."""
    assert out_lines("$z = 0\n[int]::Parse('x')\n$Error[0].FullyQualifiedErrorId\n"
                     "$Error[0].Exception.InnerException.GetType().FullName\n"
                     "1/$z\n$Error[0].FullyQualifiedErrorId\n$Error[0].Exception.GetType().FullName\n"
                     "$Error[0].Exception.InnerException.GetType().FullName\n$Error[0].CategoryInfo.Category") == [
        "FormatException", "System.FormatException",
        "RuntimeException", "System.Management.Automation.RuntimeException", "System.DivideByZeroException",
        "NotSpecified"]


@pytest.mark.parametrize(("preference", "shown", "runs_on"), [
    ("Continue", True, True), ("SilentlyContinue", False, True), ("Ignore", False, True), ("Stop", True, False)])
def test_error_action_preference_decides_a_statement_terminating_error(preference: str, shown: bool,
                                                                        runs_on: bool) -> None:
    """CommandErrorHandling.Tests.ps1 ('MethodInvocationThrowException emits no error with the
    error action SilentlyContinue/Ignore', '... emits terminating error with the error action
    Stop'); the suppressed exception is kept in $Error."""
    result = run(f"$ErrorActionPreference = '{preference}'\n$z = 0\n1/$z\n'after'\n$Error.Count")
    assert ("Attempted to divide by zero." in result.err) is shown
    assert result.out.splitlines() == (["after", "1"] if runs_on else [])
    assert result.code == (0 if runs_on else 1)


# ------------------------------------------------------------------ non-terminating

def test_a_non_terminating_error_lets_the_command_and_pipeline_go_on() -> None:
    """CommandErrorHandling.Tests.ps1 ('WriteErrorCmdlet doesn't stop execution with the default
    error action'); FQID 'Microsoft.PowerShell.Commands.WriteErrorException,<function>'."""
    result = run("function w { Write-Error 'write-error-cmdlet'; 'still here' }\nw\n$Error[0].FullyQualifiedErrorId")
    assert result.out.splitlines() == ["still here", "Microsoft.PowerShell.Commands.WriteErrorException,w"]


def test_error_action_ignore_keeps_error_out_of_dollar_error() -> None:
    """CommandErrorHandling.Tests.ps1 ('... with the error action Ignore and the error doesn't get
    logged in $Error'; SilentlyContinue logs it)."""
    assert out_lines("Write-Error x -ErrorAction Ignore\n$Error.Count\n"
                     "Write-Error y -ErrorAction SilentlyContinue\n$Error.Count") == ["0", "1"]


# ------------------------------------------------------------------ script-terminating

def test_throw_ends_the_script_with_exit_code_1() -> None:
    """about_Pwsh (-File): a script-terminating error sets the exit code to 1;
    CommandErrorHandling.Tests.ps1 ('throw statement should stop execution')."""
    result = run("'before'\nthrow 'throw-exception'\n'after'")
    assert (result.code, result.out) == (1, "before\n")


def test_throw_yields_to_silently_continue() -> None:
    """CommandErrorHandling.Tests.ps1: "The 'throw' statement is special, in that it can be
    suppressed by '-ErrorAction SilentlyContinue/Ignore'"; it is kept in $Error, not shown."""
    result = run("$ErrorActionPreference = 'SilentlyContinue'\nthrow 'throw-exception'\n'after'\n"
                 "$Error[0].FullyQualifiedErrorId")
    assert (result.code, result.out.splitlines(), result.err) == (0, ["after", "throw-exception"], "")


def test_error_action_stop_promotes_a_non_terminating_error() -> None:
    """CommandErrorHandling.Tests.ps1 ("'-ErrorAction Stop' should always stop execution");
    about_Preference_Variables ($ErrorActionPreference = 'Stop')."""
    assert run("Write-Error 'e' -ErrorAction Stop\n'not reached'").code == 1
    result = run("function f { Write-Error 'e' -ErrorAction Stop; 'not in f' }\nf\n'not after'")
    assert (result.code, result.out) == (1, "")


@pytest.mark.parametrize(("script", "code"), [
    ("exit 7", 7), ("'x'\nexit", 0), ("Get-Nope\n'done'", 0), ("throw 'x'", 1),
    ("$LASTEXITCODE = 3\n'normal end'", 0)])
def test_exit_codes_are_those_of_pwsh_file(script: str, code: int) -> None:
    """about_Pwsh, -File: 'the process exit code is determined by the numeric argument used with
    the exit command. With normal termination, the exit code is always 0 ... when a
    script-terminating error occurs, the exit code is set to 1.'"""
    assert run(script).code == code


# ------------------------------------------------------------------ try/catch/finally

@pytest.mark.parametrize(("failing", "catch_type"), [
    ("1/$zero", "DivideByZeroException"), ("1/$zero", "ArithmeticException"), ("1/$zero", "SystemException"),
    ("1/$zero", "System.Exception"), ("1/$zero", "RuntimeException"),
    ("[int]::Parse('x')", "FormatException"), ("[int]::Parse('x')", "MethodInvocationException"),
    ("Get-Nope", "System.Management.Automation.CommandNotFoundException"),
    ("Get-Date -Nope 1", "System.Management.Automation.ParameterBindingException"),
    ("function v { param([ValidateRange(1, 5)][int]$n) }; v -n 9", "ParameterBindingValidationException"),
    ("function t { param([int]$n) }; t -n 'abc'", "ParameterBindingArgumentTransformationException"),
    ("function t { param([int]$n) }; t -n 'abc'", "ParameterBindingException"),
])
def test_typed_catch_follows_the_exception_hierarchy(failing: str, catch_type: str) -> None:
    """TryCatch.Tests.ps1 (typed catch clauses); ExceptionHandlingOps.FindMatchingHandler unwraps
    a RuntimeException to its InnerException, so [DivideByZeroException] takes 1/$zero."""
    script = (f"$zero = 0\ntry {{ {failing} }} catch [System.ArgumentException] {{ 'wrong' }} "
              f"catch [{catch_type}] {{ 'caught' }}")
    assert out_lines(script) == ["caught"]


def test_a_catch_that_does_not_match_lets_the_error_through() -> None:
    """TryCatch.Tests.ps1: an exception no catch clause matches propagates (here to the end)."""
    result = run("$zero = 0\ntry { 1/$zero } catch [System.IO.IOException] { 'no' }\n'next'")
    assert result.out == "next\n" and "Attempted to divide by zero." in result.err


def test_try_catches_errors_of_called_functions_and_finally_always_runs() -> None:
    """about_Try_Catch_Finally: errors in functions called from the try block are caught; the
    finally block runs whether or not an error occurred."""
    assert out_lines("function f { 1/$zero; 'not reached' }\n$zero = 0\n"
                     "try { f } catch { 'caught: ' + $_.Exception.Message } finally { 'finally' }") == [
        "caught: Attempted to divide by zero.", "finally"]


def test_catch_exposes_the_record() -> None:
    """about_Try_Catch_Finally ($_ in a catch block); CommandNotFoundException's CategoryInfo."""
    assert out_lines("try { Get-Nope } catch { $_.CategoryInfo.Reason; $_.FullyQualifiedErrorId; "
                     "$_.CategoryInfo.Category; $_.Exception.GetType().Name }") == [
        "CommandNotFoundException", "CommandNotFoundException", "ObjectNotFound", "CommandNotFoundException"]


# ------------------------------------------------------------------ trap

def test_trap_continue_resumes_after_the_failed_statement() -> None:
    """Trap.Tests.ps1: 'Line after exception should be invoked after continue'."""
    assert out_lines('$a = . {trap {"outer trap"; continue;} "hello"; throw "exception"; "world"}\n'
                     '$a -join ","') == ["hello,outer trap,world"]


def test_trap_in_an_outer_block_takes_errors_of_a_nested_one() -> None:
    """Trap.Tests.ps1: 'Line after exception should NOT be continued when it's from a nested
    script block'."""
    assert out_lines('$a = . {trap {"trapped"; continue;}; . {"hello"; throw "exception"; "world"}}\n'
                     '$a -join ","') == ["hello,trapped"]


def test_trap_break_rethrows_to_the_outer_trap() -> None:
    """Trap.Tests.ps1: 'both inner and outter traps should be triggered'."""
    assert out_lines('$a = . {trap {"outer trap"; continue;}; . {trap {"inner trap"; break;}; "hello"; '
                     'throw "exception"; "world"}}\n$a -join ","') == ["hello,inner trap,outer trap"]


def test_typed_trap_that_does_not_match_is_skipped() -> None:
    """Trap.Tests.ps1: 'Line after exception should NOT be invoked and inner trap should not be
    triggered' ([System.ArgumentException] trap, a RuntimeException thrown)."""
    assert out_lines('$a = . {trap {"outer trap"; continue;}; . {trap [system.Argumentexception] {"inner trap"; '
                     'continue;}; "hello"; throw "exception"; "world"}}\n$a -join ","') == ["hello,outer trap"]


def test_trap_without_flow_keyword_shows_the_error_and_resumes() -> None:
    """about_Trap: a trap without break or continue writes the error and execution continues."""
    result = run("trap { 'in trap' }\n$z = 0\n1/$z\n'after'")
    assert result.out.splitlines() == ["in trap", "after"]
    assert "Attempted to divide by zero." in result.err and result.code == 0


def test_a_bare_throw_in_catch_rethrows_the_caught_error() -> None:
    """about_Throw / about_Try_Catch_Finally: ``throw`` with no expression in a catch block
    rethrows the current exception (outside one it throws ScriptHalted)."""
    result = run("try { Get-Nope } catch { 'caught'; throw }\n'not reached'")
    assert (result.code, result.out) == (1, "caught\n")
    assert "FullyQualifiedErrorId : CommandNotFoundException" in result.err
    assert "ScriptHalted" in run("throw").err
