"""One SSL context per trust setting per process, shared by every request's client.

Building a context loads the CA store (~20 ms of CPU each time); a cmdlet call makes a new httpx
client, so without this every Graph call paid it, and -Parallel tasks paid it under the GIL in
turn. An ``ssl.SSLContext`` may be shared by concurrent connections and threads.
"""

from __future__ import annotations

import os
import ssl
import threading
from typing import Any

__all__ = ["shared_verify"]

_CONTEXTS: dict[tuple[Any, ...], ssl.SSLContext] = {}
_LOCK = threading.Lock()


def shared_verify(verify: Any) -> Any:
    """``verify`` as httpx takes it: True or a CA bundle path become a cached SSLContext."""
    if verify is not True and not isinstance(verify, str):
        return verify
    key = (verify, os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))
    with _LOCK:
        context = _CONTEXTS.get(key)
        if context is None:
            if isinstance(verify, str):
                context = ssl.create_default_context(cafile=verify)
            else:
                import httpx
                context = httpx.create_ssl_context(trust_env=True)
            _CONTEXTS[key] = context
        return context
