"""Serving a lab over HTTP(S) with uvicorn: ``pscompat lab serve`` and, for tests,
:func:`serve_in_thread`. uvicorn and cryptography are imported only here."""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pscompat.lab.paths import tls_paths

if TYPE_CHECKING:
    from pscompat.lab.core import Lab


def ensure_certificate(lab: Lab) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 / ::1 / localhost beside the lab database
    (the key file 0600); reused while valid for at least a day."""
    cert_path, key_path = tls_paths(lab.path)
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    now = dt.datetime.now(dt.UTC)
    if cert_path.exists() and key_path.exists():
        try:
            cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
            if cert.not_valid_after_utc > now + dt.timedelta(days=1):
                return cert_path, key_path
        except ValueError:
            pass
    import ipaddress
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "pscompat lab (127.0.0.1)")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"),
                x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                x509.IPAddress(ipaddress.ip_address("::1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    key_bytes = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption())
    tmp = key_path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key_bytes)
    os.replace(tmp, key_path)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


def _config(lab: Lab, tls: bool, log_level: str, access_log: bool, loop: str = "auto",
            http: str = "auto") -> Any:
    import uvicorn
    kwargs: dict[str, Any] = {}
    if tls:
        cert, key = ensure_certificate(lab)
        kwargs.update(ssl_certfile=str(cert), ssl_keyfile=str(key))
    return uvicorn.Config(lab.app, log_level=log_level, access_log=access_log, lifespan="on",
                          loop=loop, http=http, server_header=False, **kwargs)


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.setblocking(False)
    return sock


def base_url(sock: socket.socket, tls: bool) -> str:
    host, port = sock.getsockname()[:2]
    if ":" in host:
        host = f"[{host}]"
    return f"{'https' if tls else 'http'}://{host}:{port}"


def serve(lab: Lab, host: str = "127.0.0.1", port: int = 8765, tls: bool = False,
          log_level: str = "info", access_log: bool = True,
          announce: Callable[[str, Path | None], None] | None = None, loop: str = "auto",
          http: str = "auto") -> None:
    """Serve until interrupted. ``announce(url, cert_path)`` is called once listening.
    ``loop``/``http``: uvicorn's choices (auto: uvloop and httptools when installed)."""
    import uvicorn
    config = _config(lab, tls, log_level, access_log, loop, http)
    sock = bind(host, port)
    if announce is not None:
        announce(base_url(sock, tls), Path(config.ssl_certfile) if tls else None)
    uvicorn.Server(config).run(sockets=[sock])


def serve_in_thread(lab: Lab, tls: bool = False, log_level: str = "warning",
                    access_log: bool = False) -> tuple[str, Callable[[], None], Path | None]:
    """Start uvicorn on 127.0.0.1 (a free port) in a daemon thread.
    Returns ``(base_url, stop, cert_path)``; ``stop()`` shuts it down and waits."""
    import uvicorn
    config = _config(lab, tls, log_level, access_log)
    sock = bind("127.0.0.1", 0)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True,
                              name="pscompat-lab-server")
    thread.start()
    deadline = 200
    while not server.started and thread.is_alive() and deadline:
        threading.Event().wait(0.025)
        deadline -= 1
    if not server.started:
        server.should_exit = True
        thread.join(5)
        raise RuntimeError("the lab server did not start")

    def stop() -> None:
        server.should_exit = True
        thread.join(10)
        sock.close()

    return base_url(sock, tls), stop, Path(config.ssl_certfile) if tls else None
