"""Evaluator semantics: values, operators, scopes, control flow, errors."""

from __future__ import annotations

import datetime as dt

import pytest

from pscompat.errors import ErrorRecord
from pscompat.values import PSHashtable, PSObject

from .helpers import run


def lines(text: str) -> list[str]:
    return run(text).out.splitlines()


@pytest.mark.parametrize(("script", "expected"), [
    ("1 + 2 * 3", "7"), ("'5' + 1", "51"), ("1 + '5'", "6"), ("7 / 2", "3.5"), ("8 / 2", "4"), ("-7 % 3", "-1"),
    ("'ab' * 3", "ababab"), ("10MB / 1MB", "10"), ("0x10 + 1", "17"), ("2.5 + 0.5", "3"),
    ("'a','b' -join '-'", "a-b"), ("-join ('x','y')", "xy"), ("'a-b-c' -split '-' -join '+'", "a+b+c"),
    ("'Hello' -replace 'l+', 'L'", "HeLo"), ("'John Smith' -replace '(\\w+) (\\w+)', '$2, $1'", "Smith, John"),
    ("'abc' -like 'A*'", "True"), ("'abc' -clike 'A*'", "False"), ("'abc' -match '^a(b)'", "True"),
    ("5 -in 1..10", "True"), ("1,2,3 -contains '2'", "True"), ("'10' -eq 10", "True"), ("10 -eq '10.0'", "True"),
    ("$null ?? 'd'", "d"), ("0 ?? 'd'", "0"), ("'{0,5}|{1:D3}' -f 'a', 7", "    a|007"),
    ("[int]'60.5'", "60"), ("[int]'61.5'", "62"), ("[string]42 + 1", "421"), ("[bool]'false'", "True"),
    ("[math]::Round(2.5)", "2"), ("[math]::Round(3.14159, 2)", "3.14"), ("(1..5).Count", "5"),
    ("@(1,2,3)[-1]", "3"), ("@(1,2,3)[0..1] -join ','", "1,2"), ("'abc'[1]", "b"),
    ("$a = 1,2,3; $a.Count", "3"), ("@().Count", "0"), ("@($null).Count", "1"), ("$x = @(); $x += 1; $x.Count", "1"),
    ("-not $true", "False"), ("!$false", "True"), ("$true -and $false -or $true", "True"), ("$true -xor $true", "False"),
    ("'a' -eq 'A'", "True"), ("'a' -ceq 'A'", "False"), ("(1,2,3,2) -eq 2 -join ''", "22"), ("5 -gt 3", "True"),
    ("'b' -gt 'A'", "True"), ("$h = @{a=1}; $h.b = 2; $h.Count", "2"), ("([ordered]@{b=1;a=2}).Keys -join ''", "ba"),
    ("'x' -is [string]", "True"), ("5 -is [int]", "True"), ("'5' -as [int]", "5"), ("'abc' -as [int]", ""),
    ("$i = 5; $i++; $i", "6"), ("$i = 5; ($i++) + $i", "11"), ("$s = 'a'; $s += 'b'; $s", "ab"),
    ("$n = $null; $n ??= 4; $n", "4"), ("\"$(1 + 1) and ${null}x\"", "2 and x"), ("'it''s'", "it's"),
    ("\"tab`there\"", "tab\there"), ("$a, $b = 1, 2, 3; \"$a|$b\"", "1|2 3"),
])
def test_expressions(script: str, expected: str) -> None:
    result = run(script)
    assert result.err == ""
    assert result.out.rstrip("\n") == expected


def test_string_methods() -> None:
    assert lines("$s = '  Hello World  '; $s.Trim(); $s.Trim().ToLower(); $s.Trim().Split(' ')[0]; "
                 "$s.Contains('World'); $s.Trim().StartsWith('Hell'); $s.Trim().Substring(6); $s.Trim().Length") == \
        ["Hello World", "hello world", "Hello", "True", "True", "World", "11"]


