"""Classroom serving: the lab CA (name-constrained) and its leaf (CA:FALSE, the SANs asked for),
the student instructions, and ``lab signin --url`` against a lab served over TLS."""

from __future__ import annotations

import ssl
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from pscompat.lab import serve_in_thread
from pscompat.lab.certs import CertificateError, ensure_certificates, normalise_names, tls_files
from pscompat.lab.classroom import public_url, student_instructions
from pscompat.lab.commands import lab as lab_group
from pscompat.lab.core import Lab
from tests.lab.conftest import ADELE, ADELE_UPN, Graph, taps


def load(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def sans_of(cert: x509.Certificate) -> set[str]:
    return {str(v.value) for v in cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value}


def test_leaf_and_name_constrained_ca(tmp_path: Path) -> None:
    files = ensure_certificates(tmp_path / "lab.db", ["192.168.1.20", "lab.classroom.test"])
    ca, leaf = load(files.ca), load(files.cert)
    # The leaf: not a CA, server auth, the SANs asked for plus localhost/loopback, signed by the CA.
    assert leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    assert ExtendedKeyUsageOID.SERVER_AUTH in leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert sans_of(leaf) == {"localhost", "127.0.0.1", "::1", "192.168.1.20", "lab.classroom.test"}
    assert leaf.issuer == ca.subject and leaf.subject != ca.subject
    leaf.verify_directly_issued_by(ca)
    # The CA: a CA of path length 0, name-constrained to exactly those names, critical.
    bc = ca.extensions.get_extension_for_class(x509.BasicConstraints)
    assert bc.value.ca is True and bc.value.path_length == 0 and bc.critical
    nc = ca.extensions.get_extension_for_class(x509.NameConstraints)
    assert nc.critical
    permitted = {str(s.value) for s in nc.value.permitted_subtrees or []}
    assert permitted == {"localhost", "127.0.0.1/32", "::1/128", "192.168.1.20/32", "lab.classroom.test"}
    assert ca.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    for key in (files.ca_key, files.key):
        assert key.stat().st_mode & 0o777 == 0o600
        assert b"PRIVATE KEY" in key.read_bytes()
    assert b"PRIVATE" not in files.ca.read_bytes()


def test_certificates_reused_for_same_names_reissued_for_new(tmp_path: Path) -> None:
    db = tmp_path / "lab.db"
    first = ensure_certificates(db, ["10.0.0.5"])
    ca_bytes, leaf_bytes = first.ca.read_bytes(), first.cert.read_bytes()
    ensure_certificates(db, ["10.0.0.5"])
    assert first.ca.read_bytes() == ca_bytes and first.cert.read_bytes() == leaf_bytes
    ensure_certificates(db, ["10.0.0.6"])
    assert first.ca.read_bytes() != ca_bytes and "10.0.0.6" in sans_of(load(first.cert))


@pytest.mark.parametrize("bad", ["*.example.test", "a b", "http://x/", ""])
def test_bad_names_refused(bad: str) -> None:
    with pytest.raises(CertificateError):
        normalise_names([bad])


def test_wildcard_bind_address_is_not_a_name() -> None:
    assert normalise_names(["0.0.0.0", "[::1]", "Lab.Example.TEST."]) == ["localhost", "127.0.0.1", "::1",
                                                                         "lab.example.test"]


def test_served_tls_is_trusted_with_the_ca_only(lab: Lab) -> None:
    import httpx
    url, stop, ca = serve_in_thread(lab, tls=True)
    try:
        assert ca == tls_files(lab.path).ca
        ok = httpx.get(f"{url}/lab/health", verify=ssl.create_default_context(cafile=str(ca)))
        assert ok.status_code == 200
        started = time.monotonic()
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            httpx.get(f"{url}/lab/health", verify=ssl.create_default_context())
        assert time.monotonic() - started < 2
    finally:
        stop()


def test_student_instructions() -> None:
    text = student_instructions("https://0.0.0.0:8443", "0.0.0.0", ("lab.classroom.test",), Path("/x/lab-ca.pem"),
                                "AB:CD")
    assert "Lab URL:      https://lab.classroom.test:8443" in text
    assert "pscompat lab connect https://lab.classroom.test:8443 --ca-bundle lab-ca.pem" in text
    assert "/x/lab-ca.pem" in text and "AB:CD" in text and "key.pem files" in text
    assert public_url("https://192.168.1.20:8443", "192.168.1.20", ()) == "https://192.168.1.20:8443"
    assert public_url("https://[::]:8443", "::", ("fd00::5",)) == "https://[fd00::5]:8443"
    assert "loopback only" in student_instructions("https://127.0.0.1:1", "127.0.0.1", (), Path("c"), "f")


def test_serve_refuses_san_without_tls_and_bad_names(lab: Lab) -> None:
    r = CliRunner().invoke(lab_group, ["--db", str(lab.path), "serve", "--san", "x.test"])
    assert r.exit_code == 2 and "add --tls" in r.output
    r = CliRunner().invoke(lab_group, ["--db", str(lab.path), "serve", "--tls", "--san", "*.x.test"])
    assert r.exit_code == 2 and "not a host name" in r.output
    r = CliRunner().invoke(lab_group, ["--db", str(lab.path), "serve", "--port", "99999"])
    assert r.exit_code == 2 and "99999" in r.output


def test_lab_signin_url_over_tls(lab: Lab) -> None:
    lab.save_policy({**lab.policy, "isUsableOnce": True})
    g = Graph(lab)
    g.token = lab.issue_token()
    secret = g.post(taps(ADELE), json={"isUsableOnce": True}).json()["temporaryAccessPass"]
    url, stop, ca = serve_in_thread(lab, tls=True)
    runner = CliRunner()
    try:
        args = ["signin", "--url", url, "--ca-bundle", str(ca), "--user", ADELE_UPN]
        r = runner.invoke(lab_group, args, input=secret + "\n")
        assert r.exit_code == 0 and "Signed in as AdeleV@contoso.lab" in r.output and "OneTimeUsed" in r.output
        assert secret not in r.output
        r = runner.invoke(lab_group, args, input=secret + "\n")
        assert r.exit_code == 1 and "(403)" in r.output and "OneTimeUsed" in r.output
        # Without the CA: the client's refusal, said at once.
        started = time.monotonic()
        r = runner.invoke(lab_group, ["signin", "--url", url, "--user", ADELE_UPN], input="x\n")
        assert r.exit_code == 1 and "This client refused the certificate" in r.output and "--ca-bundle" in r.output
        assert time.monotonic() - started < 3
    finally:
        stop()


def test_lab_signin_url_token_only(lab: Lab, served: str) -> None:
    g = Graph(lab)
    secret = g.post(taps(ADELE), json={}).json()["temporaryAccessPass"]
    r = CliRunner().invoke(lab_group, ["signin", "--url", served, "--user", ADELE_UPN, "--token-only"],
                           input=secret + "\n")
    assert r.exit_code == 0 and r.output.strip().count(".") == 2
    r = CliRunner().invoke(lab_group, ["signin", "--url", "ftp://x", "--user", ADELE_UPN], input="x\n")
    assert r.exit_code == 1 and "is not a lab URL" in r.output


def test_lab_connect_says_fast_that_the_client_refused_the_certificate(lab: Lab, monkeypatch: pytest.MonkeyPatch,
                                                                       tmp_path: Path) -> None:
    from pscompat.connect.labconnect import connect_lab
    from pscompat.errors import ErrorRecord
    monkeypatch.setenv("PSCOMPAT_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("AZURE_CLIENT_SECRET", "lab-admin-secret.Contoso~2024")
    url, stop, ca = serve_in_thread(lab, tls=True)
    try:
        started = time.monotonic()
        with pytest.raises(ErrorRecord, match="This client refused the certificate of https://127.0.0.1") as info:
            connect_lab(url, modules=("mg",))
        assert time.monotonic() - started < 3 and "--ca-bundle" in info.value.message
        assert not (tmp_path / "cfg" / "mg-context.json").exists()
        with pytest.raises(ErrorRecord, match="Cannot read the CA file"):
            connect_lab(url, modules=("mg",), ca_bundle=str(tmp_path / "missing.pem"))
    finally:
        stop()


def test_lab_connect_user_signs_a_student_in_and_connects_mg(lab: Lab, served: str, tmp_path: Path) -> None:
    """Issue 11 item 4: ``lab connect URL --user UPN`` signs in with the pass (the lab's own rules)
    and connects the Mg cmdlets as that student; the token reaches the shell through
    ``eval "$(...)"`` (stdout) and is saved nowhere."""
    import os
    import subprocess
    import sys

    from pscompat.connect.commands import lab_connect
    secret = Graph(lab).post(taps(ADELE), json={"isUsableOnce": True}).json()["temporaryAccessPass"]
    env = dict(os.environ, PSCOMPAT_CONFIG_DIR=str(tmp_path / "cfg"))
    r = CliRunner().invoke(lab_connect, [served, "--user", ADELE_UPN], input=secret + "\n", env=env)
    assert r.exit_code == 0, r.output
    export = [line for line in r.stdout.splitlines() if line.startswith("export PSCOMPAT_ACCESS_TOKEN=")]
    assert len(export) == 1 and f"Connected Mg to the lab at {served} as {ADELE_UPN}." in r.stderr
    token = export[0].split("=", 1)[1].strip("'")
    saved = (tmp_path / "cfg").rglob("*")
    assert not any(token in p.read_text(errors="ignore") for p in saved if p.is_file())
    run = [sys.executable, "-c", "import sys; from pscompat.cli import main; sys.exit(main())"]
    out = subprocess.run([*run, "Get-MgContext"], env=dict(env, PSCOMPAT_ACCESS_TOKEN=token),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and f"Account                : {ADELE_UPN}" in out.stdout, out.stderr
    # the student's own methods (UserAuthenticationMethod.ReadWrite, delegated): the used pass
    out = subprocess.run([*run, "Get-MgUserAuthenticationTemporaryAccessPassMethod", "-UserId", ADELE_UPN,
                          "--format", "json"], env=dict(env, PSCOMPAT_ACCESS_TOKEN=token),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and '"MethodUsabilityReason": "OneTimeUsed"' in out.stdout, out.stderr
    # another user's: the lab decides as Entra would, for this student
    out = subprocess.run([*run, "Get-MgUser", "-UserId", "AlexW@contoso.lab"], env=dict(env, PSCOMPAT_ACCESS_TOKEN=token),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and "403 (Forbidden)" in out.stderr, (out.stdout, out.stderr)
    # the one-time pass is used up: a second sign-in is refused, nothing is saved over the first
    r = CliRunner().invoke(lab_connect, [served, "--user", ADELE_UPN], input=secret + "\n", env=env)
    assert r.exit_code == 1 and "The lab refused the sign-in (" in r.stderr and "export" not in r.stdout
