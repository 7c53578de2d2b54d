"""Issue 10 item 4: culture-aware comparisons, -replace/-split with script blocks and counts,
the ternary operator, Sort-Object / Group-Object / Measure-Object as PowerShell 7 has them.

Each test quotes what PowerShell's own source or Pester tests assert:
- LanguagePrimitives.Compare/TryCompare and CompareObjectToNull (LanguagePrimitives.cs);
- ObjectCommandComparer (OrderObjectBase.cs): a missing property sorts last in both orders;
- test/powershell/Language/Operators/SplitOperator.Tests.ps1 ("Binary split operator can
  work with different delimiter, max substrings", negative counts, predicates, options);
- test/powershell/Language/Operators/ReplaceOperator.Tests.ps1 ("Replace operator can take a
  ScriptBlock": ``"ID ABC123" -replace "\\b[A-C]+", {return "X" * $_.Value.Length}``);
- Sort-Object.Tests.ps1, Group-Object.Tests.ps1 ("Test for CaseSensitive switch":
  ``'aA','aA','AA','AA' | Group-Object -CaseSensitive`` names aA, AA), Measure-Object.Tests.ps1
  (``"abc","ABC","Def"`` min abc, max Def; the sample standard deviation);
- about_Operators (the ternary operator, PowerShell 7.0).
"""

from __future__ import annotations

import pytest

from .helpers import run


def lines(text: str) -> list[str]:
    r = run(text)
    assert r.code == 0, r.err
    return r.out.splitlines()


@pytest.mark.parametrize(("expr", "expected"), [
    ('"b" -clt "B"', "True"),        # lowercase first at the tertiary level
    ('"a" -clt "B"', "True"),        # letters alphabetically before case
    ('"B" -clt "a"', "False"),
    ('"b" -lt "B"', "False"),        # equal ignoring case
    ('"apple" -lt "Banana"', "True"),
    ('"a-b" -lt "a1"', "True"),      # punctuation before digits
    ('"9" -lt "10"', "False"),       # strings, not numbers
    ('"résumé" -gt "resume"', "True"),  # accents after the base letter
    ('"Z" -cge "z"', "True"),
])
def test_string_comparisons_are_linguistic(expr: str, expected: str) -> None:
    assert lines(expr) == [expected]


def test_replace_with_a_script_block() -> None:
    assert lines('"ID ABC123" -replace "\\b[A-C]+", {return "X" * $_.Value.Length}') == ["ID XXX123"]
    assert lines('"abc" -replace "b", { $_.Value.ToUpper() }') == ["aBc"]
    assert lines('"a1b22" -replace "(\\d)(\\d)?", { "<" + $_.Groups[1].Value + ">" }') == ["a<1>b<2>"]
    r = run('"a" -replace "a", "b", "c"')
    assert "The -replace operator allows only two elements to follow it, not 3." in r.err


@pytest.mark.parametrize(("expr", "expected"), [
    ('"Mercury,Venus,Earth,Mars" -split ",", 2', ["Mercury", "Venus,Earth,Mars"]),
    ('"Mercury,Venus,Earth,Mars" -split ",", -2', ["Mercury,Venus,Earth", "Mars"]),
    ('"a,b,c" -split ",", 0', ["a", "b", "c"]),
    ('"a,b,c" -split ",", 1', ["a,b,c"]),
    ('"a.b.c" -split ".", 0, "SimpleMatch"', ["a", "b", "c"]),
    ('"aXbxc" -csplit "x"', ["aXb", "c"]),
    ('"aXbxc" -split "x"', ["a", "b", "c"]),
    ('"a1b2c3d" -split { $_ -match "\\d" }', ["a", "b", "c", "d"]),
    ('"a1b2c3d" -split { $_ -match "\\d" }, 2', ["a", "b2c3d"]),
    ('"a1b2c3d" -split { $_ -match "\\d" }, -2', ["a1b2c", "d"]),
    ('"one`ntwo" -split "^t", 0, "Multiline"', ["one\n", "wo"]),
])
def test_split_counts_options_and_predicates(expr: str, expected: list[str]) -> None:
    r = run(f"$r = {expr}; $r | ForEach-Object {{ '[' + $_ + ']' }}")
    assert r.code == 0, r.err
    assert r.out == "".join(f"[{x}]\n" for x in expected)


@pytest.mark.parametrize(("expr", "error_id"), [
    ('"abc" -split "B", 0, "RegexMatch,SimpleMatch"', "InvalidSplitOptionCombination"),
    ('"abc" -split "B", 0, "Multiline,Singleline"', "InvalidSplitOptionCombination"),
    ('"abc" -split { $_ -eq "b" }, 0, "IgnoreCase"', "InvalidSplitOptionWithPredicate"),
    ('"abc" -split "b", 0, "Sometimes"', "InvalidCastFromStringToEnum"),
])
def test_split_option_errors(expr: str, error_id: str) -> None:
    r = run(f"{expr}; 'next statement runs'")   # statement-terminating, as every operator error
    assert f"FullyQualifiedErrorId : {error_id}" in r.err and r.out == "next statement runs\n"


