"""Run a command line or script on a private copy of one lab snapshot, and capture everything.

Parity needs both sides to start from the same state at the same instant: a fresh lab is
created (and reset to the scenario) once, its clock frozen, and each run gets a byte copy of
that database and key. Requests are captured by wrapping the lab's in-process transport, so
what is recorded is exactly what went on the (virtual) wire. ``Get-Date`` is pinned to the
lab's frozen instant during a run, so ``(Get-Date).AddHours(2)`` means the same on both sides.
Connect-/Disconnect- cmdlets are recorded but not executed: both sides stay on their lab copy.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .trace import CapturedRequest, RunCapture

GRAPH = "https://graph.microsoft.com"
CONNECT_COMMANDS = frozenset(n.casefold() for n in (
    "Connect-MgGraph", "Connect-PnPOnline", "Disconnect-MgGraph", "Disconnect-Graph", "Disconnect-PnPOnline"))


class LabRunError(Exception):
    """The lab or the script runner is unavailable or failed to start."""


# ---------------------------------------------------------------- capture at the transport


class RecordingTransport:
    """An httpx transport that records each request (and its status) and forwards it."""

    def __init__(self, inner: Any, log: list[CapturedRequest]) -> None:
        self.inner = inner
        self.log = log

    def _record(self, request: Any, body: bytes, status: int) -> None:
        self.log.append(CapturedRequest(request.method, str(request.url), list(request.headers.multi_items()),
                                        body, status))

    async def handle_async_request(self, request: Any) -> Any:
        body = await request.aread()
        response = await self.inner.handle_async_request(request)
        self._record(request, body, response.status_code)
        return response

    def handle_request(self, request: Any) -> Any:
        body = request.read()
        response = self.inner.handle_request(request)
        self._record(request, body, response.status_code)
        return response

    async def aclose(self) -> None:
        return None

    def close(self) -> None:
        return None


def _recording_connection(module: str, lab: Any, log: list[CapturedRequest]) -> Any:
    from pscompat.connect.connection import LabConnection
    from pscompat.lab import asgi_transport

    class RecordingLabConnection(LabConnection):
        def http_transport(self) -> Any:
            import httpx

            class _T(RecordingTransport, httpx.AsyncBaseTransport, httpx.BaseTransport):
                pass
            return _T(asgi_transport(self.lab), log)

    return RecordingLabConnection(module, lab)


# ---------------------------------------------------------------- snapshots


@dataclass
class LabSnapshot:
    """A freshly reset lab, frozen at ``now``, that runs copy from."""

    directory: Path
    now: str
    scenario: Path | None = None
    _tmp: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)

    @property
    def db(self) -> Path:
        return self.directory / "lab.db"

    @classmethod
    def create(cls, now: str | None = None, scenario: Path | str | None = None,
               base: Path | None = None) -> LabSnapshot:
        """Create and seed a lab under ``base`` (a temporary directory when None)."""
        tmp = None
        if base is None:
            tmp = tempfile.TemporaryDirectory(prefix="pscompat-parity-")
            base = Path(tmp.name)
        directory = base / "snapshot"
        if directory.exists():  # always a fresh lab, seeded from the scenario by open_lab
            shutil.rmtree(directory)
        directory.mkdir(parents=True)
        instant = now or dt.datetime.now(dt.UTC).replace(second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
        try:
            from pscompat.lab import LabError, open_lab
        except ImportError as exc:
            raise LabRunError(f"the lab is not available in this build ({exc})") from None
        try:
            lab = open_lab(directory / "lab.db", scenario)
        except LabError as exc:
            raise LabRunError(str(exc)) from None
        try:
            lab.clock.set(instant, freeze=True)
        except ValueError as exc:
            raise LabRunError(f"bad --now {instant!r}: {exc}") from None
        finally:
            lab.close()
        return cls(directory, instant, Path(scenario) if scenario else None, tmp)

    def copy_to(self, target: Path) -> Path:
        """A byte copy of the snapshot (database, key, WAL) in ``target``; the new lab.db path."""
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(self.directory, target)
        return target / "lab.db"

    def cleanup(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


# ---------------------------------------------------------------- running


@contextlib.contextmanager
def pinned_now(instant: dt.datetime) -> Iterator[None]:
    """``Get-Date``, ``[DateTime]::Now``/``UtcNow``/``Today`` return ``instant`` while the block runs.

    The script runner has no clock hook yet, so the functions it calls are swapped for the
    duration of the run and restored afterwards (single-threaded runs only).
    """
    import pscompat.values as values

    def fixed() -> dt.datetime:
        return instant.astimezone()
    statics: dict[str, Any] = {"now": fixed, "utcnow": lambda: instant.astimezone(dt.UTC),
                               "today": lambda: dt.datetime.combine(fixed().date(), dt.time()).astimezone()}
    targets: list[Any] = [values]
    with contextlib.suppress(ImportError):
        import pscompat.script.builtins as builtins
        targets.append(builtins)
    saved = [(t, t.local_now) for t in targets if hasattr(t, "local_now")]
    table: dict[str, Any] = {}
    with contextlib.suppress(ImportError, AttributeError):
        from pscompat.lang import dotnet
        table = dotnet._STATIC_PROPS.get("datetime", {})
    saved_statics = {k: table[k] for k in statics if k in table}
    try:
        for target, _ in saved:
            target.local_now = fixed
        table.update({k: statics[k] for k in saved_statics})
        yield
    finally:
        for target, original in saved:
            target.local_now = original
        table.update(saved_statics)


@contextlib.contextmanager
def lab_connections(lab: Any, log: list[CapturedRequest]) -> Iterator[None]:
    """Both modules' current connection is the recording lab connection while the block runs."""
    from pscompat.connect import resolve
    try:
        for module in ("mg", "pnp"):
            resolve.set_live(module, _recording_connection(module, lab, log))  # type: ignore[arg-type]
        yield
    finally:
        for module in ("mg", "pnp"):
            resolve.forget(module)  # type: ignore[arg-type]


