"""The file system provider's cmdlets: paths, locations, items and content."""

from __future__ import annotations

import datetime as _dt
import glob
import os
import shutil
from typing import Any

from pscompat.errors import ErrorRecord
from pscompat.lang.dotnet import ps_string
from pscompat.script.binding import ParamSpec as P
from pscompat.script.builtins.registry import Call, builtin
from pscompat.script.formatting import cell_text
from pscompat.script.operators import like
from pscompat.values import PSHashtable, PSObject

_U = "Microsoft.PowerShell.Commands"


@builtin("Test-Path", f"{_U}.TestPathCommand",
         [P("Path", "string[]", position=0, mandatory=True, pipeline=True, aliases=("LiteralPath",)),
          P("PathType", "string"), P("IsValid", "switch")])
def test_path(call: Call) -> list[Any]:
    out = []
    for p in call.items("Path"):
        text = ps_string(p)
        if text.lower().startswith("env:"):
            out.append(text[4:] in os.environ)
            continue
        path = call.path(text)
        if call.switch("IsValid"):
            out.append(True)
            continue
        kind = ps_string(call.get("PathType") or "Any").lower()
        if kind == "leaf":
            out.append(os.path.isfile(path))
        elif kind == "container":
            out.append(os.path.isdir(path))
        else:
            import glob
            out.append(os.path.exists(path) or bool(glob.glob(path)))
    return out


@builtin("Join-Path", f"{_U}.JoinPathCommand",
         [P("Path", "string[]", position=0, mandatory=True, pipeline=True), P("ChildPath", "string", position=1),
          P("AdditionalChildPath", "string[]", position=2)])
def join_path(call: Call) -> list[Any]:
    out = []
    extra = call.get("AdditionalChildPath") or []
    for p in call.items("Path"):
        parts = [ps_string(p)] + ([ps_string(call.get("ChildPath"))] if call.has("ChildPath") else []) + \
            [ps_string(x) for x in extra]
        joined = parts[0]
        for part in parts[1:]:
            part = part.replace("\\", "/")
            joined = joined.rstrip("/\\") + "/" + part.lstrip("/\\")
        out.append(joined)
    return out


@builtin("Split-Path", f"{_U}.SplitPathCommand",
         [P("Path", "string[]", position=0, mandatory=True, pipeline=True), P("Leaf", "switch"), P("Parent", "switch"),
          P("Extension", "switch"), P("LeafBase", "switch")])
def split_path(call: Call) -> list[Any]:
    out = []
    for p in call.items("Path"):
        text = ps_string(p).replace("\\", "/")
        if call.switch("Leaf"):
            out.append(os.path.basename(text))
        elif call.switch("LeafBase"):
            out.append(os.path.splitext(os.path.basename(text))[0])
        elif call.switch("Extension"):
            out.append(os.path.splitext(text)[1])
        else:
            out.append(os.path.dirname(text))
    return out


@builtin("Get-Location", f"{_U}.GetLocationCommand", [], aliases=("pwd", "gl"))
def get_location(call: Call) -> list[Any]:
    return [PSObject({"Path": os.getcwd()}, type_names=["System.Management.Automation.PathInfo"])]


@builtin("Set-Location", f"{_U}.SetLocationCommand", [P("Path", "string", position=0, pipeline=True)],
         aliases=("cd", "sl", "chdir"))
def set_location(call: Call) -> list[Any]:
    path = call.path(call.get("Path") or os.path.expanduser("~"))
    if not os.path.isdir(path):
        raise call.error(f"Cannot find path '{path}' because it does not exist.", "PathNotFound", "ObjectNotFound",
                         path, "System.Management.Automation.ItemNotFoundException")
    os.chdir(path)
    return []


def path_not_found(call: Call, path: str) -> ErrorRecord:
    return call.error(f"Cannot find path '{path}' because it does not exist.", "PathNotFound", "ObjectNotFound",
                      path, "System.Management.Automation.ItemNotFoundException")


def _read_lines(path: str) -> list[str]:
    with open(path, "rb") as handle:
        data = handle.read()
    from pscompat.lang.parser import decode_script_bytes
    return decode_script_bytes(data).splitlines()


@builtin("Get-Content", f"{_U}.GetContentCommand",
         [P("Path", "string[]", position=0, pipeline=True, aliases=("FullName",)), P("LiteralPath", "string[]",
                                                                                     aliases=("PSPath",)),
          P("Raw", "switch"), P("TotalCount", "long", aliases=("First", "Head")), P("Tail", "int", aliases=("Last",)),
          P("Encoding", "string"), P("Delimiter", "string"), P("ReadCount", "long")], aliases=("gc", "cat", "type"))
