"""Import httpx, kiota and msgraph-core without the parts a cmdlet call never uses.

A cold cmdlet has ~0.25 s in total, and the packages' ``__init__`` chains alone cost more:

- ``httpx/__init__`` imports its command-line tool ``httpx._main`` (click + pygments, ~60 ms).
  We pre-seed a stub ``httpx._main`` whose ``main`` says the CLI is unavailable here.
- ``kiota_abstractions._version`` and ``kiota_http._version`` call ``importlib.metadata``
  (~45 ms for email/zipfile/csv parsing). The stubs read the version from the dist-info
  directory name instead (same value).
- ``msgraph_core/__init__`` imports azure-identity's auth provider, page iterator and more;
  ``kiota_http/__init__`` imports the request adapter and the serialization stack. We register
  both packages as *lazy* package modules: importing a submodule
  (``msgraph_core.graph_client_factory``) skips the ``__init__``; the first attribute lookup on
  the package itself (``from msgraph_core import X``) runs the real ``__init__`` then, so other
  code that needs the full package still gets it.

- ``msgraph_core/middleware/__init__`` imports the telemetry handler, which imports urllib3
  (~30-50 ms, mostly compiling its URL regexes) only for ``urllib3.util.parse_url``. The
  middleware package is registered lazily too, with ``AsyncGraphTransport`` (cheap) preloaded
  and ``GraphTelemetryHandler`` as a stand-in class whose constructor imports and returns the
  real handler. ``graph_client_factory`` binds that name at import but only instantiates it
  (in ``create_with_default_middleware``), so every caller still gets the real handler; we use
  it for Graph hosts only. Any other attribute of the package loads the real ``__init__``.

- httpcore asks ``import sniffio`` on every request (``current_async_library``); when sniffio is
  not installed that failed import searches sys.path each time (7 per request, ~1 ms of CPU
  per Graph call, paid in turn by -Parallel tasks under the GIL). Its absence is recorded once
  (``sys.modules["sniffio"] = None``): the import fails at once with the same ImportError.

``prepare()`` only acts on modules not yet imported, so it is a no-op in a process that
already imported the real packages (tests, the lab server).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import types
from typing import Any

_DONE = False


def _httpx_cli_unavailable() -> None:  # pragma: no cover - only reached by `python -m httpx`
    raise SystemExit("httpx's command-line client is not loaded inside pscompat")


def _stub(name: str, **attrs: Any) -> None:
    if name in sys.modules:
        return
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    sys.modules[name] = module


def _dist_versions(package: str, *dist_prefixes: str) -> list[str]:
    """Versions from ``<dist>-<version>.dist-info`` next to ``package`` (one directory scan)."""
    spec = importlib.util.find_spec(package)
    found = dict.fromkeys(dist_prefixes, "0")
    if spec is None or not spec.submodule_search_locations:
        return list(found.values())
    site = os.path.dirname(next(iter(spec.submodule_search_locations)))
    with os.scandir(site) as entries:
        for entry in entries:
            name = entry.name
            if name.endswith(".dist-info"):
                dist, _, version = name[:-len(".dist-info")].partition("-")
                if dist in found:
                    found[dist] = version
    return list(found.values())


def _lazy_package(name: str, **preload: Any) -> None:
    """Register ``name`` so submodules import without running its ``__init__`` (see above)."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        return
    module = importlib.util.module_from_spec(spec)
    state = {"loaded": False}

    def __getattr__(attr: str) -> Any:
        if attr.startswith("__") or state["loaded"]:
            raise AttributeError(attr)
        state["loaded"] = True
        del module.__dict__["__getattr__"]
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        return getattr(module, attr)

    module.__dict__["__getattr__"] = __getattr__
    sys.modules[name] = module
    for attr, loader in preload.items():
        module.__dict__[attr] = loader()


class _TelemetryHandlerStandIn:
    """Constructing it builds msgraph-core's real GraphTelemetryHandler (see module docstring)."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        from msgraph_core.middleware.telemetry import GraphTelemetryHandler
        return GraphTelemetryHandler(*args, **kwargs)


def _async_graph_transport() -> Any:
    from msgraph_core.middleware.async_graph_transport import AsyncGraphTransport
    return AsyncGraphTransport


def prepare() -> None:
    global _DONE
    if _DONE:
        return
    _DONE = True
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]
    if "httpx" not in sys.modules:
        _stub("httpx._main", main=_httpx_cli_unavailable)
    abstractions, http = _dist_versions("kiota_abstractions", "microsoft_kiota_abstractions",
                                        "microsoft_kiota_http")
    _stub("kiota_abstractions._version", VERSION=abstractions)
    _stub("kiota_http._version", VERSION=http)
    _lazy_package("kiota_http")
    _lazy_package("msgraph_core")
    if "msgraph_core.middleware" not in sys.modules:
        _lazy_package("msgraph_core.middleware")
        middleware = sys.modules.get("msgraph_core.middleware")
        if middleware is not None:
            middleware.__dict__["GraphTelemetryHandler"] = _TelemetryHandlerStandIn
            middleware.__dict__["AsyncGraphTransport"] = _async_graph_transport()
