"""Cmdlets admin scripts use around the main work: file listing, progress, strict mode, random,
SecureString conversion, transcripts, Tee-Object, Get-Member."""

from __future__ import annotations

import datetime as _dt
import glob
import os
import random
import shutil
from typing import Any

from pscompat.lang.dotnet import ps_string, type_name_of
from pscompat.script.binding import ParamSpec as P
from pscompat.script.builtins import Call, builtin
from pscompat.script.operators import like
from pscompat.script.values import SecureString
from pscompat.values import PSObject

_U = "Microsoft.PowerShell.Commands"


@builtin("Set-StrictMode", "Microsoft.PowerShell.Commands.SetStrictModeCommand",
         [P("Version", "string"), P("Off", "switch")])
def set_strict_mode(call: Call) -> list[Any]:
    """Accepted; pscompat keeps PowerShell's non-strict lookups (a deviation listed in docs/scripts.md)."""
    return []


@builtin("Write-Progress", f"{_U}.WriteProgressCommand",
         [P("Activity", "string", position=0), P("Status", "string", position=1), P("Id", "int"),
          P("PercentComplete", "int"), P("SecondsRemaining", "int"), P("CurrentOperation", "string"),
          P("ParentId", "int"), P("Completed", "switch"), P("SourceId", "int")])
def write_progress(call: Call) -> list[Any]:
    return []


@builtin("Clear-Host", f"{_U}.ClearHostCommand", [], aliases=("cls", "clear"))
def clear_host(call: Call) -> list[Any]:
    return []


def _item(path: str) -> PSObject:
    stat = os.stat(path)
    is_dir = os.path.isdir(path)
    props: list[tuple[str, Any]] = [
        ("Name", os.path.basename(path.rstrip("/")) or path), ("FullName", os.path.abspath(path)),
        ("Length", None if is_dir else stat.st_size),
        ("LastWriteTime", _dt.datetime.fromtimestamp(stat.st_mtime).astimezone()),
        ("Extension", "" if is_dir else os.path.splitext(path)[1]),
        ("BaseName", os.path.splitext(os.path.basename(path))[0] if not is_dir else os.path.basename(path)),
        ("PSIsContainer", is_dir), ("DirectoryName", None if is_dir else os.path.dirname(os.path.abspath(path))),
    ]
    return PSObject(props, type_names=["System.IO.DirectoryInfo" if is_dir else "System.IO.FileInfo"])


@builtin("Get-ChildItem", "Microsoft.PowerShell.Commands.GetChildItemCommand",
         [P("Path", "string[]", position=0, pipeline=True, aliases=("LiteralPath",)), P("Filter", "string",
                                                                                      position=1),
          P("Include", "string[]"), P("Exclude", "string[]"), P("Recurse", "switch"), P("File", "switch"),
          P("Directory", "switch"), P("Force", "switch"), P("Name", "switch"), P("Depth", "int")],
         aliases=("gci", "ls", "dir"))
def get_child_item(call: Call) -> list[Any]:
    out: list[Any] = []
    for p in call.get("Path") or ["."]:
        root = call.path(p)
        if any(c in root for c in "*?["):
            paths = sorted(glob.glob(root))
        elif os.path.isdir(root):
            if call.switch("Recurse"):
                paths = []
                for base, dirs, files in os.walk(root):
                    dirs.sort()
                    paths.extend(os.path.join(base, n) for n in sorted(dirs + files))
            else:
                paths = [os.path.join(root, n) for n in sorted(os.listdir(root))]
        elif os.path.exists(root):
            paths = [root]
        else:
            call.write_error(call.error(f"Cannot find path '{os.path.abspath(root)}' because it does not exist.",
                                        "PathNotFound", "ObjectNotFound", root,
                                        "System.Management.Automation.ItemNotFoundException"))
            continue
        for path in paths:
            name = os.path.basename(path)
            if not call.switch("Force") and name.startswith("."):
                continue
            if call.has("Filter") and not like(name, call.get("Filter")):
                continue
            if call.has("Include") and not any(like(name, pat) for pat in call.get("Include")):
                continue
            if call.has("Exclude") and any(like(name, pat) for pat in call.get("Exclude")):
                continue
            if call.switch("File") and not os.path.isfile(path):
                continue
            if call.switch("Directory") and not os.path.isdir(path):
                continue
            out.append(os.path.relpath(path, root) if call.switch("Name") else _item(path))
    return out


@builtin("Get-Item", "Microsoft.PowerShell.Commands.GetItemCommand",
         [P("Path", "string[]", position=0, mandatory=True, pipeline=True, aliases=("LiteralPath",)),
          P("Force", "switch")], aliases=("gi",))
