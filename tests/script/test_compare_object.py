"""Compare-Object (CompareObjectCommand) and what a mandatory parameter refuses.

Expected results are those of PowerShell's Compare-Object.Tests.ps1 (translated, not copied):
the reference lines ``line 1, line 2, line 3`` against ``line 1, line 2.1, Line 3``; ``1..15``
against ``15..1`` with ``-SyncWindow 6`` gives 15 =>, 1 <=, 1 =>, 15 <=; ``-ExcludeDifferent``
alone outputs nothing; script-block properties are named by their text; empty collections are
allowed, ``$null`` is not. The mandatory rule is ParameterBinderBase's
ValidateNullOrEmptyArgument (facts/powershell-binding.md: a mandatory parameter given ``$null``
-> ParameterArgumentValidationErrorNullNotAllowed; a mandatory string given ``''`` ->
...EmptyStringNotAllowed).
"""

from __future__ import annotations

import pytest

from .helpers import run

REF = "$ref = 'line 1', 'line 2', 'line 3'; $dif = 'line 1', 'line 2.1', 'Line 3'; "


def lines(text: str) -> list[str]:
    r = run(text)
    assert r.code == 0, r.err
    return r.out.splitlines()


def sides(text: str) -> list[str]:
    return lines(text + " | ForEach-Object { '' + $_.InputObject + ' ' + $_.SideIndicator }")


def test_differences_come_difference_side_first() -> None:
    assert sides(REF + "Compare-Object $ref $dif") == ["line 2.1 =>", "line 2 <="]
    assert sides(REF + "Compare-Object $ref $dif -CaseSensitive") == \
        ["line 2.1 =>", "Line 3 =>", "line 2 <=", "line 3 <="]
    assert sides(REF + "Compare-Object $ref $dif -IncludeEqual") == \
        ["line 1 ==", "line 3 ==", "line 2.1 =>", "line 2 <="]
    assert sides("Compare-Object (1..5) (3..7)") == ["6 =>", "7 =>", "1 <=", "2 <="]


def test_exclude_different_needs_include_equal() -> None:
    assert lines(REF + "@(Compare-Object $ref $dif -ExcludeDifferent).Count") == ["0"]
    assert sides(REF + "Compare-Object $ref $dif -ExcludeDifferent -IncludeEqual") == ["line 1 ==", "line 3 =="]


def test_sync_window_bounds_the_held_back_objects() -> None:
    assert sides("Compare-Object (1..15) (15..1) -SyncWindow 6")[:4] == ["15 =>", "1 <=", "1 =>", "15 <="]
    assert sides("Compare-Object 1,2,3 3,2,1 -SyncWindow 0") == ["3 =>", "1 <=", "1 =>", "3 <="]


def test_pipeline_input_is_the_difference_side() -> None:
    assert sides("3..7 | Compare-Object (1..5)") == ["6 =>", "7 =>", "1 <=", "2 <="]
    assert lines("@() | Compare-Object 1, 2 | Measure-Object | ForEach-Object Count") == ["0"]


def test_properties_and_passthru() -> None:
    setup = ("$a = [pscustomobject]@{Name='Ann'; Dept='IT'}, [pscustomobject]@{Name='Bob'; Dept='HR'}; "
             "$b = [pscustomobject]@{Name='Bob'; Dept='Sales'}, [pscustomobject]@{Name='Cy'; Dept='IT'}; ")
    out = lines(setup + "Compare-Object $a $b -Property Name")
    assert [line.split() for line in out if line.strip()] == \
        [["Name", "SideIndicator"], ["----", "-------------"], ["Cy", "=>"], ["Ann", "<="]]
    assert lines(setup + "Compare-Object $a $b -Property Name -PassThru | ForEach-Object { $_.Dept + $_.SideIndicator }") \
        == ["IT=>", "IT<="]
    assert lines(setup + "$null = Compare-Object $a $b -Property Name -PassThru; $b[1].SideIndicator") == ["=>"]
    versions = "$v1 = [pscustomobject]@{Major=1; Minor=2}; $v2 = [pscustomobject]@{Major=5; Minor=6}; "
    block = lines(versions + "Compare-Object $v1 $v2 -IncludeEqual -Property {$_.Major}, {$_.Minor}"
                  " | ForEach-Object { ($_ | Select-Object -ExpandProperty '*Major'), $_.SideIndicator -join ' ' }")
    assert block == ["5 =>", "1 <="]


