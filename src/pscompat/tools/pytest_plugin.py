"""pytest plugin (entry point ``pytest11: pscompat``) for parity suites against the lab tenant.

Fixtures:

- ``lab_tenant``: an isolated lab per test under ``tmp_path``, reset to a scenario and frozen
  at an instant (``@pytest.mark.pscompat_lab(scenario=..., now=...)``, or the methods
  ``reset``, ``set_now``, ``advance``).
- ``pwsh``: run a command line (``pwsh("...")``) or a script (``pwsh.script(path)``) against
  that lab; returns a ``PwshResult`` with output objects, error records, the captured
  requests, the users' passes afterwards and the exit code.

Helpers (import from this module): ``assert_requests_equal(a, b)`` and
``assert_parity(a, b, allowed=None, exact=False)``.

This module is imported by every pytest run of a project that installs pscompat, so it
imports only pytest and the standard library at module level, defines no hooks that change
collection or reporting, and does nothing for tests that do not use its fixtures.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

MARKER = "pscompat_lab"
_width: list[int | None] = [None]    # the report width chosen in pytest_configure


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("pscompat")
    group.addoption("--pscompat-width", type=int, default=None, metavar="N",
                    help="width of pscompat parity reports (default: the terminal's)")
    parser.addini("pscompat_width", "width of pscompat parity reports (default: the terminal's)", default="")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{MARKER}(scenario=None, now=None): scenario file and frozen ISO instant of the "
                   "pscompat lab_tenant fixture")
    _width[0] = _configured_width(config)


def _configured_width(config: pytest.Config) -> int | None:
    value = config.getoption("pscompat_width", default=None) or str(config.getini("pscompat_width") or "").strip()
    if value:
        try:
            return max(40, int(value))
        except ValueError:
            raise pytest.UsageError(f"pscompat_width must be a number of columns, not {value!r}") from None
    return None


def report_width() -> int:
    """Columns for a parity report: --pscompat-width / ini pscompat_width, else the terminal's
    (COLUMNS, then the tty), else 120."""
    if _width[0]:
        return _width[0]
    import shutil
    return shutil.get_terminal_size((120, 24)).columns


@dataclass
class PwshResult:
    """What one ``pwsh(...)`` call produced."""

    outputs: list[Any]
    errors: list[Any]
    requests: list[Any]
    exit_code: int
    users: list[Mapping[str, Any]] = field(default_factory=list)
    text: str = ""
    source: str = ""

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.errors

    def capture(self) -> Any:
        from pscompat.tools.trace import RunCapture
        return RunCapture(requests=list(self.requests), outputs=list(self.outputs), errors=list(self.errors),
                          exit_code=self.exit_code, users=list(self.users), text=self.text)

    def user_pass(self, upn: str) -> Mapping[str, Any] | None:
        """The pass a user holds after the run (as Graph lists it, without the secret)."""
        for user in self.users:
            if str(user.get("userPrincipalName", "")).casefold() == upn.casefold():
                tap = user.get("pass")
                return tap if isinstance(tap, Mapping) else None
        raise KeyError(f"no user {upn!r} in the lab")


class Users(Mapping[str, Mapping[str, Any]]):
    """The lab's users by UPN, looked up case-insensitively as Entra does; each value has
    ``id``, ``userPrincipalName`` and ``pass`` (the pass Graph lists, never its secret, or None)."""

    def __init__(self, users: Iterable[Mapping[str, Any]]) -> None:
        self._by_key = {str(u["userPrincipalName"]).casefold(): u for u in users}

    def __getitem__(self, upn: str) -> Mapping[str, Any]:
        try:
            return self._by_key[upn.casefold()]
        except KeyError:
            raise KeyError(f"no user {upn!r} in the lab") from None

    def __iter__(self) -> Iterator[str]:
        return (str(u["userPrincipalName"]) for u in self._by_key.values())

    def __len__(self) -> int:
        return len(self._by_key)


class LabTenant:
    """One private lab for one test: a database under ``root``, frozen at ``now``."""

    def __init__(self, root: Path, scenario: str | Path | None = None, now: str | None = None) -> None:
        from pscompat.tools.labrun import LabSnapshot
        self.root = root
        self.scenario = Path(scenario) if scenario else None
        self._snapshot = LabSnapshot.create(now, self.scenario, root)
        self.now = self._snapshot.now
        self._copies = 0

    @property
    def path(self) -> Path:
        """The lab database (``PSCOMPAT_LAB_DB`` points here for subprocesses you start)."""
        return self._snapshot.db

    def _with_lab(self, action: Any) -> Any:
        from pscompat.lab import open_lab
        lab = open_lab(self.path)
        try:
            return action(lab)
        finally:
            lab.close()

    def reset(self, scenario: str | Path | None = None, now: str | None = None) -> None:
        """Back to the scenario's state (another scenario file when given), clock frozen again."""
        if scenario is not None:
            self.scenario = Path(scenario)
        self.now = now or self.now

        def action(lab: Any) -> None:
            lab.reset(self.scenario)
            lab.clock.set(self.now, freeze=True)
        self._with_lab(action)

    def set_now(self, when: str) -> None:
        """Freeze the lab clock (and Get-Date in pwsh runs) at an ISO instant."""
        self._with_lab(lambda lab: lab.clock.set(when, freeze=True))
        self.now = when

    def advance(self, delta: str) -> None:
        """Move the lab clock, e.g. ``"+2h"``, ``"-30m"``, ``"1d"``."""
        self._with_lab(lambda lab: lab.clock.advance(delta))

    def users(self) -> Users:
        """Every user now, by UPN (any case): ``users()["AdeleV@contoso.lab"]["pass"]``."""
        from pscompat.tools.labrun import lab_users
        return Users(self._with_lab(lab_users))

    def user_pass(self, upn: str) -> Mapping[str, Any] | None:
        """The pass ``upn`` holds now, as Graph lists it (without the secret), or None.
        KeyError names the UPN when the lab has no such user."""
        tap = self.users()[upn].get("pass")
        return tap if isinstance(tap, Mapping) else None

    def run(self, text: str, *, path: str = "<command>", isolated: bool = False) -> PwshResult:
        """Run PowerShell text on this lab (``isolated``: on a throwaway copy of its current state)."""
        import io

        from pscompat.tools.labrun import _quiet_host, run_on_copy, run_on_lab
        out, err = io.StringIO(), io.StringIO()
        host = _quiet_host(out, err)
        if isolated:
            self._copies += 1
            capture = run_on_copy(self._snapshot, text, path, self.root / f"copy{self._copies}", host)
        else:
            capture = run_on_lab(self.path, text, path, host)
        return PwshResult(outputs=capture.outputs, errors=capture.errors, requests=capture.requests,
                          exit_code=capture.exit_code, users=list(capture.users),
                          text=out.getvalue() + err.getvalue(), source=text)


