"""The script host: where each PowerShell stream goes (console, files, a test's buffers).

Output and ``Write-Host``/information text go to stdout; errors, warnings, verbose and debug
text go to stderr, with PowerShell's prefixes, so ``pscompat run x.ps1 > out.txt`` keeps the
output clean.  Secrets registered with ``add_secret`` (a pass, a token, a password read with
``Read-Host -AsSecureString``) are replaced by ``<redacted>`` in what pscompat writes on its own
behalf: warnings, verbose, debug and error text. What the script asks to print (output,
``Write-Host``, ``Write-Information``) is printed as asked, as pwsh does: a script that issues a
pass exists to show it (``Write-Host "TAP: $($tap.TemporaryAccessPass)"``).
"""

from __future__ import annotations

import getpass
import sys
import threading
from typing import TextIO

from pscompat.redaction import redact

__all__ = ["ScriptHost"]


class ScriptHost:
    def __init__(self, stdout: TextIO | None = None, stderr: TextIO | None = None, stdin: TextIO | None = None,
                 interactive: bool = False) -> None:
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.stdin = stdin or sys.stdin
        self.interactive = interactive
        self.secrets: set[str] = set()
        self.sleep_scale = 1.0   # tests shorten Start-Sleep with this
        # -Parallel tasks and thread jobs write from their own threads: one write (a whole line) at a time
        self.lock = threading.RLock()

    def add_secret(self, text: str) -> None:
        if text:
            self.secrets.add(text)

    def redact(self, text: str) -> str:
        return redact(text, frozenset(self.secrets))   # a snapshot: other threads may add secrets meanwhile

    def write_output_text(self, text: str) -> None:
        with self.lock:
            self.stdout.write(text)
            self.stdout.flush()

    def write_host(self, text: str, newline: bool = True) -> None:
        """Write-Host / information text: the script's own words, not redacted."""
        with self.lock:
            self.stdout.write(text + ("\n" if newline else ""))
            self.stdout.flush()

    def write_error_text(self, text: str) -> None:
        with self.lock:
            self.stderr.write(self.redact(text))
            self.stderr.flush()

    def write_warning(self, text: str) -> None:
        with self.lock:
            self.stderr.write(self.redact(f"WARNING: {text}\n"))
            self.stderr.flush()

    def write_verbose(self, text: str) -> None:
        with self.lock:
            self.stderr.write(self.redact(f"VERBOSE: {text}\n"))
            self.stderr.flush()

    def write_debug(self, text: str) -> None:
        with self.lock:
            self.stderr.write(self.redact(f"DEBUG: {text}\n"))
            self.stderr.flush()

    def read_line(self, prompt: str) -> str:
        if prompt:
            self.stdout.write(prompt)
            self.stdout.flush()
        line = self.stdin.readline()
        return line.rstrip("\r\n")

    def read_secret(self, prompt: str) -> str:
        """Never echoes: getpass on a terminal, a plain read (no echo) otherwise."""
        if self.stdin is sys.stdin and sys.stdin.isatty():
            return getpass.getpass(prompt)
        if prompt:
            self.stdout.write(prompt)
            self.stdout.flush()
        line = self.stdin.readline().rstrip("\r\n")
        self.stdout.write("\n")
        return line
