"""Each auth mode maps onto the right azure-identity credential, pointed at the right authority.

Credentials are only *constructed* here (that makes no request); the sign-in path itself is
exercised against the lab over HTTPS in test_graph_path.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pscompat.connect.certstore import find_certificate, list_certificates
from pscompat.connect.context import CredentialSpec
from pscompat.connect.credentials import GRAPH_CLI_CLIENT_ID, build_credential, cache_options, graph_scopes
from pscompat.connect.environments import mg_cloud, pnp_cloud, resolve_endpoint

from .certs import make_cert


def _endpoint(name: str = "Global", env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    cloud = mg_cloud(name)
    assert cloud is not None
    return resolve_endpoint(cloud, env or {})


def test_scopes_are_qualified_with_the_clouds_graph() -> None:
    assert graph_scopes(_endpoint("USGov")) == ["https://graph.microsoft.us/.default"]
    assert graph_scopes(_endpoint("China"), ("User.Read", "openid")) == [
        "https://microsoftgraph.chinacloudapi.cn/User.Read", "openid"]
    lab = _endpoint(env={"PSCOMPAT_GRAPH_URL": "https://127.0.0.1:8443/"})
    assert lab.graph_url == "https://127.0.0.1:8443"
    assert graph_scopes(lab) == ["https://graph.microsoft.com/.default"]  # the cloud's audience


def test_overrides_apply_and_national_authorities() -> None:
    assert _endpoint("USGovDoD").authority_host == "https://login.microsoftonline.us"
    assert _endpoint("China").authority_host == "https://login.chinacloudapi.cn"
    ep = _endpoint("China", {"PSCOMPAT_GRAPH_URL": "https://127.0.0.1:1", "PSCOMPAT_AUTHORITY_HOST":
                             "https://127.0.0.1:1", "PSCOMPAT_CA_BUNDLE": "ca.pem"})
    assert ep.tap_available and ep.ca_bundle and ep.ca_bundle.endswith("/ca.pem")
    pnp = pnp_cloud("USGovernmentHigh")
    assert pnp is not None and pnp.graph_url == "https://graph.microsoft.us"
    assert pnp_cloud("USGovernment").graph_url == "https://graph.microsoft.com"  # type: ignore[union-attr]


def test_client_secret_against_a_lab_authority_disables_instance_discovery() -> None:
    ep = _endpoint(env={"PSCOMPAT_AUTHORITY_HOST": "https://127.0.0.1:9", "PSCOMPAT_CA_BUNDLE": "/x/ca.pem"})
    cred = build_credential(CredentialSpec("client_secret", client_id="app", tenant_id="contoso.lab"),
                            ep, secret="s3cr3t-value")
    assert type(cred).__name__ == "ClientSecretCredential"
    assert cred._authority == "https://127.0.0.1:9"  # type: ignore[attr-defined]
    assert cred._instance_discovery is False  # type: ignore[attr-defined]
    assert cred._tenant_id == "contoso.lab"  # type: ignore[attr-defined]


def test_microsoft_authorities_keep_instance_discovery() -> None:
    cred = build_credential(CredentialSpec("client_secret", client_id="app", tenant_id="t"),
                            _endpoint("USGov"), secret="s3cr3t-value")
    assert cred._authority == "https://login.microsoftonline.us"  # type: ignore[attr-defined]
    assert cred._instance_discovery is not False  # type: ignore[attr-defined]


def test_client_secret_without_secret_is_refused() -> None:
    with pytest.raises(ValueError):
        build_credential(CredentialSpec("client_secret", client_id="a", tenant_id="t"), _endpoint())


@pytest.mark.parametrize("kind,cls", [("device_code", "DeviceCodeCredential"),
                                      ("interactive_browser", "InteractiveBrowserCredential")])
def test_delegated_modes_default_to_the_graph_cli_app(kind: str, cls: str) -> None:
    cred = build_credential(CredentialSpec(kind, tenant_id=None, scopes=("User.Read",)), _endpoint("USGov"))
    assert type(cred).__name__ == cls
    assert cred._client_id == GRAPH_CLI_CLIENT_ID  # type: ignore[attr-defined]
    assert cred._authority == "https://login.microsoftonline.us"  # type: ignore[attr-defined]
    assert cred._tenant_id == "organizations"  # type: ignore[attr-defined]


def test_managed_identity_system_and_user_assigned() -> None:
    system = build_credential(CredentialSpec("managed_identity"), _endpoint())
    user = build_credential(CredentialSpec("managed_identity", client_id="mi-client"), _endpoint())
    assert type(system).__name__ == type(user).__name__ == "ManagedIdentityCredential"


def test_environment_credential(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_CLIENT_ID", "app")
    monkeypatch.setenv("AZURE_TENANT_ID", "t")
    monkeypatch.setenv("AZURE_CLIENT_SECRET", "s3cr3t-value")
    cred = build_credential(CredentialSpec("environment"), _endpoint())
    assert type(cred).__name__ == "EnvironmentCredential"
    assert type(cred._credential).__name__ == "ClientSecretCredential"  # type: ignore[attr-defined]


def test_certificate_store_lookup_and_credential(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "store"
    monkeypatch.setenv("PSCOMPAT_CERT_STORE", str(store))
    path_a, thumb_a = make_cert(store, "a.pem", "pscompat-app")
    make_cert(store, "b.pem", "other-app")
    (store / "junk.pem").write_text("not a certificate")
    assert {c.thumbprint for c in list_certificates()} >= {thumb_a}
    assert find_certificate(thumbprint=thumb_a.lower()).path == path_a  # type: ignore[union-attr]
    assert find_certificate(subject_name="CN=pscompat-app").path == path_a  # type: ignore[union-attr]
    assert find_certificate(subject_name="PSCOMPAT-APP").path == path_a  # type: ignore[union-attr]
    assert find_certificate(thumbprint="0" * 40) is None
    cred = build_credential(CredentialSpec("certificate", client_id="app", tenant_id="t",
                                           certificate_path=str(path_a)), _endpoint())
    assert type(cred).__name__ == "CertificateCredential"


def test_token_cache_is_persistent_unless_asked_not_to(monkeypatch: pytest.MonkeyPatch) -> None:
    options = cache_options()
    assert options is not None and options.name == "pscompat" and options.allow_unencrypted_storage
    monkeypatch.setenv("PSCOMPAT_TOKEN_CACHE", "memory")
    assert cache_options() is None
