"""Getting secrets from where a bash user can safely keep them -- never from argv, never saved.

PowerShell passes a client secret inside a PSCredential and an access token as a SecureString.
bash has neither, and anything on a command line is visible to every local user through
``ps``/``/proc``. So:

- ``-ClientSecretCredential`` takes the *client id* (the PSCredential's UserName) as its value;
  the secret comes from ``AZURE_CLIENT_SECRET`` (the azure-identity convention) or, on a
  terminal, from a no-echo prompt. In a ``.ps1`` script or from Python, a real credential
  object (``Get-Credential``/``New-Object PSCredential``, or anything with UserName/Password)
  works as in PowerShell.
- What is saved is only *where* the secret came from (``EnvironmentVariable:AZURE_CLIENT_SECRET``
  or ``Process``), so a later process can get it again or fail saying why.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from typing import Any

__all__ = ["secret_text", "credential_parts", "env_secret", "prompt_secret", "SECRET_ENV",
           "TOKEN_ENV", "source_env_name"]

SECRET_ENV = "AZURE_CLIENT_SECRET"
TOKEN_ENV = "PSCOMPAT_ACCESS_TOKEN"
CERT_PASSWORD_ENV = "PSCOMPAT_CERTIFICATE_PASSWORD"


def secret_text(value: Any) -> str | None:
    """The plain text of a SecureString-like value: str, bytes, or an object exposing it."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8")
    for attr in ("plain_text", "get_secret_value", "reveal", "value"):
        member = getattr(value, attr, None)
        if member is None:
            continue
        result = member() if callable(member) else member
        if isinstance(result, str):
            return result
    return None


def _member(value: Any, *names: str) -> Any:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and key.casefold() in {n.casefold() for n in names}:
                return item
        return None
    getter = getattr(value, "get", None)
    has = getattr(value, "has", None)
    if callable(has) and callable(getter):          # pscompat.values.PSObject
        for name in names:
            if has(name):
                return getter(name)
        return None
    for name in names:
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
        for attr in (name, name.lower(), snake):
            if hasattr(value, attr):
                return getattr(value, attr)
    return None


def credential_parts(value: Any) -> tuple[str | None, str | None]:
    """(user name, secret) of a PSCredential-like value; a bare string is the user name alone."""
    if value is None:
        return None, None
    if isinstance(value, str):
        return value, None
    user = _member(value, "UserName")
    password = _member(value, "Password")
    return (str(user) if user is not None else None), secret_text(password)


def env_secret(name: str = SECRET_ENV) -> str | None:
    value = os.environ.get(name)
    return value if value else None


def prompt_secret(prompt: str) -> str | None:
    """A no-echo prompt on the terminal; None when there is no terminal to ask on."""
    if not (sys.stdin and sys.stdin.isatty()):
        return None
    import getpass
    try:
        text = getpass.getpass(prompt)
    except (EOFError, KeyboardInterrupt):
        return None
    return text or None


def source_env_name(source: str | None) -> str | None:
    """``EnvironmentVariable:NAME`` -> ``NAME``."""
    if source and source.startswith("EnvironmentVariable:"):
        return source.split(":", 1)[1] or None
    return None