def get_item(call: Call) -> list[Any]:
    out = []
    for p in call.items("Path"):
        path = call.path(p)
        if not os.path.exists(path):
            call.write_error(call.error(f"Cannot find path '{os.path.abspath(path)}' because it does not exist.",
                                        "PathNotFound", "ObjectNotFound", path,
                                        "System.Management.Automation.ItemNotFoundException"))
            continue
        out.append(_item(path))
    return out


def _copy_move(call: Call, move: bool) -> list[Any]:
    destination = call.path(call.get("Destination") or ".")
    for p in call.items("Path"):
        source = call.path(p if not isinstance(p, PSObject) else p.get("FullName"))
        if not os.path.exists(source):
            call.write_error(call.error(f"Cannot find path '{os.path.abspath(source)}' because it does not exist.",
                                        "PathNotFound", "ObjectNotFound", source,
                                        "System.Management.Automation.ItemNotFoundException"))
            continue
        if move:
            shutil.move(source, destination)
        elif os.path.isdir(source):
            shutil.copytree(source, destination if not os.path.isdir(destination) else
                            os.path.join(destination, os.path.basename(source)), dirs_exist_ok=True)
        else:
            shutil.copy2(source, destination)
    return []


_COPY = [P("Path", "string[]", position=0, mandatory=True, pipeline=True, aliases=("LiteralPath",)),
         P("Destination", "string", position=1), P("Force", "switch"), P("Recurse", "switch"), P("PassThru", "switch")]


@builtin("Copy-Item", "Microsoft.PowerShell.Commands.CopyItemCommand", _COPY, aliases=("copy", "cp", "cpi"),
         should_process=True)
def copy_item(call: Call) -> list[Any]:
    return _copy_move(call, False)


@builtin("Move-Item", "Microsoft.PowerShell.Commands.MoveItemCommand", _COPY, aliases=("move", "mv", "mi"),
         should_process=True)
def move_item(call: Call) -> list[Any]:
    return _copy_move(call, True)


@builtin("Get-Random", f"{_U}.GetRandomCommand",
         [P("Maximum", "object", position=0), P("Minimum", "object"), P("InputObject", "object[]", pipeline=True),
          P("Count", "int"), P("SetSeed", "int")])
def get_random(call: Call) -> list[Any]:
    rng = random.Random(call.get("SetSeed")) if call.has("SetSeed") else random.SystemRandom()
    items = call.input if call.input is not None else call.get("InputObject")
    if items is not None:
        count = min(call.get("Count", 1), len(items))
        return rng.sample(list(items), count)
    low = call.get("Minimum", 0)
    high = call.get("Maximum", 2**31 - 1)
    if isinstance(low, float) or isinstance(high, float):
        return [rng.uniform(float(low), float(high))]
    return [rng.randrange(int(low), int(high))]


@builtin("New-Guid", f"{_U}.NewGuidCommand", [])
def new_guid(call: Call) -> list[Any]:
    import uuid
    return [PSObject({"Guid": str(uuid.uuid4())}, type_names=["System.Guid"])]


@builtin("ConvertTo-SecureString", "Microsoft.PowerShell.Commands.ConvertToSecureStringCommand",
         [P("String", "string", position=0, mandatory=True, pipeline=True), P("AsPlainText", "switch"),
          P("Force", "switch"), P("Key", "object"), P("SecureKey", "object")])
def convertto_securestring(call: Call) -> list[Any]:
    text = ps_string(call.get("String"))
    if not call.switch("AsPlainText"):
        raise call.error("ConvertTo-SecureString without -AsPlainText (encrypted standard strings) is not supported "
                         "by pscompat.", "NotSupported", "NotImplemented")
    call.interp.host.add_secret(text)
    return [SecureString(text)]


@builtin("Tee-Object", f"{_U}.TeeObjectCommand",
         [P("FilePath", "string", position=0, aliases=("Path",)), P("Variable", "string"),
          P("InputObject", "object", pipeline=True), P("Append", "switch")], aliases=("tee",))
def tee_object(call: Call) -> list[Any]:
    items = call.items()
    if call.has("Variable"):
        call.interp.set_variable(call.ctx.scope, ps_string(call.get("Variable")), list(items))
    if call.has("FilePath"):
        from pscompat.script.formatting import format_objects
        with open(call.path(call.get("FilePath")), "a" if call.switch("Append") else "w", encoding="utf-8") as handle:
            handle.write(format_objects(items))
    return items


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


@builtin("Get-Member", f"{_U}.GetMemberCommand",
         [P("Name", "string[]", position=0), P("InputObject", "object", pipeline=True), P("MemberType", "string"),
          P("Force", "switch")], aliases=("gm",))
