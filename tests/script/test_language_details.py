"""Issue 10 items 2-4 and review defects: language and built-in details, each against PowerShell's text."""

from __future__ import annotations

import datetime as _dt

import pytest

from pscompat.lang import convert as C
from pscompat.lang.dotnet import cast, format_datetime, ps_string

from .helpers import run


def test_decimal_casts_have_one_owner() -> None:
    """LanguagePrimitives parses decimal text with NumberStyles.Float (1e3 -> 1000) and hex through the
    number parser; casts and the binder share convert.to_decimal, so both agree."""
    assert run("[decimal]'1e3'; [decimal]'0x10'; [decimal]'1.50'; [decimal]'1.25e1'").out == "1000\n16\n1.50\n12.5\n"
    for text in ("1e3", "0x10", "1.50", " 7 "):
        assert cast(text, "decimal") == C.to_decimal(text)
    bad = run("[decimal]'abc'")
    assert ('Cannot convert value "abc" to type "System.Decimal". Error: "The input string \'abc\' was not in a '
            'correct format."') in bad.err


def test_pathinfo_tostring_is_its_path() -> None:
    """PathInfo.ToString() returns Path, so Join-Path (Get-Location) x joins the location, not the type name."""
    result = run("Join-Path (Get-Location) x; \"$(Get-Location)\" -eq (Get-Location).Path")
    assert result.out.splitlines()[0].endswith("/x")
    assert "PathInfo" not in result.out
    assert result.out.splitlines()[1] == "True"


def test_standard_date_formats_use_the_current_culture() -> None:
    """DateTime.ToString("g") under en-US is M/d/yyyy h:mm tt (.NET's en-US ShortDatePattern/ShortTimePattern);
    string interpolation stays invariant."""
    value = _dt.datetime(2026, 12, 5, 8, 18, 7)
    assert format_datetime(value, "g") == "12/5/2026 8:18 AM"
    assert format_datetime(value, "G") == "12/5/2026 8:18:07 AM"
    assert format_datetime(value, "D") == "Saturday, December 5, 2026"
    assert format_datetime(value, "g", "invariant") == "12/05/2026 08:18"
    assert ps_string(value) == "12/05/2026 08:18:07"
    out = run("$d = Get-Date -Date '2026-12-05T08:18:07'; Get-Date -Date $d -f g; $d.ToString('t'); "
              "'{0:d}' -f $d; \"$d\"").out
    assert out == "12/5/2026 8:18 AM\n8:18 AM\n12/5/2026\n12/05/2026 08:18:07\n"


def test_typed_generic_list_variable_is_growable() -> None:
    """[List[object]] $x = @() converts the array to a List (Add works), as the type constraint does in pwsh."""
    result = run("[System.Collections.Generic.List[object]] $x = @()\n$x.Add(1)\n$x.Add('two')\n$x.Count\n"
                 "$x.GetType().Name\n[System.Collections.Generic.List[string]] $s = @(1, 2)\n$s[0].GetType().Name\n"
                 "[System.Collections.ArrayList] $a = @()\n$a.Add(5)\n$a.GetType().FullName")
    assert result.code == 0, result.err
    assert result.out == "2\nList`1\nString\n0\nSystem.Collections.ArrayList\n"


@pytest.mark.parametrize(("typed", "expected"), [("Ig", "Ignore"), ("si", "SilentlyContinue"), ("0", "SilentlyContinue"),
                                                 ("stop", "Stop"), ("Inq", "Inquire"), ("b", "Break")])
def test_action_preference_minimum_disambiguation(typed: str, expected: str) -> None:
    """EnumMinimumDisambiguation: a unique prefix names its enumerator (ActionPreference.Tests.ps1:
    'enum disambiguation works' with -ErrorAction Ig)."""
    value: object = int(typed) if typed.isdigit() else typed
    assert C.to_action_preference(value) == expected


def test_erroraction_ig_in_scripts_ignores() -> None:
    """ActionPreference.Tests.ps1: Get-Process -ErrorAction Ig leaves $error unchanged."""
    result = run("function F { [CmdletBinding()] param() Write-Error 'bad' }\n$n = $Error.Count\n"
                 "F -ea Ig\nGet-Item /no/such/path -ea Ig\n$Error.Count - $n\nF -ea 0\n'end'")
    assert (result.out, result.err) == ("0\nend\n", "")


def test_ambiguous_action_preference_message() -> None:
    """MultipleEnumNameMatch, as Write-Host -ForegroundColor b reports it for Black, Blue."""
    result = run("function F { [CmdletBinding()] param() 'x' }\n"
                 "try { F -ea S } catch { $_.FullyQualifiedErrorId; $_.Exception.Message }")
    assert result.out == (
        "CannotConvertArgumentNoMessage,F\nCannot bind parameter 'ErrorAction'. Cannot convert value \"S\" to type "
        "\"System.Management.Automation.ActionPreference\". Error: \"The identifier name S cannot be processed due "
        "to the inability to differentiate between the following enumerator names: SilentlyContinue, Stop, "
        "Suspend. Try a more specific identifier name.\"\n")


