"""kiota authentication providers for connections that do not go through azure-identity.

Two cases: the lab (a token the lab issues to its default app, or to whom the caller asks) and
``Connect-MgGraph -AccessToken`` (a token the user brought). Both are bearer tokens obtained
some other way, so one provider serves both: it asks a callable once, caches the answer, and
only attaches it to requests for the connection's own host, so a redirect or a stray absolute
URL never carries the token elsewhere (kiota's AllowedHostsValidator).

kiota is imported here, not in ``pscompat.connect``, so that merely resolving a connection
costs nothing; the dispatcher imports kiota anyway when it sends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from kiota_abstractions.authentication import (
    AccessTokenProvider,
    AllowedHostsValidator,
    BaseBearerTokenAuthenticationProvider,
)

__all__ = ["BearerTokenProvider", "bearer_provider", "host_of"]


def host_of(url: str) -> str:
    """The hostname kiota's validator compares (no scheme, no port)."""
    return (urlparse(url).hostname or "").lower()


class BearerTokenProvider(AccessTokenProvider):
    """Returns the token from ``fetch`` (called once, lazily) for allowed hosts only."""

    def __init__(self, fetch: Callable[[], str], allowed_hosts: list[str]) -> None:
        self._fetch = fetch
        self._token: str | None = None
        self._lock = threading.Lock()
        self._validator = AllowedHostsValidator(allowed_hosts)

    async def get_authorization_token(self, uri: str,
                                      additional_authentication_context: dict[str, Any] | None = None) -> str:
        if not self._validator.is_url_host_valid(uri):
            return ""
        with self._lock:
            if self._token is None:
                self._token = self._fetch()
            return self._token

    def get_allowed_hosts_validator(self) -> AllowedHostsValidator:
        return self._validator

    def __repr__(self) -> str:  # never show the token
        return f"<BearerTokenProvider hosts={sorted(self._validator.get_allowed_hosts())}>"


def bearer_provider(fetch: Callable[[], str], base_url: str) -> BaseBearerTokenAuthenticationProvider:
    return BaseBearerTokenAuthenticationProvider(BearerTokenProvider(fetch, [host_of(base_url)]))