def test_ternary() -> None:
    assert lines('$x = 5; $x -gt 3 ? "big" : "small"') == ["big"]
    assert lines('$n = $null; $n ? "y" : $false ? "a" : "b"') == ["b"]   # right-associative
    assert lines('$a = $true ?\n  "yes" :\n  "no"; $a') == ["yes"]
    assert lines('(1 -eq 2) ? 1, 2 : 3, 4') == ["3", "4"]


def test_sort_object_keys_and_directions() -> None:
    assert lines("1, 3, 2 | Sort-Object { -$_ }") == ["3", "2", "1"]
    assert lines('"b", "B", "a", "A" | Sort-Object') == ["a", "A", "b", "B"]
    assert lines('"b", "a", "B", "c" | Sort-Object -Unique') == ["a", "b", "c"]
    assert lines('"b", "a", "B" | Sort-Object -Unique -CaseSensitive') == ["a", "b", "B"]
    people = ("$p = @([pscustomobject]@{N='x'; A=3}, [pscustomobject]@{N='y'; A=1}, [pscustomobject]@{N='z'; A=3}); ")
    assert lines(people + "$p | Sort-Object @{e='A'; Descending=$true}, N | ForEach-Object N") == ["x", "z", "y"]
    assert lines(people + "$p | Sort-Object A -Stable | ForEach-Object N") == ["y", "x", "z"]
    assert lines(people + "$p | Sort-Object A -Top 1 | ForEach-Object N") == ["y"]
    assert lines(people + "$p | Sort-Object A -Bottom 2 | ForEach-Object N") == ["x", "z"]


def test_sort_null_and_missing_properties() -> None:
    """CompareObjectToNull: -1 < $null < 0; a missing property is last in both directions."""
    assert lines('$null, 2, -1, 0 | Sort-Object | ForEach-Object { "[$_]" }') == ["[-1]", "[]", "[0]", "[2]"]
    objs = "[pscustomobject]@{n=2}, [pscustomobject]@{x=1}, [pscustomobject]@{n=1}"
    assert lines(f'{objs} | Sort-Object n | ForEach-Object {{ "$_" }}') == ["@{n=1}", "@{n=2}", "@{x=1}"]
    assert lines(f'{objs} | Sort-Object n -Descending | ForEach-Object {{ "$_" }}') == ["@{n=2}", "@{n=1}", "@{x=1}"]


def test_group_object() -> None:
    r = run("'aA', 'aA', 'AA', 'AA' | Group-Object -CaseSensitive | ForEach-Object { $_.Name + ':' + $_.Count }")
    assert r.out.splitlines() == ["aA:2", "AA:2"]
    assert lines("'b', 'a', 'B', 'c' | Group-Object | ForEach-Object { $_.Name + ':' + $_.Count }") == \
        ["a:1", "b:2", "c:1"]   # one type: sorted (PowerShell 7); case-insensitive
    assert lines("'b', 'a', 'b' | Group-Object") == ["", "Count Name Group", "----- ---- -----",
                                                      "    1 a    {a}", "    2 b    {b, b}", ""]
    assert lines("'b', 'a', 'b' | Group-Object -NoElement") == ["", "Count Name", "----- ----",
                                                                 "    1 a", "    2 b", ""]
    assert lines("$h = 'x', 'y', 'x' | Group-Object -AsHashTable -AsString; $h['x'].Count") == ["2"]
    assert lines("([pscustomobject]@{k=1}, [pscustomobject]@{k=2}) | Group-Object { $_.k % 2 } | "
                 "ForEach-Object Name") == ["0", "1"]
    r = run("'x' | Group-Object -AsString")
    assert "The AsString parameter requires the AsHashTable parameter." in r.err


def test_measure_object() -> None:
    out = lines("1..5 | Measure-Object -AllStats")
    assert "Sum               : 15" in out and "StandardDeviation : 1.58113883008419" in out
    assert "Average           : 3" in out
    assert lines('"abc", "ABC", "Def" | Measure-Object -Minimum -Maximum | ForEach-Object { "$($_.Minimum) '
                 '$($_.Maximum)" }') == ["abc Def"]
    r = run('1, "x", 3 | Measure-Object -Sum | ForEach-Object Sum')
    assert r.out == "4\n" and "NonNumericInputObject" in r.err and 'Input object "x" is not numeric.' in r.err
    assert lines('"hello world`nbye" | Measure-Object -Line -Word -Character') == [
        "", "Lines Words Characters Property", "----- ----- ---------- --------", "    2     3         15", ""]
    objs = "[pscustomobject]@{a=1; ab=2}, [pscustomobject]@{a=3; ab=4}"
    assert lines(f'{objs} | Measure-Object a* -Sum | ForEach-Object {{ "$($_.Property)=$($_.Sum)" }}') == \
        ["a=4", "ab=6"]
    r = run("1, 2 | Measure-Object -Property Nope")
    assert 'The property "Nope" cannot be found in the input for any objects.' in r.err
    assert "GenericMeasurePropertyNotFound" in r.err
