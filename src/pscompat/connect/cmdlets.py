"""The connection cmdlets' handlers, as named by ``handler:`` in their cmdlets/*.yaml.

``handler(invocation, host) -> list of output objects``; see ``handler`` for the contract,
``mg`` for Connect-MgGraph / Get-MgContext / Disconnect-MgGraph and ``pnp`` for
Connect-PnPOnline / Disconnect-PnPOnline. What each parameter set maps to in azure-identity,
and every deviation, is in docs/connect.md.
"""

from __future__ import annotations

from .handler import set_long_lived_process
from .mg import connect_mg_graph, disconnect_mg_graph, get_mg_context, welcome_text
from .pnp import PnPConnectionObject, connect_pnp_online, connection_from_object, disconnect_pnp_online

__all__ = ["connect_mg_graph", "get_mg_context", "disconnect_mg_graph", "connect_pnp_online",
           "disconnect_pnp_online", "welcome_text", "PnPConnectionObject", "connection_from_object",
           "set_long_lived_process"]
