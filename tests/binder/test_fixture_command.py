"""Binder behaviour the seed cmdlets do not exercise: positions, String[], ByPropertyName, prompting.

Uses a fixture command (tests/binder/fixtures/Test-Positional.yaml) built as both a function
and a compiled cmdlet, so FQIDs and conversion paths of both kinds are covered.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml

from pscompat.binder import Argument, CommandBinder, argv_to_arguments
from pscompat.errors import ErrorRecord
from pscompat.model import CmdletDef, parse_paramsets
from pscompat.values import PSObject

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(kind: str = "function", positional: bool = True) -> CmdletDef:
    paramsets = parse_paramsets(yaml.safe_load((FIXTURES / "Test-Positional.yaml").read_text()))
    type_name = "Test-Positional" if kind == "function" else "Fixture.Commands.TestPositionalCommand"
    return CmdletDef(name="Test-Positional", aliases=(), module="Fixture", kind=kind, type_name=type_name,
                     positional_binding=positional, supports_should_process=False, confirm_impact="Medium",
                     family="", paramsets=paramsets, output=None)


def binder(kind: str = "function", **kw: object) -> CommandBinder:
    return CommandBinder(fixture(kind), **kw)  # type: ignore[arg-type]


def run(*argv: str, kind: str = "function") -> dict[str, object]:
    b = binder(kind)
    b.bind_arguments(argv_to_arguments(list(argv)))
    inv = b.finish()
    return {"set": inv.parameter_set, **inv.parameters}


def test_positionals_bind_in_position_order_default_set_first() -> None:
    assert run("alice", "3") == {"set": "ByName", "Name": "alice", "Count": 3}


def test_positional_after_named() -> None:
    assert run("-Count", "2", "bob") == {"set": "ByName", "Count": 2, "Name": "bob"}


def test_positional_binding_off() -> None:
    b = CommandBinder(fixture(positional=False))
    with pytest.raises(ErrorRecord) as info:
        b.bind_arguments(argv_to_arguments(["alice"]))
    assert info.value.fqid == "PositionalParameterNotFound,Test-Positional"


def test_too_many_positionals() -> None:
    with pytest.raises(ErrorRecord) as info:
        run("alice", "3", "extra")
    assert info.value.message == "A positional parameter cannot be found that accepts argument 'extra'."


def test_positional_before_unknown_named_reports_the_first_one() -> None:
    with pytest.raises(ErrorRecord) as info:
        run("-Count", "1", "-Name", "a", "stray", "-Nope")
    assert info.value.error_id == "PositionalParameterNotFound"


def test_string_array_from_comma_list_and_scalar() -> None:
    assert run("-n", "a", "-Tags", "x,y,z")["Tags"] == ["x", "y", "z"]
    assert run("-n", "a", "-Tags", "x")["Tags"] == ["x"]
    assert run("-n", "a", "-Tags", "1,2")["Tags"] == ["1", "2"]


def test_alias_binds_its_parameter() -> None:
    assert run("-n", "a")["Name"] == "a"


def test_sets_resolved_by_named_parameter() -> None:
    assert run("-Id", "7") == {"set": "ById", "Id": 7}


@pytest.mark.parametrize(("kind", "fqid"), [("function", "ParameterArgumentTransformationError,Test-Positional"),
                                            ("compiled", "CannotConvertArgumentNoMessage,Fixture.Commands.TestPositionalCommand")])
def test_conversion_error_kind_depends_on_command_kind(kind: str, fqid: str) -> None:
    with pytest.raises(ErrorRecord) as info:
        run("-Id", "abc", kind=kind)
    assert info.value.fqid == fqid


def test_splatted_argument_loses_to_explicit_one_without_error() -> None:
    b = binder()
    b.bind_arguments([Argument.named("Name", "splat", splatted=True), Argument.named("Name", "explicit"),
                      Argument.named("Count", 5, splatted=True)])
    inv = b.finish()
    assert inv.parameters == {"Name": "explicit", "Count": 5}


def test_typed_values_from_a_script() -> None:
    b = binder()
    b.bind_arguments([Argument.named("Name", "a"), Argument.named("Force", False), Argument.positional(3)])
    assert b.finish().parameters == {"Name": "a", "Force": False, "Count": 3}


def test_typed_string_is_not_a_switch_word() -> None:
    b = binder()
    with pytest.raises(ErrorRecord) as info:
        b.bind_arguments([Argument.named("Name", "a"), Argument.named("Force", "true")])
    assert info.value.error_id == "ParameterArgumentTransformationError"


def test_interactive_prompt_binds_the_answer() -> None:
    answers = iter(["alice"])
    seen: list[tuple[list[str], str]] = []

    def prompt(caption: list[str], label: str) -> str | None:
        seen.append((caption, label))
        return next(answers)

    b = binder(interactive=True, prompt=prompt)
    b.bind_arguments([])
    inv = b.finish()
    assert inv.parameters == {"Name": "alice"}
    assert seen == [(["cmdlet Test-Positional at command pipeline position 1",
                      "Supply values for the following parameters:"], "Name: ")]


def test_interactive_prompt_empty_answer_is_an_empty_string_error() -> None:
    b = binder(interactive=True, prompt=lambda caption, label: "")
    b.bind_arguments([])
    with pytest.raises(ErrorRecord) as info:
        b.finish()
    assert info.value.fqid == "ParameterArgumentValidationErrorEmptyStringNotAllowed,Test-Positional"


def test_non_interactive_is_exactly_one_missing_mandatory_error() -> None:
    b = binder(interactive=False)
    b.bind_arguments([])
    with pytest.raises(ErrorRecord) as info:
        b.finish()
    assert info.value.fqid == "MissingMandatoryParameter,Test-Positional"
    assert info.value.message == "Cannot process command because of one or more missing mandatory parameters: Name."


def test_pipeline_by_value_and_by_property_name() -> None:
    b = binder()
    b.bind_arguments([])
    b.finish(expect_input=True)
    first = b.bind_input("alice")
    assert first.parameter_set == "ByName" and first.parameters == {"Name": "alice"}
    assert first.bound_from_pipeline == {"Name"}
    second = b.bind_input(PSObject({"Id": 9}))
    assert second.parameter_set == "ById" and second.parameters == {"Id": 9}


def test_pipeline_nothing_binds() -> None:
    b = CommandBinder(fixture())
    b.bind_arguments(argv_to_arguments(["-Name", "a"]))
    b.finish(expect_input=True)
    with pytest.raises(ErrorRecord) as info:
        b.bind_input(PSObject({"Other": 1}))
    assert info.value.fqid == "InputObjectNotBound,Test-Positional"


def test_terminal_prompt_text() -> None:
    from pscompat.binder.session import terminal_prompt
    out = io.StringIO()
    answer = terminal_prompt(io.StringIO("u1\n"), out)(["cmdlet X at command pipeline position 1",
                                                        "Supply values for the following parameters:"], "UserId: ")
    assert answer == "u1"
    assert out.getvalue() == ("cmdlet X at command pipeline position 1\nSupply values for the following "
                              "parameters:\nUserId: ")


def test_pipeline_object_coerced_to_string_like_powershell() -> None:
    b = binder()
    b.bind_arguments([])
    b.finish(expect_input=True)
    assert b.bind_input(PSObject({"Other": 1})).parameters == {"Name": "@{Other=1}"}


def test_positional_prefers_an_exact_type_over_the_default_set() -> None:
    # Position 0: default set ByName wants a string; without coercion the int fits ById's Id first.
    assert run("5") == {"set": "ById", "Id": 5}


def test_positional_conversion_error_function_is_thrown() -> None:
    with pytest.raises(ErrorRecord) as info:
        run("-Name", "a", "abc")
    assert info.value.fqid == "ParameterArgumentTransformationError,Test-Positional"
    assert info.value.message.startswith("Cannot process argument transformation on parameter 'Count'.")


def test_positional_conversion_error_compiled_is_reported_for_the_unbound_argument() -> None:
    with pytest.raises(ErrorRecord) as info:
        run("-Name", "a", "abc", kind="compiled")
    assert info.value.fqid == "CannotConvertArgumentNoMessage,Fixture.Commands.TestPositionalCommand"
