"""Concurrency cmdlets: ``ForEach-Object -Parallel`` (called from ForEach-Object), ``Start-ThreadJob``,
``Start-Job``, ``Get-Job``, ``Wait-Job``, ``Receive-Job``, ``Stop-Job``, ``Remove-Job``.

The engine (runspaces, ``$using:``, the task pool) is ``script/parallel.py``; job objects are
``script/jobs.py``.  Behaviour follows about_Foreach-Parallel, about_Thread_Jobs, about_Jobs and
PowerShell's ForEach-Object.Parallel / Job Pester tests (cited in tests/script/test_parallel.py).
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Any

from pscompat.binder.errors import Target, ambiguous_parameter_set
from pscompat.errors import ErrorRecord
from pscompat.lang.dotnet import ps_string
from pscompat.script.binding import ParamSpec as P
from pscompat.script.binding import validate
from pscompat.script.builtins.registry import Call, builtin
from pscompat.script.scriptblock import ScriptBlockValue

_C = "Microsoft.PowerShell.Commands"
_FOREACH = f"{_C}.ForEachObjectCommand"
_NOT_SUPPORTED_COMMON = ("ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "PipelineVariable")
_SEQUENTIAL_ONLY = ("Process", "Begin", "End", "MemberName", "RemainingScripts", "ArgumentList")
_PARALLEL_ONLY = ("ThrottleLimit", "TimeoutSeconds", "AsJob", "UseNewRunspace")


# ------------------------------------------------------------------ ForEach-Object -Parallel

def check_parameter_set(call: Call) -> None:
    """-Parallel and its companions form their own parameter set (ParallelParameterSet)."""
    parallel = call.has("Parallel")
    if (parallel and any(call.has(p) for p in _SEQUENTIAL_ONLY)) or \
            (not parallel and any(call.has(p) for p in _PARALLEL_ONLY)):
        raise ambiguous_parameter_set(Target(call.name, call.type_name))


def foreach_parallel(call: Call) -> list[Any]:
    from pscompat.script.jobs import Job, repository, sink_for
    from pscompat.script.parallel import Task, TaskPool, capture_using
    if any(name in call.common for name in _NOT_SUPPORTED_COMMON):
        raise call.error("The following common parameters are not currently supported in the Parallel parameter "
                         "set: ErrorAction, WarningAction, InformationAction, PipelineVariable",
                         "ParallelCommonParametersNotSupported", "NotImplemented",
                         exception_type="System.Management.Automation.PSNotSupportedException")
    block = call.get("Parallel")
    if not isinstance(block, ScriptBlockValue):
        raise call.error(f'Cannot convert the "{ps_string(block)}" value of type "{type(block).__name__}" to type '
                         '"System.Management.Automation.ScriptBlock".', "ParameterArgumentTransformationError",
                         "InvalidData")
    throttle = _ranged(call, "ThrottleLimit", 5, 1, 2147483647)
    timeout = _ranged(call, "TimeoutSeconds", 0, 0, 2147483)
    as_job = call.switch("AsJob")
    if as_job and call.has("TimeoutSeconds"):
        raise call.error("The 'TimeoutSeconds' parameter cannot be used with the 'AsJob' parameter.",
                         "ParallelCannotUseTimeoutWithJob", "InvalidOperation",
                         exception_type="System.Management.Automation.PSArgumentException")
    using = capture_using(call.interp, call.ctx.scope, block.block, call.name, call.type_name,
                          refuse_script_blocks=True)
    pool = TaskPool(call.interp, throttle, call.switch("UseNewRunspace"))
    command = block.ps_string()
    if as_job:
        parent = Job("PSTaskJob", command)
        parent.pool = pool
        parent.state = "Running"
        children: list[tuple[Job, Task]] = []
        for item in call.items():
            if _piped_script_block(call, item):
                continue
            child = Job("PSTaskChildJob", command)
            task = Task(block.block, using, sink_for(child), item=item, has_item=True, on_state=child.on_task_state,
                        capture_host=True)
            child.task = task
            children.append((child, task))
            parent.children.append(child)
        for _, task in children:
            pool.add(task)
        if not children:
            parent.state = "Completed"
        repository(call.interp).add(parent)
        return [parent]
    sink = _CallerSink(call)
    tasks: list[Task] = []
    for item in call.items():
        if _piped_script_block(call, item):
            continue
        tasks.append(Task(block.block, using, sink, item=item, has_item=True))
    for task in tasks:
        pool.add(task)
    return sink.drain(tasks, pool, timeout)


def _ranged(call: Call, name: str, default: int, low: int, high: int) -> int:
    if not call.has(name):
        return default
    value = call.get(name)
    try:
        validate(P(name, "int", validators=[("validaterange", [low, high])]), value, call.name)
    except ErrorRecord as record:   # a cmdlet's FQID names its class ([ValidateRange] on the parameter)
        record.fqid_suffix = call.type_name
        raise
    return int(value)


def _piped_script_block(call: Call, item: Any) -> bool:
    if isinstance(item, ScriptBlockValue):
        call.write_error(call.error("A ForEach-Object -Parallel piped input object cannot be a script block. Passed-in "
                                    "script block variables are not supported with ForEach-Object -Parallel, and "
                                    "can result in undefined behavior.", "ParallelPipedInputObjectCannotBeScriptBlock",
                                    "InvalidType", exception_type="System.Management.Automation.PSArgumentException"))
        return True
    return False


class _CallerSink:
    """Tasks' streams back to the ForEach-Object that started them: output and errors in completion
    order through the caller's own streams (its $Error, -ErrorVariable, 2>&1), host text at once."""

    def __init__(self, call: Call) -> None:
        self.call = call
        self.events: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.printer = _printer(call)

    def output(self, task: Any, values: list[Any]) -> None:
        self.events.put(("output", values))

    def error(self, task: Any, record: ErrorRecord) -> None:
        self.events.put(("error", record))

    def stream(self, task: Any, name: str, text: str) -> None:
        if name == "information":
            self.call.interp.emit_stream("information", text)   # Write-Host: shown as the task writes it
        else:
            self.events.put((name, text))

    def finished(self, task: Any) -> None:
        self.events.put(("done", task))

    def drain(self, tasks: list[Any], pool: Any, timeout: int) -> list[Any]:
        out: list[Any] = []
        remaining = len(tasks)
        deadline = time.monotonic() + timeout if timeout else None
        try:
            while remaining:
                wait = 0.25 if deadline is None else max(0.0, min(0.25, deadline - time.monotonic()))
                try:
                    kind, value = self.events.get(timeout=wait)
                except queue.Empty:
                    if deadline is not None and time.monotonic() >= deadline:
                        deadline = None
                        pool.stop_all(timed_out=True)
                    continue
                if kind == "done":
                    remaining -= 1
                else:
                    self._deliver(kind, value, out)
        finally:
            if remaining:
                pool.stop_all()
                for task in tasks:
                    task.done.wait(5.0)
        while not self.events.empty():
            kind, value = self.events.get_nowait()
            if kind != "done":
                self._deliver(kind, value, out)
        return out

    def _deliver(self, kind: str, value: Any, out: list[Any]) -> None:
        if kind == "output":
            (self.printer if self.printer is not None else out).extend(value)
        elif kind == "error":
            self.call.write_error(value)
        else:
            _write_stream(self.call, kind, value)


