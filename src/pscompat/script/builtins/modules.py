"""Module cmdlets admin scripts call first: Import-Module, Get-Module, Get-InstalledModule, Install-Module.

pscompat carries no PowerShell modules; it emulates the Mg and PnP cmdlets in cmdlets/*.yaml. For
those modules these commands succeed quietly and report the versions pscompat emulates
(EMULATED_VERSIONS); any other module gets the real "not found" errors. Nothing is downloaded.
"""

from __future__ import annotations

import functools
from typing import Any

from pscompat.errors import ErrorRecord
from pscompat.lang.dotnet import ps_string
from pscompat.lang.syntax import KNOWN_MODULE_PREFIXES
from pscompat.script.binding import ParamSpec as P
from pscompat.script.builtins.registry import Call, builtin
from pscompat.values import PSObject, Version

_U = "Microsoft.PowerShell.Commands"
_PM = "Microsoft.PowerShell.PackageManagement.Cmdlets"

# The module versions pscompat's cmdlet docs (cmdlets/*.yaml, ms.date 2026-01) correspond to.
EMULATED_VERSIONS = {"microsoft.graph": "2.35.1", "pnp.powershell": "3.1.0"}

# Import-Module accepts any Microsoft.Graph sub-module (scripts import the ones they need) and
# PowerShell's own modules, which pscompat's built-ins stand in for.


def module_version(module: str) -> Version:
    """The version pscompat reports for an emulated module (Get-Module, Get-Command): a System.Version."""
    return Version.parse(EMULATED_VERSIONS["pnp.powershell" if module.lower().startswith("pnp.") else "microsoft.graph"])


@functools.cache
def emulated_modules() -> dict[str, list[str]]:
    """Module name -> the cmdlets pscompat emulates from it (from cmdlets/*.yaml), sorted by name."""
    from pscompat.model.loader import cmdlet_names, find_cmdlet
    modules: dict[str, list[str]] = {}
    for name in cmdlet_names(include_aliases=False):
        cmdlet = find_cmdlet(name)
        if cmdlet is not None and cmdlet.module:
            modules.setdefault(cmdlet.module, []).append(cmdlet.name)
    return {module: sorted(names) for module, names in sorted(modules.items(), key=lambda kv: kv[0].lower())}


def _wildcard(patterns: list[str]) -> Any:
    import fnmatch
    if not patterns:
        return lambda name: True
    return lambda name: any(fnmatch.fnmatchcase(name.lower(), p.lower()) for p in patterns)


def _module_info(name: str, commands: list[str]) -> PSObject:
    """A PSModuleInfo with the members the default view and scripts read."""
    return PSObject({"ModuleType": "Script" if name.lower().startswith("microsoft.graph") else "Binary",
                     "Version": module_version(name), "PreRelease": "", "Name": name, "PSEdition": "Core,Desk",
                     "ExportedCommands": commands, "Path": f"(pscompat: {name} is emulated, not installed)"},
                    type_names=["System.Management.Automation.PSModuleInfo"])


def _names(call: Call) -> list[str]:
    return [ps_string(n) for n in call.items("Name")]


@builtin("Import-Module", f"{_U}.ImportModuleCommand",
         [P("Name", "string[]", position=0, mandatory=True, pipeline=True), P("Force", "switch"),
          P("MinimumVersion", "string"), P("RequiredVersion", "string"), P("Scope", "string"),
          P("DisableNameChecking", "switch"), P("Global", "switch"), P("PassThru", "switch"),
          P("Function", "string[]"), P("Cmdlet", "string[]"), P("Prefix", "string"), P("MaximumVersion", "string")],
         aliases=("ipmo",))
def import_module(call: Call) -> list[Any]:
    out: list[Any] = []
    imported = call.interp.__dict__.setdefault("imported_modules", {})
    for text in _names(call):
        low = text.lower()
        if low.startswith(KNOWN_MODULE_PREFIXES):
            imported[low] = text
            if call.switch("PassThru"):
                out.append(_module_info(text, emulated_modules().get(text, [])))
            continue
        call.write_error(ErrorRecord(
            f"The specified module '{text}' was not loaded because no valid module file was found in any module "
            "directory.", "Modules_ModuleNotFound", "ResourceUnavailable", command="Import-Module",
            fqid_suffix=f"{_U}.ImportModuleCommand", target=text, exception_type="System.IO.FileNotFoundException"))
    return out


