"""The cold-start import tricks keep the packages whole for every other caller."""

from __future__ import annotations

import subprocess
import sys

CHECK = r'''
import sys
from pscompat.dispatch import transport  # noqa: F401  (runs _fastimport.prepare)
heavy = [m for m in ("urllib3", "pygments", "click", "importlib.metadata", "msgraph", "azure.identity")
         if m in sys.modules]
print("heavy:", heavy)
from msgraph_core.graph_client_factory import GraphClientFactory
client = GraphClientFactory.create_with_default_middleware()
names = []
m = client._transport.pipeline._first_middleware
while m:
    names.append(type(m).__module__ + "." + type(m).__name__)
    m = m.next
print("chain:", names[-1])
import msgraph_core
import kiota_http
print("full:", msgraph_core.GraphClientFactory is GraphClientFactory, bool(kiota_http.__dict__.get("__version__", True)))
import httpx
print("httpx:", httpx.__version__)
import importlib.metadata
import kiota_abstractions._version as ka
import kiota_http._version as kh
print("versions:", ka.VERSION == importlib.metadata.version("microsoft-kiota-abstractions"),
      kh.VERSION == importlib.metadata.version("microsoft-kiota-http"))
'''


def test_cold_dispatcher_skips_heavy_imports_and_packages_still_work() -> None:
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=60, check=True).stdout
    assert "heavy: []" in out
    assert "chain: msgraph_core.middleware.telemetry.GraphTelemetryHandler" in out
    assert "full: True True" in out
    assert "httpx: 0." in out
    assert "versions: True True" in out
