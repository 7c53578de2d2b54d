"""BoundInvocation -> Graph request (kiota RequestInformation through msgraph-core's middleware)
-> checked output objects. The one entry of the package:

- ``run_one(invocation, host, connection=None)``: the objects one invocation writes (a local
  handler's, or the Graph call's) -- what the script runner and the CLI call;
- ``run_bound`` / ``dispatch_invocation``: run and render (the CLI's tail);
- ``execute(invocation, host, connection=None) -> Result`` (objects, response headers, wire);
- ``prepare`` / ``operation_for``: the request without sending it (-WhatIf, matrix, tests).

Modules: ``spec`` (the YAML's operations), ``request`` (building a request), ``call``
(``execute``, the request side of a call), ``exchange`` (network side: send, pages, outputs), ``result``,
``run`` (render), ``graph_request`` / ``find_command`` (Invoke-MgGraphRequest,
Find-MgGraphCommand). Importing this package is cheap: httpx/kiota/msgraph-core load only
when a request is sent.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Result", "dispatch_invocation", "execute", "operation_for", "prepare", "run_bound", "run_one"]

_WHERE = {"execute": "call", "Result": "result", "operation_for": "spec", "prepare": "request",
          "run_one": "run", "run_bound": "run", "dispatch_invocation": "run"}


def __getattr__(name: str) -> Any:
    module_name = _WHERE.get(name)
    if module_name is None:
        raise AttributeError(name)
    import importlib
    value = getattr(importlib.import_module(f"{__name__}.{module_name}"), name)
    globals()[name] = value
    return value
