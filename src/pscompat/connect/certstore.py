"""pscompat's certificate store: where ``-CertificateThumbprint``/``-CertificateSubjectName`` look.

On Windows the Mg module looks in ``Cert:\\CurrentUser\\My``. Linux has no such store, so
pscompat uses a directory: ``$PSCOMPAT_CERT_STORE``, else ``<config dir>/certificates``. Put
each app certificate there as a PEM file holding the certificate *and* its private key, or as a
PKCS#12 file (``.pfx``/``.p12``; its password, if any, in ``PSCOMPAT_CERTIFICATE_PASSWORD``).
The thumbprint is the SHA-1 of the certificate's DER bytes in upper-case hex, exactly what
Windows and Entra show. Only the matching file's *path* is saved in the context.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .storage import config_dir

__all__ = ["StoredCertificate", "cert_store_dir", "list_certificates", "find_certificate",
           "describe_certificate"]

_SUFFIXES = {".pem", ".crt", ".cer", ".pfx", ".p12"}


@dataclass(frozen=True)
class StoredCertificate:
    path: Path
    thumbprint: str
    subject: str          # RFC 4514, e.g. CN=pscompat-app
    common_name: str
    not_before: _dt.datetime
    not_after: _dt.datetime


def cert_store_dir() -> Path:
    explicit = os.environ.get("PSCOMPAT_CERT_STORE")
    return Path(explicit) if explicit else config_dir() / "certificates"


def describe_certificate(path: Path, password: bytes | None = None) -> StoredCertificate | None:
    """Thumbprint and subject of the (first) certificate in a PEM or PKCS#12 file."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
    from cryptography.x509.oid import NameOID

    try:
        data = path.read_bytes()
    except OSError:
        return None
    cert: x509.Certificate | None = None
    try:
        if path.suffix.lower() in {".pfx", ".p12"}:
            _, cert, _ = pkcs12.load_key_and_certificates(data, password)
        else:
            cert = x509.load_pem_x509_certificate(data)
    except (ValueError, TypeError):
        return None
    if cert is None:
        return None
    thumb = hashlib.sha1(cert.public_bytes(Encoding.DER), usedforsecurity=False).hexdigest().upper()
    cns = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    cn = str(cns[0].value) if cns else ""
    return StoredCertificate(path, thumb, cert.subject.rfc4514_string(), cn,
                             cert.not_valid_before_utc, cert.not_valid_after_utc)


def list_certificates(directory: Path | None = None) -> list[StoredCertificate]:
    root = directory or cert_store_dir()
    if not root.is_dir():
        return []
    password = os.environ.get("PSCOMPAT_CERTIFICATE_PASSWORD")
    found = []
    for path in sorted(root.iterdir()):
        if path.suffix.lower() in _SUFFIXES and path.is_file():
            info = describe_certificate(path, password.encode() if password else None)
            if info is not None:
                found.append(info)
    return found


def find_certificate(thumbprint: str | None = None, subject_name: str | None = None,
                     directory: Path | None = None) -> StoredCertificate | None:
    """The store's certificate with this thumbprint, or the newest valid one with this subject.

    A subject matches as the full distinguished name (``CN=app``) or the common name alone
    (``app``), case-insensitively -- Windows users type both.
    """
    certs = list_certificates(directory)
    if thumbprint:
        wanted = thumbprint.replace(" ", "").upper()
        return next((c for c in certs if c.thumbprint == wanted), None)
    if subject_name:
        name = subject_name.strip().casefold()
        bare = name[3:] if name.startswith("cn=") else name
        now = _dt.datetime.now(_dt.UTC)
        matches = [c for c in certs
                   if c.subject.casefold() == name or c.common_name.casefold() == bare]
        valid = [c for c in matches if c.not_before <= now <= c.not_after] or matches
        return max(valid, key=lambda c: c.not_before, default=None)
    return None