def _printer(call: Call) -> list[Any] | None:
    """The console's output list when this command ends a top-level pipeline: results printed as
    they arrive, as pwsh does (ForEach-Object -Parallel, Receive-Job -Wait)."""
    tail = call.interp.tail_stream
    if tail is not None and tail[0] is call.ctx.node and not tail[0].redirections and "OutVariable" not in call.common:
        return tail[1]
    return None


def _write_stream(call: Call, kind: str, text: str) -> None:
    ctx = call.ctx
    if kind == "warning":
        ctx.write_warning(text)
    elif kind == "verbose":
        ctx.write_verbose(text)
    elif kind == "debug":
        ctx.write_debug(text)
    else:
        call.interp.emit_stream("information", text)


# ------------------------------------------------------------------ starting jobs

class _Gate:
    """Start-ThreadJob's throttle: at most ``limit`` thread jobs run at once (default 5)."""

    def __init__(self) -> None:
        self.limit = 5
        self.running = 0
        self.cond = threading.Condition()

    def enter(self, stop: threading.Event) -> bool:
        with self.cond:
            while self.running >= self.limit:
                if stop.is_set():
                    return False
                self.cond.wait(0.2)
            self.running += 1
            return True

    def leave(self) -> None:
        with self.cond:
            self.running -= 1
            self.cond.notify_all()


