"""Pipeline binding order for script functions, as PowerShell's ParameterBinderController
binds each pipeline object: ByValue without type coercion, then ByPropertyName without
coercion, then ByValue with coercion, then ByPropertyName with coercion (a parameter bound in
an earlier pass is done); parameters bound from the pipeline start from their defaults for every
object; an object no parameter takes is the non-terminating InputObjectNotBound error and the
process block does not run for it (about_Parameters, "Accepts pipeline input"; PowerShell's
ParameterBinding Pester tests)."""

from __future__ import annotations

from .helpers import run

T = ("function t { param([Parameter(ValueFromPipeline)][string]$S, "
     "[Parameter(ValueFromPipelineByPropertyName)][int]$Length) process { \"S=$S L=$Length\" } }\n")
U = ("function u { param([Parameter(ValueFromPipeline)][int]$N, "
     "[Parameter(ValueFromPipelineByPropertyName)][string]$Name) process { \"N=$N Name=$Name\" } }\n")


def test_by_value_exact_type_then_by_property_name() -> None:
    # a string binds S by value at once; its Length property binds Length by name
    assert run(T + "'abc' | t").out == "S=abc L=3\n"


def test_coercion_only_after_exact_matches() -> None:
    # no exact match: S takes the object converted to text, Length the property converted to int
    assert run(T + "[pscustomobject]@{Length = '7'; S = 'x'} | t").out == "S=@{Length=7; S=x} L=7\n"
    # Name binds by name without coercion; N (int) cannot take the object and keeps its default
    assert run(U + "[pscustomobject]@{Name = 'bob'} | u").out == "N=0 Name=bob\n"


def test_defaults_are_restored_for_each_object() -> None:
    out = run(U + "[pscustomobject]@{Name = 'bob'}, 5 | u").out
    assert out == "N=0 Name=bob\nN=5 Name=\n"


def test_an_object_nothing_takes_is_an_error_and_the_rest_go_on() -> None:
    r = run("function v { param([Parameter(ValueFromPipeline)][int]$N) process { \"N=$N\" } }\n1, 'x', 3 | v")
    assert r.out == "N=1\nN=3\n"
    assert "The input object cannot be bound to any parameters for the command either because the command does " \
           "not take pipeline input or the input and its properties do not match any of the parameters that take " \
           "pipeline input." in r.err
    assert "FullyQualifiedErrorId : InputObjectNotBound,v" in r.err


def test_table_numbers_as_powershell_7_3() -> None:
    """PowerShell 7.3 (PR #17650, issues #19107/#19463): in a table, doubles, floats and decimals
    use the culture's "N" format (en-US: two decimals, group separators); a list keeps every digit."""
    table = run("[pscustomobject]@{dollar = 1.95; monat = 20.01; pie = 22/7}, "
                "[pscustomobject]@{dollar = 1.1; monat = 20.1; pie = 3.1}").out
    assert table == "\ndollar monat  pie\n------ -----  ---\n  1.95 20.01 3.14\n  1.10 20.10 3.10\n\n"
    assert "2.00 1.46 5" in run("[pscustomobject]@{x = [double]2; y = 1.456789; n = 5} | Format-Table").out
    assert "1,234,567.89 0.10 2.50" in run("[pscustomobject]@{big = 1234567.891; f = [float]0.1; d = [decimal]2.5}").out
    assert run("[pscustomobject]@{x = [double]2; y = 1.456789} | Format-List").out == "\nx : 2\ny : 1.456789\n\n"
    assert run("1234.5; 22/7").out == "1234.5\n3.14285714285714\n"   # scalars keep their digits


def test_single_precision_floats() -> None:
    """[float] is System.Single: 32-bit precision, shown by its shortest text, widened to Double
    (all of its digits) by arithmetic, as PowerShell does."""
    r = run("[float]1.1; ([float]1.1).GetType().Name; [float]1.1 + 0; [double][float]1.1; [float]0.1 * 3; "
            "[float]1.1 -is [float]; [float]1.1 -is [double]; [float]::Parse('2.5')")
    assert r.out.splitlines() == ["1.1", "Single", "1.10000002384186", "1.10000002384186", "0.300000004470348",
                                  "True", "False", "2.5"]