def get_member(call: Call) -> list[Any]:
    out = []
    seen: set[str] = set()
    for item in call.items():
        type_name = type_name_of(item)
        if type_name in seen:
            continue
        seen.add(type_name)
        if isinstance(item, PSObject):
            for name, value in item.properties():
                out.append(PSObject({"Name": name, "MemberType": "NoteProperty",
                                     "Definition": f"{type_name_of(value).rsplit('.', 1)[-1]} {name}={ps_string(value)}"},
                                    type_names=["Microsoft.PowerShell.Commands.MemberDefinition"]))
        else:
            out.append(PSObject({"Name": "ToString", "MemberType": "Method", "Definition": "string ToString()"},
                                type_names=["Microsoft.PowerShell.Commands.MemberDefinition"]))
    return out


@builtin("Invoke-Command", "Microsoft.PowerShell.Commands.InvokeCommandCommand",
         [P("ScriptBlock", "scriptblock", position=0, mandatory=True), P("ArgumentList", "object[]", aliases=("Args",)),
          P("InputObject", "object", pipeline=True), P("ComputerName", "string[]", aliases=("Cn",)),
          P("Session", "object"), P("NoNewScope", "switch")], aliases=("icm",))
def invoke_command(call: Call) -> list[Any]:
    if call.has("ComputerName") or call.has("Session"):
        raise call.error("Invoke-Command on remote computers is not supported by pscompat.", "NotSupported",
                         "NotImplemented")
    from pscompat.script.binding import CommandArgument
    block = call.get("ScriptBlock")
    args = [CommandArgument(None, a) for a in (call.get("ArgumentList") or [])]
    return call.interp.invoke_script_block(block, call.ctx.scope, args=args, input_objects=call.input,
                                           dot=call.switch("NoNewScope"))


@builtin("Add-Member", f"{_U}.AddMemberCommand",
         [P("MemberType", "string", position=0), P("Name", "string", position=1), P("Value", "object", position=2),
          P("SecondValue", "object", position=3), P("InputObject", "object", pipeline=True),
          P("NotePropertyName", "string"), P("NotePropertyValue", "object"), P("NotePropertyMembers", "object"),
          P("PassThru", "switch"), P("Force", "switch"), P("TypeName", "string")])
def add_member(call: Call) -> list[Any]:
    from pscompat.values import PSHashtable
    members: list[tuple[str, Any]] = []
    if call.has("NotePropertyMembers"):
        table = call.get("NotePropertyMembers")
        members = [(ps_string(k), v) for k, v in (table.items() if isinstance(table, PSHashtable) else [])]
    elif call.has("NotePropertyName"):
        members = [(ps_string(call.get("NotePropertyName")), call.get("NotePropertyValue"))]
    elif call.has("Name"):
        members = [(ps_string(call.get("Name")), call.get("Value"))]
    out = []
    for item in call.items():
        if isinstance(item, PSObject):
            for name, value in members:
                if item.has(name) and not call.switch("Force"):
                    call.write_error(call.error(
                        f'Cannot add a member with the name "{name}" because a member with that name already exists. '
                        "To overwrite the member anyway, add the Force parameter to your command.",
                        "MemberAlreadyExists", "InvalidOperation", item))
                    continue
                item.set(name, value)
            if call.has("TypeName"):
                item.type_names.insert(0, ps_string(call.get("TypeName")))
        elif isinstance(item, PSHashtable):
            for name, value in members:
                item[name] = value
        if call.switch("PassThru"):
            out.append(item)
    return out


@builtin("ConvertFrom-SecureString", "Microsoft.PowerShell.Commands.ConvertFromSecureStringCommand",
         [P("SecureString", "object", position=0, mandatory=True, pipeline=True), P("AsPlainText", "switch"),
          P("Key", "object"), P("SecureKey", "object")])
def convertfrom_securestring(call: Call) -> list[Any]:
    value = call.get("SecureString") if call.input is None else call.input[0]
    if not call.switch("AsPlainText"):
        raise call.error("ConvertFrom-SecureString without -AsPlainText (encrypted standard strings) is not "
                         "supported by pscompat.", "NotSupported", "NotImplemented")
    return [value.reveal() if isinstance(value, SecureString) else ps_string(value)]


@builtin("Get-Credential", "Microsoft.PowerShell.Commands.GetCredentialCommand",
         [P("Credential", "object", position=0, aliases=("UserName",)), P("Message", "string"), P("Title", "string")])
def get_credential(call: Call) -> list[Any]:
    from pscompat.script.values import make_credential
    existing = call.get("Credential")
    if isinstance(existing, PSObject):
        return [existing]
    host = call.interp.host
    if call.has("Message"):
        host.write_host(ps_string(call.get("Message")))
    user = ps_string(existing) if existing is not None else host.read_line("User: ")
    password = host.read_secret(f"Password for user {user}: ")
    host.add_secret(password)
    return [make_credential(user, SecureString(password))]