_THREAD_JOBS = _Gate()


def _script_block(call: Call) -> ScriptBlockValue:
    from pscompat.lang.parser import ParseError, decode_script_bytes, parse_script
    block = call.get("ScriptBlock")
    if isinstance(block, ScriptBlockValue):
        return block
    path = call.get("FilePath")
    if path is not None:
        full = call.path(path)
        with open(full, "rb") as handle:
            text = decode_script_bytes(handle.read())
        try:
            return ScriptBlockValue(parse_script(text, full))
        except ParseError as exc:
            raise call.error(exc.message, exc.error_id, "ParserError") from None
    raise call.error(f'Cannot convert the "{ps_string(block)}" value to type "System.Management.Automation.ScriptBlock".',
                     "ParameterArgumentTransformationError", "InvalidData")


def _start(call: Call, job_type: str) -> list[Any]:
    from pscompat.script.jobs import Job, deserialized, repository, sink_for
    from pscompat.script.parallel import Runspace, Task, capture_using
    block = _script_block(call)
    background = job_type == "BackgroundJob"
    using = capture_using(call.interp, call.ctx.scope, block.block, call.name, call.type_name,
                          refuse_script_blocks=False)
    args = list(call.get("ArgumentList") or [])
    if not isinstance(call.get("ArgumentList"), list) and call.has("ArgumentList"):
        args = [call.get("ArgumentList")]
    input_objects = call.items() if (call.input is not None or call.has("InputObject")) else None
    if background:   # a separate process in pwsh: what crosses is a copy
        using = {k: deserialized(v) for k, v in using.items()}
        args = [deserialized(a) for a in args]
        input_objects = [deserialized(v) for v in input_objects] if input_objects is not None else None
    command = block.ps_string()   # ScriptBlock.ToString(): the text inside the braces
    name = ps_string(call.get("Name")) if call.has("Name") else None
    if background:
        job = Job("BackgroundJob", command, name, location="localhost")
        leaf = Job("PSRemotingChildJob", command, None, location="localhost", serialize=True)
        job.children.append(leaf)
        job.state = "Running"
    else:
        job = leaf = Job("ThreadJob", command, name)
        if call.has("ThrottleLimit"):
            _THREAD_JOBS.limit = _ranged(call, "ThrottleLimit", 5, 1, 1000000)
    init = call.get("InitializationScript")
    task = Task(block.block, using, sink_for(leaf), input_objects=input_objects if input_objects is not None else [],
                arguments=args, on_state=leaf.on_task_state, wrap_errors=False, capture_host=True,
                init=init.block if isinstance(init, ScriptBlockValue) else None)
    leaf.task = task
    parent = call.interp

    def run() -> None:
        gated = not background
        if gated and not _THREAD_JOBS.enter(task.stop):
            task.run(Runspace(parent))   # stopped before it started: ends as Stopped
            return
        try:
            task.run(Runspace(parent))
        finally:
            if gated:
                _THREAD_JOBS.leave()

    repository(call.interp).add(job)
    threading.Thread(target=run, name=f"pscompat-job-{job.id}", daemon=True).start()
    return [job]


@builtin("Start-ThreadJob", "ThreadJob.StartThreadJobCommand",
         [P("ScriptBlock", "object", position=0), P("FilePath", "string"), P("InitializationScript", "object"),
          P("InputObject", "object", pipeline=True), P("ArgumentList", "object[]", remaining=False),
          P("Name", "string"), P("ThrottleLimit", "int"), P("StreamingHost", "object")])