def test_datetime_members_and_formats() -> None:
    out = lines("$d = [datetime]'2022-06-05T10:30:00'; $d.AddHours(2).Hour; $d.AddDays(-1).ToString('yyyy-MM-dd'); "
                "$d.ToString('o'); $d.Year; $d.Date.ToString('HH:mm'); $d.DayOfWeek; "
                "([datetime]'2022-06-05T10:30:00Z').ToUniversalTime().ToString('o')")
    assert out == ["12", "2022-06-04", "2022-06-05T10:30:00.0000000", "2022", "00:00", "Sunday",
                   "2022-06-05T10:30:00.0000000Z"]


def test_get_date_value_is_local_kind() -> None:
    result = run("$d = Get-Date; $u = [datetime]::UtcNow; $d.Kind; $u.Kind; ((Get-Date).AddHours(2) -gt (Get-Date))")
    assert result.out.splitlines() == ["Local", "Utc", "True"]


def test_scopes_are_dynamic_and_copy_on_write() -> None:
    out = lines("$x = 1\nfunction f { $x; $x = 2; $x; $script:y = 'set' }\nf\n$x\n$y")
    assert out == ["1", "2", "1", "set"]


def test_functions_params_defaults_switches_and_args() -> None:
    script = ("function Get-Greeting { param([Parameter(Mandatory)][string]$Name, [int]$Times = 1, [switch]$Loud)\n"
              "  $t = \"Hello $Name\" * $Times; if ($Loud) { $t.ToUpper() } else { $t } }\n"
              "Get-Greeting -Name bob\nGet-Greeting bob -Loud\nGet-Greeting -Na ann -Times 2\n"
              "function Simple($a, $b) { \"$a-$b-$($args.Count)\" }\nSimple 1 2 3 4")
    assert lines(script) == ["Hello bob", "HELLO BOB", "Hello annHello ann", "1-2-2"]


def test_function_binding_errors_are_powershell_errors() -> None:
    result = run("function f { param([Parameter(Mandatory)][int]$Count) $Count }\nf -Count abc")
    assert result.code == 0  # statement-terminating: pwsh -File ends normally, exit 0 (about_Pwsh)
    assert "Cannot process argument transformation on parameter 'Count'" in result.err
    assert "At line:2 char:1" in result.err
    result = run("function f { param([Parameter(Mandatory)][int]$Count) $Count }\nf")
    assert "missing mandatory parameters: Count." in result.err
    result = run("function f { [CmdletBinding()] param($Name) }\nf -Nope 1")
    assert "A parameter cannot be found that matches parameter name 'Nope'." in result.err


def test_pipeline_functions_with_process_block() -> None:
    script = ("function Double { param([Parameter(ValueFromPipeline)][int]$N) process { $N * 2 } }\n"
              "1..3 | Double\nfilter Inc { $_ + 1 }\n5,6 | Inc\n"
              "function ByName { param([Parameter(ValueFromPipelineByPropertyName)]$Name) process { \"n=$Name\" } }\n"
              "[pscustomobject]@{Name='x'} | ByName")
    assert lines(script) == ["2", "4", "6", "6", "7", "n=x"]


def test_control_flow() -> None:
    script = ("$r = foreach ($i in 1..10) { if ($i -eq 2) { continue }; if ($i -gt 4) { break }; $i }\n$r -join ','\n"
              "for ($i = 0; $i -lt 3; $i++) { $i }\n$n = 0; while ($n -lt 2) { $n++ }; $n\n"
              "do { $n-- } until ($n -le 0); $n\n"
              ":outer foreach ($a in 1..3) { foreach ($b in 1..3) { if ($b -eq 2) { continue outer }; \"$a$b\" } }\n"
              "switch ('beta') { 'alpha' { 'A' } 'BETA' { 'B' } default { 'D' } }\n"
              "switch -Wildcard ('file.csv') { '*.txt' { 'txt' } '*.csv' { 'csv' } }\n"
              "switch -Regex ('abc123') { '^\\d' { 'digit' } '(\\d+)$' { $Matches[1] } }\n"
              "switch (1, 2) { 1 { 'one'; continue } 2 { 'two' } }")
    assert lines(script) == ["1,3,4", "0", "1", "2", "2", "0", "11", "21", "31", "B", "csv", "123", "one", "two"]