def test_suspend_refused_on_functions_and_cmdlets() -> None:
    """ActionPreference.Tests.ps1: 'ErrorAction = Suspend does not work on functions' -> the FullyQualifiedErrorId
    ParameterBindingFailed,MyHelperFunction (and on cmdlets ParameterBindingFailed,<cmdlet class>)."""
    result = run("function MyHelperFunction { [CmdletBinding()] param() 'Hello' }\n"
                 "try { MyHelperFunction -ErrorAction Suspend; 'Execution OK' } catch { $_.FullyQualifiedErrorId }\n"
                 "try { Get-Date -WarningAction Suspend; 'Execution OK' } catch { $_.FullyQualifiedErrorId }")
    assert result.out == ("ParameterBindingFailed,MyHelperFunction\n"
                          "ParameterBindingFailed,Microsoft.PowerShell.Commands.GetDateCommand\n")


def test_numeric_argument_keeps_its_text_for_string_parameters() -> None:
    """Issue 10 item 2: in argument mode a number token bound to [string] is the text typed; bound to [int]
    it is the number; a number computed or stored in a variable is converted as usual."""
    result = run("function F { param([string]$UserId) \"[$UserId]\" }\n"
                 "F 007\nF -UserId 20d\nF 34uy\nF 6n\nF -UserId:0x10\n$v = 007\nF $v\n"
                 "function N { param([int]$n) $n + 1 }\nN 007\n"
                 "function U { param($x) [string]$x; $x + 1 }\nU 007")
    assert result.out == "[007]\n[20d]\n[34uy]\n[6n]\n[0x10]\n[7]\n8\n007\n8\n"


def test_null_to_a_datetime_parameter_is_a_conversion_error() -> None:
    """about_Type_Conversion: `[datetime]$date = $null` -> Cannot convert null to type "System.DateTime"."""
    result = run("function K { param([datetime]$When) 'bound' }\nK -When $unset")
    assert ("Cannot process argument transformation on parameter 'When'. Cannot convert null to type "
            '"System.DateTime".') in result.err
    assert "bound" not in result.out


def test_drive_colon_without_a_name_is_refused_before_anything_runs() -> None:
    """Tokenizer.ScanVariable: "$u: text" is ParserError InvalidVariableReferenceWithDrive (the underline
    covers the variable and its colon), and nothing of the script runs."""
    result = run("'first'\n$u = 1\nWrite-Host \"User $u: done\"")
    assert result.code == 1 and result.out == ""
    assert result.err.startswith("At line:3 char:18\n+ Write-Host \"User $u: done\"\n+                  ~~~\n"
                                 "Variable reference is not valid. ':' was not followed by a valid variable name "
                                 "character. Consider using ${} to delimit the name.\n")
    assert "FullyQualifiedErrorId : InvalidVariableReferenceWithDrive" in result.err
    assert run('$u = 1; "${u}: ok"; "$($u): ok"; [int]::MaxValue; $env:PATH -ne $null').out == \
        "1: ok\n1: ok\n2147483647\nTrue\n"


@pytest.mark.parametrize("text", ["(" * 10000 + "1" + ")" * 10000, "{" * 10000 + "}" * 10000,
                                  "$x = " + "@(" * 10000 + ")" * 10000])
def test_ten_thousand_nested_levels_are_call_depth_overflow_not_a_traceback(text: str) -> None:
    """Issue 16: deep nesting is PowerShell's ScriptCallDepthException text, never a RecursionError."""
    result = run(text)
    assert result.code == 1
    assert "The script failed due to call depth overflow." in result.err
    assert "Traceback" not in result.err and "RecursionError" not in result.err


def test_stop_parsing_token_passes_the_rest_of_the_line_verbatim(monkeypatch: pytest.MonkeyPatch) -> None:
    """about_Parsing: after --% the rest of the line, up to a newline or an unquoted |, is not parsed;
    %NAME% environment references are expanded; a ; does not end it."""
    monkeypatch.setenv("PSCOMPAT_TEST_GREETING", "hi")
    result = run("function F { $args.Count; $args | ForEach-Object { \"[$_]\" } }\n"
                 "F a --% b $x \"c|d\" %PSCOMPAT_TEST_GREETING% %PSCOMPAT_TEST_UNSET%; 'not a statement'\n"
                 "F --% x | ForEach-Object { \"piped $_\" }\n'end'")
    assert result.out == ("2\n[a]\n[b $x \"c|d\" hi %PSCOMPAT_TEST_UNSET%; 'not a statement']\n"
                          "piped 1\npiped [x]\nend\n")