class _ConnectStub:
    """Wraps the cmdlet invoker: Connect-/Disconnect- are recorded, not run (see module doc)."""

    def __init__(self, inner: Any, calls: list[str]) -> None:
        self.inner = inner
        self.calls = calls

    def knows(self, name: str) -> bool:
        return name.casefold() in CONNECT_COMMANDS or bool(self.inner and self.inner.knows(name))

    def invoke(self, name: str, arguments: list[Any], input_objects: list[Any] | None, context: Any) -> list[Any]:
        if name.casefold() in CONNECT_COMMANDS:
            self.calls.append(name)
            return []
        return list(self.inner.invoke(name, arguments, input_objects, context))


def run_text(text: str, path: str, host: Any = None) -> tuple[list[Any], list[Any], int, list[str]]:
    """Run PowerShell text with the script runner; (outputs, error records, exit code, connect calls)."""
    try:
        from pscompat.errors import ErrorRecord
        from pscompat.lang.parser import ParseError, parse_script
        from pscompat.script import evaluator
    except ImportError as exc:
        raise LabRunError(f"the script runner is not available in this build ({exc})") from None
    try:
        block = parse_script(text, path)
    except ParseError as exc:
        raise LabRunError(f"{path}:{exc.line}:{exc.column}: {exc}") from None
    calls: list[str] = []
    invoker = _ConnectStub(evaluator._default_invoker(), calls)
    interp = evaluator.Interpreter(host=host, invoker=invoker, script_path=path if path.endswith(".ps1") else None)
    outputs: list[Any] = []
    terminating: list[Any] = []
    code = 0
    try:
        interp.run_script_block(block, [], name=path, sink=outputs.extend)
    except evaluator.ExitFlow as flow:
        code = flow.code
    except ErrorRecord as record:
        terminating.append(record)
        code = 1
        if host is not None:   # shown as pwsh shows a terminating error, so the run's text has it
            interp.show_error(record)
    errors = list(reversed(interp.error_list))
    errors += [r for r in terminating if not any(r is e for e in errors)]
    if code == 0 and (terminating or not interp.last_success):
        code = 1
    return outputs, errors, code, calls


def lab_users(lab: Any) -> list[Mapping[str, Any]]:
    """Users and their pass, read through the lab's own Graph API (never the pass itself)."""
    import httpx

    from pscompat.lab import asgi_transport
    headers = {"Authorization": f"Bearer {lab.issue_token()}"}
    users: list[dict[str, Any]] = []
    with httpx.Client(transport=asgi_transport(lab), base_url=GRAPH, headers=headers) as client:
        url: str | None = "/v1.0/users?$select=id,userPrincipalName&$top=999"
        while url:
            page = client.get(url).raise_for_status().json()
            users += [{"id": u["id"], "userPrincipalName": u["userPrincipalName"]} for u in page.get("value", [])]
            url = page.get("@odata.nextLink")
        for user in users:
            resp = client.get(f"/v1.0/users/{user['id']}/authentication/temporaryAccessPassMethods")
            values = resp.json().get("value", []) if resp.status_code == 200 else []
            user["pass"] = values[0] if values else None
    result: list[Mapping[str, Any]] = list(users)
    return result


def lab_now(lab: Any) -> dt.datetime:
    """The lab clock's current instant as an aware UTC datetime."""
    from pscompat.lab.clock import TICKS_PER_SECOND
    ticks = int(lab.clock.now())
    seconds, rest = divmod(ticks, TICKS_PER_SECOND)
    return dt.datetime.fromtimestamp(seconds, dt.UTC) + dt.timedelta(microseconds=rest // 10)


def run_on_lab(db: Path, text: str, path: str, host: Any = None) -> RunCapture:
    """Run ``text`` against the lab at ``db`` (changing it); the whole capture."""
    from pscompat.lab import open_lab
    lab = open_lab(db)
    log: list[CapturedRequest] = []
    try:
        with pinned_now(lab_now(lab)), lab_connections(lab, log):
            outputs, errors, code, _calls = run_text(text, path, host)
        users = lab_users(lab)
    finally:
        lab.close()
    return RunCapture(requests=log, outputs=outputs, errors=errors, exit_code=code, users=users)


def run_on_copy(snapshot: LabSnapshot, text: str, path: str, workdir: Path, host: Any = None) -> RunCapture:
    """Copy the snapshot into ``workdir`` and run ``text`` there (the snapshot is untouched)."""
    return run_on_lab(snapshot.copy_to(workdir), text, path, host)


class LabRunner:
    """A parity runner: each call runs one subject on a new copy of the same snapshot."""

    def __init__(self, snapshot: LabSnapshot, workdir: Path) -> None:
        self.snapshot = snapshot
        self.workdir = workdir
        self.runs = 0

    def __call__(self, subject: Any) -> RunCapture:
        import io
        self.runs += 1
        out, err = io.StringIO(), io.StringIO()
        host = _quiet_host(out, err)
        path = subject.label if subject.kind == "script" and subject.label else "<command>"
        capture = run_on_copy(self.snapshot, subject.text, path, self.workdir / f"run{self.runs}", host)
        capture.text = out.getvalue() + err.getvalue()
        return capture


def _quiet_host(out: Any, err: Any) -> Any:
    """A script host whose streams go to buffers (the parity report owns the terminal)."""
    try:
        from pscompat.script.scripthost import ScriptHost
    except ImportError:
        return None
    return ScriptHost(stdout=out, stderr=err, stdin=None, interactive=False)
