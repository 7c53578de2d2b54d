"""The last line of defence of every entry point: no Python traceback ever reaches the user.

An exception that escapes ``pscompat ...`` or a cmdlet console script is a pscompat bug, not
user input; the user still gets what PowerShell gives for an unexpected .NET exception: one
error record naming what failed (``pscompat run``, ``New-Mg...``), the exception's type and
message, and exit code 1. ``-Debug`` on the command line (or ``PSCOMPAT_DEBUG=1``) adds the
Python detail (the traceback) on stderr. Both are redacted: values given to a parameter whose
name looks like a secret (``-ClientSecret``, ``-AccessToken``, ``-Password``, ``--pass``) never
appear. Arguments are also normalised here: bytes that are not UTF-8 become U+FFFD, as .NET's
UTF-8 decoder turns them when pwsh reads its command line.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable

__all__ = ["guard", "clean_argv"]

_SECRET_NAME = re.compile(r"^--?[A-Za-z]*(password|asplaintext|token|apikey|secret|pass)[A-Za-z]*(:.*)?$",
                          re.IGNORECASE)


def clean_argv(argv: list[str]) -> list[str]:
    """Undecodable argv bytes (Python's surrogate escapes) and lone surrogates -> U+FFFD."""
    return [_to_bytes(arg).decode("utf-8", "replace") if _has_surrogate(arg) else arg for arg in argv]


def _to_bytes(text: str) -> bytes:
    """Escaped argv bytes back to bytes; any other lone surrogate as the (invalid) UTF-8 bytes
    it would have been, so the decoder replaces it."""
    out = bytearray()
    for ch in text:
        if "\udc80" <= ch <= "\udcff":
            out.append(ord(ch) - 0xDC00)
        else:
            out += ch.encode("utf-8", "surrogatepass")
    return bytes(out)


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def _secrets(argv: list[str]) -> list[str]:
    found = []
    for i, arg in enumerate(argv):
        match = _SECRET_NAME.match(arg)
        if not match:
            continue
        if match.group(2):
            found.append(match.group(2)[1:])
        elif i + 1 < len(argv):
            found.append(argv[i + 1])
    return found


def _debug_wanted(argv: list[str]) -> bool:
    if os.environ.get("PSCOMPAT_DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}:
        return True
    return any(arg.lower() in {"-debug", "-debug:$true", "--debug"} for arg in argv)


def guard(what: str, argv: list[str], run: Callable[[], int | None]) -> int | None:
    """``run()``, with any unexpected exception turned into one error record and exit code 1."""
    try:
        return run()
    except (SystemExit, KeyboardInterrupt, GeneratorExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - the top-level handler: nothing escapes as a traceback
        import traceback

        from pscompat.errors import ErrorRecord
        from pscompat.redaction import redact
        from pscompat.render.errors import format_error

        secrets = _secrets(argv)
        if isinstance(exc, RecursionError):   # what pwsh says when nesting exhausts its stack
            record = ErrorRecord(message="The script failed due to call depth overflow.",
                                 error_id="CallDepthOverflow", category="InvalidOperation", command=what,
                                 exception_type="System.Management.Automation.ScriptCallDepthException")
        else:
            record = ErrorRecord(message=f"Unexpected {type(exc).__name__}: {exc} (a pscompat bug; "
                                         "-Debug shows the Python detail).",
                                 error_id="PscompatInternalError", category="NotSpecified", command=what,
                                 exception_type="System.InvalidOperationException")
        text = format_error(record).rstrip("\n") + "\n"
        if _debug_wanted(argv):
            text += "DEBUG: " + "".join(traceback.format_exception(exc)).rstrip("\n").replace("\n", "\nDEBUG: ") + "\n"
        try:
            sys.stderr.write(redact(text, secrets))
            sys.stderr.flush()
        except (OSError, ValueError, UnicodeError):
            pass
        return 1
