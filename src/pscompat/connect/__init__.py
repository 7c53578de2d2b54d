"""Connections: the embedded lab by default, Microsoft Graph after Connect-MgGraph/Connect-PnPOnline.

Public API (the dispatcher's contract):

- ``resolve_connection(module, command=, type_name=)`` -> the connection a cmdlet uses: the
  current one, else the embedded lab with one stderr notice, else (``PSCOMPAT_REQUIRE_CONNECTION=1``)
  the real module's not-connected ErrorRecord.
- ``current_connection(module)`` -> ``Connection | None``; ``embedded_lab_connection(module)``.
- ``Connection``: ``graph_base_url``, ``authentication_provider()``, ``http_transport()``,
  ``verify``, ``context``, ``tap_available``.
- The cmdlet handlers live in ``pscompat.connect.cmdlets``.

Importing this package is cheap (stdlib + pscompat.values/errors): azure-identity, kiota and the
lab are imported only by the code path that needs them. See docs/connect.md.
"""

from __future__ import annotations

from .connection import Connection, GraphConnection, LabConnection, TokenConnection
from .context import STORE, CredentialSpec, SavedContext
from .resolve import (
    MG_NOT_CONNECTED,
    PNP_NOT_CONNECTED,
    current_connection,
    embedded_lab_connection,
    forget,
    mg_not_connected_error,
    pnp_not_connected_error,
    require_connection,
    resolve_connection,
)

__all__ = [
    "Connection", "CredentialSpec", "GraphConnection", "LabConnection", "MG_NOT_CONNECTED",
    "PNP_NOT_CONNECTED", "STORE", "SavedContext", "TokenConnection", "current_connection",
    "embedded_lab_connection", "forget", "mg_not_connected_error", "pnp_not_connected_error",
    "require_connection", "resolve_connection", "tap_unavailable_message",
]


def tap_unavailable_message(connection: Connection) -> str | None:
    """A WARNING text when the connection's cloud has no Temporary Access Pass (China)."""
    if getattr(connection, "tap_available", True):
        return None
    return (f"Temporary Access Pass is not available in the {connection.environment} cloud (Microsoft "
            "Entra operated by 21Vianet); Microsoft Graph is expected to reject this request.")
