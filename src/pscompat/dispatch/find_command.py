"""Find-MgGraphCommand: which cmdlet calls which Graph URI, from the cmdlets YAML itself.

The real cmdlet reads a metadata file shipped with the module; here the same answer comes from
``operations`` of every Mg cmdlet (so it is right by construction for what pscompat runs) and
the permissions of ``cmdlets/_paths.yaml``. Like the real one it knows only the
AutoRest-generated commands: Connect-MgGraph, Get-MgContext, Invoke-MgGraphRequest are "not a
valid Microsoft Graph PowerShell command".
"""

from __future__ import annotations

import re
from typing import Any

from pscompat.errors import ErrorRecord
from pscompat.values import PSObject

NAME = "Find-MgGraphCommand"
TYPE_NAME = "Microsoft.Graph.PowerShell.Authentication.Models.GraphCommand"
_NOUN = re.compile(r"^(?P<verb>[A-Z][a-z]+)-Mg(?P<noun>\w+)$")
_READ_VERBS = {"Get"}


def _entries() -> list[dict[str, Any]]:
    """One entry per (cmdlet, API version, method, URI), with the sets that call it (Variants)."""
    from pscompat.model import data_root
    from pscompat.model.loader import read_yaml
    folder = data_root() / "cmdlets"
    table = (read_yaml(folder / "_paths.yaml") or {}).get("resources") or {}
    entries: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        raw = read_yaml(path) or {}
        if raw.get("handler") or raw.get("dialect", "mg") != "mg" or not raw.get("operations"):
            continue
        name = str(raw["name"])
        m = _NOUN.match(name)
        perms = (table.get(m["noun"]) or {}).get("permissions") or {} if m else {}
        access = "read" if m and m["verb"] in _READ_VERBS else "write"
        output = str((raw.get("output") or {}).get("type") or "")
        short = output.rsplit(".", 1)[-1]
        output_type = ("I" + short) if short.startswith("MicrosoftGraph") else ""
        module = str(raw.get("module") or "").removeprefix("Microsoft.Graph.")
        for set_name, op in (raw.get("operations") or {}).items():
            key = (name, str(op["api_version"]), str(op["method"]).upper(), str(op["path"]))
            entry = entries.setdefault(key, {
                "Command": name, "Module": module, "APIVersion": key[1], "Method": key[2], "URI": key[3],
                "OutputType": output_type, "Permissions": list(perms.get(access) or ()), "Variants": []})
            entry["Variants"].append(set_name)
    return list(entries.values())


def _uri_pattern(uri: str) -> re.Pattern[str]:
    """A URI as typed (`/users/{id}`, a full Graph URL, a real id) -> a pattern over YAML paths."""
    text = re.sub(r"^https?://[^/]+", "", uri.strip()).split("?", 1)[0].rstrip("/")
    text = re.sub(r"^/?(v1\.0|beta)(?=/)", "", text)
    if not text.startswith("/"):
        text = "/" + text
    parts = []
    for segment in text.split("/")[1:]:
        parts.append(r"\{[^}]+\}" if segment.startswith("{") else
                     r"(?:" + re.escape(segment) + r"|\{[^}]+\})")
    return re.compile("^/" + "/".join(parts) + "$", re.IGNORECASE)


def _to_object(entry: dict[str, Any]) -> PSObject:
    permissions = [PSObject([("Name", p), ("IsAdmin", True)],
                            type_names=("Microsoft.Graph.PowerShell.Authentication.Models.GraphPermission",
                                        "System.Object"))
                   for p in entry["Permissions"]]
    return PSObject([("Command", entry["Command"]), ("Module", entry["Module"]), ("APIVersion", entry["APIVersion"]),
                     ("Method", entry["Method"]), ("URI", entry["URI"]), ("OutputType", entry["OutputType"]),
                     ("Permissions", permissions), ("Variants", entry["Variants"])],
                    type_names=(TYPE_NAME, "System.Object"))


def _not_found(text: str) -> ErrorRecord:
    """The module writes these with Write-Error inside its script function."""
    return ErrorRecord(message=text, error_id="Microsoft.PowerShell.Commands.WriteErrorException",
                       category="NotSpecified", command=NAME, fqid_suffix=NAME, terminating=False,
                       exception_type="Microsoft.PowerShell.Commands.WriteErrorException")


def find_mg_graph_command(invocation: Any, host: Any) -> list[Any]:
    """The handler named by cmdlets/Find-MgGraphCommand.yaml."""
    params = invocation.parameters
    version = params.get("ApiVersion")
    entries = [e for e in _entries() if not version or e["APIVersion"].casefold() == str(version).casefold()]
    found: list[Any] = []
    commands = params.get("Command")
    uris = params.get("Uri") or params.get("InputObject")
    if commands:
        for command in commands if isinstance(commands, list) else [commands]:
            try:
                pattern = re.compile(f"^(?:{command})$", re.IGNORECASE)
            except re.error:
                pattern = re.compile(re.escape(str(command)), re.IGNORECASE)
            hits = [e for e in entries if pattern.match(e["Command"])]
            if not hits:
                host.write_error(_not_found(f"'{command}' is not a valid Microsoft Graph PowerShell command. "
                                            "Please check the name and try again."))
            found.extend(_to_object(e) for e in hits)
    for uri in (uris if isinstance(uris, list) else [uris]) if uris else []:
        pattern = _uri_pattern(str(uri))
        method = str(params.get("Method") or "").upper()
        hits = [e for e in entries if pattern.match(e["URI"]) and (not method or e["Method"] == method)]
        if not hits:
            host.write_error(_not_found(f"'{uri}' is not a valid Microsoft Graph URI. Please check the URI and "
                                        "try again."))
        found.extend(_to_object(e) for e in hits)
    return found