def start_thread_job(call: Call) -> list[Any]:
    """A job on a thread of this process (about_Thread_Jobs); -StreamingHost is accepted and ignored."""
    return _start(call, "ThreadJob")


@builtin("Start-Job", f"{_C}.StartJobCommand",
         [P("ScriptBlock", "object", position=0, aliases=("Command",)), P("FilePath", "string"),
          P("InitializationScript", "object"), P("InputObject", "object", pipeline=True),
          P("ArgumentList", "object[]", aliases=("Args",)), P("Name", "string"), P("WorkingDirectory", "string"),
          P("PSVersion", "string"), P("RunAs32", "switch"), P("Credential", "object"),
          P("Authentication", "string")], aliases=("sajb",))
def start_job(call: Call) -> list[Any]:
    """pwsh runs a new process; pscompat a thread with copies in and out (docs/scripts.md)."""
    return _start(call, "BackgroundJob")


# ------------------------------------------------------------------ finding jobs

def _selected(call: Call, *, pipeline: bool = True) -> list[Any]:
    """The jobs a Get/Wait/Receive/Stop/Remove-Job call names (-Job / pipeline, -Id, -Name, -State);
    a missing id or name is an error record each."""
    from pscompat.script.jobs import Job, repository
    repo = repository(call.interp)
    jobs: list[Any] = []
    if pipeline and (call.input is not None or call.has("Job")):
        for item in call.items("Job"):
            if isinstance(item, Job):
                jobs.append(item)
    elif call.has("Id"):
        ids = call.get("Id")
        for job_id in ids if isinstance(ids, list) else [ids]:
            job = repo.find_id(int(job_id))
            if job is None:
                call.write_error(call.error(f"The command cannot find a job with the job ID {job_id}. Verify the "
                                            "value of the Id parameter and then try the command again.",
                                            "JobWithSpecifiedSessionNotFound", "ObjectNotFound", int(job_id),
                                            "System.Management.Automation.PSArgumentException"))
            else:
                jobs.append(job)
    elif call.has("Name"):
        from pscompat.script.operators import like
        names = call.get("Name")
        for name in names if isinstance(names, list) else [names]:
            found = [j for j in repo.all() if like(j.name, ps_string(name))]
            if not found:
                call.write_error(call.error(f"The command cannot find the job because the job name {name} was not "
                                            "found. Verify the value of the Name parameter, and then try the command "
                                            "again.", "JobWithSpecifiedNameNotFound", "ObjectNotFound", name,
                                            "System.Management.Automation.PSArgumentException"))
            jobs.extend(found)
    else:
        jobs = repo.all()
    if call.has("State"):
        wanted = ps_string(call.get("State")).lower()
        jobs = [j for j in jobs if j.current_state().lower() == wanted]
    return jobs


_JOB = P("Job", "object", position=0, pipeline=True)
_ID = P("Id", "int[]")
_NAME = P("Name", "string[]")


@builtin("Get-Job", f"{_C}.GetJobCommand",
         [P("Id", "int[]", position=0), _NAME, P("State", "string"), P("IncludeChildJob", "switch"),
          P("ChildJobState", "string"), P("HasMoreData", "bool"), P("Newest", "int"), P("InstanceId", "string[]")],
         aliases=("gjb",))
def get_job(call: Call) -> list[Any]:
    jobs = _selected(call, pipeline=False)
    if call.switch("IncludeChildJob"):
        jobs = [x for j in jobs for x in [j, *j.children]]
    if call.has("HasMoreData"):
        jobs = [j for j in jobs if j.has_more_data() == bool(call.get("HasMoreData"))]
    if call.has("Newest"):
        jobs = jobs[-int(call.get("Newest")):]
    return jobs


@builtin("Wait-Job", f"{_C}.WaitJobCommand",
         [_JOB, _ID, _NAME, P("State", "string"), P("Any", "switch"), P("Timeout", "int", aliases=("TimeoutSec",)),
          P("Force", "switch")], aliases=("wjb",))
