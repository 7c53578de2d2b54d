"""Delegated sign-ins into the embedded lab: Connect-MgGraph's (``-Scopes``, interactive or device
code) and Connect-PnPOnline's (``-Interactive``, ``-DeviceLogin``: the app's delegated
permissions, as PnP's ``.default`` scope asks Entra for).

A workshop runs admin scripts verbatim, and those start with ``Connect-MgGraph -Scopes
"UserAuthenticationMethod.ReadWrite.All"``. With ``PSCOMPAT_SIGNIN=lab`` that line signs the
lab's administrator in through the lab's admin app with exactly the requested delegated scopes
(the token's ``scp``), so the lab enforces them as Graph enforces delegated permissions. No
browser, no password: the embedded lab mints the token in-process. The context is saved like any
other (no secret exists), so later commands of a bash session use the same signed-in user.
"""

from __future__ import annotations

import os
from typing import Any

from pscompat.errors import ErrorRecord

from .connection import Connection, LabConnection
from .context import CredentialSpec, Module, SavedContext

SIGNIN_ENV = "PSCOMPAT_SIGNIN"
USER_ENV = "PSCOMPAT_LAB_USER"
DEFAULT_USER = "admin@contoso.lab"      # the default scenario's Global Administrator


def lab_signin_requested() -> bool:
    """``PSCOMPAT_SIGNIN=lab``: delegated Connect-MgGraph sign-ins go to the embedded lab."""
    return os.environ.get(SIGNIN_ENV, "").strip().casefold() == "lab"


def _open(saved: SavedContext | None) -> Any:
    from pscompat.lab import open_lab
    path = saved.credential.lab_path if saved is not None else None
    return open_lab(path) if path else open_lab()


def _lab_connection(module: Module, user: str, scopes: list[str], saved: SavedContext | None,
                    lab: Any = None) -> LabConnection:
    client_id = saved.credential.client_id if saved is not None else None
    return LabConnection(module, lab if lab is not None else _open(saved), client_id=client_id, user=user,
                         scopes=scopes, saved=saved)


_CONNECT = {"mg": ("Connect-MgGraph", "Microsoft.Graph.PowerShell.Authentication.Cmdlets.ConnectMgGraph"),
            "pnp": ("Connect-PnPOnline", "PnP.PowerShell.Commands.Base.ConnectOnline")}


def connect_embedded_lab(module: Module, scopes: list[str] | None, fields: dict[str, Any], endpoint: Any,
                         scope: str, token_kind: str,
                         extra: dict[str, Any] | None = None) -> tuple[SavedContext, Connection]:
    """Sign the lab's admin in with ``scopes`` (None: every delegated permission of the lab's app);
    returns the saved context and the live connection."""
    from pscompat.lab import LabError
    user = os.environ.get(USER_ENV) or DEFAULT_USER
    command, type_name = _CONNECT[module]
    try:
        lab = _open(None)
        app = lab.default_app()
        if scopes is None:
            scopes = list(app.get("delegated") or [])
        conn = _lab_connection(module, user, scopes, None, lab)
        who = lab.store.find_user(user)
        if who is None:
            raise LabError(f"no user {user!r} in this lab")
        lab.issue_token(user=user, scopes=scopes)
    except LabError as exc:
        raise ErrorRecord(f"Authentication failed: the embedded lab cannot sign in {user}: {exc}",
                          type_name if module == "mg" else "Azure.Identity.AuthenticationFailedException",
                          "NotSpecified", command=command, fqid_suffix=type_name, terminating=True,
                          exception_type="Azure.Identity.AuthenticationFailedException") from None
    fields.update(ClientId=app.get("clientId"), TenantId=lab.tenant.get("id"), Scopes=list(scopes),
                  AuthType="Delegated", TokenCredentialType=token_kind, Account=user,
                  AppName=app.get("displayName"))
    spec = CredentialSpec(kind="embedded_lab", client_id=app.get("clientId"), tenant_id=lab.tenant.get("id"),
                          scopes=tuple(scopes), lab_path=str(lab.path) if getattr(lab, "path", None) else None)
    saved = SavedContext(module, fields, endpoint, spec, scope, extra=extra or {})
    conn.saved = saved
    conn._client_id = spec.client_id
    return saved, conn


def lab_connection_from_saved(saved: SavedContext) -> Connection:
    """A later process's connection for a saved ``embedded_lab`` context (nothing secret to fetch)."""
    user = str(saved.fields.get("Account") or DEFAULT_USER)
    return _lab_connection(saved.module, user, list(saved.credential.scopes), saved)
