"""Job objects and the job repository (about_Jobs, about_Thread_Jobs): what ``Start-ThreadJob``,
``Start-Job`` and ``ForEach-Object -Parallel -AsJob`` return and ``Get/Wait/Receive/Stop/Remove-Job``
work on.

A job with a task (a thread job, a child job) keeps what its task writes, in order, until
``Receive-Job`` takes it; a parent job (``Start-Job``'s BackgroundJob, a PSTaskJob) holds child jobs
and its state follows theirs.  Ids come from one counter per process, as PowerShell's do; the
repository (``Get-Job``) is per session (an ``Interpreter``).  Every job runs on threads of this
process, ``Start-Job`` included (see docs/scripts.md for what that changes).
"""

from __future__ import annotations

import copy
import datetime as _dt
import itertools
import threading
import uuid
import weakref
from typing import Any

from pscompat.errors import ErrorRecord
from pscompat.script.parallel import Task
from pscompat.values import PSObject

__all__ = ["Job", "JobRepository", "repository", "FINISHED", "TYPE_NAMES", "JOB_COLUMNS"]

FINISHED = ("Completed", "Failed", "Stopped")
TYPE_NAMES = {"ThreadJob": "ThreadJob.ThreadJob", "BackgroundJob": "System.Management.Automation.PSRemotingJob",
              "PSTaskJob": "System.Management.Automation.PSTasks.PSTaskJob",
              "PSTaskChildJob": "System.Management.Automation.PSTasks.PSTaskChildJob",
              "PSRemotingChildJob": "System.Management.Automation.PSRemotingChildJob"}
JOB_COLUMNS = ["Id", "Name", "PSJobTypeName", "State", "HasMoreData", "Location", "Command"]
_IDS = itertools.count(1)
_ID_LOCK = threading.Lock()


def _next_id() -> int:
    with _ID_LOCK:
        return next(_IDS)


