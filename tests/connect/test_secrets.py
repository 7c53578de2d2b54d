"""Where secrets come from: credential objects from scripts, the environment, never argv."""

from __future__ import annotations

from pathlib import Path

import pytest

from pscompat.connect import STORE, current_connection, forget
from pscompat.connect.handler import Params
from pscompat.connect.mg import _client_secret_spec
from pscompat.connect.secrets import credential_parts, secret_text, source_env_name
from pscompat.errors import ErrorRecord
from pscompat.values import PSHashtable, PSObject


class FakeSecureString:
    """The script runner's SecureString shape: text only through reveal()."""

    def __init__(self, text: str) -> None:
        self._text = text

    def reveal(self) -> str:
        return self._text


def test_secret_text_reads_every_securestring_shape() -> None:
    assert secret_text("abc") == "abc"
    assert secret_text(b"abc") == "abc"
    assert secret_text(FakeSecureString("abc")) == "abc"
    assert secret_text(None) is None
    assert secret_text(object()) is None


def test_credential_parts() -> None:
    cred = PSObject([("UserName", "app-id"), ("Password", FakeSecureString("s3cr3t"))],
                    type_names=("System.Management.Automation.PSCredential",))
    assert credential_parts(cred) == ("app-id", "s3cr3t")
    assert credential_parts("app-id") == ("app-id", None)
    assert credential_parts(PSHashtable({"username": "u", "PASSWORD": "p"})) == ("u", "p")

    class Obj:
        user_name = "x"
        password = "y"
    assert credential_parts(Obj()) == ("x", "y")
    assert source_env_name("EnvironmentVariable:AZURE_CLIENT_SECRET") == "AZURE_CLIENT_SECRET"
    assert source_env_name("Process") is None


def _spec(**params: object) -> tuple[object, str]:
    return _client_secret_spec(Params(params), "contoso.lab")


def test_secret_source_is_recorded_not_the_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    cred = PSObject([("UserName", "app"), ("Password", FakeSecureString("from-script-1234"))])
    spec, secret = _spec(ClientSecretCredential=cred)
    assert secret == "from-script-1234" and spec.secret_source == "Process"  # type: ignore[attr-defined]
    monkeypatch.setenv("AZURE_CLIENT_SECRET", "from-env-1234")
    spec, secret = _spec(ClientSecretCredential="app")
    assert secret == "from-env-1234"
    assert spec.secret_source == "EnvironmentVariable:AZURE_CLIENT_SECRET"  # type: ignore[attr-defined]
    assert "from-env-1234" not in repr(spec) and "from-script" not in repr(spec)


def test_no_terminal_no_env_no_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ErrorRecord) as err:
        _spec(ClientSecretCredential="app")
    assert err.value.error_id == "ClientSecretNotFound"


def test_a_script_secret_is_gone_in_the_next_process(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Saved with secret_source Process: a later process without AZURE_CLIENT_SECRET fails clearly."""
    from pscompat.connect.context import CredentialSpec, SavedContext
    from pscompat.connect.environments import mg_cloud, resolve_endpoint
    endpoint = resolve_endpoint(mg_cloud("Global"), {})  # type: ignore[arg-type]
    STORE.set(SavedContext("mg", {"ClientId": "app", "AuthType": "AppOnly"}, endpoint,
                           CredentialSpec("client_secret", client_id="app", tenant_id="t", secret_source="Process")))
    STORE.forget_process()
    forget()
    with pytest.raises(ErrorRecord) as err:
        current_connection("mg")
    assert err.value.category == "AuthenticationError" and "AZURE_CLIENT_SECRET" in err.value.message
    from pscompat.connect import resolve_connection
    with pytest.raises(ErrorRecord) as err:
        resolve_connection("mg", command="New-Mg_CreateExpanded", type_name="Microsoft.Graph.X_CreateExpanded")
    assert err.value.command == "New-Mg_CreateExpanded"
    assert err.value.fqid == "ConnectionSecretUnavailable,Microsoft.Graph.X_CreateExpanded"
    assert not err.value.terminating
    monkeypatch.setenv("AZURE_CLIENT_SECRET", "now-in-env-1234")
    conn = current_connection("mg")
    assert conn is not None and conn.kind == "graph"
