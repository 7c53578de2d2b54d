"""Parameter binding for built-in cmdlets, script functions and a script's own ``param()``.

The external (Graph/PnP) cmdlets go through ``pscompat.binder``; this is the small binder for
commands whose metadata lives in Python, following the same rules (facts/powershell-binding.md):
exact name or alias first, then a unique prefix, own parameters winning over common ones;
switches take no separate value; splatted values lose to explicit ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pscompat.binder import errors as berrors
from pscompat.errors import ErrorRecord, validate_range_text
from pscompat.lang.convert import ConversionError, to_action_preference
from pscompat.lang.dotnet import CastError, TypeNotFound, cast, full_type_name, ps_string
from pscompat.values import PSHashtable

__all__ = ["ParamSpec", "CommandArgument", "bind_arguments", "COMMON", "NO_VALUE", "BindResult"]


class _NoValue:
    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE: Any = _NoValue()

# PowerShell's common parameters, in metadata order, with their aliases.
COMMON: list[tuple[str, tuple[str, ...], str]] = [
    ("Verbose", ("vb",), "switch"), ("Debug", ("db",), "switch"), ("ErrorAction", ("ea",), "action"),
    ("WarningAction", ("wa",), "action"), ("InformationAction", ("infa",), "action"),
    ("ProgressAction", ("proga",), "action"), ("ErrorVariable", ("ev",), "string"),
    ("WarningVariable", ("wv",), "string"), ("InformationVariable", ("iv",), "string"),
    ("OutVariable", ("ov",), "string"), ("OutBuffer", ("ob",), "int"), ("PipelineVariable", ("pv",), "string"),
]
_SHOULD_PROCESS: list[tuple[str, tuple[str, ...], str]] = [("WhatIf", ("wi",), "switch"), ("Confirm", ("cf",), "switch")]


@dataclass
class ParamSpec:
    name: str
    type: str | None = None            # a type name for conversion; "switch" for switches
    aliases: tuple[str, ...] = ()
    position: int | None = None
    mandatory: bool = False
    pipeline: bool = False             # ValueFromPipeline
    pipeline_by_name: bool = False     # ValueFromPipelineByPropertyName
    default: Any = NO_VALUE
    remaining: bool = False            # ValueFromRemainingArguments
    validators: list[tuple[str, list[Any]]] = field(default_factory=list)  # ValidateSet/Range/NotNullOrEmpty

    @property
    def is_switch(self) -> bool:
        return (self.type or "").lower() in ("switch", "switchparameter",
                                             "system.management.automation.switchparameter")


@dataclass
class CommandArgument:
    """One argument as the evaluator produced it (mirrors ``pscompat.binder.Argument``)."""
    name: str | None            # parameter name without the dash; None = positional
    value: Any = NO_VALUE       # NO_VALUE: ``-Name`` with no attached value
    colon: bool = False
    text: str = ""
    splatted: bool = False


@dataclass
class BindResult:
    bound: dict[str, Any] = field(default_factory=dict)       # canonical name -> value
    common: dict[str, Any] = field(default_factory=dict)
    extra: list[Any] = field(default_factory=list)            # unbound positionals ($args)


_SMA = "System.Management.Automation."


def binding_exception_type(error_id: str) -> str:
    """The ParameterBindingException subclass PowerShell raises for a binding error id."""
    if error_id.startswith("ParameterArgumentTransformationError"):
        return _SMA + "ParameterBindingArgumentTransformationException"
    if error_id.startswith("ParameterArgumentValidationError"):
        return _SMA + "ParameterBindingValidationException"
    return _SMA + "ParameterBindingException"


def _error(message: str, error_id: str, command: str, suffix: str, category: str = "InvalidArgument") -> ErrorRecord:
    return ErrorRecord(message, error_id, category, command=command, fqid_suffix=suffix,
                       exception_type=binding_exception_type(error_id))


def _match(name: str, specs: list[ParamSpec], common: list[tuple[str, tuple[str, ...], str]],
           command: str, suffix: str) -> tuple[ParamSpec | None, str | None]:
    low = name.lower()
    for spec in specs:
        if spec.name.lower() == low or low in (a.lower() for a in spec.aliases):
            return spec, None
    for cname, aliases, _ in common:
        if cname.lower() == low or low in aliases:
            return None, cname
    own = [s for s in specs if s.name.lower().startswith(low) or any(a.lower().startswith(low) for a in s.aliases)]
    com = [c for c, aliases, _ in common if c.lower().startswith(low) or any(a.startswith(low) for a in aliases)]
    if len(own) == 1:
        return own[0], None
    if not own and len(com) == 1:
        return None, com[0]
    if not own and not com:
        raise _error(f"A parameter cannot be found that matches parameter name '{name}'.",
                     "NamedParameterNotFound", command, suffix)
    names = " ".join("-" + s.name for s in own) + ("" if not com else " " + " ".join("-" + c for c in com))
    raise _error(f"Parameter cannot be processed because the parameter name '{name}' is ambiguous. "
                 f"Possible matches include: {names.strip()}.", "AmbiguousParameter", command, suffix)


def convert_argument(spec: ParamSpec, value: Any, command: str, suffix: str, function: bool) -> Any:
    type_name = spec.type
    if not type_name or type_name.lower() in ("object", "system.object", "psobject", "scriptblock"):
        return value
    if spec.is_switch:
        if isinstance(value, bool) or value is None:
            return bool(value)
        if isinstance(value, (int, float)):
            return value != 0
        raise _error(f"Cannot process argument transformation on parameter '{spec.name}'. Cannot convert value "
                     f'"{type(value).__name__ if not isinstance(value, str) else "System.String"}" to type '
                     f'"System.Management.Automation.SwitchParameter". Boolean parameters accept only Boolean '
                     f"values and numbers, such as $True, $False, 1 or 0.", "ParameterArgumentTransformationError",
                     command, suffix, "InvalidData")
    try:
        return cast(value, type_name)
    except (CastError, TypeNotFound) as exc:
        if function:
            raise _error(f"Cannot process argument transformation on parameter '{spec.name}'. {exc}",
                         "ParameterArgumentTransformationError", command, suffix, "InvalidData") from None
        raise _error(f"Cannot bind parameter '{spec.name}'. {exc}", "CannotConvertArgumentNoMessage",
                     command, suffix) from None


def _convert_common(name: str, value: Any, common: list[tuple[str, tuple[str, ...], str]], command: str,
                    suffix: str) -> Any:
    """-ErrorAction and the other *Action parameters are ActionPreference values (``-ea Ig``, ``-ea 0``).

    Suspend converts but the command runtime's setter refuses it (ActionPreference.Tests.ps1:
    "ErrorAction = Suspend does not work on functions": ParameterBindingFailed)."""
    if dict((c, t) for c, _, t in common).get(name) != "action":
        return value
    try:
        action = to_action_preference(value)
    except ConversionError as exc:
        raise _error(f"Cannot bind parameter '{name}'. {exc.message}", "CannotConvertArgumentNoMessage",
                     command, suffix) from None
    if action == "Suspend":
        raise _error(f"Cannot bind parameter '{name}' to the target. Exception setting \"{name}\": "
                     f'"{SUSPEND_RESERVED}"', "ParameterBindingFailed", command, suffix)
    return action


# The inner text of ErrorPackage.ActionPreferenceReservedForFutureUseError (wording not verified).
SUSPEND_RESERVED = "The value Suspend is reserved for future use and cannot be specified."


def bind_arguments(command: str, specs: list[ParamSpec], args: list[CommandArgument], *, suffix: str = "",
                   advanced: bool = True, should_process: bool = False, positional: bool = True,
                   function: bool = False, allow_extra: bool = False) -> BindResult:
    """Bind ``args`` to ``specs``; ErrorRecords with PowerShell's binding messages on failure.

    ``advanced`` adds the common parameters; ``allow_extra`` sends unbound positionals to
    ``extra`` (a simple function's ``$args``) instead of failing.
    """
    suffix = suffix or command
    common = (COMMON + (_SHOULD_PROCESS if should_process else [])) if advanced else []
    result = BindResult()
    explicit = {a.name.lower() for a in args if a.name and not a.splatted}
    positionals: list[Any] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg.name is None:
            positionals.append(arg.value)
            continue
        spec, common_name = _match(arg.name, specs, common, command, suffix)
        canonical = spec.name if spec else common_name
        assert canonical is not None
        if arg.splatted and canonical.lower() in {s.lower() for s in explicit}:
            continue
        is_switch = spec.is_switch if spec else dict((c, t) for c, _, t in common)[canonical] == "switch"
        if arg.value is not NO_VALUE:
            value = arg.value
        elif is_switch:
            value = True
        else:
            nxt = args[i] if i < len(args) else None
            if nxt is None or nxt.name is not None:
                type_text = full_type_name(spec.type) if spec and spec.type else "System.Object"
                raise _error(f"Missing an argument for parameter '{canonical}'. Specify a parameter of type "
                             f"'{type_text}' and try again.", "MissingArgument", command, suffix)
            value = nxt.value
            i += 1
        if canonical in result.bound or canonical in result.common:
            if arg.splatted:
                continue
            raise _error(f"Cannot bind parameter because parameter '{arg.name}' is specified more than once. To "
                         "provide multiple values to parameters that can accept multiple values, use the array "
                         'syntax. For example, "-parameter value1,value2,value3".', "ParameterAlreadyBound",
                         command, suffix)
        if spec is None:
            result.common[canonical] = _convert_common(canonical, value, common, command, suffix)
        else:
            result.bound[spec.name] = convert_argument(spec, value, command, suffix, function)
    # positionals, in position order (then declaration order for functions without positions)
    slots = sorted([s for s in specs if s.position is not None and s.name not in result.bound],
                   key=lambda s: s.position or 0)
    remaining = next((s for s in specs if s.remaining), None)
    for value in positionals:
        if remaining is not None and remaining.name in result.bound and not slots:
            current = result.bound[remaining.name]
            result.bound[remaining.name] = (current if isinstance(current, list) else [current]) + [value]
        elif positional and slots:
            spec = slots.pop(0)
            result.bound[spec.name] = convert_argument(spec, value, command, suffix, function)
        elif allow_extra:
            result.extra.append(value)
        else:
            raise _error(f"A positional parameter cannot be found that accepts argument '{ps_string(value)}'.",
                         "PositionalParameterNotFound", command, suffix)
    return result


_STRING_TYPES = ("string", "system.string")
_ARRAY_SUFFIX = "[]"


def check_mandatory_value(spec: ParamSpec, value: Any, command: str, suffix: str = "") -> None:
    """What a mandatory parameter refuses unless allowed ([AllowNull()], [AllowEmptyString()],
    [AllowEmptyCollection()]): $null, an empty string for a string parameter (a $null string
    converts to one), an empty array, or such elements in an array (ParameterBinderBase's
    ValidateNullOrEmptyArgument; the message texts are the binder's)."""
    if not spec.mandatory:
        return
    target = berrors.Target(command, suffix or command)
    allowed = {kind for kind, _ in spec.validators}
    type_name = (spec.type or "").lower()
    is_array = type_name.endswith(_ARRAY_SUFFIX)
    element_type = type_name[:-2] if is_array else type_name

    def check(item: Any, item_type: str) -> None:
        if item is None and "allownull" not in allowed:
            raise berrors.null_not_allowed(target, spec.name)
        if item_type in _STRING_TYPES and item == "" and "allowemptystring" not in allowed:
            raise berrors.empty_string_not_allowed(target, spec.name)

    check(value, type_name)
    if is_array and isinstance(value, list):
        for item in value:
            check(item, element_type)
        if not value and "allowemptycollection" not in allowed:
            raise berrors.empty_array_not_allowed(target, spec.name)


def validate(spec: ParamSpec, value: Any, command: str) -> None:
    """[ValidateSet], [ValidateRange], [ValidateNotNullOrEmpty] with PowerShell's messages."""
    def fail(detail: str) -> ErrorRecord:
        return _error(f"Cannot validate argument on parameter '{spec.name}'. {detail}",
                      "ParameterArgumentValidationError", command, command, "InvalidData")
    for kind, args in spec.validators:
        items = value if isinstance(value, list) else [value]
        if kind == "validatenotnullorempty":
            if value is None or value == "" or value == []:
                raise fail("The argument is null or empty. Provide an argument that is not null or empty, and then "
                           "try the command again.")
        elif kind == "validatenotnull":
            if value is None or (isinstance(value, list) and any(v is None for v in value)):
                raise fail("The argument is null. Provide a valid value for the argument, and then try running the "
                           "command again.")
        elif kind == "validateset":
            allowed = [ps_string(a) for a in args]
            for item in items:
                if ps_string(item).casefold() not in [a.casefold() for a in allowed]:
                    raise fail(f'The argument "{ps_string(item)}" does not belong to the set "{",".join(allowed)}" '
                               "specified by the ValidateSet attribute. Supply an argument that is in the set and "
                               "then try the command again.")
        elif kind == "validaterange" and len(args) == 2:
            low, high = args
            for item in items:
                if item < low or item > high:
                    raise fail(validate_range_text(ps_string(item), ps_string(low), ps_string(high), item > high))


def splat(value: Any) -> list[CommandArgument]:
    """``@params``: a hashtable -> named arguments; an array -> positionals."""
    if isinstance(value, PSHashtable):
        return [CommandArgument(str(k), v, True, f"-{k}:", True) for k, v in value.items()]
    if isinstance(value, list):
        return [CommandArgument(None, v, False, "", True) for v in value]
    if value is None:
        return []
    return [CommandArgument(None, value, False, "", True)]


def missing_mandatory(command: str, names: list[str], suffix: str = "") -> ErrorRecord:
    return _error("Cannot process command because of one or more missing mandatory parameters:"
                  + "".join(" " + n for n in names) + ".", "MissingMandatoryParameter", command, suffix or command)
