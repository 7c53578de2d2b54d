"""BoundInvocation -> Graph request (kiota RequestInformation through msgraph-core's middleware)
-> checked output objects. ``execute(invocation, host, connection=None) -> Result``.

Importing this package is cheap: httpx/kiota/msgraph-core load only when a request is sent.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Result", "execute", "operation_for", "prepare"]


def __getattr__(name: str) -> Any:
    if name in {"execute", "Result"}:
        import importlib
        module = importlib.import_module(__name__ + ".execute")
        value = getattr(module, name)
        globals()[name] = value  # the function shadows the submodule attribute from now on
        return value
    if name == "operation_for":
        from .spec import operation_for
        return operation_for
    if name == "prepare":
        from .request import prepare
        return prepare
    raise AttributeError(name)
