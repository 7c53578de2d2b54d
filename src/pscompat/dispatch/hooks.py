"""Per-cmdlet logic the YAML cannot say, as small named functions.

- ``pipe_bind`` resolvers turn a parameter value into a path segment (PnP's
  ``EntraIDUserPipeBind``).
- operation hooks adjust a prepared request (Get-PnPEntraIDUser's exact lookup URL).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from pscompat.values import PSHashtable, PSObject, get_member


def user_pipe_bind(value: Any) -> str | None:
    """PnP's EntraIDUserPipeBind: a user object -> its Id; a GUID -> lower-case; else the UPN as typed."""
    if isinstance(value, PSObject | PSHashtable):
        found, user_id = get_member(value, "Id")
        return str(user_id).lower() if found and user_id is not None else None
    if value is None:
        return None
    text = str(value)
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return text


PIPE_BINDS: dict[str, Callable[[Any], str | None]] = {"user": user_pipe_bind}

# Get-PnPEntraIDUser's fixed $select (GetEntraIDUser.cs / UsersUtility).
PNP_USER_SELECT = ("BusinessPhones,DisplayName,GivenName,JobTitle,Mail,MobilePhone,OfficeLocation,"
                   "PreferredLanguage,Surname,UserPrincipalName,Id,AccountEnabled")


def pnp_user_lookup(params: dict[str, Any], base: str) -> str | None:
    """The exact URL PnP builds for ``Get-PnPEntraIDUser -Identity x`` (None: not this hook's set).

    PnP concatenates the string and lets .NET escape it: spaces become %20, quotes and the
    rest stay as typed.
    """
    identity = params.get("Identity")
    if identity is None:
        return None
    text = str(identity)
    try:
        key = f"id eq '{uuid.UUID(text)}'"
    except ValueError:
        key = f"userPrincipalName eq '{text}'"  # PnP does not double a quote in the UPN
    query = f"$top=999&$select={PNP_USER_SELECT}&$filter={key}".replace(" ", "%20")
    return f"{base}/v1.0/users?{query}"


URL_HOOKS: dict[str, Callable[[dict[str, Any], str], str | None]] = {"pnp_user_lookup": pnp_user_lookup}
