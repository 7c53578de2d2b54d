"""Mg's -Debug text: cmdlet begin/end lines and the HTTP request/response dumps.

The layout follows Microsoft.Graph.Authentication's ``HttpMessageLogFormatter`` as published
consoles show it. Unlike the real module (which removes only ``Authorization`` and
``access_token`` and prints the pass in clear), every secret is shown as ``<redacted>``: the
``temporaryAccessPass`` value in bodies, any ``Authorization``/token header, and whatever the
host has registered as secret.
"""

from __future__ import annotations

import json
from typing import Any

from pscompat.redaction import redact_json

_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})


def redact_body(body: bytes) -> str:
    """A body for a dump: JSON re-indented with secrets replaced; anything else as text."""
    if not body:
        return ""
    text = body.decode("utf-8", errors="replace")
    try:
        parsed = json.loads(text)
    except ValueError:
        return text
    return json.dumps(redact_json(parsed), indent=2, ensure_ascii=False)


def _headers(headers: list[tuple[str, str]]) -> str:
    lines = []
    for name, value in headers:
        if name.casefold() in _SECRET_HEADERS:
            continue  # the real module drops Authorization too
        lines.append(f"{name:<30}: {value}")
    return "\n".join(lines)


def request_dump(method: str, url: str, headers: list[tuple[str, str]], body: bytes) -> str:
    return ("============================ HTTP REQUEST ============================\n\n"
            f"HTTP Method:\n{method}\n\nAbsolute Uri:\n{url}\n\nHeaders:\n{_headers(headers)}\n\n"
            f"Body:\n{redact_body(body)}\n")


def response_dump(status_name: str, headers: list[tuple[str, str]], body: bytes) -> str:
    return ("============================ HTTP RESPONSE ============================\n\n"
            f"Status Code:\n{status_name}\n\nHeaders:\n{_headers(headers)}\n\n"
            f"Body:\n{redact_body(body)}\n")


def begin_processing(cmdlet_name: str, parameter_set: str) -> str:
    return f"[CmdletBeginProcessing]: - {cmdlet_name} begin processing with parameterSet '{parameter_set}'."


def end_processing(cmdlet_name: str) -> str:
    return f"[CmdletEndProcessing]: - {cmdlet_name} end processing."


def authentication_lines(context: Any) -> list[str]:
    """The two ``[Authentication]`` lines from a Get-MgContext-like object (no secrets in it)."""
    def get(name: str) -> Any:
        getter = getattr(context, "get", None)
        return getter(name) if callable(getter) else None
    scopes = get("Scopes") or []
    return [f"[Authentication]: - AuthType: '{get('AuthType') or ''}', TokenCredentialType: "
            f"'{get('TokenCredentialType') or ''}', ContextScope: '{get('ContextScope') or ''}', "
            f"AppName: '{get('AppName') or ''}'.",
            f"[Authentication]: - Scopes: [{', '.join(str(s) for s in scopes)}]."]
