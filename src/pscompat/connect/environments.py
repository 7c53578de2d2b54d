"""National clouds: the Graph host and sign-in authority of each, and pscompat's overrides.

The names and Graph hosts are the real modules' (facts/mg-cmdlets.md, facts/pnp-cmdlets.md).
Every cloud needs two URLs anyway (Graph and the authority), so pointing them at something
else -- a lab served on 127.0.0.1 pretending to be Graph -- is the same mechanism with
different values: ``PSCOMPAT_GRAPH_URL``, ``PSCOMPAT_AUTHORITY_HOST`` and ``PSCOMPAT_CA_BUNDLE``
(a documented pscompat extra; the real modules have ``Add-MgEnvironment`` for the same need).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["Cloud", "MG_ENVIRONMENTS", "PNP_ENVIRONMENTS", "mg_cloud", "pnp_cloud", "Endpoint",
           "resolve_endpoint"]


@dataclass(frozen=True)
class Cloud:
    """One national cloud: the name the module shows and the two hosts it talks to."""

    name: str
    graph_url: str          # no trailing slash, no version
    authority_host: str     # https://login... (no tenant)
    tap_available: bool = True


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


@dataclass(frozen=True)
class Endpoint:
    """Where a Graph connection sends requests and gets tokens, after overrides."""

    cloud: str
    graph_url: str
    authority_host: str
    ca_bundle: str | None = None
    tap_available: bool = True
    # The cloud's own Graph URL: the resource tokens are asked for, even when requests go to an
    # override (a lab posing as Graph accepts Graph's audience, as a proxy in front of Graph would).
    resource: str = ""

    def token_resource(self) -> str:
        return self.resource or _cloud_by_name(self.cloud).graph_url

    @property
    def overridden(self) -> bool:
        return self.ca_bundle is not None or self.graph_url != _cloud_by_name(self.cloud).graph_url


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
