"""How control leaves a statement: break/continue/return/exit as exceptions, and the
runtime error record the evaluator raises; also how values meet the pipeline (unroll/collapse).

Shared by the evaluator and its statement/expression modules, so none of them imports another
for these."""

from __future__ import annotations

from typing import Any

from pscompat.errors import ErrorRecord
from pscompat.values import AutomationNull, DotNetObject

__all__ = ["Flow", "BreakFlow", "ContinueFlow", "ReturnFlow", "ExitFlow", "runtime_error", "unroll", "collapse"]


class Flow(Exception):
    pass


class BreakFlow(Flow):
    def __init__(self, label: str = "") -> None:
        super().__init__(label)
        self.label = label


class ContinueFlow(Flow):
    def __init__(self, label: str = "") -> None:
        super().__init__(label)
        self.label = label


class ReturnFlow(Flow):
    pass


class ExitFlow(Flow):
    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code
        self.output: list[Any] = []


def runtime_error(message: str, error_id: str, category: str = "InvalidOperation", target: Any = None,
                  exception_type: str = "System.Management.Automation.RuntimeException",
                  command: str = "") -> ErrorRecord:
    return ErrorRecord(message, error_id, category, target=target, exception_type=exception_type, command=command)


def unroll(value: Any) -> list[Any]:
    """An expression's value written to the pipeline: arrays are enumerated one level."""
    if value is AutomationNull:
        return []
    if isinstance(value, list):
        return list(value)
    return enumerate_value(value)


def enumerate_value(value: Any) -> list[Any]:
    """A scalar, or the items of a .NET collection PowerShell enumerates (a ConcurrentBag...)."""
    if isinstance(value, DotNetObject):
        items = value.ps_enumerate()
        if items is not None:
            return items
    return [value]


def collapse(values: list[Any]) -> Any:
    """Pipeline output captured as a value: nothing -> $null, one -> it, more -> array."""
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return values
