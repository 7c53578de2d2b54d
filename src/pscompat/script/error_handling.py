"""PowerShell's error model for scripts: the three kinds of error and how a catch matches one.

- Non-terminating: a command's ``WriteError`` (``Write-Error``, a cmdlet's per-item failure); the
  command and the pipeline go on (``InvocationContext.write_error``).
- Statement-terminating: a cmdlet's ``ThrowTerminatingError``, CommandNotFound, a parameter
  binding error, a .NET method exception, a runtime exception in an expression (``1/$zero``).
  The statement stops; unless a ``try`` or ``trap`` handles it, the error is reported per
  ``$ErrorActionPreference`` (``Stop`` makes it script-terminating) and the next statement runs.
  This is PowerShell's ``ExceptionHandlingOps.CheckActionPreference`` (MiscOps.cs).
- Script-terminating: ``throw``, ``-ErrorAction Stop`` / ``$ErrorActionPreference = 'Stop'``
  promotion, ``exit``: the run stops unless a ``try``/``trap`` handles it.

All of them are raised as ``ErrorRecord``; ``terminate_script`` marks the third kind. A typed
``catch`` matches the .NET hierarchy of the record's exception and, as PowerShell's
``FindMatchingHandler`` does, of the exceptions a RuntimeException wraps (``InnerException``).
"""

from __future__ import annotations

from typing import Any

from pscompat.errors import ErrorRecord
from pscompat.script.binding import binding_exception_type
from pscompat.values import PSObject

__all__ = ["terminate_script", "is_script_terminating", "thrown", "is_thrown", "exception_chain", "catch_matches", "with_inner",
           "exception_object", "inner_exception_types", "attach_module_exception", "method_exception",
           "divide_by_zero", "DIVIDE_BY_ZERO", "PARTIAL_OUTPUT"]

_SCRIPT_TERMINATING = "script_terminating"
DIVIDE_BY_ZERO = "Attempted to divide by zero."
# What a script block wrote before its terminating error: PowerShell has already sent it down the
# pipeline, so the statement that receives the error keeps it as output.
PARTIAL_OUTPUT = "partial_output"
_SMA = "System.Management.Automation."

# Each exception type's base class (.NET and System.Management.Automation), as far as scripts catch them.
_PARENTS = {
    "System.DivideByZeroException": "System.ArithmeticException",
    "System.OverflowException": "System.ArithmeticException",
    "System.ArithmeticException": "System.SystemException",
    "System.FormatException": "System.SystemException",
    "System.InvalidCastException": "System.SystemException",
    "System.NullReferenceException": "System.SystemException",
    "System.IndexOutOfRangeException": "System.SystemException",
    "System.Collections.Generic.KeyNotFoundException": "System.SystemException",
    "System.ArgumentNullException": "System.ArgumentException",
    "System.ArgumentOutOfRangeException": "System.ArgumentException",
    "System.ArgumentException": "System.SystemException",
    "System.InvalidOperationException": "System.SystemException",
    "System.NotSupportedException": "System.SystemException",
    "System.NotImplementedException": "System.SystemException",
    "System.UnauthorizedAccessException": "System.SystemException",
    "System.TimeoutException": "System.SystemException",
    "System.IO.FileNotFoundException": "System.IO.IOException",
    "System.IO.DirectoryNotFoundException": "System.IO.IOException",
    "System.IO.IOException": "System.SystemException",
    "System.Net.Http.HttpRequestException": "System.Exception",
    "System.Security.Authentication.AuthenticationException": "System.SystemException",
    "System.ApplicationException": "System.Exception",
    "System.Web.HttpException": "System.Exception",
    "System.SystemException": "System.Exception",
    _SMA + "RuntimeException": "System.SystemException",
    _SMA + "ParameterBindingException": _SMA + "RuntimeException",
    _SMA + "ParameterBindingValidationException": _SMA + "ParameterBindingException",
    _SMA + "ParameterBindingArgumentTransformationException": _SMA + "ParameterBindingException",
    _SMA + "ParameterBindingParameterDefaultValueException": _SMA + "ParameterBindingException",
    _SMA + "CommandNotFoundException": _SMA + "RuntimeException",
    # A cast in a script surfaces as a RuntimeException wrapping the PSInvalidCastException; the
    # record carries the inner type, so it is caught as both.
    _SMA + "PSInvalidCastException": _SMA + "RuntimeException",
    _SMA + "PSInvalidOperationException": "System.InvalidOperationException",
    _SMA + "MethodInvocationException": _SMA + "MethodException",
    _SMA + "MethodException": _SMA + "RuntimeException",
    _SMA + "ItemNotFoundException": _SMA + "SessionStateException",
    _SMA + "SessionStateException": _SMA + "RuntimeException",
    _SMA + "ActionPreferenceStopException": _SMA + "RuntimeException",
    _SMA + "PipelineStoppedException": _SMA + "RuntimeException",
    _SMA + "ParseException": _SMA + "RuntimeException",
    _SMA + "ScriptCallDepthException": "System.SystemException",
    _SMA + "HelpNotFoundException": "System.SystemException",
    "Microsoft.PowerShell.Commands.WriteErrorException": "System.SystemException",
    "Azure.Identity.AuthenticationFailedException": "System.Exception",
}