def test_try_catch_finally_and_typed_catch() -> None:
    script = ("try { [int]'x' } catch [System.Management.Automation.RuntimeException] { 'rt:' + $_.FullyQualifiedErrorId }\n"
              "try { throw 'oops' } catch { $_.Exception.Message; $_.CategoryInfo.Category } finally { 'f' }\n"
              "try { Get-Content /nonexistent/x -ErrorAction Stop } catch { $_.Exception.Message }\n"
              "try { try { throw 'inner' } finally { 'inner-finally' } } catch { \"outer:$_\" }\n"
              "$e = $null; Get-Content /nonexistent/y -ErrorAction SilentlyContinue -ErrorVariable e; $e.Count\n"
              "$Error.Count -ge 1")
    assert lines(script) == ["rt:InvalidCastFromStringToInteger", "oops", "OperationStopped", "f",
                             "Cannot find path '/nonexistent/x' because it does not exist.", "inner-finally",
                             "outer:inner", "1", "True"]


def test_error_action_preference_stop_makes_errors_terminating() -> None:
    result = run("$ErrorActionPreference = 'Stop'\nWrite-Error 'first'\n'not reached'")
    assert result.code == 1
    assert "not reached" not in result.out
    assert "first" in result.err and "At line:2 char:1" in result.err


def test_non_terminating_error_continues() -> None:
    result = run("Write-Error 'e1'\n'after'")
    assert result.code == 0
    assert result.out == "after\n"
    assert "e1" in result.err and "WriteErrorException" in result.err


def test_uncaught_throw_shows_error_view_and_exit_code() -> None:
    result = run("'before'\nthrow \"bad $(1+1)\"\n'after'", path="/tmp/demo.ps1")
    assert result.code == 1
    assert result.out == "before\n"
    assert result.err.startswith("bad 2\nAt /tmp/demo.ps1:2 char:1\n+ throw \"bad $(1+1)\"\n+ ~~~~~~~~~~~~~~~~~~")
    assert "FullyQualifiedErrorId : bad 2" in result.err


def test_exit_code_is_honoured() -> None:
    assert run("'x'; exit 7; 'y'").code == 7
    assert run("function f { exit 3 }; f").code == 3


def test_unknown_command_error() -> None:
    result = run("Get-Nothing -X 1")
    assert result.code == 0  # statement-terminating: pwsh -File ends normally, exit 0 (about_Pwsh)
    assert "The term 'Get-Nothing' is not recognized as a name of a cmdlet" in result.err
    assert "CommandNotFoundException" in result.err


def test_method_errors() -> None:
    result = run("$x = $null; $x.ToUpper()")
    assert "You cannot call a method on a null-valued expression." in result.err
    result = run("'abc'.NoSuch()")
    assert "Method invocation failed because [System.String] does not contain a method named 'NoSuch'." in result.err
    result = run("$a = @(1); $a.Add(2)")
    assert 'Exception calling "Add" with "1" argument(s): "Collection was of a fixed size."' in result.err


def test_values_are_pscompat_values() -> None:
    result = run("$h = @{ a = 1; b = @(1, 2) }\n$o = [pscustomobject]@{ When = [datetime]'2022-06-05'; N = 1 }\n"
                 "$l = [System.Collections.Generic.List[string]]::new(); $l.Add('x'); $l.Add('y')\n"
                 "$al = New-Object System.Collections.ArrayList; [void]$al.Add(1)")
    h = result.var("h")
    assert isinstance(h, PSHashtable) and h["A"] == 1 and h["b"] == [1, 2]
    o = result.var("o")
    assert isinstance(o, PSObject) and o.get("when") == dt.datetime(2022, 6, 5)
    assert list(result.var("l")) == ["x", "y"] and list(result.var("al")) == [1]
    assert result.out == ""


def test_splatting_explicit_arguments_win() -> None:
    script = ("function f { param($A, $B) \"$A/$B\" }\n$p = @{ A = 1; B = 2 }\nf @p\nf @p -B 9\n$arr = 'x','y'\nf @arr")
    assert lines(script) == ["1/2", "1/9", "x/y"]


