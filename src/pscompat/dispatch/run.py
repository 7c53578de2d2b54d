"""The tail of one cmdlet call: dispatch a bound invocation, render its output, return the exit code.

``pscompat.invoke`` calls ``run_bound`` after binding (and after -WhatIf, which never gets
here). Errors: a terminating ErrorRecord (PnP's Graph errors, ``-ErrorAction Stop``, bad
identities) is shown and gives exit code 1; non-terminating ones were written by the host
under its ErrorAction. Output is rendered once, after the call, in the cmdlet's default view
or ``--format``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pscompat.errors import ErrorRecord
from pscompat.host import Host


def render_objects(objects: list[Any], invocation: Any, host: Host) -> str:
    from pscompat.render.views import format_output
    output = invocation.cmdlet.output
    return format_output(objects, view=output.view if output else None,
                         columns=output.columns if output else (), fmt=host.options.format,
                         culture=host.options.culture)


def _local_handler(invocation: Any) -> Any:
    """A cmdlet that runs locally (``handler: module:function`` in its YAML, e.g. Connect-MgGraph)."""
    target = invocation.cmdlet.raw.get("handler")
    if not target:
        return None
    import importlib
    module_name, _, attr = str(target).partition(":")
    return getattr(importlib.import_module(module_name), attr)


def run_one(invocation: Any, host: Host, connection: Any = None) -> list[Any]:
    """The objects one invocation writes: a local handler's, or the Graph call's."""
    handler = _local_handler(invocation)
    if handler is not None:
        code = getattr(handler, "__code__", None)
        if code is not None and "connection" in code.co_varnames[:code.co_argcount]:
            # a handler that sends Graph requests (Invoke-MgGraphRequest) uses the caller's connection
            return list(handler(invocation, host, connection) or [])
        return list(handler(invocation, host) or [])
    from .call import execute
    return execute(invocation, host, connection).objects


def run_bound(invocations: Iterable[Any], host: Host, connection: Any = None) -> int:
    """Execute each bound invocation (one per pipeline input object), then render all output."""
    objects: list[Any] = []
    last: Any = None
    try:
        for invocation in invocations:
            last = invocation
            objects.extend(run_one(invocation, host, connection))
    except ErrorRecord as record:
        if last is not None and objects:
            host.write_text(render_objects(objects, last, host))
        if host.error_action != "Ignore" or record.terminating:
            host.show_error(record)
        return 1
    except Exception as exc:  # a bug, not user input: one line, never a traceback (secrets redacted)
        host.err.write(host.redact(f"pscompat: internal error ({type(exc).__name__}): {exc}") + "\n")
        return 1
    if objects and last is not None:
        host.write_text(render_objects(objects, last, host))
    return host.exit_code


def dispatch_invocation(invocation: Any, out: Any, err: Any, options: Any = None,
                        connection: Any = None) -> int:
    """``pscompat.invoke``'s dispatch step: a Host from the bound common parameters, then run_bound."""
    host = Host.from_common(invocation.common, options, out=out, err=err)
    return run_bound([invocation], host, connection)
