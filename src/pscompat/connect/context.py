"""Connection contexts: what a connection is, as saved per user and shown by Get-MgContext.

A context is everything needed to rebuild a connection in a later process *except secrets*:
the Get-MgContext fields, where Graph and the authority are (after overrides), and how to get
the credential back (``CredentialSpec``: a certificate path, an azure-identity authentication
record, the name of the environment variable holding a secret). A secret never enters this
module's data, so nothing that serializes it can leak one.

Two scopes, as in the Mg module: ``Process`` contexts live in this process only (a ``.ps1``
run, the shell, a Python caller); ``CurrentUser`` contexts are also saved to
``<config dir>/<module>-context.json`` (0600, atomic; see ``storage``). Mg and PnP have separate
contexts, as the real modules do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from . import storage
from .environments import Endpoint

__all__ = ["Module", "MG_CONTEXT_FIELDS", "CredentialSpec", "SavedContext", "ContextStore", "STORE"]

Module = Literal["mg", "pnp"]
FORMAT_VERSION = 1

# Get-MgContext's properties, in the order the module prints them (facts/mg-cmdlets.md).
MG_CONTEXT_FIELDS: tuple[str, ...] = (
    "ClientId", "TenantId", "Scopes", "AuthType", "TokenCredentialType", "CertificateThumbprint",
    "CertificateSubjectName", "SendCertificateChain", "Account", "AppName", "ContextScope",
    "Certificate", "PSHostVersion", "ManagedIdentityId", "ClientSecret", "Environment",
)

# Values that must never be saved: a context field with one of these names is always None.
_NEVER_SAVED = frozenset({"ClientSecret", "AccessToken", "Password", "CertificatePassword"})


class CredentialSpec:
    """How to build the azure-identity credential again, without any secret in it.

    ``kind``: ``lab`` (a served lab), ``client_secret``, ``certificate``, ``managed_identity``,
    ``device_code``, ``interactive_browser``, ``access_token``, ``environment``.
    ``secret_source`` names where a secret comes from in a later process:
    ``EnvironmentVariable:<NAME>`` or ``Process`` (it was typed or passed in-process and is
    gone; a later process fails with a clear error).
    """

    FIELDS = ("kind", "client_id", "tenant_id", "scopes", "secret_source", "certificate_path",
              "certificate_thumbprint", "send_certificate_chain", "authentication_record", "lab_path")
    __slots__ = FIELDS

    def __init__(self, kind: str, client_id: str | None = None, tenant_id: str | None = None,
                 scopes: tuple[str, ...] = (), secret_source: str | None = None,
                 certificate_path: str | None = None, certificate_thumbprint: str | None = None,
                 send_certificate_chain: bool = False, authentication_record: str | None = None,
                 lab_path: str | None = None) -> None:
        self.kind = kind
        self.client_id = client_id
        self.tenant_id = tenant_id
        self.scopes = tuple(scopes)
        self.secret_source = secret_source
        self.certificate_path = certificate_path
        self.certificate_thumbprint = certificate_thumbprint
        self.send_certificate_chain = send_certificate_chain
        # azure-identity's AuthenticationRecord JSON: account and tenant ids, no secret.
        self.authentication_record = authentication_record
        self.lab_path = lab_path

    def with_(self, **changes: Any) -> CredentialSpec:
        values = {name: getattr(self, name) for name in self.FIELDS}
        values.update(changes)
        return CredentialSpec(**values)

    def to_json(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in self.FIELDS}
        data["scopes"] = list(self.scopes)
        return data

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> CredentialSpec:
        values = {k: v for k, v in raw.items() if k in cls.FIELDS}
        values["scopes"] = tuple(values.get("scopes") or ())
        values.setdefault("kind", "")
        return cls(**values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CredentialSpec) and self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"CredentialSpec(kind={self.kind!r}, client_id={self.client_id!r}, tenant_id={self.tenant_id!r})"


class SavedContext:
    """One module's connection: Get-MgContext fields + endpoint + credential spec."""

    __slots__ = ("module", "fields", "endpoint", "credential", "scope", "extra")

    def __init__(self, module: Module, fields: dict[str, Any], endpoint: Endpoint, credential: CredentialSpec,
                 scope: str = "CurrentUser", extra: dict[str, Any] | None = None) -> None:
        for name in _NEVER_SAVED:
            if fields.get(name) is not None:
                raise ValueError(f"context field {name} must not carry a value")
        self.module = module
        self.fields = fields
        self.endpoint = endpoint
        self.credential = credential
        self.scope = scope                       # Process | CurrentUser
        self.extra = dict(extra or {})           # PnP: Url, ConnectionMethod, ...

    def to_json(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "module": self.module,
            "scope": self.scope,
            "context": {k: _jsonable(v) for k, v in self.fields.items()},
            "endpoint": self.endpoint.to_json(),
            "credential": self.credential.to_json(),
            "extra": {k: _jsonable(v) for k, v in self.extra.items()},
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> SavedContext:
        if raw.get("version") != FORMAT_VERSION:
            raise ValueError(f"unsupported context format {raw.get('version')!r}")
        context = dict(raw.get("context") or {})
        for name in _NEVER_SAVED:
            context.pop(name, None)
        return cls(
            module=raw["module"],
            fields=context,
            endpoint=Endpoint.from_json(raw["endpoint"]),
            credential=CredentialSpec.from_json(raw.get("credential") or {}),
            scope=raw.get("scope", "CurrentUser"),
            extra=dict(raw.get("extra") or {}),
        )

    def with_scope(self, scope: str) -> SavedContext:
        fields_ = dict(self.fields)
        if "ContextScope" in fields_:
            fields_["ContextScope"] = scope
        return SavedContext(self.module, fields_, self.endpoint, self.credential, scope, self.extra)

    def __repr__(self) -> str:
        return f"SavedContext({self.module!r}, {self.credential!r}, scope={self.scope!r})"


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    return value


class ContextStore:
    """The process's contexts, backed by the per-user files for ``CurrentUser`` contexts.

    Precedence when reading: this process's context (set by a Connect-* in this process,
    whatever its scope), then the saved file. Disconnect removes both.
    """

    def __init__(self) -> None:
        self._process: dict[str, SavedContext | None] = {}

    @staticmethod
    def path(module: Module) -> Path:
        return storage.config_dir() / f"{module}-context.json"

    def get(self, module: Module) -> SavedContext | None:
        if module in self._process:
            return self._process[module]
        raw = storage.read_json(self.path(module))
        if not isinstance(raw, dict):
            return None
        try:
            return SavedContext.from_json(raw)
        except (KeyError, TypeError, ValueError):
            return None

    def set(self, context: SavedContext) -> None:
        """Make ``context`` current; save it when its scope is CurrentUser.

        A Process-scoped connect also forgets an older saved context of the same module (the
        real module keeps one connection per session; a stale saved one would silently come back
        in the next process and surprise the user).
        """
        self._process[context.module] = context
        if context.scope == "CurrentUser":
            storage.write_private_json(self.path(context.module), context.to_json())
        else:
            storage.remove_file(self.path(context.module))

    def remove(self, module: Module) -> SavedContext | None:
        """Forget the module's context in this process and on disk; the removed one, if any."""
        current = self.get(module)
        self._process[module] = None
        storage.remove_file(self.path(module))
        return current

    def forget_process(self) -> None:
        """Drop in-process contexts (tests; a new script run)."""
        self._process.clear()


STORE = ContextStore()