class Job(PSObject):
    """A job; its properties are read live (State changes while the script looks at it)."""

    __slots__ = ("id", "name", "job_type", "command", "location", "children", "task", "events", "state",
                 "reason", "begin", "end", "lock", "serialize", "instance_id", "pool", "__weakref__")

    def __init__(self, job_type: str, command: str, name: str | None = None, location: str = "PowerShell",
                 serialize: bool = False) -> None:
        type_name = TYPE_NAMES.get(job_type, "System.Management.Automation.Job")
        super().__init__((), type_names=[type_name, "System.Management.Automation.Job"])
        self.id = _next_id()
        self.name = name or f"Job{self.id}"
        self.job_type = job_type
        self.command = command
        self.location = location
        self.children: list[Job] = []
        self.task: Task | None = None
        self.events: list[tuple[str, Any]] = []    # ("output", value) / ("error", record) / (stream, text)
        self.state = "NotStarted"
        self.reason: ErrorRecord | None = None
        self.begin: _dt.datetime | None = None
        self.end: _dt.datetime | None = None
        self.lock = threading.Lock()
        self.serialize = serialize
        self.instance_id = str(uuid.uuid4())
        self.pool: Any = None     # a PSTaskJob's TaskPool (AllocatedRunspaceCount)

    # -- what the script sees -------------------------------------------------------------
    def properties(self) -> list[tuple[str, Any]]:
        props: list[tuple[str, Any]] = [
            ("State", self.current_state()), ("HasMoreData", self.has_more_data()), ("StatusMessage", ""),
            ("Location", self.location), ("Command", self.command), ("JobStateInfo", self.state_info()),
            ("InstanceId", self.instance_id), ("Id", self.id), ("Name", self.name), ("ChildJobs", list(self.children)),
            ("PSBeginTime", self.begin_time()), ("PSEndTime", self.end_time()), ("PSJobTypeName", self.job_type),
            ("Output", self._stream("output")), ("Error", self._stream("error")),
            ("Progress", []), ("Verbose", self._stream("verbose")), ("Debug", self._stream("debug")),
            ("Warning", self._stream("warning")), ("Information", self._stream("information"))]
        if self.job_type == "PSTaskJob":
            props.append(("AllocatedRunspaceCount", self.pool.allocated if self.pool is not None else 0))
        return props

    def property_names(self) -> list[str]:
        return [name for name, _ in self.properties()]

    def has(self, name: str) -> bool:
        return name.lower() in {n.lower() for n in self.property_names()}

    def get(self, name: str, default: Any = None) -> Any:
        low = name.lower()
        for key, value in self.properties():
            if key.lower() == low:
                return value
        return default

    def set(self, name: str, value: Any) -> None:
        if name.lower() == "name":
            self.name = str(value)

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:  # type: ignore[override]  # a job is itself, not its current values
        return id(self)

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.job_type} {self.current_state()}>"

    def ps_string(self) -> str:
        return self.type_name

    def begin_time(self) -> _dt.datetime | None:
        times = [t for t in [self.begin, *(c.begin_time() for c in self.children)] if t is not None]
        return min(times) if times else None

    def end_time(self) -> _dt.datetime | None:
        if not self.finished():
            return None
        times = [t for t in [self.end, *(c.end_time() for c in self.children)] if t is not None]
        return max(times) if times else None

    def state_info(self) -> PSObject:
        reason = self.reason_record()
        return PSObject({"State": self.current_state(),
                         "Reason": PSObject({"Message": reason.message}) if reason is not None else None},
                        type_names=["System.Management.Automation.JobStateInfo"])

    def reason_record(self) -> ErrorRecord | None:
        if self.reason is not None:
            return self.reason
        for child in self.children:
            if child.reason_record() is not None:
                return child.reason_record()
        return None

    def _stream(self, kind: str) -> list[Any]:
        with self.lock:
            own = [value for k, value in self.events if k == kind]
        for child in self.children:
            own.extend(child._stream(kind))
        return own

    # -- state ----------------------------------------------------------------------------
    def current_state(self) -> str:
        if not self.children or self.task is not None:
            return self.state
        states = [c.current_state() for c in self.children]
        if any(s in ("Running", "Stopping") for s in states) or \
                (any(s == "NotStarted" for s in states) and any(s != "NotStarted" for s in states)):
            return "Running"
        if all(s == "NotStarted" for s in states):
            return self.state if self.state in FINISHED else "Running" if self.state == "Running" else "NotStarted"
        if any(s == "Failed" for s in states):
            return "Failed"
        if any(s == "Stopped" for s in states):
            return "Stopped"
        return "Completed"

    def finished(self) -> bool:
        return self.current_state() in FINISHED

    def has_more_data(self) -> bool:
        with self.lock:
            if self.events:
                return True
        return any(c.has_more_data() for c in self.children)

    def on_task_state(self, task: Task) -> None:
        """The task's state is the job's; parents are woken through the shared condition."""
        now = _dt.datetime.now()
        if task.state == "Running" and self.begin is None:
            self.begin = now
        if task.state in FINISHED:
            self.end = now
            if task.state == "Failed":
                self.reason = task.reason
        self.state = task.state
        _notify_all()

    def leaves(self) -> list[Job]:
        return [self] if not self.children else [leaf for c in self.children for leaf in c.leaves()]

    def stop(self) -> None:
        for leaf in self.leaves():
            task = leaf.task
            if task is not None and leaf.state not in FINISHED:
                task.stop.set()
                if leaf.state == "NotStarted":
                    task.done.set()
                    leaf.state = "Stopped"
                    leaf.end = _dt.datetime.now()
        _notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        return wait_for([self], any_one=False, timeout=timeout)

    # -- data -----------------------------------------------------------------------------
    def add_event(self, kind: str, value: Any) -> None:
        if self.serialize:
            value = deserialized(value)
        with self.lock:
            self.events.append((kind, value))
        _notify_all()

    def take(self, keep: bool) -> list[tuple[str, Any]]:
        """What the job (and its children, in order) wrote since the last receive."""
        with self.lock:
            taken = list(self.events)
            if not keep:
                self.events.clear()
        for child in self.children:
            taken.extend(child.take(keep))
        return taken


