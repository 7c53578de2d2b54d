"""Bearer-token authentication for connections that do not go through azure-identity.

Two cases: the lab (a token the lab issues to its default app, or to whom the caller asks) and
``Connect-MgGraph -AccessToken`` (a token the user brought). Both are bearer tokens obtained
some other way, so one provider serves both: it asks a callable once, caches the answer, and
only attaches it to requests for the connection's own host, so a redirect or a stray absolute
URL never carries the token elsewhere (what kiota's AllowedHostsValidator does).

It implements kiota's ``AuthenticationProvider`` protocol (``authenticate_request``) without
importing kiota: ``kiota_abstractions.authentication`` costs ~6 ms of every cold cmdlet call
against the embedded lab, which has a 0.25 s budget. Graph connections use kiota's own
``AzureIdentityAuthenticationProvider``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

__all__ = ["BearerTokenProvider", "bearer_provider", "host_of"]

AUTHORIZATION = "Authorization"


def host_of(url: str) -> str:
    """The hostname kiota's validator compares (no scheme, no port)."""
    return (urlparse(url).hostname or "").lower()


class BearerTokenProvider:
    """Adds ``Authorization: Bearer <token from fetch()>`` to requests for the allowed hosts."""

    def __init__(self, fetch: Callable[[], str], allowed_hosts: list[str]) -> None:
        self._fetch = fetch
        self._token: str | None = None
        self._lock = threading.Lock()
        self._hosts = frozenset(h.lower() for h in allowed_hosts)

    def host_allowed(self, url: str) -> bool:
        parsed = urlparse(url)
        if parsed.scheme not in {"https", "http"} or parsed.username or parsed.password:
            return False
        return (parsed.hostname or "").lower() in self._hosts

    def token(self) -> str:
        with self._lock:
            if self._token is None:
                self._token = self._fetch()
            return self._token

    async def authenticate_request(self, request: Any,
                                   additional_authentication_context: dict[str, Any] | None = None) -> None:
        """kiota's contract: add the header to a ``RequestInformation`` unless already there."""
        headers = request.headers
        if headers.contains(AUTHORIZATION) or not self.host_allowed(request.url):
            return
        headers.add(AUTHORIZATION, f"Bearer {self.token()}")

    def __repr__(self) -> str:  # never show the token
        return f"<BearerTokenProvider hosts={sorted(self._hosts)}>"


def bearer_provider(fetch: Callable[[], str], base_url: str) -> BearerTokenProvider:
    return BearerTokenProvider(fetch, [host_of(base_url)])