class Pwsh:
    """The ``pwsh`` fixture: ``pwsh("cmd")``, ``pwsh.script(path)``, ``pwsh.isolated("cmd")``."""

    def __init__(self, lab: LabTenant) -> None:
        self.lab = lab

    def __call__(self, command: str) -> PwshResult:
        return self.lab.run(command)

    def script(self, path: str | Path) -> PwshResult:
        p = Path(path)
        with p.open(encoding="utf-8", newline="") as fh:
            return self.lab.run(fh.read(), path=str(p))

    def isolated(self, command: str, *, path: str = "<command>") -> PwshResult:
        """Run on a copy of the lab's current state: the lab itself is left unchanged."""
        return self.lab.run(command, path=path, isolated=True)

    def parity(self, a: str, b: str, *, allowed: Iterable[str] | None = None, exact: bool = False,
               scripts: bool = False) -> Any:
        """Run A and B on two copies of the current lab state and assert parity (see assert_parity)."""
        __tracebackhide__ = True
        texts = [_read(x) if scripts else x for x in (a, b)]
        paths = [str(x) if scripts else "<command>" for x in (a, b)]
        ra = self.isolated(texts[0], path=paths[0])
        rb = self.isolated(texts[1], path=paths[1])
        return assert_parity(ra, rb, allowed=allowed, exact=exact)


