"""The Mg module's request context: how many times, how long and how patiently Graph calls retry.

Microsoft.Graph.Authentication keeps one ``RequestContext`` per process (``GraphSession.Instance``,
shared by every runspace), read by the retry handler of every later call and changed by
``Set-MgRequestContext``. Its defaults: ``ClientTimeout`` 100 s (the HTTP client's), ``RetryDelay``
3 s, ``MaxRetry`` 3, ``RetriesTimeLimit`` 00:00:00 (no limit). ``-RetryDelay`` is limited to
0..180 and ``-MaxRetry`` to 0..10 (``ValidateRange`` in the module's source, constants
``MaxRetryDelayInSeconds`` and ``MaxNumberOfRetry``).

pscompat keeps the same per-process object: a .ps1 run, the shell and a Python caller see their
``Set-MgRequestContext`` in every later cmdlet; a bash command line is a process of its own, so
there the settings come from the environment (``PSCOMPAT_MAX_RETRIES``, ``PSCOMPAT_RETRY_DELAY``,
``PSCOMPAT_CLIENT_TIMEOUT``), which also give a session its defaults.
"""

from __future__ import annotations

import datetime as _dt
import os
import threading
from dataclasses import dataclass, replace
from typing import Any

from pscompat.errors import ErrorRecord, validate_range_text
from pscompat.values import PSObject, TimeSpan

__all__ = ["RequestContext", "current", "reset", "update", "context_object",
           "get_mg_request_context", "set_mg_request_context", "MAX_RETRY", "MAX_RETRY_DELAY"]

MAX_RETRY = 10          # Constants.MaxNumberOfRetry
MAX_RETRY_DELAY = 180   # Constants.MaxRetryDelayInSeconds
TYPE_NAME = "Microsoft.Graph.PowerShell.Authentication.Models.RequestContext"
SET_TYPE = "Microsoft.Graph.PowerShell.Authentication.Cmdlets.SetMgRequestContext"


@dataclass(frozen=True)
class RequestContext:
    """Seconds everywhere; ``retries_time_limit`` 0 means no limit (``TimeSpan.Zero``)."""

    client_timeout: int = 100
    retry_delay: int = 3
    max_retry: int = 3
    retries_time_limit: int = 0

    @classmethod
    def from_env(cls) -> RequestContext:
        """The defaults, overridden by the environment (bad values are ignored, as before)."""
        ctx = cls()
        for field_name, var in (("max_retry", "PSCOMPAT_MAX_RETRIES"), ("retry_delay", "PSCOMPAT_RETRY_DELAY"),
                                ("client_timeout", "PSCOMPAT_CLIENT_TIMEOUT")):
            raw = os.environ.get(var)
            if raw is None:
                continue
            try:
                value = int(float(raw))
            except ValueError:
                continue
            if value >= 0:
                ctx = replace(ctx, **{field_name: value})
        return ctx


_lock = threading.Lock()
_overrides: dict[str, int] = {}   # what Set-MgRequestContext changed in this process


def current() -> RequestContext:
    """The process's context: the environment's defaults with this session's changes on top."""
    with _lock:
        changes = dict(_overrides)
    return replace(RequestContext.from_env(), **changes)


def reset() -> None:
    """A new session (a new pwsh process): back to the defaults and the environment."""
    with _lock:
        _overrides.clear()


def update(**changes: int) -> RequestContext:
    with _lock:
        _overrides.update(changes)
    return current()


def context_object(ctx: RequestContext) -> PSObject:
    """The object both cmdlets write: ClientTimeout and RetriesTimeLimit are TimeSpans."""
    return PSObject([
        ("ClientTimeout", TimeSpan(_dt.timedelta(seconds=ctx.client_timeout))),
        ("RetryDelay", ctx.retry_delay),
        ("MaxRetry", ctx.max_retry),
        ("RetriesTimeLimit", TimeSpan(_dt.timedelta(seconds=ctx.retries_time_limit))),
    ], type_names=(TYPE_NAME, "System.Object"))


def get_mg_request_context(invocation: Any = None, host: Any = None) -> list[Any]:
    """Get-MgRequestContext: the current context."""
    return [context_object(current())]


def _range_error(name: str, value: int, low: int, high: int) -> ErrorRecord:
    # The binder's ValidateRange text, as PowerShell prints it for a cmdlet parameter.
    return ErrorRecord(
        message=f"Cannot validate argument on parameter '{name}'. "
                + validate_range_text(str(value), str(low), str(high), value > high),
        error_id="ParameterArgumentValidationError", category="InvalidData",
        command="Set-MgRequestContext", fqid_suffix=SET_TYPE,
        exception_type="System.Management.Automation.ParameterBindingValidationException")


def set_mg_request_context(invocation: Any = None, host: Any = None) -> list[Any]:
    """Set-MgRequestContext: change what was bound, keep the rest, write the new context."""
    params = {str(k).casefold(): v for k, v in dict(getattr(invocation, "parameters", None) or {}).items()}
    changes: dict[str, int] = {}
    ranges = {"retrydelay": ("RetryDelay", "retry_delay", 0, MAX_RETRY_DELAY),
              "maxretry": ("MaxRetry", "max_retry", 0, MAX_RETRY),
              "retriestimelimit": ("RetriesTimeLimit", "retries_time_limit", 0, 2**31 - 1),
              "clienttimeout": ("ClientTimeout", "client_timeout", 0, 2**31 - 1)}
    for key, (name, attr, low, high) in ranges.items():
        if key not in params or params[key] is None:
            continue
        value = int(params[key])
        if not low <= value <= high and key in ("retrydelay", "maxretry"):
            raise _range_error(name, value, low, high)
        changes[attr] = value
    return [context_object(update(**changes))]
