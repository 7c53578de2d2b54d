"""Runtime values the evaluator adds to ``pscompat.values``: script blocks, TimeSpan, ArrayList,
SecureString, and the ``$_`` view of an ErrorRecord inside ``catch``."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from pscompat.errors import ErrorRecord
from pscompat.lang import ast as A

__all__ = ["make_credential", "FormattedText", "ScriptBlockValue", "TimeSpan", "ArrayList", "SecureString", "exception_type_short",
           "AutomationNull"]


class FormattedText(str):
    """Format-Table/Format-List output: printed verbatim by Out-Default, Out-File and Out-String."""


class _AutomationNull:
    """``[void]`` / a command that wrote nothing: emits no object (unlike ``$null``)."""

    def __repr__(self) -> str:
        return "AutomationNull"


AutomationNull = _AutomationNull()


@dataclass(eq=False)
class ScriptBlockValue:
    """``{ ... }`` as a value; invoked with the caller's scope as parent (dynamic scoping)."""

    block: A.ScriptBlock

    def ps_string(self) -> str:
        text = self.block.text
        return text[1:-1] if text.startswith("{") and text.endswith("}") else text


class TimeSpan:
    """``System.TimeSpan`` (``(Get-Date) - $start``, ``New-TimeSpan``)."""

    __slots__ = ("delta",)

    def __init__(self, delta: _dt.timedelta) -> None:
        self.delta = delta

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TimeSpan) and other.delta == self.delta

    def __lt__(self, other: TimeSpan) -> bool:
        return self.delta < other.delta

    __hash__ = None  # type: ignore[assignment]

    def member(self, name: str) -> tuple[bool, Any]:
        d = self.delta
        total = d.total_seconds()
        sign = -1 if total < 0 else 1
        whole = abs(d)
        props = {
            "days": sign * whole.days, "hours": sign * (whole.seconds // 3600),
            "minutes": sign * (whole.seconds // 60 % 60), "seconds": sign * (whole.seconds % 60),
            "milliseconds": sign * (whole.microseconds // 1000),
            "totaldays": total / 86400, "totalhours": total / 3600, "totalminutes": total / 60,
            "totalseconds": total, "totalmilliseconds": total * 1000, "ticks": int(total * 10_000_000),
        }
        key = name.lower()
        return (True, props[key]) if key in props else (False, None)

    def ps_string(self) -> str:
        d = abs(self.delta)
        text = f"{d.seconds // 3600:02d}:{d.seconds // 60 % 60:02d}:{d.seconds % 60:02d}"
        if d.days:
            text = f"{d.days}.{text}"
        if d.microseconds:
            text += f".{d.microseconds:06d}0"
        return ("-" if self.delta.total_seconds() < 0 else "") + text

    def __repr__(self) -> str:
        return f"TimeSpan({self.ps_string()})"


class ArrayList(list[Any]):
    """``System.Collections.ArrayList`` / ``List[T]``: a growable list (``.Add`` works)."""

    generic = False


class SecureString:
    """``Read-Host -AsSecureString``: the text is kept, never shown (``System.Security.SecureString``)."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    def reveal(self) -> str:
        return self._text

    @property
    def length(self) -> int:
        return len(self._text)

    def ps_string(self) -> str:
        return "System.Security.SecureString"

    def __repr__(self) -> str:
        return "SecureString(<redacted>)"


_EXCEPTION_SHORT = {
    "System.Management.Automation.RuntimeException": "RuntimeException",
}


def exception_type_short(record: ErrorRecord) -> str:
    return record.exception_type.rsplit(".", 1)[-1]


def make_credential(user: Any, password: Any) -> Any:
    """``[pscredential]::new($user, $secure)``: UserName + a SecureString Password."""
    from pscompat.lang.dotnet import ps_string
    from pscompat.values import PSObject
    secret = password if isinstance(password, SecureString) else SecureString(ps_string(password))
    return PSObject({"UserName": ps_string(user), "Password": secret},
                    type_names=["System.Management.Automation.PSCredential"])
