"""The engine under ``ForEach-Object -Parallel`` and the job cmdlets: runspaces, ``$using:``, tasks.

A *runspace* is a fresh ``Interpreter`` (its own global scope, ``$Error`` and preferences; the
built-ins and the caller's Graph/PnP connection) whose error, warning, verbose and debug streams
go to a ``TaskSink`` instead of the console: ForEach-Object re-writes them on the caller's streams,
a job keeps them for ``Receive-Job``.  A *task* is one script block run for one input; a
``TaskPool`` runs tasks on at most ``throttle`` threads, each keeping its runspace from task to
task unless ``-UseNewRunspace`` (PowerShell's runspace pool).  Stopping is cooperative: a stopped
task ends at its next statement or sleep (a Graph call already on the wire finishes first).

The caller's variables reach a task only as ``$using:name``, captured once when the command starts
(``capture_using``): a reference type is the same object in every task, a value is a copy.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from typing import Any, Protocol

from pscompat.errors import ErrorRecord
from pscompat.lang import ast as A
from pscompat.script.error_handling import PARTIAL_OUTPUT
from pscompat.script.evaluator import ExitFlow, Interpreter
from pscompat.script.flow import BreakFlow, ContinueFlow, ReturnFlow, runtime_error
from pscompat.script.scope import Scope
from pscompat.script.scriptblock import ScriptBlockValue

__all__ = ["TaskStopped", "TaskSink", "Task", "TaskPool", "Runspace", "capture_using", "using_without_job",
           "pipeline_stopped", "USING_SCRIPT_BLOCK"]

USING_SCRIPT_BLOCK = ("A ForEach-Object -Parallel using variable cannot be a script block. Passed-in script block "
                      "variables are not supported with ForEach-Object -Parallel, and can result in undefined "
                      "behavior.")


class TaskStopped(BaseException):
    """A task's pipeline was stopped (-TimeoutSeconds, Stop-Job, the caller ending): not catchable by
    the script's try/catch, as PowerShell's PipelineStoppedException is not."""


def using_without_job() -> ErrorRecord:
    """``$using:`` read where no -Parallel/job/Invoke-Command captured it (pwsh's RuntimeException)."""
    return runtime_error("A Using variable cannot be retrieved. A Using variable can be used only with "
                         "Invoke-Command, Start-Job, or InlineScript in the script workflow. When it is used with "
                         "Invoke-Command, the Using variable is valid only if the script block is invoked on a "
                         "remote computer.", "UsingWithoutInvokeCommand", "InvalidOperation")


def using_undefined(name: str, command: str, suffix: str) -> ErrorRecord:
    return ErrorRecord(f"The value of the using variable '$using:{name}' cannot be retrieved because it has not "
                       "been set in the local session.", "UsingVariableIsUndefined", "InvalidOperation",
                       command=command, fqid_suffix=suffix,
                       exception_type="System.Management.Automation.RuntimeException")


def pipeline_stopped() -> ErrorRecord:
    """What a task stopped by -TimeoutSeconds writes (ForEach-Object.Parallel.Tests.ps1: PSTaskException
    over a PipelineStoppedException)."""
    return ErrorRecord("The pipeline has been stopped.", "PSTaskException", "OperationStopped",
                       exception_type="System.Management.Automation.PipelineStoppedException", terminating=False)


# ------------------------------------------------------------------ $using:

def _children(node: Any) -> Iterator[Any]:
    for f in fields(node):
        value = getattr(node, f.name)
        if isinstance(value, A.Node):
            yield value
        elif isinstance(value, (list, tuple)):
            for item in value:
                if isinstance(item, A.Node):
                    yield item
                elif isinstance(item, (list, tuple)):
                    yield from (x for x in item if isinstance(x, A.Node))


def _using_nodes(node: Any, nested: bool, found: list[tuple[str, bool]]) -> None:
    if isinstance(node, A.Variable) and node.scope == "using":
        found.append((node.name, nested))
        return
    inner = nested or isinstance(node, A.ScriptBlockExpression)
    for child in _children(node):
        _using_nodes(child, inner, found)


def capture_using(interp: Interpreter, scope: Scope, block: A.ScriptBlock, command: str, suffix: str,
                  refuse_script_blocks: bool) -> dict[str, Any]:
    """The ``$using:`` values of ``block`` from the caller's scope, by lower-case name.

    A name the caller has not set is an error (UsingVariableIsUndefined), except inside a nested
    ``{ }`` where it may be a variable of the task itself (a nested -Parallel captures it there).
    """
    found: list[tuple[str, bool]] = []
    for child in _children(block):
        _using_nodes(child, False, found)
    values: dict[str, Any] = {}
    for name, nested in found:
        key = name.lower()
        if key in values:
            continue
        ok, value = scope.lookup("_" if key == "psitem" else key)
        if not ok:
            if nested:
                continue
            raise using_undefined(name, command, suffix)
        if refuse_script_blocks and isinstance(value, ScriptBlockValue):
            raise ErrorRecord(USING_SCRIPT_BLOCK, "ParallelUsingVariableCannotBeScriptBlock", "InvalidType",
                              command=command, fqid_suffix=suffix,
                              exception_type="System.Management.Automation.PSArgumentException")
        values[key] = value
    return values


# ------------------------------------------------------------------ runspaces and tasks

class TaskSink(Protocol):
    """Where a task's streams go (the caller's ForEach-Object, or a job's buffers)."""

    def output(self, task: Task, values: list[Any]) -> None: ...

    def error(self, task: Task, record: ErrorRecord) -> None: ...

    def stream(self, task: Task, name: str, text: str) -> None: ...

    def finished(self, task: Task) -> None: ...


class Runspace(Interpreter):
    """A fresh session for tasks: own scopes and ``$Error``; streams to the running task's sink."""

    def __init__(self, parent: Interpreter) -> None:
        super().__init__(parent.host, parent.invoker, None)
        self.task: Task | None = None

    def emit_stream(self, stream: str, text: str) -> None:
        task = self.task
        if task is None or self._redirect_target(stream) is not None:
            super().emit_stream(stream, text)
            return
        task.sink.stream(task, stream, text)

    def _redirect_target(self, stream: str) -> Any:
        target = super()._redirect_target(stream)
        task = self.task
        if target is None and stream == "information" and task is not None and task.capture_host:
            return _HostToSink(task)   # a job keeps its Write-Host text for Receive-Job
        return target

    def report_error(self, record: ErrorRecord, show: bool = True) -> None:
        super().report_error(record, show=False)
        task = self.task
        if show and task is not None:
            target = self._redirect_target("error")
            if target is not None:
                self._show_reported(record)
            else:
                task.sink.error(task, record)

    def _run_section(self, statements: list[A.Node], scope: Scope, out: list[Any]) -> None:
        task = self.task
        if task is not None and task.output is None and self.depth == 1:
            task.output = out    # the task block's own output list (not a function's or a $(...)'s)
        super()._run_section(statements, scope, out)

    def exec_statement(self, node: A.Node, scope: Scope, out: list[Any]) -> None:
        task = self.task
        if task is not None and task.stop.is_set():
            raise TaskStopped()
        super().exec_statement(node, scope, out)
        if task is not None:
            task.flush()   # what the block wrote so far reaches the caller / the job now


class _HostToSink(list[Any]):
    """Write-Host of a job: what would go to the console goes to the job's information stream."""

    def __init__(self, task: Task) -> None:
        super().__init__()
        self.task = task

    def append(self, text: Any) -> None:
        self.task.sink.stream(self.task, "information", text)


@dataclass(eq=False)
class Task:
    """One script block run for one input (a child job of a PSTaskJob, a thread job, an iteration)."""

    block: A.ScriptBlock
    using: dict[str, Any]
    sink: TaskSink
    item: Any = None
    has_item: bool = False
    input_objects: list[Any] | None = None
    arguments: list[Any] = field(default_factory=list)
    state: str = "NotStarted"
    reason: ErrorRecord | None = None
    timed_out: bool = False
    stop: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    on_state: Callable[[Task], None] | None = None
    output: list[Any] | None = None
    flushed: int = 0
    init: A.ScriptBlock | None = None   # a job's -InitializationScript, run first in the same runspace
    wrap_errors: bool = True      # ForEach-Object shows a task's terminating error as PSTaskException
    capture_host: bool = False    # a job: Write-Host text is kept, not printed

    def set_state(self, state: str) -> None:
        self.state = state
        if self.on_state is not None:
            self.on_state(self)

    def flush(self) -> None:
        out = self.output
        if out is not None and len(out) > self.flushed:
            fresh = out[self.flushed:]
            self.flushed = len(out)
            self.sink.output(self, fresh)

    def run(self, runspace: Runspace) -> None:
        from pscompat.script.binding import CommandArgument
        if self.stop.is_set():
            self._finish("Stopped")
            return
        self.set_state("Running")
        runspace.task = self
        runspace.using_values = self.using
        state = "Completed"
        try:
            if self.init is not None:   # dot-sourced: its functions and variables are the job's
                runspace.invoke_script_block(ScriptBlockValue(self.init), runspace.global_scope, dot=True)
                self.flush()
                self.output, self.flushed = None, 0
            out = runspace.invoke_script_block(
                ScriptBlockValue(self.block), runspace.global_scope, input_objects=self.input_objects,
                dollar_under=self.item if self.has_item else _no_value(),
                args=[CommandArgument(None, a) for a in self.arguments])
            if out is not self.output:
                self.output, self.flushed = out, 0
            self.flush()
        except TaskStopped:
            state = "Stopped"
            self.flush()
            if self.timed_out:
                self.sink.error(self, pipeline_stopped())
        except ErrorRecord as record:
            partial = record.details.pop(PARTIAL_OUTPUT, None)
            if partial and len(partial) > self.flushed:   # the block's output list, its head already sent
                self.sink.output(self, list(partial[self.flushed:]))
            runspace.error_list.insert(0, record)
            self.reason = record
            state = "Failed"
            self.sink.error(self, task_exception(record) if self.wrap_errors else record)
        except ExitFlow as flow:
            self.sink.output(self, list(flow.output))
        except (ReturnFlow, BreakFlow, ContinueFlow):
            pass
        except RecursionError:
            overflow = runtime_error("The script failed due to call depth overflow.", "CallDepthOverflow")
            self.reason, state = overflow, "Failed"
            self.sink.error(self, task_exception(overflow))
        finally:
            runspace.task = None
            runspace.using_values = None
        self._finish(state)

    def _finish(self, state: str) -> None:
        self.set_state(state)
        self.done.set()
        self.sink.finished(self)


def task_exception(record: ErrorRecord) -> ErrorRecord:
    """A terminating error that ended a task, as the caller sees it: pwsh makes a new record of the
    exception that stopped the task (FQID PSTaskException); for an error made terminating by
    -ErrorAction Stop that exception is an ActionPreferenceStopException, whose message says so."""
    message, exception_type = record.message, record.exception_type
    if record.details.get("action_preference_stop"):
        message = ('The running command stopped because the preference variable "ErrorActionPreference" or '
                   f"common parameter is set to Stop: {message}")
        exception_type = "System.Management.Automation.ActionPreferenceStopException"
    out = ErrorRecord(message, "PSTaskException", "InvalidOperation", target=record.target,
                      terminating=False, exception_type=exception_type)
    out.details.update({k: v for k, v in record.details.items() if k == "position"})
    return out


def _no_value() -> Any:
    from pscompat.script.binding import NO_VALUE
    return NO_VALUE


class TaskPool:
    """At most ``throttle`` threads running queued tasks in order (PowerShell's PSTaskPool)."""

    def __init__(self, parent: Interpreter, throttle: int, new_runspace: bool) -> None:
        self.parent = parent
        self.throttle = max(1, throttle)
        self.new_runspace = new_runspace
        self.allocated = 0
        self._queue: deque[Task] = deque()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._idle: list[Runspace] = []
        self.tasks: list[Task] = []

    def add(self, task: Task) -> None:
        with self._lock:
            self.tasks.append(task)
            self._queue.append(task)
            if len(self._threads) < self.throttle:
                thread = threading.Thread(target=self._work, name="pscompat-task", daemon=True)
                self._threads.append(thread)
                thread.start()

    def _next(self) -> Task | None:
        with self._lock:
            return self._queue.popleft() if self._queue else None

    def _runspace(self) -> Runspace:
        """An idle runspace of the pool, else a new one (at most ``throttle`` exist at once)."""
        with self._lock:
            if self._idle and not self.new_runspace:
                return self._idle.pop()
            self.allocated += 1
        return Runspace(self.parent)

    def _work(self) -> None:
        runspace: Runspace | None = None
        while True:
            task = self._next()
            if task is None:
                break
            if runspace is None or self.new_runspace:
                runspace = self._runspace()
            task.run(runspace)
        with self._lock:
            if runspace is not None and not self.new_runspace:
                self._idle.append(runspace)   # the next worker thread takes it over
            self._threads.remove(threading.current_thread())

    def stop_all(self, timed_out: bool = False) -> None:
        """Queued tasks never start; running ones stop at their next statement."""
        with self._lock:
            pending = list(self._queue)
            self._queue.clear()
        for task in pending:
            task.stop.set()
            task._finish("Stopped")
        for thread_task in self.running():
            thread_task.timed_out = thread_task.timed_out or timed_out
            thread_task.stop.set()

    def running(self) -> list[Task]:
        with self._lock:
            return [t for t in self.tasks if t.state == "Running"]
