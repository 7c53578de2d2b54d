"""A bound invocation as readable text (shown while an entry point has no dispatcher)."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from pscompat.lang.convert import dotnet_string
from pscompat.values import PSHashtable, PSObject, dotnet_kind

from .core import BoundInvocation

__all__ = ["describe", "show_value"]


def show_value(value: Any) -> str:
    """A PowerShell-ish literal for a bound value."""
    if value is None:
        return "$null"
    if isinstance(value, bool):
        return "$true" if value else "$false"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, _dt.datetime):
        return f"[datetime]'{value.isoformat()}' ({dotnet_kind(value)})"
    if isinstance(value, PSHashtable):
        return "@{" + "; ".join(f"{k} = {show_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, dict):
        return "(JSON) " + "{" + ", ".join(f"{k!r}: {show_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "@(" + ", ".join(show_value(v) for v in value) + ")"
    if isinstance(value, PSObject):
        return f"[{value.type_name}]" + show_value(PSHashtable(value.properties()))
    return dotnet_string(value)


def describe(invocation: BoundInvocation) -> str:
    lines = [f"Command      : {invocation.cmdlet.name}", f"ParameterSet : {invocation.parameter_set}"]
    for title, values in (("Parameters", invocation.parameters), ("Common", invocation.common)):
        if values:
            lines.append(f"{title:<13}:")
            lines += [f"  -{name} {show_value(value)}" for name, value in values.items()]
    return "\n".join(lines) + "\n"
