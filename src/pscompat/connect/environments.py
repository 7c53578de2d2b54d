"""National clouds: the Graph host and sign-in authority of each, and pscompat's overrides.

The names and Graph hosts are the real modules' (facts/mg-cmdlets.md, facts/pnp-cmdlets.md).
Every cloud needs two URLs anyway (Graph and the authority), so pointing them at something
else -- a lab served on 127.0.0.1 pretending to be Graph -- is the same mechanism with
different values: ``PSCOMPAT_GRAPH_URL``, ``PSCOMPAT_AUTHORITY_HOST`` and ``PSCOMPAT_CA_BUNDLE``
(a documented pscompat extra; the real modules have ``Add-MgEnvironment`` for the same need).
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["Cloud", "MG_ENVIRONMENTS", "PNP_ENVIRONMENTS", "mg_cloud", "pnp_cloud", "Endpoint",
           "resolve_endpoint"]


class Cloud:
    """One national cloud: the name the module shows and the two hosts it talks to.

    (Plain classes rather than dataclasses here and in ``context``: this module is imported by
    every cmdlet call, and each dataclass costs most of a millisecond to create.)
    """

    __slots__ = ("name", "graph_url", "authority_host", "tap_available")

    def __init__(self, name: str, graph_url: str, authority_host: str, tap_available: bool = True) -> None:
        self.name = name
        self.graph_url = graph_url            # no trailing slash, no version
        self.authority_host = authority_host  # https://login... (no tenant)
        self.tap_available = tap_available

    def __repr__(self) -> str:
        return f"Cloud({self.name!r}, {self.graph_url!r})"


_GLOBAL = Cloud("Global", "https://graph.microsoft.com", "https://login.microsoftonline.com")
_USGOV = Cloud("USGov", "https://graph.microsoft.us", "https://login.microsoftonline.us")
_USGOVDOD = Cloud("USGovDoD", "https://dod-graph.microsoft.us", "https://login.microsoftonline.us")
# Temporary Access Pass is not offered by Microsoft Entra operated by 21Vianet.
_CHINA = Cloud("China", "https://microsoftgraph.chinacloudapi.cn", "https://login.chinacloudapi.cn",
               tap_available=False)

# Connect-MgGraph -Environment (Get-MgEnvironment names); matched case-insensitively.
MG_ENVIRONMENTS: dict[str, Cloud] = {c.name.casefold(): c for c in (_GLOBAL, _USGOV, _USGOVDOD, _CHINA)}

# Connect-PnPOnline -AzureEnvironment -> the Graph host PnP uses (facts/pnp-cmdlets.md).
PNP_ENVIRONMENTS: dict[str, Cloud] = {
    "production": Cloud("Production", _GLOBAL.graph_url, _GLOBAL.authority_host),
    "usgovernment": Cloud("USGovernment", _GLOBAL.graph_url, _GLOBAL.authority_host),
    "usgovernmenthigh": Cloud("USGovernmentHigh", _USGOV.graph_url, _USGOV.authority_host),
    "usgovernmentdod": Cloud("USGovernmentDoD", _USGOVDOD.graph_url, _USGOVDOD.authority_host),
    "china": Cloud("China", _CHINA.graph_url, _CHINA.authority_host, tap_available=False),
}


def mg_cloud(name: str | None) -> Cloud | None:
    """The Mg environment called ``name`` (default Global), or None when unknown."""
    return MG_ENVIRONMENTS.get((name or "Global").casefold())


def pnp_cloud(name: str | None) -> Cloud | None:
    return PNP_ENVIRONMENTS.get((name or "Production").casefold())


class Endpoint:
    """Where a Graph connection sends requests and gets tokens, after overrides.

    ``resource`` is the cloud's own Graph URL: the resource tokens are asked for, even when
    requests go to an override (a lab posing as Graph accepts Graph's audience, as a proxy in
    front of Graph would).
    """

    __slots__ = ("cloud", "graph_url", "authority_host", "ca_bundle", "tap_available", "resource")
    FIELDS = __slots__

    def __init__(self, cloud: str, graph_url: str, authority_host: str, ca_bundle: str | None = None,
                 tap_available: bool = True, resource: str = "") -> None:
        self.cloud = cloud
        self.graph_url = graph_url
        self.authority_host = authority_host
        self.ca_bundle = ca_bundle
        self.tap_available = tap_available
        self.resource = resource

    def token_resource(self) -> str:
        return self.resource or _cloud_by_name(self.cloud).graph_url

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.FIELDS}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Endpoint:
        return cls(**{k: v for k, v in raw.items() if k in cls.FIELDS})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Endpoint) and self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Endpoint({self.cloud!r}, {self.graph_url!r}, {self.authority_host!r})"


def _cloud_by_name(name: str) -> Cloud:
    return (MG_ENVIRONMENTS.get(name.casefold()) or PNP_ENVIRONMENTS.get(name.casefold()) or _GLOBAL)


def resolve_endpoint(cloud: Cloud, environ: dict[str, str] | None = None) -> Endpoint:
    """The cloud's URLs with ``PSCOMPAT_GRAPH_URL``/``_AUTHORITY_HOST``/``_CA_BUNDLE`` applied.

    Called at connect time; the result is saved with the context, so later commands keep
    talking to the same place even when the variables are gone.
    """
    env = os.environ if environ is None else environ
    graph_url = (env.get("PSCOMPAT_GRAPH_URL") or cloud.graph_url).rstrip("/")
    authority = (env.get("PSCOMPAT_AUTHORITY_HOST") or cloud.authority_host).rstrip("/")
    ca_bundle = env.get("PSCOMPAT_CA_BUNDLE") or None
    if ca_bundle:
        ca_bundle = os.path.abspath(ca_bundle)
    # A lab pretending to be Graph has every API, whatever cloud name it carries.
    tap = cloud.tap_available or bool(env.get("PSCOMPAT_GRAPH_URL"))
    return Endpoint(cloud.name, graph_url, authority, ca_bundle, tap, cloud.graph_url)
