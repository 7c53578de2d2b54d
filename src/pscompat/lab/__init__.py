"""pscompat.lab: the embedded, Graph-compatible lab tenant.

Public API (docs/lab.md)::

    open_lab(path=None, scenario=None) -> Lab     # open, or create and seed
    Lab.app                                        # the ASGI application
    Lab.issue_token(client_id=None, user=None)     # a bearer token for this lab
    Lab.reset(scenario=None)
    Lab.clock                                      # .advance("+2h"), .set(...), .reset()
    asgi_transport(lab) -> httpx transport         # in-process, for msgraph-sdk
    serve_in_thread(lab, tls=False) -> (base_url, stop, cert_path)
    default_lab_path()

Importing this package is free: each name is loaded on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pscompat.lab.clock import Clock
    from pscompat.lab.core import Lab, LabError
    from pscompat.lab.models import Store as LabStore
    from pscompat.lab.opening import open_lab
    from pscompat.lab.paths import default_lab_path
    from pscompat.lab.server import serve_in_thread
    from pscompat.lab.transport import asgi_transport

_EXPORTS = {
    "open_lab": "pscompat.lab.opening",
    "Lab": "pscompat.lab.core",
    "LabError": "pscompat.lab.core",
    "Clock": "pscompat.lab.clock",
    "default_lab_path": "pscompat.lab.paths",
    "asgi_transport": "pscompat.lab.transport",
    "serve_in_thread": "pscompat.lab.server",
}

__all__ = ["Clock", "Lab", "LabError", "LabStore", "asgi_transport", "create_app", "default_lab_path", "open_lab",
           "serve_in_thread"]


def create_app(lab: Lab) -> Any:
    """The ASGI application of an opened lab (same as ``lab.app``)."""
    return lab.app


def __getattr__(name: str) -> Any:
    if name == "LabStore":
        from pscompat.lab.models import Store
        return Store
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pscompat.lab' has no attribute {name!r}")
    import importlib
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
