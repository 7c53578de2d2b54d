"""Measure-Object as PowerShell 7 measures (MeasureObjectCommand):

- numbers (GenericMeasureInfo: Count, Average, Sum, Maximum, Minimum, StandardDeviation,
  Property): only the statistics asked for are filled, the others are ``$null``; ``-AllStats``
  asks for all five; Sum/Average/StandardDeviation are doubles (the sample standard deviation,
  n-1); Maximum/Minimum compare numbers as numbers and anything else linguistically (so
  ``'abc','ABC','Def' | Measure-Object -Minimum -Maximum`` gives abc and Def);
- text (TextMeasureInfo: Lines, Words, Characters, Property) with -Line/-Word/-Character
  (-IgnoreWhiteSpace leaves whitespace out of Characters);
- ``-Property``: names (wildcards match every such property) or script blocks; a property no
  input object has is the non-terminating GenericMeasurePropertyNotFound error; a value a sum
  cannot add is NonNumericInputObject and is skipped.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from pscompat.lang.dotnet import ps_string
from pscompat.script.binding import ParamSpec as P
from pscompat.script.builtins.objects import _dot_invoke
from pscompat.script.builtins.registry import Call, builtin
from pscompat.script.members import get_property
from pscompat.script.operators import like, to_number
from pscompat.script.ordering import compare_values
from pscompat.script.scriptblock import ScriptBlockValue
from pscompat.values import PSObject

_U = "Microsoft.PowerShell.Commands"
_STATS = ("Sum", "Average", "Maximum", "Minimum", "StandardDeviation")


def _property_names(items: list[Any], spec: Any) -> list[Any]:
    """A name, each property a wildcard matches (in first-seen order), or the script block."""
    if isinstance(spec, ScriptBlockValue):
        return [spec]
    text = ps_string(spec)
    if not any(c in text for c in "*?["):
        return [text]
    names: list[str] = []
    for item in items:
        if isinstance(item, PSObject):
            names.extend(n for n in item.property_names() if like(n, text) and n not in names)
    return names or [text]


def _numeric(value: Any) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float, Decimal)):
        return float(value)
    try:
        return float(to_number(value))
    except Exception:  # noqa: BLE001 - not a number
        return None


def _generic(call: Call, values: list[Any], name: Any, wanted: set[str]) -> PSObject:
    numbers: list[float] = []
    if wanted & {"Sum", "Average", "StandardDeviation"}:
        for v in values:
            n = _numeric(v)
            if n is None:
                call.write_error(call.error(f'Input object "{ps_string(v)}" is not numeric.', "NonNumericInputObject",
                                            "InvalidType", v, "System.Management.Automation.PSInvalidOperationException"))
                continue
            numbers.append(n)
    extremes: dict[str, Any] = {}
    for stat, sign in (("Maximum", 1), ("Minimum", -1)):
        if stat not in wanted or not values:
            continue
        best: Any = None
        for v in values:
            n = _numeric(v)
            candidate: Any = n if n is not None else v
            if best is None or compare_values(candidate, best) * sign > 0:
                best = candidate
        extremes[stat] = best
    count = len(values)
    obj = PSObject(type_names=[f"{_U}.GenericMeasureInfo", f"{_U}.MeasureInfo"])
    obj.set("Count", count)
    mean = sum(numbers) / len(numbers) if numbers else None
    obj.set("Average", mean if "Average" in wanted else None)
    obj.set("Sum", float(sum(numbers)) if "Sum" in wanted else None)
    obj.set("Maximum", extremes.get("Maximum"))
    obj.set("Minimum", extremes.get("Minimum"))
    deviation = None
    if "StandardDeviation" in wanted and numbers:
        deviation = math.sqrt(sum((x - mean) ** 2 for x in numbers) / (len(numbers) - 1)) \
            if len(numbers) > 1 and mean is not None else 0.0
    obj.set("StandardDeviation", deviation)
    obj.set("Property", None if name is None else ps_string(name) if not isinstance(name, ScriptBlockValue)
            else name.ps_string())
    return obj


def _text(call: Call, values: list[Any], name: Any) -> PSObject:
    lines = words = chars = 0
    for v in values:
        text = ps_string(v)
        lines += len([line for line in text.split("\n") if line.strip()]) if text else 0
        words += len(text.split())
        chars += len("".join(text.split())) if call.switch("IgnoreWhiteSpace") else len(text)
    obj = PSObject(type_names=[f"{_U}.TextMeasureInfo", f"{_U}.MeasureInfo"])
    obj.set("Lines", lines if call.switch("Line") else None)
    obj.set("Words", words if call.switch("Word") else None)
    obj.set("Characters", chars if call.switch("Character") else None)
    obj.set("Property", None if name is None else ps_string(name))
    return obj


@builtin("Measure-Object", f"{_U}.MeasureObjectCommand",
         [P("Property", "object[]", position=0), P("Sum", "switch"), P("Average", "switch"), P("Maximum", "switch"),
          P("Minimum", "switch"), P("AllStats", "switch"), P("StandardDeviation", "switch"), P("Line", "switch"),
          P("Word", "switch"), P("Character", "switch"), P("IgnoreWhiteSpace", "switch"),
          P("InputObject", "object", pipeline=True)],
         aliases=("measure",))
def measure_object(call: Call) -> list[Any]:
    items = [x for x in call.items() if x is not None]
    text_mode = any(call.switch(s) for s in ("Line", "Word", "Character"))
    wanted = set(_STATS) if call.switch("AllStats") else {s for s in _STATS if call.switch(s)}
    specs = call.get("Property")
    names: list[Any] = [None]
    if specs is not None:
        names = [n for spec in (specs if isinstance(specs, list) else [specs]) for n in _property_names(items, spec)]
    out: list[Any] = []
    for name in names:
        if name is None:
            values = items
        elif isinstance(name, ScriptBlockValue):
            values = [r for item in items for r in _dot_invoke(call, name, item)]
        else:
            values = []
            for item in items:
                found, value = get_property(item, name)
                if found and value is not None:
                    values.append(value)
            if not values and items:
                call.write_error(call.error(f'The property "{name}" cannot be found in the input for any objects.',
                                            "GenericMeasurePropertyNotFound", "InvalidArgument", name,
                                            "System.Management.Automation.PSArgumentException"))
                continue
        out.append(_text(call, values, name) if text_mode else _generic(call, values, name, wanted))
    return out


__all__ = ["measure_object"]
