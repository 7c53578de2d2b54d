"""Find-MgGraphCommand answers from the cmdlets YAML: by command (regex), by URI (any id), by
method and API version; unknown names are the module's Write-Error."""

from __future__ import annotations

import io
from typing import Any

import pytest

from pscompat.binder.session import bind_argv
from pscompat.dispatch.find_command import find_mg_graph_command
from pscompat.errors import ErrorRecord
from pscompat.host import Host
from pscompat.model import load_cmdlet


def find(*argv: str) -> tuple[list[Any], Host]:
    host = Host(io.StringIO(), io.StringIO())
    invocation = bind_argv(load_cmdlet("Find-MgGraphCommand"), list(argv), interactive=False)
    return find_mg_graph_command(invocation, host), host


def rows(objects: list[Any]) -> list[tuple[str, str, str, list[str]]]:
    return [(o.get("Command"), o.get("Method"), o.get("URI"), o.get("Variants")) for o in objects]


def test_by_command() -> None:
    found, host = find("-Command", "Get-MgUser")
    assert rows(found) == [("Get-MgUser", "GET", "/users", ["List"]),
                           ("Get-MgUser", "GET", "/users/{user-id}", ["Get", "GetViaIdentity"])]
    assert found[0].get("Module") == "Users" and found[0].get("APIVersion") == "v1.0"
    assert found[0].get("OutputType") == "IMicrosoftGraphUser"
    assert [p.get("Name") for p in found[0].get("Permissions")][0] == "User.Read.All"
    assert host.errors == []


def test_by_uri_with_any_id_and_method() -> None:
    found, _ = find("-Uri", "/users/{id}")
    assert {r[0] for r in rows(found)} == {"Get-MgUser", "Remove-MgUser", "Update-MgUser"}
    found, _ = find("-Uri", "https://graph.microsoft.com/v1.0/users/AdeleV@contoso.lab/authentication/phoneMethods/x",
                    "-Method", "DELETE")
    assert rows(found) == [("Remove-MgUserAuthenticationPhoneMethod", "DELETE",
                            "/users/{user-id}/authentication/phoneMethods/{phoneAuthenticationMethod-id}",
                            ["Delete", "DeleteViaIdentity"])]
    assert [p.get("Name") for p in found[0].get("Permissions")] == ["UserAuthenticationMethod.ReadWrite.All"]


def test_regex_and_api_version() -> None:
    found, _ = find("-Command", ".*TemporaryAccessPass.*", "-ApiVersion", "v1.0")
    assert {r[0] for r in rows(found)} == {"Get-MgUserAuthenticationTemporaryAccessPassMethod",
                                           "New-MgUserAuthenticationTemporaryAccessPassMethod",
                                           "Remove-MgUserAuthenticationTemporaryAccessPassMethod"}
    found, _ = find("-Command", "Get-MgUser", "-ApiVersion", "beta")
    assert found == []


@pytest.mark.parametrize("name", ["Connect-MgGraph", "Invoke-MgGraphRequest", "Get-MgNothing"])
def test_not_a_generated_command(name: str) -> None:
    found, host = find("-Command", name)
    assert found == [] and len(host.errors) == 1
    record = host.errors[0]
    assert record.message == f"'{name}' is not a valid Microsoft Graph PowerShell command. Please check the name and try again."
    assert record.fqid == "Microsoft.PowerShell.Commands.WriteErrorException,Find-MgGraphCommand"


def test_binding_errors_quote_powershell() -> None:
    with pytest.raises(ErrorRecord) as caught:
        bind_argv(load_cmdlet("Find-MgGraphCommand"), ["-Command", "Get-MgUser", "-Uri", "/users"], interactive=False)
    assert caught.value.message.startswith("Parameter set cannot be resolved using the specified named parameters.")
