"""Which connection a cmdlet uses, and what happens when there is none.

Order: this process's connection (Connect-* earlier in the same script/shell/Python process),
then the user's saved context, then -- pscompat's default -- the embedded lab, announced by one
line on stderr. With ``PSCOMPAT_REQUIRE_CONNECTION=1`` there is no fallback: the cmdlet fails
exactly as the real module does when not connected.

This module must stay cheap to import: it runs on every cmdlet call. azure-identity, kiota and
the lab are imported only by the branch that needs them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from pscompat.errors import ErrorRecord

from .connection import Connection, GraphConnection, LabConnection, TokenConnection
from .context import STORE, Module, SavedContext
from .live import embedded as _embedded
from .live import failed as _failed
from .live import forget, remember_secret, set_live
from .live import live as _live
from .live import lock as _lock
from .live import noticed as _noticed
from .live import process_secrets as _process_secrets
from .secrets import SECRET_ENV, TOKEN_ENV, env_secret, source_env_name

__all__ = ["current_connection", "embedded_lab_connection", "resolve_connection", "require_connection",
           "mg_not_connected_error", "pnp_not_connected_error", "build_connection", "remember_secret",
           "forget", "set_live", "MG_NOT_CONNECTED", "PNP_NOT_CONNECTED", "not_connected_notice"]

MG_NOT_CONNECTED = "Authentication needed. Please call Connect-MgGraph."
PNP_NOT_CONNECTED = ("There is currently no connection yet. Use Connect-PnPOnline to connect or provide "
                     "a valid connection using -Connection.")

def require_connection() -> bool:
    """``PSCOMPAT_REQUIRE_CONNECTION``: behave like the real modules when not connected."""
    return os.environ.get("PSCOMPAT_REQUIRE_CONNECTION", "").strip().casefold() in {"1", "true", "yes", "on"}


def current_connection(module: Module = "mg") -> Connection | None:
    """The connection Connect-MgGraph/Connect-PnPOnline made (this process or saved), or None.

    Raises an ErrorRecord when a saved context cannot be used (its secret is gone).
    """
    with _lock:
        live = _live.get(module)
        if live is not None:
            return live
        saved = STORE.get(module)
        if saved is None:
            return None
        conn = build_connection(saved)
        _live[module] = conn
        return conn


def embedded_lab_connection(module: Module = "mg") -> Connection:
    """The in-process lab tenant (created and seeded on first use by ``pscompat.lab``)."""
    with _lock:
        conn = _embedded.get(module)
        if conn is None:
            from pscompat.lab import open_lab
            conn = LabConnection(module, open_lab())
            _embedded[module] = conn
        return conn


def not_connected_notice(module: Module, lab: Any = None) -> str:
    tenant = getattr(lab, "tenant", None)
    domain = tenant.get("domain") if isinstance(tenant, dict) else None
    where = f" ({domain})" if domain else ""
    verb = "Connect-MgGraph" if module == "mg" else "Connect-PnPOnline"
    return (f"pscompat: not connected; using the embedded lab tenant{where}. "
            f"{verb} to use Microsoft Graph.")


def resolve_connection(module: Module = "mg", *, command: str = "", type_name: str = "",
                       notice: Callable[[str], None] | None = None) -> Connection:
    """The connection a cmdlet should use: current, else the embedded lab (or the real error).

    ``command``/``type_name`` make the not-connected ErrorRecord exact: for Mg the internal
    cmdlet (``New-Mg..._CreateExpanded`` / ``Microsoft.Graph.PowerShell.Cmdlets.NewMg..._CreateExpanded``),
    for PnP the cmdlet and its .NET type. ``notice`` receives the one stderr line (default:
    written to stderr once per process and module).
    """
    try:
        conn = current_connection(module)
    except ErrorRecord as record:
        # A saved connection that cannot sign in (its secret is gone): reported by the cmdlet
        # that needed it, like the module's own authentication errors (Mg writes them, PnP throws).
        if command:
            record.command = command
        if type_name:
            record.fqid_suffix = type_name
        record.terminating = module != "mg"
        raise
    if conn is not None:
        if not conn.tap_available and "TemporaryAccessPass" in f"{command} {type_name}":
            _say(notice, f"WARNING: Temporary Access Pass is not available in the {conn.environment} cloud "
                         "(Microsoft Entra operated by 21Vianet); Microsoft Graph is expected to reject "
                         "this request.")
        return conn
    if require_connection() or module in _failed:   # a failed Connect-* never falls back to the lab
        raise (mg_not_connected_error(command, type_name) if module == "mg"
               else pnp_not_connected_error(command, type_name))
    conn = embedded_lab_connection(module)
    with _lock:
        first = module not in _noticed
        _noticed.add(module)
    if first and not _quiet():
        _say(notice, not_connected_notice(module, getattr(conn, "lab", None)))
    return conn


def _quiet() -> bool:
    """``PSCOMPAT_QUIET=1``: no "not connected" notice (the lab fallback itself stays)."""
    return os.environ.get("PSCOMPAT_QUIET", "").strip().lower() in {"1", "true", "yes", "on"}


def _say(notice: Callable[[str], None] | None, text: str) -> None:
    if notice is not None:
        notice(text)
    else:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()


def mg_not_connected_error(command: str = "", type_name: str = "") -> ErrorRecord:
    """As the Mg internal cmdlet writes it: WriteError(new ErrorRecord(ex, "", NotSpecified, null))."""
    return ErrorRecord(MG_NOT_CONNECTED, "", "NotSpecified", command=command, fqid_suffix=type_name,
                       terminating=False,
                       exception_type="System.Security.Authentication.AuthenticationException")


def pnp_not_connected_error(command: str = "", type_name: str = "") -> ErrorRecord:
    """PnP throws InvalidOperationException in BeginProcessing: terminating, id = exception type."""
    return ErrorRecord(PNP_NOT_CONNECTED, "System.InvalidOperationException", "NotSpecified",
                       command=command, fqid_suffix=type_name, terminating=True,
                       exception_type="System.InvalidOperationException")


def _unavailable(saved: SavedContext, message: str) -> ErrorRecord:
    return ErrorRecord(message, "ConnectionSecretUnavailable", "AuthenticationError",
                       command="Connect-MgGraph" if saved.module == "mg" else "Connect-PnPOnline",
                       fqid_suffix="", terminating=True,
                       exception_type="System.Security.Authentication.AuthenticationException")


def _secret_for(saved: SavedContext) -> str:
    with _lock:
        held = _process_secrets.get(saved.module)
    if held:
        return held
    name = source_env_name(saved.credential.secret_source) or SECRET_ENV
    secret = env_secret(name) or env_secret(SECRET_ENV)
    if secret:
        return secret
    raise _unavailable(saved, (
        f"The saved connection signs in app {saved.credential.client_id} with a client secret, which "
        f"pscompat never stores. Set {name} to the secret, or run "
        f"{'Connect-MgGraph' if saved.module == 'mg' else 'Connect-PnPOnline'} again in the same process."))


def _token_for(saved: SavedContext) -> str:
    with _lock:
        held = _process_secrets.get(saved.module)
    if held:
        return held
    name = source_env_name(saved.credential.secret_source) or TOKEN_ENV
    token = env_secret(name)
    if token:
        return token
    raise _unavailable(saved, (
        "The saved connection uses an access token you provided, which pscompat never stores. "
        f"Set {name} to the token, or connect again."))


def build_connection(saved: SavedContext) -> Connection:
    """A live connection from a saved context; secrets are fetched now (errors are ErrorRecords)."""
    spec = saved.credential
    endpoint = saved.endpoint
    if spec.kind == "access_token":
        token = _token_for(saved)
        return TokenConnection(saved.module, endpoint.graph_url, lambda: token,
                               verify=endpoint.ca_bundle or True, saved=saved,
                               tap_available=endpoint.tap_available)
    if spec.kind == "lab":
        from .labconnect import lab_connection_from_saved
        return lab_connection_from_saved(saved)
    if spec.kind == "embedded_lab":
        from .labsignin import lab_connection_from_saved as embedded_from_saved
        return embedded_from_saved(saved)
    secret = _secret_for(saved) if spec.kind == "client_secret" else None
    cert_password = os.environ.get("PSCOMPAT_CERTIFICATE_PASSWORD") if spec.kind == "certificate" else None

    def factory() -> Any:
        from .credentials import build_credential
        return build_credential(spec, endpoint, secret=secret, certificate_password=cert_password,
                                prompt=_stderr_line)

    return GraphConnection(saved, factory)


def _stderr_line(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()