def wait_job(call: Call) -> list[Any]:
    """Returns the jobs once they all (-Any: one) finished; nothing when -Timeout passes first (Job.Tests.ps1)."""
    from pscompat.script.jobs import wait_for
    jobs = _selected(call)
    timeout = call.get("Timeout") if call.has("Timeout") else None
    if not wait_for(jobs, call.switch("Any"), None if timeout is None else float(timeout), call.interp):
        return []
    if call.switch("Any"):
        return [next(j for j in jobs if j.finished())] if jobs else []
    return jobs


@builtin("Receive-Job", f"{_C}.ReceiveJobCommand",
         [_JOB, _ID, _NAME, P("Keep", "switch"), P("Wait", "switch"), P("AutoRemoveJob", "switch"),
          P("NoRecurse", "switch"), P("Force", "switch"), P("WriteEvents", "switch"),
          P("WriteJobInResults", "switch"), P("Location", "string[]")], aliases=("rcjb",))
def receive_job(call: Call) -> list[Any]:
    """The job's results since the last receive (-Keep: leave them); its errors, warnings and verbose
    messages are written again on this command's streams, as pwsh does."""
    from pscompat.script.jobs import repository, wait_change
    for refused, text in ((call.switch("Wait") and call.switch("Keep"),
                           "The Wait and Keep parameters cannot be used together in the same command."),
                          (call.switch("AutoRemoveJob") and not call.switch("Wait"),
                           "The -AutoRemoveJob parameter cannot be used without the -Wait parameter")):
        if refused:   # pwsh's RemotingErrorIdStrings, thrown before any job is read
            raise call.error(text, "InvalidOperation", "InvalidOperation",
                             exception_type="System.Management.Automation.PSInvalidOperationException")
    jobs = _selected(call)
    out: list[Any] = []
    printer = _printer(call) if call.switch("Wait") else None
    target = printer if printer is not None else out
    for job in jobs:
        while call.switch("Wait") and not job.finished():
            _emit(call, job.take(False), target)   # what it wrote so far, then wait for more
            wait_change(0.2, call.interp)
        _emit(call, job.take(call.switch("Keep")), target)
        if call.switch("Wait") and call.switch("AutoRemoveJob"):
            repository(call.interp).remove(job)
    return out


def _emit(call: Call, events: list[tuple[str, Any]], out: list[Any]) -> None:
    out.extend([value for kind, value in events if kind == "output"])   # one extend: one printed block
    for kind, value in events:
        if kind == "error":
            record = value
            record.terminating = False
            call.write_error(record)
        elif kind != "output":
            _write_stream(call, kind, value)


@builtin("Stop-Job", f"{_C}.StopJobCommand",
         [_JOB, _ID, _NAME, P("State", "string"), P("PassThru", "switch")], aliases=("spjb",))
def stop_job(call: Call) -> list[Any]:
    from pscompat.script.jobs import wait_for
    jobs = _selected(call)
    for job in jobs:
        job.stop()
    wait_for(jobs, False, 10.0)
    return jobs if call.switch("PassThru") else []


@builtin("Remove-Job", f"{_C}.RemoveJobCommand",
         [_JOB, _ID, _NAME, P("State", "string"), P("Force", "switch")], aliases=("rjb",))
def remove_job(call: Call) -> list[Any]:
    """A running job stays unless -Force (which stops it first): pwsh's JobObjectNotFinishedCannotBeRemoved."""
    from pscompat.script.jobs import repository, wait_for
    repo = repository(call.interp)
    # .NET's ArgumentException names the parameter the job came from after the message
    parameter = "Job" if call.input is not None or call.has("Job") else "SessionId" if call.has("Id") else \
        "Name" if call.has("Name") else "Job"
    for job in _selected(call):
        if not job.finished():
            if not call.switch("Force"):
                named = f" and the name {job.name}" if parameter == "Name" else ""
                call.write_error(call.error(f"The command cannot remove the job with the job ID {job.id}{named} because "
                                            "the job is not finished. To remove the job, first stop the job, or use "
                                            f"the Force parameter. (Parameter '{parameter}')",
                                            "JobObjectNotFinishedCannotBeRemoved", "InvalidOperation", job,
                                            "System.ArgumentException"))
                continue
            job.stop()
            wait_for([job], False, 10.0)
        repo.remove(job)
    return []
