"""PowerShell ErrorRecords: the one error type every stage raises and every renderer shows.

A record carries PowerShell's message, ErrorCategory and FullyQualifiedErrorId (FQID =
``<ErrorId>,<command type name>``). The command type name is the function's name for advanced
functions (Mg proxies) and the implementing .NET type for compiled cmdlets (PnP); the model's
``CmdletDef.error_type_name`` gives it. Nothing else in the project invents error text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# PowerShell's ErrorCategory names, used verbatim in CategoryInfo, in the enum's order (its
# values 0, 1, ...: ``[System.Management.Automation.ErrorCategory]7`` is InvalidOperation).
CATEGORY_ORDER = (
    "NotSpecified", "OpenError", "CloseError", "DeviceError", "DeadlockDetected", "InvalidArgument",
    "InvalidData", "InvalidOperation", "InvalidResult", "InvalidType", "MetadataError",
    "NotImplemented", "NotInstalled", "ObjectNotFound", "OperationStopped", "OperationTimeout",
    "SyntaxError", "ParserError", "PermissionDenied", "ResourceBusy", "ResourceExists",
    "ResourceUnavailable", "ReadError", "WriteError", "FromStdErr", "SecurityError",
    "ProtocolError", "ConnectionError", "AuthenticationError", "LimitsExceeded", "QuotaExceeded",
    "NotEnabled",
)
CATEGORIES = frozenset(CATEGORY_ORDER)


@dataclass
class ErrorRecord(Exception):
    """A PowerShell ErrorRecord; raised as an exception, rendered by ``pscompat.render``.

    ``command`` is what the error view prints before the colon (``New-Mg...: message``); for
    Graph errors of Mg cmdlets it is the internal cmdlet (``New-Mg..._CreateExpanded``).
    ``fqid_suffix`` is what follows the comma in the FQID; empty means the FQID is the error id
    alone (PowerShell does that when the suffix is unknown), ``None`` with an empty error id
    means the FQID is just the type name (Mg's InputObject error).
    """

    message: str
    error_id: str
    category: str = "NotSpecified"
    command: str = ""
    fqid_suffix: str = ""
    target: Any = None
    terminating: bool = True
    exception_type: str = "System.Management.Automation.ParameterBindingException"
    details: dict[str, Any] = field(default_factory=dict)
    # Extra lines PowerShell prints under the message (e.g. Graph's Status/ErrorCode/Headers block).
    extra_text: str = ""

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown ErrorCategory {self.category!r}")
        Exception.__init__(self, self.message)

    @property
    def fqid(self) -> str:
        if not self.error_id:
            return self.fqid_suffix
        return f"{self.error_id},{self.fqid_suffix}" if self.fqid_suffix else self.error_id

    def __str__(self) -> str:
        return self.message

    def __hash__(self) -> int:
        return id(self)


class PipelineStoppedError(Exception):
    """Raised to stop a pipeline after a terminating error has already been reported."""


def validate_range_text(value: str, low: str, high: str, too_large: bool) -> str:
    """PowerShell's ValidateRange refusal (after "Cannot validate argument on parameter 'X'. ")."""
    if too_large:
        return (f"The {value} argument is greater than the maximum allowed range of {high}. Supply an argument "
                f"that is less than or equal to {high} and then try the command again.")
    return (f"The {value} argument is less than the minimum allowed range of {low}. Supply an argument that is "
            f"greater than or equal to {low} and then try the command again.")
