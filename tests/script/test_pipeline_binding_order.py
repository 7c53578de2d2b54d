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
