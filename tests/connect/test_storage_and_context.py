"""The saved context: 0600 from the first byte, atomic, no secret, one file per module."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

from pscompat.connect import STORE
from pscompat.connect.context import CredentialSpec, SavedContext
from pscompat.connect.environments import mg_cloud, resolve_endpoint
from pscompat.connect.storage import config_dir, read_json, write_private_json


def _saved(module: str = "mg", scope: str = "CurrentUser") -> SavedContext:
    endpoint = resolve_endpoint(mg_cloud("Global"), {})  # type: ignore[arg-type]
    spec = CredentialSpec(kind="client_secret", client_id="app-1", tenant_id="tenant-1",
                          secret_source="EnvironmentVariable:AZURE_CLIENT_SECRET")
    return SavedContext(module, {"ClientId": "app-1", "TenantId": "tenant-1", "AuthType": "AppOnly",
                                 "ContextScope": scope}, endpoint, spec, scope)  # type: ignore[arg-type]


def test_config_dir_follows_the_environment(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert config_dir() == isolated
    monkeypatch.delenv("PSCOMPAT_CONFIG_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", "/somewhere/xdg")
    assert config_dir() == Path("/somewhere/xdg/pscompat")


def test_private_file_is_0600_even_with_a_permissive_umask(isolated: Path) -> None:
    old = os.umask(0)
    try:
        target = isolated / "x.json"
        write_private_json(target, {"a": 1})
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(isolated.stat().st_mode) == 0o700
    assert read_json(target) == {"a": 1}
    assert [p.name for p in isolated.iterdir()] == ["x.json"]  # no temp file left behind


def test_replacing_is_atomic_for_concurrent_readers(isolated: Path) -> None:
    target = isolated / "c.json"
    write_private_json(target, {"n": 0, "pad": "x" * 50_000})
    seen: list[object] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            seen.append(read_json(target))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for n in range(1, 60):
            write_private_json(target, {"n": n, "pad": "x" * 50_000})
    finally:
        stop.set()
        thread.join(timeout=10)
    assert seen and all(isinstance(v, dict) and "n" in v for v in seen)


def test_context_roundtrip_and_separate_modules(isolated: Path) -> None:
    STORE.set(_saved("mg"))
    STORE.set(_saved("pnp"))
    assert sorted(p.name for p in isolated.iterdir()) == ["mg-context.json", "pnp-context.json"]
    STORE.forget_process()
    loaded = STORE.get("mg")
    assert loaded is not None and loaded.fields["ClientId"] == "app-1"
    assert loaded.credential.secret_source == "EnvironmentVariable:AZURE_CLIENT_SECRET"
    STORE.remove("mg")
    assert STORE.get("mg") is None
    assert STORE.get("pnp") is not None


def test_a_secret_cannot_enter_a_context() -> None:
    saved = _saved()
    with pytest.raises(ValueError):
        SavedContext("mg", {**saved.fields, "ClientSecret": "s3cr3t"}, saved.endpoint, saved.credential)


def test_process_scope_is_not_saved(isolated: Path) -> None:
    STORE.set(_saved())
    STORE.set(_saved(scope="Process"))
    assert not (isolated / "mg-context.json").exists()
    assert STORE.get("mg") is not None          # still current in this process
    STORE.forget_process()
    assert STORE.get("mg") is None              # and gone for the next one


def test_a_corrupt_file_reads_as_not_connected(isolated: Path) -> None:
    isolated.mkdir(parents=True, exist_ok=True)
    (isolated / "mg-context.json").write_text("{not json")
    assert STORE.get("mg") is None
    (isolated / "mg-context.json").write_text(json.dumps({"version": 99}))
    assert STORE.get("mg") is None
