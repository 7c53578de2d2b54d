"""Test-wide isolation: no test reads or writes the real user's lab, config or cache.

Set at import time (before any fixture or subprocess) so that console scripts started by tests
inherit the same private directories.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

_ROOT = Path(tempfile.mkdtemp(prefix="pscompat-tests-"))
for _var, _sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                   ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state")):
    os.environ[_var] = str(_ROOT / _sub)
    (_ROOT / _sub).mkdir(parents=True, exist_ok=True)
for _var in ("PSCOMPAT_LAB_DB", "PSCOMPAT_CONFIG_DIR", "PSCOMPAT_STRICT", "PSCOMPAT_REQUIRE_CONNECTION",
             "PSCOMPAT_GRAPH_URL", "PSCOMPAT_AUTHORITY_HOST", "PSCOMPAT_CA_BUNDLE", "PSCOMPAT_DATA",
             "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_TENANT_ID", "HTTPS_PROXY", "HTTP_PROXY",
             "https_proxy", "http_proxy"):
    os.environ.pop(_var, None)
os.environ.setdefault("PSCOMPAT_CULTURE", "en-US")
# azure-identity keeps its token cache under ~/.IdentityService: keep tests out of the real home.
os.environ["HOME"] = str(_ROOT / "home")
(_ROOT / "home").mkdir(exist_ok=True)
atexit.register(shutil.rmtree, _ROOT, ignore_errors=True)


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_request_context() -> object:
    """Each test is a new pwsh process for Set-MgRequestContext (the module keeps it per process)."""
    from pscompat.dispatch import request_context
    request_context.reset()
    yield
    request_context.reset()
