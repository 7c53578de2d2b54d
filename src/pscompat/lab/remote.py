"""``pscompat lab --url URL ...``: the CLI's lab commands against a *served* lab, through its
admin API (``/lab/admin/...``), instead of opening a local database.

The admin token comes from ``PSCOMPAT_LAB_ADMIN_TOKEN`` (``pscompat lab admin-token`` on the
lab's machine), never from the command line, where other users could read it.
"""

from __future__ import annotations

import os
import ssl
from typing import Any
from urllib.parse import urlparse

TOKEN_ENV = "PSCOMPAT_LAB_ADMIN_TOKEN"


class RemoteError(Exception):
    """The served lab could not be asked, or refused (a user-facing message)."""


class AdminClient:
    def __init__(self, url: str, ca_bundle: str | None = None, token: str | None = None) -> None:
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise RemoteError(f"'{url}' is not a lab URL (http://HOST:PORT or https://HOST:PORT).")
        self.base = f"{parsed.scheme}://{parsed.netloc}"
        self.token = token or os.environ.get(TOKEN_ENV) or ""
        if not self.token:
            raise RemoteError(f"--url needs the lab's admin token in {TOKEN_ENV} "
                              "(run 'pscompat lab admin-token' on the lab's machine).")
        try:
            self.verify: Any = ssl.create_default_context(cafile=ca_bundle) if ca_bundle else True
        except (OSError, ssl.SSLError) as exc:
            raise RemoteError(f"Cannot read the CA file {ca_bundle}: {exc}.") from None

    def call(self, method: str, path: str, body: Any = None) -> Any:
        import httpx

        from pscompat.lab.classroom import tls_refusal
        try:
            response = httpx.request(method, f"{self.base}/lab/admin/{path}", json=body, verify=self.verify,
                                     headers={"Authorization": f"Bearer {self.token}"}, timeout=30.0,
                                     trust_env=False)
        except httpx.ConnectError as exc:
            raise RemoteError(tls_refusal(self.base, exc) or f"Cannot reach the lab at {self.base}.") from None
        except httpx.HTTPError as exc:
            raise RemoteError(f"Cannot reach the lab at {self.base}: {type(exc).__name__}.") from None
        try:
            data = response.json()
        except ValueError:
            data = None
        if response.status_code >= 400:
            err = data.get("error") if isinstance(data, dict) else None
            message = err.get("message") if isinstance(err, dict) else response.reason_phrase
            raise RemoteError(f"The lab at {self.base} refused ({response.status_code}): {message}")
        return data
