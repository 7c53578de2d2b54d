"""The streams of one cmdlet invocation: output, error, warning, verbose, debug.

In bash, stdout carries only the output (so ``| jq`` and ``$(...)`` work) and every other stream
goes to stderr with PowerShell's prefixes (``WARNING: ``, ``VERBOSE: ``, ``DEBUG: ``). Every
non-output line passes through ``redact``: any secret the invocation has seen (a pass in a
response, a bearer token, a client secret registered by the connection) is replaced by
``<redacted>`` — a deliberate deviation from the real modules, whose -Debug prints the pass.

``-ErrorAction`` semantics (see docs/cmdlets.md): Stop makes the first error terminating;
Continue shows it; SilentlyContinue hides it; Ignore hides it and does not count it. The exit
code is 1 when an error was written (shown or not), except under Ignore.
"""

from __future__ import annotations

import os
import sys
from typing import Any, TextIO

from pscompat.errors import ErrorRecord
from pscompat.redaction import redact

ERROR_ACTIONS = ("Stop", "Continue", "SilentlyContinue", "Ignore", "Inquire", "Suspend", "Break")


class OutputOptions:
    """pscompat's own ``--`` options (never PowerShell parameters) and their env defaults.

    ``format``: table | list | json | csv, None = the cmdlet's default view; ``error_view``:
    concise (PowerShell 7's default) | normal. (Plain classes here and below: a dataclass costs
    ~0.7 ms to define at import, a measurable share of a cold cmdlet.)
    """

    __slots__ = ("format", "culture", "strict", "error_view")

    def __init__(self, format: str | None = None, culture: str = "en-US", strict: bool = False,
                 error_view: str = "concise") -> None:
        self.format, self.culture, self.strict, self.error_view = format, culture, strict, error_view

    @classmethod
    def from_env(cls) -> OutputOptions:
        return cls(format=os.environ.get("PSCOMPAT_FORMAT") or None,
                   culture=os.environ.get("PSCOMPAT_CULTURE") or "en-US",
                   strict=os.environ.get("PSCOMPAT_STRICT", "") not in {"", "0", "false", "False"},
                   error_view=(os.environ.get("PSCOMPAT_ERROR_VIEW") or "concise").lower())


_FLAGS = {"--strict": "strict"}
_VALUED = {"--format": "format", "--culture": "culture", "--error-view": "error_view"}
FORMATS = ("table", "list", "json", "csv")


def split_options(argv: list[str], options: OutputOptions | None = None) -> tuple[OutputOptions, list[str]]:
    """Take pscompat's ``--name[=value]`` options out of a cmdlet's argv.

    PowerShell parameters start with one dash, so a double dash can never collide with one. An
    unknown ``--x`` or a bad value raises ValueError (the caller shows it as an error line).
    """
    opts = options or OutputOptions.from_env()
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if not arg.startswith("--") or arg == "--":
            rest.append(arg)
            i += 1
            continue
        name, eq, value = arg.partition("=")
        if name in _FLAGS and not eq:
            setattr(opts, _FLAGS[name], True)
        elif name in _VALUED:
            if not eq:
                if i + 1 >= len(argv):
                    raise ValueError(f"pscompat option {name} needs a value")
                i += 1
                value = argv[i]
            setattr(opts, _VALUED[name], value)
        else:
            raise ValueError(f"unknown pscompat option {name} (known: --format, --culture, --strict, --error-view)")
        i += 1
    if opts.format is not None:
        opts.format = opts.format.lower()
        if opts.format not in FORMATS:
            raise ValueError(f"--format must be one of {', '.join(FORMATS)}, not {opts.format!r}")
    if opts.error_view not in {"concise", "normal"}:
        raise ValueError("--error-view must be concise or normal")
    return opts, rest


class Host:
    """Where one invocation writes; also remembers the secrets it must never echo."""

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None, *, verbose: bool = False,
                 debug: bool = False, error_action: str = "Continue", warning_action: str = "Continue",
                 options: OutputOptions | None = None) -> None:
        self.out = out if out is not None else sys.stdout
        self.err = err if err is not None else sys.stderr
        self.verbose, self.debug = verbose, debug
        self.error_action, self.warning_action = error_action, warning_action
        self.options = options if options is not None else OutputOptions.from_env()
        self.secrets: set[str] = set()
        self.errors: list[ErrorRecord] = []
        self.error_count = 0

    @classmethod
    def from_common(cls, common: dict[str, Any], options: OutputOptions | None = None, **kw: Any) -> Host:
        """Build from the binder's common parameters (-Verbose, -Debug, -ErrorAction, ...)."""
        host = cls(options=options or OutputOptions.from_env(), **kw)
        host.verbose = bool(common.get("Verbose", False))
        host.debug = bool(common.get("Debug", False))
        host.error_action = _action_name(common.get("ErrorAction"), "Continue")
        host.warning_action = _action_name(common.get("WarningAction"), "Continue")
        return host

    # -- secrets -------------------------------------------------------------------------
    def add_secret(self, value: Any) -> None:
        if isinstance(value, str) and len(value) >= 4:
            self.secrets.add(value)

    def redact(self, text: str) -> str:
        return redact(text, self.secrets)

    # -- streams -------------------------------------------------------------------------
    def _line(self, prefix: str, text: str) -> None:
        body = self.redact(text)
        self.err.write("".join(prefix + line + "\n" if i == 0 else line + "\n"
                               for i, line in enumerate(body.split("\n"))))
        self.err.flush()

    def write_verbose(self, text: str) -> None:
        if self.verbose:
            self._line("VERBOSE: ", text)

    def write_debug(self, text: str) -> None:
        if self.debug:
            self._line("DEBUG: ", text)

    def write_warning(self, text: str) -> None:
        if self.warning_action not in {"SilentlyContinue", "Ignore"}:
            self._line("WARNING: ", text)

    def write_error(self, record: ErrorRecord) -> None:
        """A non-terminating error under this invocation's -ErrorAction (Stop raises it)."""
        if self.error_action == "Ignore":
            return
        self.error_count += 1
        self.errors.append(record)
        if self.error_action == "Stop":
            record.terminating = True
            raise record
        if self.error_action != "SilentlyContinue":
            self.show_error(record)

    def show_error(self, record: ErrorRecord) -> None:
        from pscompat.render.errors import format_error
        self.err.write(self.redact(format_error(record, view=self.options.error_view)) + "\n")
        self.err.flush()

    def write_information(self, text: str) -> None:
        """The information stream (Write-Host text such as Connect-MgGraph's welcome): stdout."""
        self.out.write(self.redact(text).rstrip("\n") + "\n")
        self.out.flush()

    def set_variable(self, name: str, value: Any) -> None:
        """-CountVariable / -ResponseHeadersVariable: a shell call has no session, so nothing to set."""

    def write_text(self, text: str) -> None:
        """Rendered output (stdout)."""
        if text:
            self.out.write(text if text.endswith("\n") else text + "\n")
            self.out.flush()

    @property
    def exit_code(self) -> int:
        return 1 if self.error_count else 0


def _action_name(value: Any, default: str) -> str:
    if value is None:
        return default
    text = str(value)
    for name in ERROR_ACTIONS:
        if name.casefold() == text.casefold():
            return name
    return default
