"""Building azure-identity credentials from a saved context (the only credential path to Graph).

Imported only for real Graph connections (and a lab posing as Graph): azure-identity and msal
cost ~0.3 s to import, which the embedded-lab path must not pay.

Tokens are cached by azure-identity, never by pscompat: with msal-extensions available the
cache is persistent (``TokenCachePersistenceOptions``, name ``pscompat``; on Linux without a
keyring it falls back to a 0600 file under ``~/.IdentityService``, like the Azure CLI's).
``PSCOMPAT_TOKEN_CACHE=memory`` keeps tokens in memory only; then a non-interactive credential
(secret, certificate, managed identity) simply gets a new token in every process, and a
delegated one (browser, device code) has to sign in again.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from .context import CredentialSpec
from .environments import MG_ENVIRONMENTS, Endpoint

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential

__all__ = ["build_credential", "graph_scopes", "cache_options", "MICROSOFT_AUTHORITY_HOSTS",
           "GRAPH_CLI_CLIENT_ID"]

# The "Microsoft Graph Command Line Tools" app the Mg module signs users in with by default.
GRAPH_CLI_CLIENT_ID = "14d82eec-204b-4c2f-b7e8-296a70dab67e"

MICROSOFT_AUTHORITY_HOSTS = frozenset(
    urlparse(c.authority_host).hostname for c in MG_ENVIRONMENTS.values())

_RESERVED_SCOPES = frozenset({"openid", "profile", "offline_access", "email"})


def _quiet_sdk_logging() -> None:
    """azure-identity logs each failed get_token at WARNING; with no handler configured Python
    prints that on stderr, doubling the error Connect-* already shows. pscompat reports failures
    itself, so the SDK loggers get a NullHandler (an application can still add its own)."""
    for name in ("azure", "msal"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())


def graph_resource(endpoint: Endpoint) -> str:
    """``scheme://host`` of the cloud's Graph: what scopes are qualified with.

    Always the cloud's Graph (``https://graph.microsoft.us`` for USGov), also when requests go to
    ``PSCOMPAT_GRAPH_URL``: the token is for Graph's audience, and a lab posing as Graph accepts
    exactly that. No port: Entra rejects scopes with one.
    """
    parsed = urlparse(endpoint.token_resource())
    return f"{parsed.scheme}://{parsed.hostname}"


def graph_scopes(endpoint: Endpoint, scopes: tuple[str, ...] = ()) -> list[str]:
    """Scopes to ask for: ``<graph>/.default`` for app-only, else each delegated scope qualified.

    Qualifying ``User.Read`` as ``https://graph.microsoft.us/User.Read`` is what makes delegated
    sign-in work in national clouds; for the global cloud it is equivalent to the bare name.
    """
    resource = graph_resource(endpoint)
    if not scopes:
        return [f"{resource}/.default"]
    qualified = []
    for scope in scopes:
        if "://" in scope or scope.casefold() in _RESERVED_SCOPES:
            qualified.append(scope)
        else:
            qualified.append(f"{resource}/{scope}")
    return qualified


def cache_options(name: str = "pscompat") -> Any | None:
    """azure-identity's persistent cache options, or None for an in-memory cache."""
    if os.environ.get("PSCOMPAT_TOKEN_CACHE", "").casefold() in {"memory", "none", "off", "0"}:
        return None
    try:
        import msal_extensions  # noqa: F401  (the persistent cache needs it)
        from azure.identity import TokenCachePersistenceOptions
    except ImportError:
        return None
    return TokenCachePersistenceOptions(name=name, allow_unencrypted_storage=True)


def _common_kwargs(endpoint: Endpoint) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"authority": endpoint.authority_host}
    if urlparse(endpoint.authority_host).hostname not in MICROSOFT_AUTHORITY_HOSTS:
        # A lab (or any authority MSAL does not know): never ask login.microsoftonline.com to
        # validate it -- that would be a request to the internet.
        kwargs["disable_instance_discovery"] = True
    if endpoint.ca_bundle:
        kwargs["connection_verify"] = endpoint.ca_bundle
    return kwargs


def build_credential(spec: CredentialSpec, endpoint: Endpoint, *, secret: str | None = None,
                     certificate_password: str | None = None,
                     prompt: Callable[[str], None] | None = None, persistent: bool = True) -> TokenCredential:
    """The azure-identity credential for ``spec``; ``secret`` only for ``client_secret``.

    ``persistent=False``: an in-memory cache only, so the first token comes from the authority
    (Connect-* validating explicit credentials: a cached token proves nothing about them)."""
    import azure.identity as ai

    _quiet_sdk_logging()
    common = _common_kwargs(endpoint)
    cache = cache_options() if persistent else None
    if spec.kind == "client_secret":
        if not secret:
            raise ValueError("a client secret is required")
        return ai.ClientSecretCredential(spec.tenant_id or "organizations", spec.client_id or "",
                                         secret, cache_persistence_options=cache, **common)
    if spec.kind == "certificate":
        return ai.CertificateCredential(
            spec.tenant_id or "organizations", spec.client_id or "",
            certificate_path=spec.certificate_path,
            password=certificate_password.encode() if certificate_password else None,
            send_certificate_chain=spec.send_certificate_chain,
            cache_persistence_options=cache, **common)
    if spec.kind == "managed_identity":
        # Managed identity talks to the host's identity endpoint, not to an authority.
        mi_kwargs: dict[str, Any] = {}
        if spec.client_id:
            mi_kwargs["client_id"] = spec.client_id
        if endpoint.ca_bundle:
            mi_kwargs["connection_verify"] = endpoint.ca_bundle
        return ai.ManagedIdentityCredential(**mi_kwargs)
    if spec.kind == "environment":
        return ai.EnvironmentCredential(**common)
    record = (ai.AuthenticationRecord.deserialize(spec.authentication_record)
              if spec.authentication_record else None)
    delegated: dict[str, Any] = dict(common)
    delegated.update(client_id=spec.client_id or GRAPH_CLI_CLIENT_ID,
                     tenant_id=spec.tenant_id or "organizations",
                     cache_persistence_options=cache)
    if record is not None:
        delegated["authentication_record"] = record
    if spec.kind == "device_code":
        if prompt is not None:
            delegated["prompt_callback"] = lambda uri, code, expires: prompt(
                f"To sign in, use a web browser to open the page {uri} and enter the code {code} "
                "to authenticate.")
        return ai.DeviceCodeCredential(**delegated)
    if spec.kind == "interactive_browser":
        return ai.InteractiveBrowserCredential(**delegated)
    raise ValueError(f"no azure-identity credential for kind {spec.kind!r}")
