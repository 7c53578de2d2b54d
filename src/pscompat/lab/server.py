"""Serving a lab over HTTP(S) with uvicorn: ``pscompat lab serve`` and, for tests,
:func:`serve_in_thread`. uvicorn and cryptography are imported only here."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pscompat.lab.certs import TlsFiles
    from pscompat.lab.core import Lab


def ensure_certificate(lab: Lab, names: list[str] | tuple[str, ...] = ()) -> TlsFiles:
    """The lab CA and a leaf certificate for localhost, loopback and ``names`` beside the lab
    database (keys 0600; see :mod:`pscompat.lab.certs`)."""
    from pscompat.lab.certs import ensure_certificates
    return ensure_certificates(lab.path, names, str(lab.tenant.get("domain") or "lab"))


def allowed_hosts(names: list[str] | tuple[str, ...]) -> frozenset[str]:
    """The Host names a served lab answers to: the bound address and --san names (plus
    localhost). Bound to a wildcard address, also this machine's name and addresses."""
    allowed = {n for n in names if n not in ("0.0.0.0", "::", "")}
    if any(n in ("0.0.0.0", "::") for n in names):
        hostname = socket.gethostname()
        allowed.add(hostname)
        with contextlib.suppress(OSError):
            allowed.update(str(info[4][0]) for info in socket.getaddrinfo(hostname, None))
    return frozenset(allowed)


def _config(lab: Lab, tls: bool, log_level: str, access_log: bool, loop: str = "auto",
            http: str = "auto", names: list[str] | tuple[str, ...] = ()) -> tuple[Any, TlsFiles | None]:
    import uvicorn

    from pscompat.lab.app import LabApp
    kwargs: dict[str, Any] = {}
    files = None
    if tls:
        files = ensure_certificate(lab, names)
        kwargs.update(ssl_certfile=str(files.cert), ssl_keyfile=str(files.key))
    app = LabApp(lab, allowed_hosts(names), refresh_per_pass=True)
    # proxy_headers=False: the lab is served directly, and uvicorn would otherwise believe
    # X-Forwarded-For from any local process (and wrap every request in a middleware to do so).
    return uvicorn.Config(app, log_level=log_level, access_log=access_log, lifespan="on", proxy_headers=False,
                          loop=loop, http=http, server_header=False, **kwargs), files


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
          announce: Callable[[str, TlsFiles | None], None] | None = None, loop: str = "auto",
          http: str = "auto", sans: list[str] | tuple[str, ...] = ()) -> None:
    """Serve until interrupted. ``announce(url, tls_files)`` is called once listening.
    ``sans``: names besides ``host`` the certificate must cover (a classroom's DNS name).
    ``loop``/``http``: uvicorn's choices (auto: uvloop and httptools when installed)."""
    import uvicorn
    sock = bind(host, port)
    config, files = _config(lab, tls, log_level, access_log, loop, http, (host, *sans))
    if announce is not None:
        announce(base_url(sock, tls), files)
    _quiet_collector()
    uvicorn.Server(config).run(sockets=[sock])


def _quiet_collector() -> None:
    """A served lab keeps its start-up objects for life: move them out of the collector's sight
    (``gc.freeze``) and collect the young generation less often, so that collection pauses do
    not land on requests (they made the slowest 1% of requests twice as slow as the median)."""
    import gc
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def serve_in_thread(lab: Lab, tls: bool = False, log_level: str = "warning",
                    access_log: bool = False) -> tuple[str, Callable[[], None], Path | None]:
    """Start uvicorn on 127.0.0.1 (a free port) in a daemon thread.
    Returns ``(base_url, stop, ca_path)``: ``ca_path`` is the lab CA to trust (None without
    TLS); ``stop()`` shuts it down and waits."""
    import uvicorn
    config, files = _config(lab, tls, log_level, access_log)
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

    return base_url(sock, tls), stop, files.ca if files is not None else None
