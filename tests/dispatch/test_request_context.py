"""Set-/Get-MgRequestContext and the client's retries (issue 15 item 3, issue 11 item 5).

Facts: the module's SetMgRequestContext.cs (``ValidateRange(0, MaxRetryDelayInSeconds=180)`` on
RetryDelay, ``ValidateRange(0, MaxNumberOfRetry=10)`` on MaxRetry, only bound parameters change,
the context is written back) and RequestContext.cs (defaults: RetryDelay 3, MaxRetry 3,
RetriesTimeLimit TimeSpan.Zero); the published docs' view (ClientTimeout RetryDelay MaxRetry
RetriesTimeLimit, TimeSpans as ``00:00:05``); kiota's RetryHandler (Retry-After first, at most
``max_retry`` retries); facts/graph-throttling.md (x-ms-throttle-priority).
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from pscompat.dispatch import request_context
from pscompat.dispatch import transport as tp
from pscompat.invoke import run_cmdlet_argv
from pscompat.script.runner import run_script
from pscompat.script.scripthost import ScriptHost

from .test_lab_end_to_end import ADELE, MG, CapturingLab, run

ADMIN_APP = "f0c70170-e0d3-40a7-8b9c-6db6c67bb257"   # the default scenario's admin app


def bash(name: str, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_cmdlet_argv(name, list(argv), stdout=out, stderr=err, stdin=io.StringIO())
    return code, out.getvalue(), err.getvalue()


def test_defaults_in_the_modules_view() -> None:
    code, out, err = bash("Get-MgRequestContext")
    assert (code, err) == (0, "")
    assert out == ("\nClientTimeout RetryDelay MaxRetry RetriesTimeLimit\n"
                   "------------- ---------- -------- ----------------\n"
                   "00:01:40      3          3        00:00:00\n\n")


def test_set_changes_only_what_is_bound_and_writes_the_context() -> None:
    code, out, _ = bash("Set-MgRequestContext", "-MaxRetry", "5", "-RetriesTimeLimit", "60")
    assert code == 0 and "00:01:40      3          5        00:01:00" in out
    ctx = request_context.current()
    assert (ctx.max_retry, ctx.retry_delay, ctx.retries_time_limit) == (5, 3, 60)
    bash("Set-MgRequestContext", "-RetryDelay", "0")
    assert request_context.current().max_retry == 5   # kept


@pytest.mark.parametrize(("argv", "text"), [
    (["-MaxRetry", "11"], "Cannot validate argument on parameter 'MaxRetry'. The 11 argument is greater than the "
                          "maximum allowed range of 10. Supply an argument that is less than or equal to 10 and "
                          "then try the command again."),
    (["-RetryDelay", "181"], "Cannot validate argument on parameter 'RetryDelay'. The 181 argument is greater than "
                             "the maximum allowed range of 180. Supply an argument that is less than or equal to 180 "
                             "and then try the command again."),
    (["-MaxRetry", "-1"], "Cannot validate argument on parameter 'MaxRetry'. The -1 argument is less than the minimum "
                          "allowed range of 0. Supply an argument that is greater than or equal to 0 and then try "
                          "the command again."),
])
def test_validate_range_as_the_module(argv: list[str], text: str) -> None:
    code, out, err = bash("Set-MgRequestContext", *argv)
    assert (code, out) == (1, "")
    assert err == f"Set-MgRequestContext: {text}\n"
    assert request_context.current() == request_context.RequestContext()


def test_whatif_binds_and_changes_anyway_as_the_module() -> None:
    """SetMgRequestContext declares SupportsShouldProcess but never calls ShouldProcess."""
    code, out, err = bash("Set-MgRequestContext", "-MaxRetry", "2", "-WhatIf")
    assert (code, err) == (0, "") and "What if" not in out
    assert request_context.current().max_retry == 2


def test_environment_gives_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PSCOMPAT_MAX_RETRIES", "7")
    monkeypatch.setenv("PSCOMPAT_RETRY_DELAY", "1")
    assert request_context.current().max_retry == 7
    opts = tp.SendOptions.from_env()
    assert (opts.max_retries, opts.retry_delay, opts.retry_budget) == (7, 1.0, float("inf"))
    monkeypatch.setenv("PSCOMPAT_RETRY_BUDGET", "4")
    request_context.update(retries_time_limit=9)
    assert tp.SendOptions.from_env().retry_budget == 4.0   # the smaller of the two


# -- against the lab ------------------------------------------------------------------------

@pytest.fixture()
def lab(tmp_path: Path) -> Iterator[Any]:
    from pscompat.lab import open_lab
    opened = open_lab(tmp_path / "lab.db")
    yield opened
    opened.close()


def _capturing_invoker(lab: Any, wire: list[httpx.Request]) -> Any:
    """The script bridge with every Mg cmdlet connected to ``lab``, requests captured in ``wire``."""
    from pscompat.script.external import ModelInvoker

    class Invoker(ModelInvoker):
        def invoke(self, name: str, arguments: list[Any], input_objects: list[Any] | None, context: Any) -> list[Any]:
            self.connection = CapturingLab("mg", lab, wire)
            return super().invoke(name, arguments, input_objects, context)
    return Invoker()


def _throttle(lab: Any, retry_after: int = 1) -> None:
    lab.store.add_fault({"kind": "throttle", "retryAfter": retry_after, "method": "POST"})
    lab.reload_faults()


def test_the_script_sees_its_set_mgrequestcontext_and_one_warning_per_wait(lab: Any) -> None:
    """Set-MgRequestContext -MaxRetry 2 in a script: three tries, two WARNING lines, then the 429."""
    wire: list[httpx.Request] = []

    _throttle(lab, retry_after=0)
    host = ScriptHost(stdout=io.StringIO(), stderr=io.StringIO())
    script = (f"Set-MgRequestContext -MaxRetry 2 -RetryDelay 0 | Out-Null\n"
              f"try {{ {MG} -UserId {ADELE} -ErrorAction Stop }} catch {{ 'caught: ' + $_.Exception.Message }}\n"
              f"$WarningPreference = 'SilentlyContinue'\n"
              f"{MG} -UserId {ADELE} -ErrorAction SilentlyContinue\n")
    code = run_script(script, host=host, invoker=_capturing_invoker(lab, wire))
    out, err = host.stdout.getvalue(), host.stderr.getvalue()   # type: ignore[attr-defined]
    assert code == 0 and len(wire) == 6, (out, err)
    assert out.startswith("caught: ")
    warnings = [line for line in err.splitlines() if line.startswith("WARNING:")]
    assert len(warnings) == 2, err   # the second call's waits are silenced by $WarningPreference
    assert warnings[0].startswith("WARNING: Graph throttled the request (429 TooManyRequests); retrying in ")
    assert warnings[0].endswith("(retry 1 of 2).") and warnings[1].endswith("(retry 2 of 2).")


def test_no_retry_when_max_retry_is_zero(lab: Any) -> None:
    wire: list[httpx.Request] = []
    _throttle(lab)
    request_context.update(max_retry=0)
    code, _, err = run(lab, wire, MG, ["-UserId", ADELE])
    assert code == 1 and len(wire) == 1 and "WARNING" not in err


def test_a_get_is_retried_on_503_without_retry_after_after_retry_delay(lab: Any) -> None:
    wire: list[httpx.Request] = []
    lab.store.add_fault({"kind": "unavailable", "status": 503, "method": "GET", "times": 1})
    lab.reload_faults()
    request_context.update(retry_delay=0)
    started = time.perf_counter()
    code, out, err = run(lab, wire, "Get-MgUserAuthenticationTemporaryAccessPassMethod", ["-UserId", ADELE])
    assert code == 0 and len(wire) == 2, err
    assert err.startswith("WARNING: Graph could not serve the request (503 ServiceUnavailable); retrying in ")
    assert time.perf_counter() - started < 3   # RetryDelay 0: only kiota's backoff and jitter


def test_virtual_time_429_is_retried_without_sleeping(lab: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """In virtual time the lab advances its clock by the wait; the client does not sleep it."""
    monkeypatch.setenv("PSCOMPAT_LAB_QUOTA", "virtual")
    lab.clock.set("2030-01-01T00:00:00Z", freeze=True)   # only the lab's own waits move the clock
    lab._set_quota()
    for _ in range(3000):   # the app's write bucket, empty
        lab.quota.charge(ADMIN_APP, lab.tenant["id"], "POST", f"users/{ADELE}", {})
    wire: list[httpx.Request] = []
    before = lab.clock.now()
    slept: list[float] = []
    import kiota_http.middleware.retry_handler as retry_module
    real_sleep = retry_module.asyncio.sleep

    async def recording_sleep(seconds: float, *args: Any) -> Any:
        slept.append(seconds)
        return await real_sleep(0)
    monkeypatch.setattr(retry_module.asyncio, "sleep", recording_sleep)
    code, out, err = run(lab, wire, MG, ["-UserId", ADELE])
    assert code == 0 and len(wire) == 2, err
    assert slept == [0.0]   # Retry-After was 1 s: the retry handler waited nothing
    assert lab.clock.now() > before
    assert err == ("WARNING: Graph throttled the request (429 TooManyRequests); the lab's clock moved 1 s ahead "
                   "(virtual time), retrying now (retry 1 of 3).\n")


def test_virtual_time_header_is_ignored_from_graph_hosts() -> None:
    """Only a lab may waive the wait: a response from graph.microsoft.com is always waited out."""
    from kiota_http.middleware.options import RetryHandlerOption
    handler = tp.SafeRetryHandler(RetryHandlerOption(max_retries=1, delay=0.0), float("inf"),
                                  honour_virtual_time=False)
    response = httpx.Response(429, headers={"Retry-After": "2", tp.VIRTUAL_TIME_HEADER: "advanced"})
    assert handler.get_delay_time(0, response, 0.0) == 2
    handler.honour_virtual_time = True
    assert handler.get_delay_time(0, response, 0.0) == 0.0


def test_throttle_priority_header_reaches_the_wire_and_the_lab(lab: Any) -> None:
    wire: list[httpx.Request] = []
    host = ScriptHost(stdout=io.StringIO(), stderr=io.StringIO())
    code = run_script(f"{MG} -UserId {ADELE} -Headers @{{'x-ms-throttle-priority' = 'Low'}} | Out-Null\n"
                      "Invoke-MgGraphRequest -Uri /v1.0/users -Headers @{'x-ms-throttle-priority'='High'} | Out-Null",
                      host=host, invoker=_capturing_invoker(lab, wire))
    assert code == 0, host.stderr.getvalue()   # type: ignore[attr-defined]
    assert [r.headers.get("x-ms-throttle-priority") for r in wire] == ["Low", "High"]


def test_the_warning_names_no_secret(lab: Any) -> None:
    wire: list[httpx.Request] = []
    _throttle(lab, retry_after=0)
    request_context.update(max_retry=1)
    code, _, err = run(lab, wire, MG, ["-UserId", ADELE, "-TemporaryAccessPass", "Secret-Pass-123"])
    assert "Secret-Pass-123" not in err and "Bearer" not in err and err.count("WARNING:") == 1
