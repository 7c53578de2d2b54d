"""The platyPS docs pscompat writes itself (docs/cmdlets/) import cleanly and say what the facts say."""

from __future__ import annotations

from pathlib import Path

import pytest

from pscompat.docs.importer import import_doc
from pscompat.model import ALL_SETS, parse_paramsets

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cmdlets"


@pytest.mark.parametrize("doc", sorted(DOCS.glob("*.md")), ids=lambda p: p.stem)
def test_own_docs_import_without_warnings(doc: Path) -> None:
    data = import_doc(doc)
    assert data["cmdlet"] == doc.stem
    assert data["import_warnings"] == []
    assert data["common_parameters"] is True
    assert "ProgressAction" in data["common_parameter_names"]


def _model(stem: str):  # type: ignore[no-untyped-def]
    return parse_paramsets(import_doc(DOCS / f"{stem}.md"))


def test_connect_mggraph_sets_positions_and_aliases() -> None:
    model = _model("Connect-MgGraph")
    assert model.parameter_sets == ("UserParameterSet", "AppCertificateParameterSet", "AppSecretCredentialParameterSet",
                                    "IdentityParameterSet", "AccessTokenParameterSet", "EnvironmentVariableParameterSet")
    assert model.default_parameter_set == "UserParameterSet"
    scopes, tenant, client = model.parameter("Scopes"), model.parameter("TenantId"), model.parameter("ClientId")
    assert scopes is not None and tenant is not None and client is not None
    assert scopes.in_set("UserParameterSet").position == 0  # type: ignore[union-attr]
    assert tenant.in_set("UserParameterSet").position == 1  # type: ignore[union-attr]
    assert tenant.in_set("AppCertificateParameterSet").position is None  # type: ignore[union-attr]
    assert client.in_set("AppCertificateParameterSet").mandatory  # type: ignore[union-attr]
    assert not client.in_set("UserParameterSet").mandatory  # type: ignore[union-attr]
    assert client.in_set("AccessTokenParameterSet") is None
    assert client.aliases == ("AppId", "ApplicationId")
    assert tenant.aliases == ("Audience", "Tenant")
    assert model.parameter("UseDeviceCode").aliases == (  # type: ignore[union-attr]
        "UseDeviceAuthentication", "DeviceCode", "DeviceAuth", "Device")
    assert model.parameter("Identity").aliases == ("ManagedIdentity", "MSI")  # type: ignore[union-attr]
    assert model.parameter("CertificateSubjectName").aliases == ("CertificateName",)  # type: ignore[union-attr]
    assert model.parameter("ClientSecretCredential").aliases == ("SecretCredential", "Credential")  # type: ignore[union-attr]
    assert model.parameter("Environment").in_set("AccessTokenParameterSet") is not None  # type: ignore[union-attr]


def test_get_and_remove_mg_companions() -> None:
    get = _model("Get-MgUserAuthenticationTemporaryAccessPassMethod")
    assert get.parameter_sets == ("List", "Get", "GetViaIdentity") and get.default_parameter_set == "List"
    assert not get.supports_should_process
    assert get.parameter("Top").aliases == ("Limit",)  # type: ignore[union-attr]
    assert get.parameter("CountVariable").aliases == ("CV",)  # type: ignore[union-attr]
    assert get.parameter("Property").aliases == ("Select",)  # type: ignore[union-attr]
    tap_id = get.parameter("TemporaryAccessPassAuthenticationMethodId")
    assert tap_id is not None and set(tap_id.sets) == {"Get"} and tap_id.sets["Get"].mandatory
    assert get.parameter("InputObject").sets["GetViaIdentity"].value_from_pipeline  # type: ignore[union-attr]
    remove = _model("Remove-MgUserAuthenticationTemporaryAccessPassMethod")
    assert remove.supports_should_process and remove.default_parameter_set == "Delete"
    assert remove.parameter("WhatIf") is None and remove.parameter("IfMatch") is not None
    assert remove.parameter("PassThru").in_set("DeleteViaIdentity") is not None  # type: ignore[union-attr]
    assert remove.outputs == ("System.Boolean",)
    assert "[-WhatIf] [-Confirm]" in " ".join(remove.syntax["Delete"].split())


def test_pnp_companions() -> None:
    user = _model("Get-PnPEntraIDUser")
    assert user.parameter_sets == ("Return a list", "Return by specific ID", "Return the delta")
    assert user.default_parameter_set == "Return a list"
    assert user.parameter("Delta").sets["Return the delta"].mandatory  # type: ignore[union-attr]
    assert set(user.parameter("Select").sets) == {"Return a list", "Return by specific ID"}  # type: ignore[union-attr]
    assert user.parameter("Connection").in_set("Return the delta") is not None  # type: ignore[union-attr]
    connect = _model("Connect-PnPOnline")
    url = connect.parameter("Url")
    assert url is not None and all(m.position == 0 and m.mandatory for m in url.sets.values())
    assert set(url.sets) == set(connect.parameter_sets)
    assert connect.parameter("Thumbprint").sets[  # type: ignore[union-attr]
        "App-Only with Azure Active Directory using a certificate from the Windows Certificates Management Console"].mandatory
    assert connect.parameter("AzureEnvironment").default_value == "Production"  # type: ignore[union-attr]
    disconnect = _model("Disconnect-PnPOnline")
    assert [p.name for p in disconnect.parameters] == ["Connection"]
    assert disconnect.parameters[0].sets == {ALL_SETS: disconnect.parameters[0].sets[ALL_SETS]}
    for stem in ("Get-MgContext", "Disconnect-MgGraph"):
        model = _model(stem)
        assert model.parameters == () and model.parameter_sets == ()
        assert model.outputs == ("Microsoft.Graph.PowerShell.Authentication.AuthContext",)