def get_content(call: Call) -> list[Any]:
    out: list[Any] = []
    paths = call.get("Path") or call.get("LiteralPath") or []
    for p in paths if isinstance(paths, list) else [paths]:
        path = call.path(p)
        if not os.path.isfile(path):
            call.write_error(path_not_found(call, os.path.abspath(path)))
            continue
        if call.switch("Raw"):
            with open(path, encoding="utf-8-sig") as handle:
                out.append(handle.read())
            continue
        lines = _read_lines(path)
        if call.has("TotalCount"):
            lines = lines[:int(call.get("TotalCount"))]
        if call.has("Tail"):
            lines = lines[len(lines) - int(call.get("Tail")):] if call.get("Tail") else []
        out.extend(lines)
    return out


def _content_text(values: list[Any], no_newline: bool) -> str:
    parts = [ps_string(v) if not isinstance(v, (PSObject, PSHashtable)) else cell_text(v) for v in values]
    if no_newline:
        return "".join(parts)
    return "".join(p + "\n" for p in parts)


def _write_content(call: Call, mode: str) -> list[Any]:
    values = call.input if call.input is not None else (
        call.get("Value") if isinstance(call.get("Value"), list) else [call.get("Value")])
    for p in call.get("Path") if isinstance(call.get("Path"), list) else [call.get("Path")]:
        path = call.path(p)
        directory = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(directory):
            raise call.error(f"Could not find a part of the path '{os.path.abspath(path)}'.",
                             "GetContentWriterDirectoryNotFoundError", "ObjectNotFound", path,
                             "System.IO.DirectoryNotFoundException")
        with open(path, mode, encoding="utf-8") as handle:
            handle.write(_content_text(values, call.switch("NoNewline")))
    return [call.get("Value")] if call.switch("PassThru") else []


_CONTENT_PARAMS = [P("Path", "string[]", position=0, mandatory=True, aliases=("LiteralPath", "PSPath")),
                   P("Value", "object[]", position=1, pipeline=True), P("NoNewline", "switch"),
                   P("Encoding", "string"), P("Force", "switch"), P("PassThru", "switch")]


@builtin("Set-Content", f"{_U}.SetContentCommand", _CONTENT_PARAMS, aliases=("sc",), should_process=True)
def set_content(call: Call) -> list[Any]:
    return _write_content(call, "w")


@builtin("Add-Content", f"{_U}.AddContentCommand", _CONTENT_PARAMS, aliases=("ac",), should_process=True)
def add_content(call: Call) -> list[Any]:
    return _write_content(call, "a")


@builtin("New-Item", f"{_U}.NewItemCommand",
         [P("Path", "string[]", position=0), P("Name", "string"), P("ItemType", "string", aliases=("Type",)),
          P("Value", "object", pipeline=True), P("Force", "switch")], aliases=("ni",), should_process=True)
def new_item(call: Call) -> list[Any]:
    out = []
    for p in call.get("Path") or ["."]:
        path = call.path(p)
        if call.has("Name"):
            path = os.path.join(path, ps_string(call.get("Name")))
        kind = ps_string(call.get("ItemType") or "File").lower()
        if os.path.exists(path) and not call.switch("Force"):
            call.write_error(call.error(f"An item with the specified name {os.path.abspath(path)} already exists.",
                                        "NewItemIOError", "ResourceExists", path, "System.IO.IOException"))
            continue
        if kind.startswith("dir"):
            os.makedirs(path, exist_ok=True)
        else:
            with open(path, "w", encoding="utf-8") as handle:
                if call.has("Value"):
                    handle.write(ps_string(call.get("Value")))
        out.append(PSObject({"Name": os.path.basename(path), "FullName": os.path.abspath(path)},
                            type_names=["System.IO.DirectoryInfo" if kind.startswith("dir") else "System.IO.FileInfo"]))
    return out


@builtin("Remove-Item", f"{_U}.RemoveItemCommand",
         [P("Path", "string[]", position=0, mandatory=True, pipeline=True, aliases=("LiteralPath",)),
          P("Recurse", "switch"), P("Force", "switch")], aliases=("rm", "del", "ri"), should_process=True)
def remove_item(call: Call) -> list[Any]:
    import shutil
    for p in call.items("Path"):
        path = call.path(p if not isinstance(p, PSObject) else p.get("FullName"))
        if os.path.isdir(path):
            if call.switch("Recurse"):
                shutil.rmtree(path)
            else:
                os.rmdir(path)
        elif os.path.exists(path):
            os.remove(path)
        else:
            call.write_error(path_not_found(call, os.path.abspath(path)))
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