def _read(path: str | Path) -> str:
    with Path(path).open(encoding="utf-8", newline="") as fh:
        return fh.read()


# ---------------------------------------------------------------- fixtures


@pytest.fixture
def lab_tenant(request: pytest.FixtureRequest, tmp_path: Path) -> Iterable[LabTenant]:
    """An isolated lab tenant for this test (marker ``pscompat_lab(scenario=, now=)``)."""
    marker = request.node.get_closest_marker(MARKER)
    kwargs = dict(marker.kwargs) if marker else {}
    tenant = LabTenant(tmp_path / "pscompat-lab", kwargs.get("scenario"), kwargs.get("now"))
    yield tenant


@pytest.fixture
def pwsh(lab_tenant: LabTenant) -> Pwsh:
    """Run PowerShell command lines or scripts against ``lab_tenant``."""
    return Pwsh(lab_tenant)


# ---------------------------------------------------------------- helpers


def _as_capture(value: Any) -> Any:
    return value.capture() if isinstance(value, PwshResult) else value


def _label(value: Any, default: str) -> str:
    return getattr(value, "source", "") or default


def assert_requests_equal(a: Any, b: Any, *, ignore: Sequence[str] = ()) -> None:
    """The two runs sent the same requests (after normalisation); ``ignore``: field names to skip
    (e.g. ``["api_version"]``). ``a``/``b``: PwshResults or lists of captured requests."""
    __tracebackhide__ = True
    from pscompat.tools.compare import classify
    from pscompat.tools.sidebyside import render_side_by_side
    from pscompat.tools.trace import normalise_requests
    ra = a.requests if isinstance(a, PwshResult) else a
    rb = b.requests if isinstance(b, PwshResult) else b
    users = list(getattr(a, "users", []) or []) + list(getattr(b, "users", []) or [])
    ta, tb = normalise_requests(ra, users), normalise_requests(rb, users)
    for trace in (ta, tb):
        for fields in trace.values():
            for name in [n for n in fields if n in ignore or n.split(".", 1)[0] in ignore]:
                del fields[name]
    verdict = classify(ta, tb, [])
    if not verdict.ok:
        raise AssertionError("requests differ:\n" + render_side_by_side(verdict, ta, tb, total_width=report_width()))


def assert_parity(a: Any, b: Any, *, allowed: Iterable[str] | None = None, exact: bool = False) -> Any:
    """A and B (PwshResults) differ only by known differences of their families.

    ``allowed=None``: every known difference of the families A and B use on opposite sides;
    ``allowed=[ids]``: only those (each must be a known difference); ``exact=True`` (or
    ``allowed=[]``): no difference at all. Returns the verdict (``.known_ids``).
    """
    __tracebackhide__ = True
    from pscompat.tools.compare import classify
    from pscompat.tools.parity import Subject, applicable_rules
    from pscompat.tools.sidebyside import render_side_by_side, summary
    from pscompat.tools.trace import normalise
    rules = applicable_rules(Subject(_label(a, "")), Subject(_label(b, ""))) if not exact else []
    if allowed is not None:
        wanted = set(allowed)
        unknown = wanted - {r.id for r, _ in rules}
        if unknown:
            raise ValueError(f"not known differences of these commands: {', '.join(sorted(unknown))}")
        rules = [(r, side) for r, side in rules if r.id in wanted]
        exact = exact or not wanted
    ta, tb = normalise(_as_capture(a)), normalise(_as_capture(b))
    verdict = classify(ta, tb, rules, exact=exact)
    if not verdict.ok:
        raise AssertionError(f"{summary(verdict)}\nA: {_label(a, 'A')}\nB: {_label(b, 'B')}\n"
                             + render_side_by_side(verdict, ta, tb, total_width=report_width()))
    return verdict