def terminate_script(record: ErrorRecord) -> ErrorRecord:
    """Mark ``record`` script-terminating (``throw``, ``-ErrorAction Stop``): no statement boundary
    absorbs it; only a try/catch or trap does."""
    record.details[_SCRIPT_TERMINATING] = True
    return record


def is_script_terminating(record: ErrorRecord) -> bool:
    return bool(record.details.get(_SCRIPT_TERMINATING))


def thrown(record: ErrorRecord) -> ErrorRecord:
    """``throw``: script-terminating, except that ``$ErrorActionPreference`` SilentlyContinue or
    Ignore (with no try/trap around) suppresses it into ``$Error`` (CommandErrorHandling.Tests.ps1)."""
    record.details["thrown"] = True
    return terminate_script(record)


def is_thrown(record: ErrorRecord) -> bool:
    return bool(record.details.get("thrown"))


def exception_chain(exception_type: str) -> list[str]:
    """``exception_type`` and its base classes up to ``System.Exception``."""
    chain = [exception_type]
    current = exception_type
    while current in _PARENTS:
        current = _PARENTS[current]
        chain.append(current)
    if chain[-1] != "System.Exception":
        chain.append("System.Exception")
    return chain


def exception_object(type_name: str, message: str, inner: Any = None, **extra: Any) -> PSObject:
    """A .NET exception as scripts see it (``$_.Exception.InnerException``): Message, InnerException."""
    return PSObject({"Message": message, "InnerException": inner, **extra},
                    type_names=exception_chain(type_name))


def with_inner(record: ErrorRecord, type_name: str, message: str | None = None, **extra: Any) -> ErrorRecord:
    """Attach the exception ``record``'s exception wraps (``$_.Exception.InnerException``)."""
    record.details["inner_exception"] = exception_object(type_name, record.message if message is None else message,
                                                         **extra)
    return record


def inner_exception_types(record: ErrorRecord) -> list[str]:
    """The type names of the wrapped exceptions, outermost first."""
    types = []
    inner = record.details.get("inner_exception")
    while isinstance(inner, PSObject) and inner.type_names:
        types.append(inner.type_names[0])
        inner = inner.get("InnerException")
    return types


def _matches(catch_type: str, exception_type: str) -> bool:
    low = catch_type.lower()
    full = low if low.startswith("system.") else "system." + low
    for name in exception_chain(exception_type):
        name = name.lower()
        if name in (low, full) or name.rsplit(".", 1)[-1] == low:
            return True
    return False


def catch_matches(types: list[str], record: ErrorRecord) -> bool:
    """Does ``catch [T1], [T2]`` (no types: catch-all) take ``record``? The record's exception is
    tried first; a RuntimeException (``1/$zero``, a method exception) is unwrapped to the exception
    it wraps and tried again, as PowerShell's FindMatchingHandler does."""
    if not types:
        return True
    candidates = [record.exception_type]
    if record.exception_type == _SMA + "ParameterBindingException":   # the cmdlet binder's records
        candidates = [binding_exception_type(record.error_id)]
    for inner in inner_exception_types(record):
        if _SMA + "RuntimeException" not in exception_chain(candidates[-1]):
            break
        candidates.append(inner)
    return any(_matches(t, c) for c in candidates for t in types)


def attach_module_exception(record: ErrorRecord) -> ErrorRecord:
    """What the Graph modules put on their records beyond the message, as a catch block sees it:
    PnP wraps Graph's error JSON as the InnerException of "Exception while invoking endpoint"
    (PnP.Framework's HttpHelper); Mg (AutoRest) sets ``ErrorDetails`` to Graph's message and
    the error id to Graph's error code."""
    inner = record.details.get("inner")
    if inner and "inner_exception" not in record.details:
        record.details["inner_exception"] = exception_object("System.Exception", str(inner),
                                                             StatusCode=record.details.get("status"))
    if record.fqid_suffix.startswith("Microsoft.Graph.PowerShell.Cmdlets.") and "code" in record.details:
        record.details.setdefault("error_details", record.message)
    return record


_METHOD_EXCEPTIONS = (
    ("not in a correct format", "System.FormatException"),
    ("was not recognized as a valid", "System.FormatException"),
    ("too large or too small", "System.OverflowException"),
    ("cannot be null", "System.ArgumentNullException"),
    ("must refer to a location within", "System.ArgumentOutOfRangeException"),
    ("cannot be larger than length", "System.ArgumentOutOfRangeException"),
    ("out of range", "System.ArgumentOutOfRangeException"),
    ("already been added", "System.ArgumentException"),
    ("fixed size", "System.NotSupportedException"),
)


def method_exception(record: ErrorRecord, inner_message: str) -> ErrorRecord:
    """A .NET method's exception: a MethodInvocationException wrapping it; the error id is the
    wrapped exception's type name (``[int]::Parse('x')`` -> ``FormatException``)."""
    inner_type = next((t for text, t in _METHOD_EXCEPTIONS if text in inner_message), "System.Exception")
    record.exception_type = _SMA + "MethodInvocationException"
    record.category = "NotSpecified"
    if inner_type != "System.Exception":
        record.error_id = inner_type.rsplit(".", 1)[-1]
    return with_inner(record, inner_type, inner_message)


def divide_by_zero(record: ErrorRecord) -> ErrorRecord:
    """``1/$zero``: a RuntimeException (NotSpecified) wrapping System.DivideByZeroException."""
    record.category = "NotSpecified"
    return with_inner(record, "System.DivideByZeroException")