def test_empty_collections_are_compared_and_null_is_refused() -> None:
    assert lines("Compare-Object @() @()") == []
    assert sides("Compare-Object @() @('diffObject')") == ["diffObject =>"]
    assert sides("Compare-Object @('refObject') @()") == ["refObject <="]
    r = run("Compare-Object -ReferenceObject $nothing -DifferenceObject 1; 'after'")
    assert "Cannot bind argument to parameter 'ReferenceObject' because it is null." in r.err
    assert ("ParameterArgumentValidationErrorNullNotAllowed,Microsoft.PowerShell.Commands.CompareObjectCommand"
            in r.err) and r.out == "after\n"


@pytest.mark.parametrize(("param", "call", "error_id", "text"), [
    ("[Parameter(Mandatory)]$x", "f -x $null", "ParameterArgumentValidationErrorNullNotAllowed", "because it is null."),
    ("[Parameter(Mandatory)][string]$x", "f -x ''", "ParameterArgumentValidationErrorEmptyStringNotAllowed",
     "because it is an empty string."),
    ("[Parameter(Mandatory)][string]$x", "f -x $null", "ParameterArgumentValidationErrorEmptyStringNotAllowed",
     "because it is an empty string."),
    ("[Parameter(Mandatory)][string[]]$x", "f -x @()", "ParameterArgumentValidationErrorEmptyArrayNotAllowed",
     "because it is an empty array."),
    ("[Parameter(Mandatory)][string[]]$x", "f -x 'a', ''", "ParameterArgumentValidationErrorEmptyStringNotAllowed",
     "because it is an empty string."),
    ("[Parameter(Mandatory, ValueFromPipeline)]$x", "$null | f", "ParameterArgumentValidationErrorNullNotAllowed",
     "because it is null."),
])
def test_a_mandatory_parameter_refuses_null_and_empty(param: str, call: str, error_id: str, text: str) -> None:
    r = run(f"function f {{ param({param}) process {{ 'ran' }} }}; {call}; 'after'")
    assert f"Cannot bind argument to parameter 'x' {text}" in r.err and f"{error_id},f" in r.err
    assert "ParameterBindingValidationException" in r.err
    assert r.out == "after\n"


@pytest.mark.parametrize(("param", "call"), [
    ("[Parameter(Mandatory)][AllowNull()]$x", "f -x $null"),
    ("[Parameter(Mandatory)][AllowEmptyString()][string]$x", "f -x ''"),
    ("[Parameter(Mandatory)][AllowEmptyCollection()][string[]]$x", "f -x @()"),
    ("[Parameter()]$x", "f -x $null"),
    ("[Parameter(Mandatory)]$x", "f -x ''"),
])
def test_allowed_or_optional_values_bind(param: str, call: str) -> None:
    assert lines(f"function f {{ param({param}) 'ran' }}; {call}") == ["ran"]


def test_validate_not_null_has_its_own_message() -> None:
    r = run("function f { param([ValidateNotNull()]$x) 'ran' }; f -x ''; f -x $null")
    assert r.out == "ran\n"
    assert "Cannot validate argument on parameter 'x'. The argument is null. Provide a valid value for the " \
           "argument, and then try running the command again." in r.err


def test_a_cast_of_null_to_an_array_type_is_null() -> None:
    assert lines("$null -eq [string[]]$null; ([object[]]$null).Count; [int[]]$null -eq $null") == ["True", "0", "True"]
