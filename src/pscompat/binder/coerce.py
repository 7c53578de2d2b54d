"""Turning one argument value into the parameter's value: transform, coerce, validate.

Two code paths, as in PowerShell (ParameterBinderBase.BindParameter):

- an advanced *function*'s own parameters carry an ArgumentTypeConverterAttribute: conversion
  happens there, with the invariant culture, and fails as ParameterArgumentTransformationError;
- compiled cmdlets (and the common parameters of any command) go through CoerceTypeAsNeeded:
  current culture, CannotConvertArgumentNoMessage / CannotConvertArgument.

Then a parameter that is mandatory in some set rejects $null and '' (ValidateNullOrEmptyArgument).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pscompat.lang import convert as C

from . import errors
from .metadata import CommandMetadata, ParameterInfo
from .types import convert, is_instance

__all__ = ["NotBindable", "bind_value"]

_WORDS = {"true": True, "false": False}


class NotBindable(Exception):
    """Pipeline binding only: the value does not fit this parameter; try the next one."""


def _bash_words(value: Any, parameter: ParameterInfo, from_text: bool, strict: bool) -> Any:
    """``-Switch:true`` / ``-Switch:false`` from bash (a documented convenience, off in strict mode)."""
    if from_text and not strict and parameter.type.kind in ("switch", "bool") and isinstance(value, str):
        return _WORDS.get(value.strip().casefold(), value)
    return value


def _function_transform(meta: CommandMetadata, parameter: ParameterInfo, value: Any,
                        from_text: bool) -> Any:
    spec = parameter.type
    try:
        if spec.kind in ("switch", "bool") and not spec.array:
            C.check_bool_argument(value, spec.name)
        if spec.kind == "string" and not spec.array and isinstance(value, list | tuple):
            raise C.ConversionError("Cannot convert value to type System.String.")
        return convert(value, spec, C.INVARIANT, from_text=from_text)
    except C.ConversionError as exc:
        raise errors.transformation_error(meta.target, parameter.name, exc.message) from None


def _compiled_coerce(meta: CommandMetadata, parameter: ParameterInfo, value: Any, from_text: bool,
                     culture: str | None) -> Any:
    spec = parameter.type
    if value is None:
        if spec.kind == "switch" and not spec.array:
            return True  # HandleNullParameterForSpecialTypes: a switch given $null is present
        return None
    if spec.kind in ("switch", "bool") and not spec.array:
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float | Decimal):
            return value != 0
        raise errors.cannot_convert(meta.target, parameter.name, C.type_display(value), spec.name, "")
    if isinstance(value, list | tuple) and not spec.array and spec.kind not in ("object", "action"):
        raise errors.cannot_convert(meta.target, parameter.name, C.dotnet_string(value), spec.name,
                                    "Specified method is not supported.")
    if parameter.common:
        culture = C.INVARIANT
    elif culture is None:
        culture = C.current_culture()
    try:
        return convert(value, spec, culture, from_text=from_text)
    except C.ConversionError as exc:
        raise errors.cannot_convert_no_message(meta.target, parameter.name, exc.message) from None


def _validate(meta: CommandMetadata, parameter: ParameterInfo, value: Any) -> None:
    if not parameter.mandatory_somewhere:
        return
    spec = parameter.type
    if value is None and not (spec.kind == "bool" and spec.nullable):
        raise errors.null_not_allowed(meta.target, parameter.name)
    if spec.kind == "string" and not spec.array and value == "":
        raise errors.empty_string_not_allowed(meta.target, parameter.name)
    if spec.array and isinstance(value, list):
        for item in value:
            if item is None and not spec.value_type:
                raise errors.null_not_allowed(meta.target, parameter.name)
            if spec.kind == "string" and item == "":
                raise errors.empty_string_not_allowed(meta.target, parameter.name)
        if not value:
            raise errors.empty_array_not_allowed(meta.target, parameter.name)


def bind_value(meta: CommandMetadata, parameter: ParameterInfo, value: Any, *, coerce: bool = True,
               from_text: bool = False, strict: bool = False, culture: str | None = None) -> Any:
    """The value to bind, or an ErrorRecord raised; ``coerce=False`` raises NotBindable on a type mismatch.

    ``culture`` is the current culture compiled cmdlets convert with (default: ``current_culture()``).
    """
    value = _bash_words(value, parameter, from_text, strict)
    if not coerce:
        if not is_instance(value, parameter.type):
            raise NotBindable(parameter.name)
        result = value
    elif meta.function and not parameter.common:
        result = _function_transform(meta, parameter, value, from_text)
    else:
        result = _compiled_coerce(meta, parameter, value, from_text, culture)
    _validate(meta, parameter, result)
    return result

