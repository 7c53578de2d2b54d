"""Reading (never verifying) the claims of an access token, as Connect-MgGraph does.

The Mg module decodes the token it got (or was given) to fill Get-MgContext: tenant, app,
account, scopes or roles, and to refuse an expired ``-AccessToken``. Claims are not secrets;
the token is, and it is never stored or printed.
"""

from __future__ import annotations

import base64
import json
from typing import Any

__all__ = ["claims_of"]


def claims_of(token: str) -> dict[str, Any] | None:
    """The payload of a JWT, or None when ``token`` is not one."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        claims = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        return None
    return claims if isinstance(claims, dict) else None
