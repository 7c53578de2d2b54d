"""Invoke-MgGraphRequest: any Graph URL through the current connection (the lab or Graph).

Not AutoRest-generated, so it is a handler (``cmdlets/Invoke-MgGraphRequest.yaml``), but it
sends through the same msgraph-sdk pipeline (kiota RequestInformation, msgraph-core middleware,
the connection's authentication provider) as every generated cmdlet. A relative -Uri is
resolved against the connection's Graph endpoint, and an absolute Graph URL is sent to the
connection's endpoint too, so a script written for graph.microsoft.com runs against the lab.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from pscompat.errors import ErrorRecord
from pscompat.values import PSHashtable, PSObject

NAME = "Invoke-MgGraphRequest"
TYPE_NAME = "Microsoft.Graph.PowerShell.Authentication.Cmdlets.InvokeMgGraphRequest"
_VERSIONS = ("v1.0", "beta")


def _error(message: str, error_id: str, category: str = "InvalidOperation",
           exception: str = "System.Exception") -> ErrorRecord:
    return ErrorRecord(message=message, error_id=error_id, category=category, command=NAME,
                       fqid_suffix=TYPE_NAME, terminating=True, exception_type=exception)


def resolve_url(uri: str, base_url: str) -> str:
    """The URL to send: relative -> the endpoint + (v1.0 unless the path names a version);
    absolute on a Graph host -> the same path on the connection's endpoint (the lab)."""
    import httpx
    text = str(uri).strip()
    parsed = httpx.URL(text)
    base = base_url.rstrip("/")
    if parsed.is_absolute_url:
        from .transport import is_graph_host
        if not is_graph_host(text):
            return text
        path = parsed.raw_path.decode("ascii")
        return base + path
    path = text.lstrip("/")
    if path.split("/", 1)[0].casefold() not in _VERSIONS:
        path = "v1.0/" + path
    return f"{base}/{path}"