@builtin("Get-Module", f"{_U}.GetModuleCommand",
         [P("Name", "string[]", position=0, pipeline=True), P("ListAvailable", "switch"), P("All", "switch"),
          P("Refresh", "switch"), P("FullyQualifiedName", "object")], aliases=("gmo",))
def get_module(call: Call) -> list[Any]:
    """-ListAvailable: every emulated module; else the ones the script imported. No match is no output."""
    match = _wildcard(_names(call))
    modules = emulated_modules()
    if call.switch("ListAvailable"):
        return [_module_info(name, commands) for name, commands in modules.items() if match(name)]
    imported = getattr(call.interp, "imported_modules", {})
    return [_module_info(name, modules.get(name, [])) for name in sorted(imported.values(), key=str.lower)
            if match(name)]


def _installed_info(name: str) -> PSObject:
    # PowerShellGet 2 keeps a repository item's version as text (it may carry a pre-release label)
    return PSObject({"Version": module_version(name).ps_string(), "Name": name, "Repository": "PSGallery",
                     "Description": f"{name} (emulated by pscompat)"},
                    type_names=["Microsoft.PowerShell.Commands.PSRepositoryItemInfo"])


def _known(name: str) -> str | None:
    """The emulated module (or the Microsoft.Graph roll-up) ``name`` names, with its canonical spelling."""
    if name.lower() == "microsoft.graph":
        return "Microsoft.Graph"
    return next((module for module in emulated_modules() if module.lower() == name.lower()), None)


@builtin("Get-InstalledModule", f"{_PM}.GetPackage",
         [P("Name", "string[]", position=0, pipeline=True), P("MinimumVersion", "string"),
          P("RequiredVersion", "string"), P("MaximumVersion", "string"), P("AllVersions", "switch"),
          P("AllowPrerelease", "switch")])
def get_installed_module(call: Call) -> list[Any]:
    names = _names(call)
    available = ["Microsoft.Graph", *emulated_modules()]
    if not names:
        return [_installed_info(name) for name in available]
    out: list[Any] = []
    for text in names:
        match = _wildcard([text])
        found = [name for name in available if match(name)]
        if not found and not any(c in text for c in "*?["):
            call.write_error(ErrorRecord(
                f"No match was found for the specified search criteria and module names '{text}'.", "NoMatchFound",
                "ObjectNotFound", command="Get-Package", fqid_suffix=f"{_PM}.GetPackage", target=text,
                exception_type="System.Exception"))
        out.extend(_installed_info(name) for name in found)
    return out


@builtin("Install-Module", f"{_PM}.InstallPackage",
         [P("Name", "string[]", position=0, mandatory=True, pipeline=True), P("Scope", "string"), P("Force", "switch"),
          P("AllowClobber", "switch"), P("Repository", "string[]"), P("RequiredVersion", "string"),
          P("MinimumVersion", "string"), P("MaximumVersion", "string"), P("AllowPrerelease", "switch"),
          P("SkipPublisherCheck", "switch"), P("AcceptLicense", "switch"), P("PassThru", "switch")],
         should_process=True)
def install_module(call: Call) -> list[Any]:
    """Known modules are already there (pscompat emulates them): quiet success; others: not in the gallery."""
    out: list[Any] = []
    for text in _names(call):
        known = _known(text)
        if known is not None:
            if call.switch("PassThru"):
                out.append(_installed_info(known))
            continue
        call.write_error(ErrorRecord(
            f"No match was found for the specified search criteria and module name '{text}'. Try Get-PSRepository "
            "to see all available registered module repositories.", "NoMatchFoundForCriteria", "ObjectNotFound",
            command="Install-Package", fqid_suffix=f"{_PM}.InstallPackage", target=text,
            exception_type="System.Exception"))
    return out
