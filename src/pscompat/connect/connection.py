"""Connections: what the dispatcher sends requests through.

Every connection answers the same five questions (the contract with ``pscompat.dispatch``):

- ``graph_base_url``: Graph's root without a version (``https://graph.microsoft.com``, a
  national cloud, or a lab URL); the dispatcher appends ``/v1.0`` or ``/beta``.
- ``authentication_provider()``: an object with kiota's ``AuthenticationProvider`` protocol
  (``await authenticate_request(request_information)``) that adds the bearer token.
- ``http_transport()``: an httpx transport to use instead of the network (the embedded lab's
  ASGI transport), else None.
- ``verify``: a CA bundle path for a lab served over HTTPS with its own certificate, else True.
- ``context``: the Get-MgContext fields as a PSObject.

Three kinds: ``LabConnection`` (the embedded lab, in-process), ``GraphConnection``
(azure-identity credential, Microsoft Graph or anything posing as it) and ``TokenConnection``
(a bearer token obtained some other way: ``-AccessToken``, or a served lab's own token).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pscompat.values import PSObject

from .context import MG_CONTEXT_FIELDS, SavedContext

if TYPE_CHECKING:
    from typing import Protocol

    class AuthenticationProvider(Protocol):
        """kiota's AuthenticationProvider, structurally (no kiota import needed)."""

        async def authenticate_request(self, request: Any, additional_authentication_context: Any = ...,
                                       ) -> None: ...

__all__ = ["Connection", "LabConnection", "GraphConnection", "TokenConnection", "MG_CONTEXT_TYPE",
           "context_object"]

MG_CONTEXT_TYPE = "Microsoft.Graph.PowerShell.Authentication.AuthContext"


def context_object(fields: dict[str, Any]) -> PSObject:
    """Get-MgContext's object: every field in the module's order (missing ones are $null)."""
    props = [(name, _context_value(name, fields.get(name))) for name in MG_CONTEXT_FIELDS]
    return PSObject(props, type_names=(MG_CONTEXT_TYPE, "System.Object"))


def _context_value(name: str, value: Any) -> Any:
    if name == "Scopes" and value is not None:
        return list(value)
    if name == "SendCertificateChain":
        return bool(value)
    return value


class Connection:
    """Base: a module (``mg``/``pnp``), a kind, and the contract above."""

    kind = "base"

    def __init__(self, module: str, graph_base_url: str, *, verify: str | bool = True,
                 saved: SavedContext | None = None, tap_available: bool = True) -> None:
        self.module = module
        self.graph_base_url = graph_base_url.rstrip("/")
        self.verify = verify
        self.saved = saved
        self.tap_available = tap_available
        self._provider: AuthenticationProvider | None = None
        self._lock = threading.Lock()

    @property
    def context(self) -> PSObject:
        return context_object(self.saved.fields if self.saved else {})

    @property
    def environment(self) -> str:
        return self.saved.endpoint.cloud if self.saved else "Global"

    def authentication_provider(self) -> AuthenticationProvider:
        with self._lock:
            if self._provider is None:
                self._provider = self._make_provider()
            return self._provider

    def _make_provider(self) -> AuthenticationProvider:
        raise NotImplementedError

    def http_transport(self) -> Any | None:
        return None

    def close(self) -> None:
        """Release what the connection holds (credential sockets); safe to call twice."""

    def describe(self) -> str:
        return f"{self.kind} connection to {self.graph_base_url}"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.module} {self.graph_base_url}>"


class LabConnection(Connection):
    """The embedded lab: requests go to its ASGI app in this process, no socket at all."""

    kind = "lab"

    def __init__(self, module: str, lab: Any, *, base_url: str = "https://graph.microsoft.com",
                 client_id: str | None = None, user: str | None = None,
                 scopes: list[str] | None = None, saved: Any = None) -> None:
        super().__init__(module, base_url, saved=saved)
        self.lab = lab
        self._client_id = client_id
        self._user = user
        self._scopes = scopes       # delegated scopes (Connect-MgGraph -Scopes signed in to the lab)

    def _make_provider(self) -> AuthenticationProvider:
        from .providers import bearer_provider
        return bearer_provider(lambda: self.lab.issue_token(client_id=self._client_id, user=self._user,
                                                            scopes=self._scopes),
                               self.graph_base_url)

    def http_transport(self) -> Any:
        from pscompat.lab import asgi_transport
        return asgi_transport(self.lab)

    def describe(self) -> str:
        return "the embedded lab tenant"


class GraphConnection(Connection):
    """Microsoft Graph (or a lab posing as it) through an azure-identity credential."""

    kind = "graph"

    def __init__(self, saved: SavedContext, credential_factory: Callable[[], Any]) -> None:
        endpoint = saved.endpoint
        super().__init__(saved.module, endpoint.graph_url, verify=endpoint.ca_bundle or True,
                         saved=saved, tap_available=endpoint.tap_available)
        self._factory = credential_factory
        self._credential: Any | None = None

    @property
    def credential(self) -> Any:
        """The azure-identity credential, built on first use (building it imports azure-identity)."""
        if self._credential is None:
            self._credential = self._factory()
        return self._credential

    def _make_provider(self) -> AuthenticationProvider:
        from kiota_authentication_azure.azure_identity_authentication_provider import (
            AzureIdentityAuthenticationProvider,
        )

        from .credentials import graph_scopes
        from .providers import host_of

        assert self.saved is not None
        scopes = () if self.saved.fields.get("AuthType") in {"AppOnly", "ManagedIdentity",
                                                              "EnvironmentVariable"} \
            else self.saved.credential.scopes
        return AzureIdentityAuthenticationProvider(
            self.credential, scopes=graph_scopes(self.saved.endpoint, scopes),
            allowed_hosts=[host_of(self.graph_base_url)], is_cae_enabled=False)

    def get_token(self) -> str:
        """A token now (Connect-* validates the credential this way); never logged."""
        from .credentials import graph_scopes
        assert self.saved is not None
        scopes = self.saved.credential.scopes if self.saved.fields.get("AuthType") == "Delegated" else ()
        return str(self.credential.get_token(*graph_scopes(self.saved.endpoint, scopes)).token)

    def close(self) -> None:
        if self._credential is not None and hasattr(self._credential, "close"):
            self._credential.close()

    def describe(self) -> str:
        return f"Microsoft Graph ({self.environment}) at {self.graph_base_url}"


class TokenConnection(Connection):
    """A bearer token obtained outside azure-identity: ``-AccessToken``, or a served lab's token."""

    kind = "token"

    def __init__(self, module: str, graph_base_url: str, fetch: Callable[[], str], *,
                 verify: str | bool = True, saved: SavedContext | None = None,
                 tap_available: bool = True) -> None:
        super().__init__(module, graph_base_url, verify=verify, saved=saved, tap_available=tap_available)
        self._fetch = fetch

    def _make_provider(self) -> AuthenticationProvider:
        from .providers import bearer_provider
        return bearer_provider(self._fetch, self.graph_base_url)
