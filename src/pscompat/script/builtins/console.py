"""Host interaction: Write-Host, Read-Host, Clear-Host, Write-Progress, transcripts, Start-Sleep."""

from __future__ import annotations

import contextlib
import os
import time
from typing import Any

from pscompat.lang.dotnet import ps_string
from pscompat.script.binding import ParamSpec as P
from pscompat.script.builtins.registry import Call, builtin
from pscompat.values import SecureString

_U = "Microsoft.PowerShell.Commands"


@builtin("Write-Host", f"{_U}.WriteHostCommand",
         [P("Object", "object", position=0, pipeline=True, remaining=True), P("NoNewline", "switch"), P("Separator", "object"),
          P("ForegroundColor", "string"), P("BackgroundColor", "string")])
def write_host(call: Call) -> list[Any]:
    values = call.input if call.input is not None else (
        [call.get("Object")] if "Object" in call.params else [])
    sep = ps_string(call.get("Separator", " "))
    parts: list[str] = []
    for v in values:
        parts.extend(ps_string(x) for x in (v if isinstance(v, list) else [v]))
    text = sep.join(parts)
    target = call.interp._redirect_target("information")
    if target is None:
        call.interp.host.write_host(text, newline=not call.switch("NoNewline"))
    else:
        call.interp.emit_stream("information", text)
    return []


@builtin("Start-Sleep", f"{_U}.StartSleepCommand",
         [P("Seconds", "double", position=0), P("Milliseconds", "int", aliases=("ms",)), P("Duration", "object")],
         aliases=("sleep",))
def start_sleep(call: Call) -> list[Any]:
    seconds = float(call.get("Seconds") or 0) + float(call.get("Milliseconds") or 0) / 1000
    scale = call.interp.host.sleep_scale
    env_scale = os.environ.get("PSCOMPAT_SLEEP_SCALE")
    if env_scale:
        with contextlib.suppress(ValueError):
            scale = float(env_scale)
    if seconds > 0 and scale > 0:
        task = getattr(call.interp, "task", None)   # in a -Parallel task or a job: Stop-Job/-TimeoutSeconds wake it
        if task is None:
            time.sleep(seconds * scale)
        elif task.stop.wait(seconds * scale):
            from pscompat.script.parallel import TaskStopped
            raise TaskStopped()
    return []


@builtin("Read-Host", f"{_U}.ReadHostCommand",
         [P("Prompt", "object", position=0), P("AsSecureString", "switch"), P("MaskInput", "switch")])
def read_host(call: Call) -> list[Any]:
    prompt = ps_string(call.get("Prompt")) + ": " if "Prompt" in call.params else ""
    host = call.interp.host
    if call.switch("AsSecureString"):
        text = host.read_secret(prompt)
        host.add_secret(text)
        return [SecureString(text)]
    if call.switch("MaskInput"):
        text = host.read_secret(prompt)
        host.add_secret(text)
        return [text]
    return [host.read_line(prompt)]


@builtin("Write-Progress", f"{_U}.WriteProgressCommand",
         [P("Activity", "string", position=0), P("Status", "string", position=1), P("Id", "int"),
          P("PercentComplete", "int"), P("SecondsRemaining", "int"), P("CurrentOperation", "string"),
          P("ParentId", "int"), P("Completed", "switch"), P("SourceId", "int")])
def write_progress(call: Call) -> list[Any]:
    return []


CLEAR_SCREEN = "\x1b[2J\x1b[3J\x1b[H"   # erase the screen and the scrollback, cursor home (pwsh on Unix)


@builtin("Clear-Host", f"{_U}.ClearHostCommand", [], aliases=("cls", "clear"))
def clear_host(call: Call) -> list[Any]:
    """Clears a terminal as pwsh does on Linux (an ANSI sequence written to the console); writes
    nothing when output is not a terminal, so a captured or piped run gets no escape codes."""
    out = call.interp.host.stdout
    isatty = getattr(out, "isatty", None)
    if callable(isatty) and isatty():
        out.write(CLEAR_SCREEN)
        out.flush()
    return []


@builtin("Start-Transcript", "Microsoft.PowerShell.Commands.StartTranscriptCommand",
         [P("Path", "string", position=0), P("Append", "switch"), P("Force", "switch"), P("NoClobber", "switch"),
          P("IncludeInvocationHeader", "switch"), P("OutputDirectory", "string")])
def start_transcript(call: Call) -> list[Any]:
    path = call.path(call.get("Path") or "PowerShell_transcript.txt")
    with open(path, "a" if call.switch("Append") else "w", encoding="utf-8") as handle:
        handle.write("**********************\nPowerShell transcript start (pscompat: output is not mirrored)\n")
    return [f"Transcript started, output file is {path}"]


@builtin("Stop-Transcript", "Microsoft.PowerShell.Commands.StopTranscriptCommand", [])
def stop_transcript(call: Call) -> list[Any]:
    return ["Transcript stopped."]