def test_script_blocks_as_values() -> None:
    assert lines("$sb = { param($x) $x * 2 }; & $sb 4; $sb.Invoke(5); (1..3).ForEach({ $_ + 1 }) -join ','; "
                 "(1..6).Where({ $_ % 3 -eq 0 }) -join ','") == ["8", "10", "2,3,4", "3,6"]


def test_member_enumeration_and_hashtable_methods() -> None:
    out = lines("$o = @([pscustomobject]@{N='a'}, [pscustomobject]@{N='b'}); $o.N -join ','\n"
                "$h = @{}; $h.Add('k', 1); $h.ContainsKey('K'); $h.Keys; $h.Remove('k'); $h.Count")
    assert out == ["a,b", "True", "k", "0"]


def test_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PSC_TEST_VAR", "v1")
    assert lines("$env:PSC_TEST_VAR; $env:PSC_NEW = 'n'; $env:PSC_NEW; \"$env:PSC_TEST_VAR\\sub\"") == \
        ["v1", "n", "v1\\sub"]


def test_redirection_and_streams(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "out.txt"
    result = run(f"Write-Error 'hidden' 2>$null\n'to file' > '{target}'\nWrite-Warning 'w'\n"
                 f"$r = Write-Error 'merged' 2>&1; $r.GetType().Name\nWrite-Verbose 'v'\nWrite-Verbose 'v2' -Verbose")
    assert "hidden" not in result.err
    assert target.read_text() == "to file\n"
    assert "WARNING: w" in result.err
    assert "VERBOSE: v2" in result.err and "VERBOSE: v\n" not in result.err
    assert isinstance(result.var("r"), ErrorRecord)


def test_script_param_block_binding_from_argv() -> None:
    script = "param([string]$Path = 'default.csv', [int]$Count = 1, [switch]$WhatIfMode)\n\"$Path|$Count|$WhatIfMode\""
    assert run(script, args=[]).out == "default.csv|1|False\n"
    assert run(script, args=["-Path", "x.csv", "-Count", "0x10", "-WhatIfMode"]).out == "x.csv|16|True\n"
    assert run(script, args=["y.csv", "3"]).out == "y.csv|3|False\n"
    bad = run(script, args=["-Count", "abc"])
    assert bad.code == 1 and "Cannot process argument transformation on parameter 'Count'" in bad.err


def test_validation_attributes() -> None:
    script = ("function f { param([ValidateSet('Red', 'Green')][string]$Color, [ValidateRange(60, 480)][int]$Minutes,"
              " [ValidateNotNullOrEmpty()][string]$Name = 'x') \"$Color $Minutes\" }\n")
    assert run(script + "f -Color red -Minutes 60").out == "red 60\n"
    err = run(script + "f -Color Purple").err
    assert ("Cannot validate argument on parameter 'Color'. The argument \"Purple\" does not belong to the set "
            "\"Red,Green\" specified by the ValidateSet attribute.") in err
    assert "ParameterArgumentValidationError,f" in err
    err = run(script + "f -Minutes 10").err
    assert "The 10 argument is less than the minimum allowed range of 60." in err
    err = run(script + "f -Name ''").err
    assert "The argument is null or empty." in err


def test_call_depth_overflow_is_a_powershell_error() -> None:
    result = run("function f($n) { f ($n + 1) }\nf 0")
    assert result.code == 1
    assert "The script failed due to call depth overflow." in result.err
    assert "Traceback" not in result.err


def test_caught_errors_are_recorded_in_dollar_error() -> None:
    assert run("try { throw 'x1' } catch { }\n$Error[0].Exception.Message").out == "x1\n"


def test_native_commands_and_myinvocation(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = run("$v = echo-native-missing 2>$null\n", path=None)
    assert result.code == 0  # statement-terminating: pwsh -File ends normally, exit 0 (about_Pwsh)
    result = run("$lines = printf 'a\\nb\\n'; $lines.Count; $LASTEXITCODE; false; $LASTEXITCODE\n"
                 "Split-Path -Leaf $MyInvocation.MyCommand.Path", path=str(tmp_path / "job.ps1"))
    assert result.out.splitlines() == ["2", "0", "1", "job.ps1"]


def test_compact_keyword_spacing_and_add_member(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "taps.csv"
    script = ("$users = 'a','b'\nforeach($user in $users){\n  if($user -eq 'a'){ $v = 1 }elseif($user -eq 'x'){ $v = 0 }"
              "else{ $v = 2 }\n  \"$user,$v\" | Out-File -FilePath '" + str(target) + "' -Append\n}\n"
              "try{ throw 'e' }catch{ 'c' }finally{ 'f' }\n"
              "$o = New-Object PSObject; $o | Add-Member -MemberType NoteProperty -Name X -Value 1\n"
              "$o = $o | Add-Member -NotePropertyName Y -NotePropertyValue 2 -PassThru; \"$($o.X)$($o.Y)\"\n"
              "(Get-Date '2022-06-05T10:00:00').ToString('yyyy-MM-ddTHH:mm:ssZ')")
    result = run(script)
    assert result.out.splitlines() == ["c", "f", "12", "2022-06-05T10:00:00Z"]
    assert target.read_text() == "a,1\nb,2\n"


def test_write_error_reports_the_function_invocation() -> None:
    result = run("function Test-It { Write-Error 'in func' }\n\nTest-It", path="/tmp/w.ps1")
    assert result.err.startswith("Test-It : in func\nAt /tmp/w.ps1:3 char:1\n+ Test-It\n+ ~~~~~~~\n")
    assert "FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException,Test-It" in result.err
    result = run("Write-Error 'top'", path="/tmp/w.ps1")
    assert result.err.startswith("/tmp/w.ps1 : top\n    + CategoryInfo          : NotSpecified: (:) [Write-Error]")
    assert "WriteErrorException,w.ps1" in result.err


def test_throwing_dotnet_exceptions_and_typed_catch() -> None:
    out = run("try { throw [System.ArgumentException]::new('bad arg') } catch [System.ArgumentException] { "
              "\"arg:$($_.Exception.Message):$($_.Exception.GetType().FullName)\" } catch { 'other' }\n"
              "try { throw (New-Object System.IO.FileNotFoundException 'nf') } catch [System.IO.IOException] { 'io' }\n"
              "try { throw [System.InvalidOperationException]::new('x') } catch [System.ArgumentException] { 'no' } "
              "catch [System.SystemException] { 'sys' }").out
    assert out.splitlines() == ["arg:bad arg:System.ArgumentException", "io", "sys"]


def test_should_process_and_whatif_in_advanced_functions() -> None:
    script = ("function New-Thing { [CmdletBinding(SupportsShouldProcess)] param([string]$Name)\n"
              "  if ($PSCmdlet.ShouldProcess($Name, 'Create thing')) { \"created $Name\" } }\n"
              "New-Thing -Name a\nNew-Thing -Name b -WhatIf\n$PSCmdlet -eq $null")
    assert run(script).out.splitlines() == ["created a", 'What if: Performing the operation "Create thing" on '
                                            'target "b".', "True"]


def test_called_script_exit_sets_lastexitcode(tmp_path) -> None:  # type: ignore[no-untyped-def]
    child = tmp_path / "child.ps1"
    child.write_text("param($Code) 'child'; exit $Code; 'never'")
    lib = tmp_path / "lib.ps1"
    lib.write_text("function Get-Lib { 'lib' }\n$libVar = 5")
    result = run(f"& '{child}' -Code 4\n\"code=$LASTEXITCODE\"\n. '{lib}'\nGet-Lib; $libVar\n& '{child}' 0; $?")
    assert result.out.splitlines() == ["child", "code=4", "lib", "5", "child", "True"]


def test_double_display_uses_15_significant_digits() -> None:
    assert lines("0.1 + 0.2; 10/3; [double]::MaxValue; 1e20; 1e-5; \"$(1/3)\"") == \
        ["0.3", "3.33333333333333", "1.79769313486232E+308", "1E+20", "1E-05", "0.333333333333333"]


def test_pipeline_into_a_script_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    script = tmp_path / "double.ps1"
    script.write_text("param([Parameter(ValueFromPipeline)][int]$N)\nprocess { $N * 2 }")
    assert run(f"1, 2, 3 | & '{script}'").out.splitlines() == ["2", "4", "6"]
