"""CommandBinder: PowerShell's CmdletParameterBinderController for one command call.

Phases, in PowerShell's order (facts/powershell-binding.md):

1. ``bind_arguments``: pair each ``-Name`` with its value (AmbiguousParameter, MissingArgument),
   bind named arguments left to right (ParameterAlreadyBound, conversion, validation), then
   positional ones, check that some parameter set is left (AmbiguousParameterSet), and report
   the first argument nothing took (NamedParameterNotFound, PositionalParameterNotFound).
2. ``finish``: choose the parameter set and deal with missing mandatory parameters (prompt on
   an interactive host, MissingMandatoryParameter otherwise).
3. ``bind_input`` (per pipeline object): four passes, ByValue / ByPropertyName, without then
   with coercion; pipeline-bound parameters are unbound again before the next object.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pscompat.errors import ErrorRecord
from pscompat.lang.convert import dotnet_string
from pscompat.model import ALL_SETS, CmdletDef
from pscompat.values import PSObject

from . import errors
from .arguments import NO_VALUE, Argument
from .coerce import NotBindable, bind_value
from .metadata import CommandMetadata, ParameterInfo, metadata_for

__all__ = ["BoundInvocation", "CommandBinder", "Prompt"]

# prompt(caption_lines, label) -> the text typed, or None at end of input.
Prompt = Callable[[list[str], str], "str | None"]


@dataclass
class BoundInvocation:
    """The result of binding: what dispatch needs, nothing about argv.

    ``parameters``: canonical name -> converted value, in binding order (own parameters only).
    ``common``: canonical common parameter name -> value (WhatIf, Confirm, Verbose, ErrorAction...).
    ``parameter_set``: the chosen set (``__AllParameterSets`` for a command with one implicit set).
    """

    cmdlet: CmdletDef
    parameter_set: str
    parameters: dict[str, Any] = field(default_factory=dict)
    common: dict[str, Any] = field(default_factory=dict)
    bound_from_pipeline: set[str] = field(default_factory=set)
    invocation_name: str = ""

    @property
    def what_if(self) -> bool:
        return bool(self.common.get("WhatIf"))

    @property
    def confirm(self) -> bool:
        return bool(self.common.get("Confirm"))


class _Pending:
    """A named argument paired with its value, waiting to be bound.

    ``error_name`` is the name ParameterAlreadyBound reports (as typed, or canonical when the
    value was a separate token, as PowerShell's reparse does).
    """

    __slots__ = ("argument", "parameter", "value", "from_text", "error_name")

    def __init__(self, argument: Argument, parameter: ParameterInfo | None, value: Any, from_text: bool,
                 error_name: str) -> None:
        self.argument, self.parameter, self.value = argument, parameter, value
        self.from_text, self.error_name = from_text, error_name


class CommandBinder:
    """Bind arguments (and pipeline input) to one command, PowerShell's way."""

    def __init__(self, cmdlet: CmdletDef, *, interactive: bool = False, prompt: Prompt | None = None,
                 strict: bool = False, invocation_name: str | None = None, culture: str | None = None) -> None:
        self.cmdlet = cmdlet
        self.culture = culture  # the current culture for compiled cmdlets; None = PSCOMPAT_CULTURE/en-US
        self.meta: CommandMetadata = metadata_for(cmdlet)
        self.interactive = interactive
        self.prompt = prompt
        self.strict = strict
        self.invocation_name = invocation_name or cmdlet.name
        self.bound: dict[str, Any] = {}
        self._bound_info: dict[str, ParameterInfo] = {}
        self.candidates: set[str] = set(self.meta.set_names)
        self._pre_pipeline: set[str] = set(self.candidates)
        self._pipeline_bound: set[str] = set()
        self._pre_pipeline_values: dict[str, Any] = {}
        self._finished_set: str | None = None
        self._positional_error: ErrorRecord | None = None

    # --- phase 1: command-line arguments ----------------------------------------------------

    def bind_arguments(self, arguments: Iterable[Argument]) -> None:
        """Bind named then positional arguments; raises the first ErrorRecord PowerShell would."""
        ordered = [a for a in arguments if not a.splatted] + [a for a in arguments if a.splatted]
        pending, positionals = self._reparse(ordered)
        leftovers: list[_Pending | Argument] = []
        for item in pending:
            if item.parameter is None:
                leftovers.append(item)
                continue
            name = item.parameter.name
            if name in self.bound:
                if item.argument.splatted:
                    continue  # an explicit named argument beats the splatted one
                raise errors.parameter_already_bound(self.meta.target, item.error_name)
            self._bind(item.parameter, item.value, from_text=item.from_text)
        leftovers.extend(self._bind_positionals(positionals))
        self._validate_sets(pre_pipeline=True, set_default=False)
        position = {id(a): i for i, a in enumerate(ordered)}
        leftovers.sort(key=lambda x: position.get(id(x.argument if isinstance(x, _Pending) else x), 0))
        self._verify_processed(leftovers)

    def _reparse(self, arguments: list[Argument]) -> tuple[list[_Pending], list[Argument]]:
        """ReparseUnboundArguments: give each ``-Name`` its value; split off positionals."""
        pending: list[_Pending] = []
        positionals: list[Argument] = []
        index = 0
        while index < len(arguments):
            argument = arguments[index]
            index += 1
            if argument.name is None:
                positionals.append(argument)
                continue
            parameter = self.meta.match(argument.name, strict=self.strict)
            if argument.value is not NO_VALUE:
                pending.append(_Pending(argument, parameter, argument.value, argument.text is not None,
                                        argument.name))
                continue
            if parameter is None:
                pending.append(_Pending(argument, None, NO_VALUE, False, argument.name))
                continue
            if argument.colon:
                # `-Name:` then a value token is PowerShell's `-Name: value`; anything else means
                # bash expanded the value ($false, $var) to nothing.
                nxt = arguments[index] if index < len(arguments) else None
                if nxt is None or nxt.name is not None:
                    raise errors.shell_ate_value(self.meta.target, argument.name, parameter.is_switch)
                index += 1
                pending.append(_Pending(argument, parameter, nxt.value, nxt.text is not None, argument.name))
                continue
            if parameter.is_switch:
                pending.append(_Pending(argument, parameter, True, False, argument.name))
                continue
            if index >= len(arguments):
                raise errors.missing_argument(self.meta.target, parameter.name, parameter.type.name)
            nxt = arguments[index]
            if nxt.name is not None:
                if nxt.value is not NO_VALUE or nxt.colon or self.meta.match(nxt.name, strict=self.strict):
                    raise errors.missing_argument(self.meta.target, parameter.name, parameter.type.name)
                index += 1  # `-foo` that is no parameter: taken literally as the value
                literal = nxt.token or f"-{nxt.name}"
                pending.append(_Pending(argument, parameter, literal, False, parameter.name))
                continue
            index += 1
            pending.append(_Pending(argument, parameter, nxt.value, nxt.text is not None, parameter.name))
        return pending, positionals

    def _bind(self, parameter: ParameterInfo, value: Any, *, from_text: bool = False,
              coerce: bool = True) -> None:
        converted = bind_value(self.meta, parameter, value, coerce=coerce, from_text=from_text,
                               strict=self.strict, culture=self.culture)
        self.bound[parameter.name] = converted
        self._bound_info[parameter.name] = parameter
        if not parameter.in_all_sets:
            self.candidates &= self.meta.sets_of(parameter)

    def _bind_positionals(self, positionals: list[Argument]) -> list[Argument]:
        """BindPositionalParameters: position by position, each taking the next positional argument.

        Per position: the default set without coercion, the valid sets without coercion, then both
        with coercion. A function's transformation error is thrown at once; other binding errors
        are kept and reported only if the argument ends up unbound. An argument that fits no
        parameter at its position stays unbound and the next position takes the next argument.
        """
        if not positionals or not self.cmdlet.positional_binding:
            return positionals
        positions = sorted({m.position for p in self.meta.parameters if not p.common
                            for s in self.candidates if (m := p.membership(s)) is not None
                            and m.position is not None})
        left: list[Argument] = []
        queue = list(positionals)
        for position in positions:
            if not self._at_position(position, self.candidates):
                continue
            if not queue:
                break
            argument = queue.pop(0)
            if not self._bind_at_position(position, argument):
                left.append(argument)
        return left + queue

    def _at_position(self, position: int, sets: set[str]) -> list[ParameterInfo]:
        return [p for p in self.meta.parameters
                if not p.common and p.name not in self.bound
                and any((m := p.membership(s)) is not None and m.position == position for s in sets)]

    def _bind_at_position(self, position: int, argument: Argument) -> bool:
        default = self.meta.default_set
        for coerce in (False, True):
            tries = ([{default}] if default in self.candidates else []) + [set(self.candidates)]
            for sets in tries:
                for parameter in self._at_position(position, sets):
                    try:
                        self._bind(parameter, argument.value, from_text=argument.text is not None, coerce=coerce)
                    except NotBindable:
                        continue
                    except ErrorRecord as record:
                        if record.error_id == "ParameterArgumentTransformationError" \
                                or record.error_id.startswith("ParameterArgumentValidationError"):
                            raise
                        self._positional_error = record  # reported if the argument stays unbound
                        continue
                    return True
        return False

    def _verify_processed(self, leftovers: list[_Pending | Argument]) -> None:
        if not leftovers:
            return
        first = leftovers[0]
        if isinstance(first, _Pending):
            raise errors.named_parameter_not_found(self.meta.target, first.argument.name or "")
        if self._positional_error is not None:
            raise self._positional_error
        value = first.value
        text = "$null" if value is None else dotnet_string(value)
        raise errors.positional_parameter_not_found(self.meta.target, text)

    # --- parameter sets -------------------------------------------------------------------------

    def _set_takes_pipeline(self, set_name: str) -> bool:
        for p in self.meta.parameters:
            if p.name in self.bound or p.common:
                continue
            m = p.membership(set_name)
            if m and (m.value_from_pipeline or m.value_from_pipeline_by_property_name):
                return True
        return False

    def _unbound_mandatory(self, set_name: str) -> list[ParameterInfo]:
        return [p for p in self.meta.parameters
                if p.name not in self.bound and not p.common
                and (m := p.membership(set_name)) is not None and m.mandatory]

    def _validate_sets(self, *, pre_pipeline: bool, set_default: bool) -> int:
        """ValidateParameterSets: how many sets are left, narrowing when PowerShell would."""
        count = len(self.candidates)
        if count == 0:
            raise errors.ambiguous_parameter_set(self.meta.target)
        if count == 1:
            return 1
        default = self.meta.default_set
        all_valid = self.candidates == set(self.meta.set_names)
        if all_valid and default is None:
            return 1
        if default is not None and default in self.candidates:
            if set_default:
                self.candidates = {default}
                return 1
            return count
        if pre_pipeline and any(self._set_takes_pipeline(s) for s in self.candidates):
            return count
        remaining = {s for s in self.candidates if not self._unbound_mandatory(s)}
        if len(remaining) != 1:
            raise errors.ambiguous_parameter_set(self.meta.target)
        self.candidates = remaining
        return 1

    # --- phase 2: finish ------------------------------------------------------------------------

    def finish(self, *, expect_input: bool = False) -> BoundInvocation:
        """Resolve the set and the mandatory parameters; without pipeline input this is the end."""
        count = self._validate_sets(pre_pipeline=expect_input, set_default=not expect_input)
        if count == 1:
            set_name = next(iter(self.candidates))
            missing = [p for p in self._unbound_mandatory(set_name)
                       if not (expect_input and self._from_pipeline(p, set_name))]
            if missing:
                self._handle_missing(missing)
        self._pre_pipeline = set(self.candidates)
        self._pre_pipeline_values = dict(self.bound)
        return self._invocation()

    @staticmethod
    def _from_pipeline(p: ParameterInfo, set_name: str) -> bool:
        m = p.membership(set_name)
        return bool(m and (m.value_from_pipeline or m.value_from_pipeline_by_property_name))

    def _handle_missing(self, missing: list[ParameterInfo]) -> None:
        if not (self.interactive and self.prompt is not None):
            raise errors.missing_mandatory(self.meta.target, [p.name for p in missing])
        caption = [f"cmdlet {self.invocation_name} at command pipeline position 1",
                   "Supply values for the following parameters:"]
        for index, parameter in enumerate(missing):
            if parameter.type.array:
                values: list[str] = []
                while True:
                    answer = self.prompt(caption if index == 0 and not values else [],
                                         f"{parameter.name}[{len(values)}]: ")
                    if answer is None:
                        raise errors.missing_mandatory(self.meta.target, [p.name for p in missing[index:]])
                    if answer == "":
                        break
                    values.append(answer)
                self._bind(parameter, values, from_text=True)
                continue
            answer = self.prompt(caption if index == 0 else [], f"{parameter.name}: ")
            if answer is None:
                raise errors.missing_mandatory(self.meta.target, [p.name for p in missing[index:]])
            self._bind(parameter, answer, from_text=True)

    def _chosen_set(self) -> str:
        if len(self.candidates) == 1:
            return next(iter(self.candidates))
        if self.meta.default_set in self.candidates:
            return self.meta.default_set or ALL_SETS
        return sorted(self.candidates, key=list(self.meta.set_names).index)[0] if self.candidates else ALL_SETS

    def _invocation(self) -> BoundInvocation:
        own = {n: v for n, v in self.bound.items() if not self._bound_info[n].common}
        common = {n: v for n, v in self.bound.items() if self._bound_info[n].common}
        return BoundInvocation(cmdlet=self.cmdlet, parameter_set=self._chosen_set(), parameters=own,
                               common=common, bound_from_pipeline=set(self._pipeline_bound),
                               invocation_name=self.invocation_name)

    # --- phase 3: pipeline input ----------------------------------------------------------------

    def bind_input(self, obj: Any) -> BoundInvocation:
        """Bind one pipeline object (four passes).

        Failures are raised as *non-terminating* ErrorRecords (``terminating`` False, ``target`` the
        object), as PowerShell writes them: report it and go on with the next object.
        """
        try:
            return self._bind_input(obj)
        except ErrorRecord as record:
            record.terminating = False
            record.target = obj
            raise

    def _bind_input(self, obj: Any) -> BoundInvocation:
        for name in self._pipeline_bound:
            self.bound.pop(name, None)
            if name in self._pre_pipeline_values:
                self.bound[name] = self._pre_pipeline_values[name]
        self._pipeline_bound = set()
        self.candidates = set(self._pre_pipeline)
        bound_any = False
        for by_value, coerce in ((True, False), (False, False), (True, True), (False, True)):
            if self._pipeline_pass(obj, by_value=by_value, coerce=coerce):
                bound_any = True
                self._validate_sets(pre_pipeline=True, set_default=True)
        if not bound_any:
            raise errors.input_object_not_bound(self.meta.target)
        self._validate_sets(pre_pipeline=False, set_default=True)
        set_name = self._chosen_set()
        missing = self._unbound_mandatory(set_name)
        if missing:
            raise errors.input_object_missing_mandatory(self.meta.target, [p.name for p in missing])
        return self._invocation()

    def _pipeline_pass(self, obj: Any, *, by_value: bool, coerce: bool) -> bool:
        default = self.meta.default_set
        if default is not None and default in self.candidates:
            if self._pipeline_pass_in(obj, {default}, by_value=by_value, coerce=coerce):
                return True
            sets = self.candidates - {default}
        else:
            sets = set(self.candidates)
        return self._pipeline_pass_in(obj, sets, by_value=by_value, coerce=coerce)

    def _pipeline_pass_in(self, obj: Any, sets: set[str], *, by_value: bool, coerce: bool) -> bool:
        bound = False
        for parameter in reversed(self.meta.parameters):
            if parameter.common or parameter.name in self.bound or not parameter.takes_pipeline:
                continue
            memberships = [m for s in sets if (m := parameter.membership(s)) is not None]
            if by_value and not any(m.value_from_pipeline for m in memberships):
                continue
            if not by_value and not any(m.value_from_pipeline_by_property_name for m in memberships):
                continue
            if by_value:
                value = obj
            else:
                found, value = _property(obj, parameter)
                if not found:
                    continue
            try:
                self._bind(parameter, value, coerce=coerce)
            except NotBindable:
                continue
            except ErrorRecord as record:
                if record.error_id in ("ParameterArgumentTransformationError", "CannotConvertArgumentNoMessage",
                                       "CannotConvertArgument"):
                    continue  # pipeline binding ignores conversion failures
                raise
            self._pipeline_bound.add(parameter.name)
            bound = True
        return bound


def _property(obj: Any, parameter: ParameterInfo) -> tuple[bool, Any]:
    """ByPropertyName: a property named like the parameter or one of its aliases."""
    if not isinstance(obj, PSObject):
        return False, None
    for name in (parameter.name, *parameter.aliases):
        if obj.has(name):
            return True, obj.get(name)
    return False, None
