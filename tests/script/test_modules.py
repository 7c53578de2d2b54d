"""Issue 9 item 6: the module cmdlets scripts call first, for the emulated Mg/PnP modules and unknown ones."""

from __future__ import annotations

from pscompat.script.builtins.modules import EMULATED_VERSIONS, emulated_modules

from .helpers import run


def test_get_module_list_available_lists_the_emulated_graph_modules() -> None:
    result = run("Get-Module -ListAvailable Microsoft.Graph* | ForEach-Object { \"$($_.Name) $($_.Version)\" }\n"
                 "(Get-Module -ListAvailable Nope*).Count")
    graph = sorted(m for m in emulated_modules() if m.startswith("Microsoft.Graph"))
    assert "Microsoft.Graph.Users" in graph and "Microsoft.Graph.Identity.SignIns" in graph
    assert result.out == "".join(f"{m} {EMULATED_VERSIONS['microsoft.graph']}\n" for m in graph) + "0\n"
    assert result.err == ""


def test_get_module_table_view_and_exported_commands() -> None:
    result = run("Get-Module -ListAvailable Microsoft.Graph.Users")
    lines = result.out.strip("\n").splitlines()
    assert lines[0].split() == ["ModuleType", "Version", "PreRelease", "Name", "PSEdition", "ExportedCommands"]
    assert "Get-MgUser" in lines[2] and lines[2].startswith("Script ")
    assert run("(Get-Module -ListAvailable PnP.PowerShell).ExportedCommands -contains 'Connect-PnPOnline'").out \
        == "True\n"


def test_import_then_get_module_shows_what_was_imported() -> None:
    result = run("Get-Module | Measure-Object | ForEach-Object Count\nImport-Module Microsoft.Graph.Users\n"
                 "Import-Module PnP.PowerShell\n(Get-Module).Name\n\"$((Import-Module Microsoft.Graph.Users -PassThru).Version)\"\n"
                 "(Get-Module Microsoft.Graph.Users).Version -ge [version]'2.10'")
    assert result.out == "0\nMicrosoft.Graph.Users\nPnP.PowerShell\n2.35.1\nTrue\n"   # a System.Version: 35 > 10


def test_get_installed_module_known_and_unknown() -> None:
    """PowerShellGet's Get-InstalledModule goes through PackageManagement's Get-Package: an unknown name is
    'No match was found for the specified search criteria and module names ...' (NoMatchFound)."""
    result = run("(Get-InstalledModule Microsoft.Graph).Version\n(Get-InstalledModule PnP.PowerShell).Version\n"
                 "Get-InstalledModule Contoso.Nope\n(Get-InstalledModule Contoso*).Count\n'after'")
    assert result.out == f"{EMULATED_VERSIONS['microsoft.graph']}\n{EMULATED_VERSIONS['pnp.powershell']}\n0\nafter\n"
    assert ("Get-Package : No match was found for the specified search criteria and module names 'Contoso.Nope'."
            in result.err)
    assert "NoMatchFound,Microsoft.PowerShell.PackageManagement.Cmdlets.GetPackage" in result.err


def test_install_module_known_is_quiet_and_unknown_is_the_gallery_error() -> None:
    result = run("Install-Module Microsoft.Graph -Scope CurrentUser -Force\nInstall-Module PnP.PowerShell\n"
                 "Install-Module Microsoft.Graph.Users -AllowClobber\n'installed'\n"
                 "try { Install-Module Contoso.Nope -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }")
    assert result.out == ("installed\n"
                          "NoMatchFoundForCriteria,Microsoft.PowerShell.PackageManagement.Cmdlets.InstallPackage\n")
    assert result.err == ""
    text = run("Install-Module Contoso.Nope").err
    assert ("No match was found for the specified search criteria and module name 'Contoso.Nope'. Try "
            "Get-PSRepository to see all available registered module repositories.") in text
