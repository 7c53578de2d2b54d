"""Serving a class: what the instructor reads out to students, and a student's remote sign-in.

Kept apart from the server so that the words students see are in one place, and so that
``lab signin --url`` (a client of a served lab) needs no uvicorn.
"""

from __future__ import annotations

import ipaddress
import json
import ssl
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

_LOOPBACK = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "::"}


def public_url(url: str, host: str, sans: tuple[str, ...] | list[str]) -> str:
    """The URL students type: the bound URL with its host replaced by the first name they can
    reach (a --san name or the --host address), loopback only when nothing else is known."""
    names = [n for n in (*sans, host) if n.strip("[]") not in _LOOPBACK]
    if not names:
        return url
    name = names[0].strip("[]")
    try:
        if ipaddress.ip_address(name).version == 6:
            name = f"[{name}]"
    except ValueError:
        pass
    parsed = urlparse(url)
    return urlunparse(parsed._replace(netloc=f"{name}:{parsed.port}" if parsed.port else name))


def student_instructions(url: str, host: str, sans: tuple[str, ...] | list[str], ca: Path,
                         ca_fingerprint: str) -> str:
    """Ready-to-paste lines for a class (URL, CA file and its fingerprint, the commands)."""
    where = public_url(url, host, sans)
    lines = [
        "",
        "---- for your students ----------------------------------------------------------",
        f"Lab URL:      {where}",
        f"CA file:      {ca}  (give students this file only, never the *-key.pem files)",
        f"CA SHA-256:   {ca_fingerprint}",
        "Save the CA file as lab-ca.pem, then run one of:",
        f"  pscompat lab connect {where} --ca-bundle lab-ca.pem          # as the lab admin app",
        f"  pscompat lab signin --url {where} --ca-bundle lab-ca.pem --user UPN   # with your pass",
        "----------------------------------------------------------------------------------",
    ]
    if where == url and host in _LOOPBACK:
        lines.insert(1, "note: serving on loopback only; students on other machines need --host ADDR "
                        "(and --san NAME for a DNS name).")
    return "\n".join(lines)


class RemoteSigninError(Exception):
    """The served lab could not be asked (network or TLS): a user-facing message."""


def remote_signin(url: str, upn: str, secret: str, ca_bundle: str | None = None,
                  timeout: float = 10.0) -> tuple[int, dict[str, Any]]:
    """POST ``/lab/signin`` on a served lab; (status, JSON body). A certificate the client does
    not trust is reported at once as the client's refusal (no retry: retrying cannot help)."""
    import httpx
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise RemoteSigninError(f"'{url}' is not a lab URL (http://HOST:PORT or https://HOST:PORT).")
    verify: Any = ssl.create_default_context(cafile=ca_bundle) if ca_bundle else True
    base = f"{parsed.scheme}://{parsed.netloc}"
    try:
        response = httpx.post(f"{base}/lab/signin", json={"userPrincipalName": upn, "temporaryAccessPass": secret},
                              headers={"Accept": "application/json"}, verify=verify, timeout=timeout,
                              trust_env=False)
    except httpx.ConnectError as exc:
        raise RemoteSigninError(tls_refusal(base, exc) or f"Cannot reach the lab at {base}.") from None
    except httpx.HTTPError as exc:
        raise RemoteSigninError(f"Cannot reach the lab at {base}: {type(exc).__name__}.") from None
    try:
        body = response.json()
    except (ValueError, json.JSONDecodeError):
        body = {}
    return response.status_code, body if isinstance(body, dict) else {}


def tls_refusal(base: str, exc: BaseException) -> str | None:
    """The message for a TLS handshake this client refused (None for other failures)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(seen):
            reason = getattr(seen, "verify_message", None) or "certificate verify failed"
            return (f"This client refused the certificate of {base} ({reason}). Pass the lab's CA file "
                    "with --ca-bundle (the instructor's 'lab serve --tls' prints where it is).")
        seen = seen.__cause__ or seen.__context__
    return None