class _SinkForJob:
    """A task's streams into its job's buffer."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def output(self, task: Task, values: list[Any]) -> None:
        for value in values:
            self.job.add_event("output", value)

    def error(self, task: Task, record: ErrorRecord) -> None:
        self.job.add_event("error", record)

    def stream(self, task: Task, name: str, text: str) -> None:
        self.job.add_event(name, text)

    def finished(self, task: Task) -> None:
        _notify_all()


def sink_for(job: Job) -> _SinkForJob:
    return _SinkForJob(job)


def deserialized(value: Any) -> Any:
    """Start-Job's results cross a process boundary in pwsh: a copy, PSObjects typed ``Deserialized.*``."""
    if isinstance(value, ErrorRecord):
        return value
    try:
        value = copy.deepcopy(value)
    except Exception:  # noqa: BLE001 - an object that cannot be copied is passed as is
        return value
    if isinstance(value, PSObject) and not isinstance(value, Job):
        value.type_names = [t if t.startswith("Deserialized.") else f"Deserialized.{t}" for t in value.type_names]
    return value


_CHANGED = threading.Condition()


def _notify_all() -> None:
    with _CHANGED:
        _CHANGED.notify_all()


def wait_for(jobs: list[Job], any_one: bool, timeout: float | None, waiter: Any = None) -> bool:
    """Block until all (or any) of ``jobs`` finished; False when ``timeout`` seconds passed first.

    ``waiter`` is the session waiting: when it is itself a task that is being stopped
    (-TimeoutSeconds, Stop-Job), the wait ends with TaskStopped."""
    import time
    deadline = None if timeout is None or timeout < 0 else time.monotonic() + timeout
    task = getattr(waiter, "task", None)
    with _CHANGED:
        while True:
            if task is not None and task.stop.is_set():
                from pscompat.script.parallel import TaskStopped
                raise TaskStopped()
            done = [j.finished() for j in jobs]
            if (any(done) if any_one else all(done)) or not jobs:
                return True
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                _CHANGED.wait(min(left, 0.5))
            else:
                _CHANGED.wait(0.5)


def wait_change(timeout: float, waiter: Any = None) -> None:
    """Block until any job writes or changes state, or ``timeout`` seconds (Receive-Job -Wait)."""
    task = getattr(waiter, "task", None)
    if task is not None and task.stop.is_set():
        from pscompat.script.parallel import TaskStopped
        raise TaskStopped()
    with _CHANGED:
        _CHANGED.wait(timeout)


class JobRepository:
    """The jobs of one session, in start order (``Get-Job``)."""

    def __init__(self) -> None:
        self.jobs: list[Job] = []
        self.lock = threading.Lock()

    def add(self, job: Job) -> None:
        with self.lock:
            self.jobs.append(job)

    def remove(self, job: Job) -> None:
        with self.lock:
            if job in self.jobs:
                self.jobs.remove(job)

    def all(self) -> list[Job]:
        with self.lock:
            return list(self.jobs)

    def find_id(self, job_id: int) -> Job | None:
        for job in self.all():
            if job.id == job_id:
                return job
            for child in job.children:
                if child.id == job_id:
                    return child
        return None


_REPOSITORIES: weakref.WeakKeyDictionary[Any, JobRepository] = weakref.WeakKeyDictionary()
_REPO_LOCK = threading.Lock()


def repository(interp: Any) -> JobRepository:
    """The job repository of the session ``interp`` runs."""
    with _REPO_LOCK:
        repo = _REPOSITORIES.get(interp)
        if repo is None:
            repo = _REPOSITORIES[interp] = JobRepository()
        return repo
