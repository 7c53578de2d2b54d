"""The binder's ErrorRecords: PowerShell's ParameterBinderStrings, message for message.

One factory per error id so that every message text lives in exactly one place. Each takes the
command (``Target``: display name and FQID suffix) it is raised for.
"""

from __future__ import annotations

from typing import NamedTuple

from pscompat.errors import ErrorRecord

__all__ = ["Target"]


class Target(NamedTuple):
    """Who an error is about: the name the error view prints and the FQID suffix."""

    command: str
    type_name: str


_VALIDATION_EXCEPTION = "System.Management.Automation.ParameterBindingValidationException"


def _record(target: Target, error_id: str, message: str, category: str = "InvalidArgument",
            parameter: str | None = None) -> ErrorRecord:
    record = ErrorRecord(message=message, error_id=error_id, category=category, command=target.command,
                         fqid_suffix=target.type_name,
                         details={"parameter": parameter} if parameter else {})
    if error_id.startswith("ParameterArgumentValidationError"):
        record.exception_type = _VALIDATION_EXCEPTION
    return record


def named_parameter_not_found(target: Target, typed: str) -> ErrorRecord:
    return _record(target, "NamedParameterNotFound",
                   f"A parameter cannot be found that matches parameter name '{typed}'.", parameter=typed)


def positional_parameter_not_found(target: Target, argument: str) -> ErrorRecord:
    return _record(target, "PositionalParameterNotFound",
                   f"A positional parameter cannot be found that accepts argument '{argument}'.")


def missing_argument(target: Target, name: str, type_name: str) -> ErrorRecord:
    return _record(target, "MissingArgument",
                   f"Missing an argument for parameter '{name}'. Specify a parameter of type "
                   f"'{type_name}' and try again.", parameter=name)


def ambiguous_parameter(target: Target, typed: str, candidates: list[str]) -> ErrorRecord:
    listing = "".join(f" -{name}" for name in candidates)
    return _record(target, "AmbiguousParameter",
                   f"Parameter cannot be processed because the parameter name '{typed}' is ambiguous. "
                   f"Possible matches include:{listing}.", parameter=typed)


def ambiguous_parameter_set(target: Target) -> ErrorRecord:
    return _record(target, "AmbiguousParameterSet",
                   "Parameter set cannot be resolved using the specified named parameters. One or more "
                   "parameters issued cannot be used together or an insufficient number of parameters "
                   "were provided.")


def missing_mandatory(target: Target, names: list[str]) -> ErrorRecord:
    listing = "".join(f" {name}" for name in names)
    return _record(target, "MissingMandatoryParameter",
                   f"Cannot process command because of one or more missing mandatory parameters:{listing}.")


def parameter_already_bound(target: Target, name: str) -> ErrorRecord:
    return _record(target, "ParameterAlreadyBound",
                   f"Cannot bind parameter because parameter '{name}' is specified more than once. To "
                   "provide multiple values to parameters that can accept multiple values, use the array "
                   'syntax. For example, "-parameter value1,value2,value3".', parameter=name)


def transformation_error(target: Target, name: str, inner: str) -> ErrorRecord:
    """Functions: ArgumentTypeConverterAttribute failed."""
    return _record(target, "ParameterArgumentTransformationError",
                   f"Cannot process argument transformation on parameter '{name}'. {inner}",
                   category="InvalidData", parameter=name)


def cannot_convert_no_message(target: Target, name: str, inner: str) -> ErrorRecord:
    """Compiled cmdlets (and common parameters): LanguagePrimitives.ConvertTo failed."""
    return _record(target, "CannotConvertArgumentNoMessage", f"Cannot bind parameter '{name}'. {inner}",
                   parameter=name)


def cannot_convert(target: Target, name: str, value_text: str, type_name: str, inner: str) -> ErrorRecord:
    """Compiled cmdlets: a value that can never be this type (a string for a switch, an array)."""
    return _record(target, "CannotConvertArgument",
                   f"Cannot convert '{value_text}' to the type '{type_name}' required by parameter "
                   f"'{name}'. {inner}", parameter=name)


def empty_string_not_allowed(target: Target, name: str) -> ErrorRecord:
    return _record(target, "ParameterArgumentValidationErrorEmptyStringNotAllowed",
                   f"Cannot bind argument to parameter '{name}' because it is an empty string.",
                   category="InvalidData", parameter=name)


def null_not_allowed(target: Target, name: str) -> ErrorRecord:
    return _record(target, "ParameterArgumentValidationErrorNullNotAllowed",
                   f"Cannot bind argument to parameter '{name}' because it is null.",
                   category="InvalidData", parameter=name)


def empty_array_not_allowed(target: Target, name: str) -> ErrorRecord:
    return _record(target, "ParameterArgumentValidationErrorEmptyArrayNotAllowed",
                   f"Cannot bind argument to parameter '{name}' because it is an empty array.",
                   category="InvalidData", parameter=name)


def input_object_not_bound(target: Target) -> ErrorRecord:
    return _record(target, "InputObjectNotBound",
                   "The input object cannot be bound to any parameters for the command either because the "
                   "command does not take pipeline input or the input and its properties do not match any "
                   "of the parameters that take pipeline input.")


def input_object_missing_mandatory(target: Target, names: list[str]) -> ErrorRecord:
    listing = "".join(f" {name}" for name in names)  # BuildMissingParamsString: a space before each
    return _record(target, "InputObjectMissingMandatory",
                   "The input object cannot be bound because it did not contain the information required "
                   f"to bind all mandatory parameters: {listing}")


def shell_ate_value(target: Target, typed: str, is_switch: bool) -> ErrorRecord:
    """pscompat only: ``-Name:`` arrived empty because bash expanded ``$false``/``$var`` to nothing."""
    if is_switch:
        hint = (f"Quote the value so bash keeps it: -{typed}:'$false' (or -{typed}:'$true'), "
                f"or write -{typed}:false / -{typed}:true.")
    else:
        hint = f"Quote the value so bash keeps it, e.g. -{typed}:'value', or pass it as -{typed} value."
    return _record(target, "ArgumentExpandedByShell",
                   f"The argument for parameter '{typed}' is empty: bash expanded what followed "
                   f"'-{typed}:' (such as $false or $variable) to nothing. {hint}", parameter=typed)