def _plain(value: Any) -> Any:
    """PowerShell values -> JSON-able Python (hashtables and objects as dicts)."""
    if isinstance(value, PSHashtable | dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, PSObject):
        return {k: _plain(v) for k, v in value.properties()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def body_bytes(body: Any) -> bytes | None:
    """-Body: a string goes as written; a hashtable/object/array is serialized as JSON."""
    if body is None:
        return None
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    return json.dumps(_plain(body), separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _hashtables(value: Any) -> Any:
    if isinstance(value, dict):
        return PSHashtable((k, _hashtables(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_hashtables(v) for v in value]
    return value


def _psobjects(value: Any) -> Any:
    if isinstance(value, dict):
        return PSObject([(k, _psobjects(v)) for k, v in value.items()],
                        type_names=("System.Management.Automation.PSCustomObject", "System.Object"))
    if isinstance(value, list):
        return [_psobjects(v) for v in value]
    return value


def _response_message(exchange: Any) -> PSObject:
    """A stand-in for System.Net.Http.HttpResponseMessage (the properties scripts read)."""
    headers = PSHashtable((k, [v]) for k, v in exchange.response_headers)
    content = PSObject([("Headers", headers),
                        ("String", exchange.response_body.decode("utf-8", "replace"))],
                       type_names=("System.Net.Http.HttpContent", "System.Object"))
    return PSObject([("Version", "1.1"), ("Content", content), ("StatusCode", exchange.status),
                     ("ReasonPhrase", exchange.reason), ("Headers", headers),
                     ("IsSuccessStatusCode", 200 <= exchange.status < 300)],
                    type_names=("System.Net.Http.HttpResponseMessage", "System.Object"))


def _http_error(exchange: Any) -> ErrorRecord:
    body = exchange.response_body.decode("utf-8", "replace")
    message = f"{exchange.method} {exchange.url}\nHTTP/1.1 {exchange.status} {exchange.reason}\n"
    message += "".join(f"{k}: {v}\n" for k, v in exchange.response_headers
                       if k.casefold() not in {"authorization", "set-cookie"})
    message += "\n" + body
    return _error(message, "InvokeGraphHttpResponseException")


def invoke_mg_graph_request(invocation: Any, host: Any, connection: Any = None) -> list[Any]:
    """The handler named by cmdlets/Invoke-MgGraphRequest.yaml (``connection``: the caller's, if any)."""
    params = dict(invocation.parameters)
    for unsupported in ("InputFilePath", "SessionVariable", "GraphRequestSession", "InferOutputFileName"):
        if params.get(unsupported) not in (None, False):
            raise _error(f"pscompat does not implement -{unsupported} of {NAME}.", "ParameterNotSupported",
                         "NotImplemented", "System.NotSupportedException")
    if connection is None:
        from pscompat.connect import resolve_connection
        connection = resolve_connection("mg", command=NAME, type_name=TYPE_NAME,
                                        notice=lambda text: host.err.write(text + "\n"))
    method = str(params.get("Method") or "GET").upper()
    url = resolve_url(str(params["Uri"]), connection.graph_base_url)
    content = body_bytes(params.get("Body"))
    headers: list[tuple[str, str]] = [("Accept", "application/json")]
    user_headers = {str(k): str(v) for k, v in dict(params.get("Headers") or {}).items()}
    if content is not None:
        headers.append(("Content-Type", str(params.get("ContentType") or "application/json")))
    if params.get("UserAgent"):
        user_headers["User-Agent"] = str(params["UserAgent"])
    exchange = _send(connection, method, url, headers, user_headers, content, host)
    if params.get("StatusCodeVariable"):
        host.set_variable(str(params["StatusCodeVariable"]), exchange.status)
    if params.get("ResponseHeadersVariable"):
        host.set_variable(str(params["ResponseHeadersVariable"]),
                          PSHashtable((k, [v]) for k, v in exchange.response_headers))
    if exchange.status >= 400 and not params.get("SkipHttpErrorCheck"):
        raise _http_error(exchange)
    output_type = str(params.get("OutputType") or "HashTable")
    if params.get("OutputFilePath"):
        _write_file(str(params["OutputFilePath"]), exchange.response_body)
        return [_response_message(exchange)] if params.get("PassThru") else []
    if output_type == "HttpResponseMessage":
        return [_response_message(exchange)]
    text = exchange.response_body.decode("utf-8", "replace")
    if output_type == "Json":
        return [text] if text else []
    if not text:
        return []
    try:
        payload = json.loads(text)
    except ValueError:
        return [text]           # not JSON (a $value download, $metadata): the text itself
    return [_psobjects(payload) if output_type == "PSObject" else _hashtables(payload)]


def _write_file(path: str, data: bytes) -> None:
    target = Path(path).expanduser()
    try:
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
    except OSError as exc:
        raise _error(f"Could not find a part of the path '{target}'." if not target.parent.exists()
                     else str(exc), "InvokeGraphRequestException", "WriteError",
                     "System.IO.DirectoryNotFoundException") from None


def _send(connection: Any, method: str, url: str, headers: list[tuple[str, str]],
          extra: dict[str, str], content: bytes | None, host: Any = None) -> Any:
    from . import transport as tp

    async def main() -> Any:
        transport = connection.http_transport()
        graph_host = transport is None and tp.is_graph_host(connection.graph_base_url)
        from .tlscache import shared_verify
        client = tp.make_client(transport, shared_verify(connection.verify) if transport is None else connection.verify,
                                tp.SendOptions.from_env(on_wait=tp.warn_on_wait(host)), graph_host)
        try:
            info = tp.build_request_information(method, "{+baseurl}", {"baseurl": ""}, {}, headers, content)
            info.url = url
            return await tp.send(info, connection.authentication_provider(), client, extra)
        finally:
            await client.aclose()

    try:
        return asyncio.run(main())
    except ErrorRecord:
        raise
    except Exception as exc:
        if type(exc).__module__.startswith(("httpx", "httpcore", "ssl", "azure", "kiota", "socket")) \
                or isinstance(exc, OSError):
            from .graph_errors import transport_error
            record = transport_error(exc, NAME, TYPE_NAME, "mg")
            record.terminating = True
            raise record from None
        raise
