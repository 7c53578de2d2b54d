"""TLS material for ``lab serve --tls``: a lab CA and a leaf certificate it signs.

Why two certificates: students trust one file (the CA), and that file must not let anyone
who copies the lab's key sign a certificate for any other site. So the CA is name-constrained
to exactly the names the lab serves (its DNS names and addresses), and the server's own
certificate is a leaf (``basicConstraints CA:FALSE``, serverAuth only). The CA's key stays
beside the database (0600) and is used only to sign the leaf; both are re-issued when the set
of names changes (a CA constrained to the old names could not vouch for the new ones).

cryptography is imported only here, and only when TLS is asked for.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pscompat.lab.paths import tls_paths

DEFAULT_NAMES = ("localhost", "127.0.0.1", "::1")
_VALIDITY = dt.timedelta(days=365)
_RENEW_BEFORE = dt.timedelta(days=1)


class CertificateError(ValueError):
    """A name that cannot go into a certificate (a user-facing message)."""


@dataclass(frozen=True)
class TlsFiles:
    """Where the lab's TLS material is: give students ``ca``, never the key files."""

    ca: Path
    ca_key: Path
    cert: Path
    key: Path


def tls_files(db: Path) -> TlsFiles:
    """The four files beside the database ``db`` (the two keys 0600)."""
    cert, key = tls_paths(db)
    return TlsFiles(db.with_name(db.stem + "-ca.pem"), db.with_name(db.stem + "-ca-key.pem"), cert, key)


def normalise_names(extra: list[str] | tuple[str, ...] = ()) -> list[str]:
    """localhost and the loopback addresses plus ``extra`` (hosts and --san names), deduplicated,
    addresses in canonical form; a wildcard-only or empty name is refused."""
    out: list[str] = []
    for raw in (*DEFAULT_NAMES, *extra):
        name = raw.strip().strip("[]")
        if name in ("0.0.0.0", "::"):  # listening on every address names none of them
            continue
        if not name or name.startswith("*") or any(c in name for c in " /\\:") and not _is_ip(name):
            raise CertificateError(f"'{raw}' is not a host name or an IP address for the certificate")
        canon = str(ipaddress.ip_address(name)) if _is_ip(name) else name.lower().rstrip(".")
        if canon not in out:
            out.append(canon)
    return out


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _general_names(names: list[str]) -> list[Any]:
    from cryptography import x509
    return [x509.IPAddress(ipaddress.ip_address(n)) if _is_ip(n) else x509.DNSName(n) for n in names]


def _subtrees(names: list[str]) -> list[Any]:
    from cryptography import x509
    return [x509.IPAddress(ipaddress.ip_network(n)) if _is_ip(n) else x509.DNSName(n) for n in names]


def _write_private(path: Path, key: Any) -> None:
    from cryptography.hazmat.primitives import serialization
    data = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def _write_public(path: Path, cert: Any) -> None:
    from cryptography.hazmat.primitives import serialization
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    os.replace(tmp, path)


def _load(cert_path: Path, key_path: Path) -> tuple[Any, Any] | None:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError):
        return None
    if cert.not_valid_after_utc < dt.datetime.now(dt.UTC) + _RENEW_BEFORE:
        return None
    return cert, key


def _constrained_names(cert: Any) -> set[str]:
    from cryptography import x509
    try:
        nc = cert.extensions.get_extension_for_class(x509.NameConstraints).value
    except x509.ExtensionNotFound:
        return set()
    out = set()
    for sub in nc.permitted_subtrees or []:
        value = sub.value
        out.add(str(value.network_address) if isinstance(value, (ipaddress.IPv4Network, ipaddress.IPv6Network))
                else str(value))
    return out


def _san_names(cert: Any) -> set[str]:
    from cryptography import x509
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return set()
    return {str(v.value) for v in san}


def _issue_ca(names: list[str], tenant: str) -> tuple[Any, Any]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "pscompat lab"),
                      x509.NameAttribute(NameOID.COMMON_NAME, f"pscompat lab CA ({tenant})"[:64])])
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + _VALIDITY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=True, crl_sign=True,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.NameConstraints(permitted_subtrees=_subtrees(names), excluded_subtrees=None),
                           critical=True)
            .add_extension(ski, critical=False)
            .sign(key, hashes.SHA256()))
    return cert, key


def _issue_leaf(names: list[str], ca_cert: Any, ca_key: Any) -> tuple[Any, Any]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[-1][:64])])
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + _VALIDITY - dt.timedelta(hours=1))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=False, crl_sign=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.SubjectAlternativeName(_general_names(names)), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return cert, key


def ensure_certificates(db: Path, names: list[str] | tuple[str, ...] = (), tenant: str = "lab") -> TlsFiles:
    """The lab CA and a leaf for ``names`` (plus localhost and loopback) beside ``db``.

    Reused while valid for at least a day and issued for the same names; otherwise both are
    issued anew (students then need the new CA file)."""
    wanted = normalise_names(list(names))
    files = tls_files(db)
    ca = _load(files.ca, files.ca_key)
    if ca is not None and _constrained_names(ca[0]) != set(wanted):
        ca = None
    leaf = _load(files.cert, files.key) if ca is not None else None
    if leaf is not None and (_san_names(leaf[0]) != set(wanted) or leaf[0].issuer != ca[0].subject):  # type: ignore[index]
        leaf = None
    if ca is None:
        ca = _issue_ca(wanted, tenant)
        _write_private(files.ca_key, ca[1])
        _write_public(files.ca, ca[0])
    if leaf is None:
        leaf = _issue_leaf(wanted, *ca)
        _write_private(files.key, leaf[1])
        _write_public(files.cert, leaf[0])
    return files


def fingerprint(cert_path: Path) -> str:
    """SHA-256 fingerprint of a PEM certificate, as ``AA:BB:...`` (for students to compare)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    return ":".join(f"{b:02X}" for b in cert.fingerprint(hashes.SHA256()))
