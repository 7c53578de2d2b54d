"""Graph error responses -> ErrorRecords, as each module reports them.

- Mg (AutoRest ``RestException``): the command is the internal cmdlet
  (``New-Mg..._CreateExpanded``), the message is Graph's ``error.message``, and the lines below
  it are ``Status: 400 (BadRequest)``, ``ErrorCode: ...``, ``Date: ...``, a blank line and the
  response headers padded to 30 columns (content headers such as Content-Type are not response
  headers in .NET, so they are not listed; ``Authorization`` never appears). FQID:
  ``<code>,Microsoft.Graph.PowerShell.Cmdlets.<InternalCmdletWithoutDashes>``.
- PnP: ``Exception while invoking endpoint <url>.`` with error id ``EXCEPTION`` and category
  WriteError, terminating (``ThrowTerminatingError``) whatever the ErrorAction.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pscompat.errors import ErrorRecord

if TYPE_CHECKING:  # transport imports httpx/kiota; request building must not pay for that
    from .transport import WireExchange

# .NET HttpStatusCode names (the -Debug dump and the error block print them).
STATUS_NAMES = {
    200: "OK", 201: "Created", 202: "Accepted", 204: "NoContent", 301: "Moved", 302: "Redirect",
    304: "NotModified", 307: "TemporaryRedirect", 308: "PermanentRedirect", 400: "BadRequest", 401: "Unauthorized", 402: "PaymentRequired", 403: "Forbidden", 404: "NotFound",
    405: "MethodNotAllowed", 406: "NotAcceptable", 408: "RequestTimeout", 409: "Conflict", 410: "Gone",
    411: "LengthRequired", 412: "PreconditionFailed", 413: "RequestEntityTooLarge", 415: "UnsupportedMediaType",
    422: "UnprocessableEntity", 423: "Locked", 424: "FailedDependency", 429: "TooManyRequests",
    500: "InternalServerError", 501: "NotImplemented", 502: "BadGateway", 503: "ServiceUnavailable",
    504: "GatewayTimeout", 507: "InsufficientStorage", 509: "509",
}

# Headers .NET keeps on HttpContent, not on HttpResponseMessage.Headers.
_CONTENT_HEADERS = frozenset({"content-type", "content-length", "content-encoding", "content-language",
                              "content-location", "content-md5", "content-range", "content-disposition",
                              "expires", "last-modified", "allow"})
_NEVER_SHOWN = frozenset({"authorization", "proxy-authorization", "set-cookie"})

MG_CMDLET_NAMESPACE = "Microsoft.Graph.PowerShell.Cmdlets."


def mg_internal_type_name(internal_cmdlet: str) -> str:
    """``New-MgX_CreateExpanded`` -> ``Microsoft.Graph.PowerShell.Cmdlets.NewMgX_CreateExpanded``."""
    return MG_CMDLET_NAMESPACE + internal_cmdlet.replace("-", "")


def graph_error_fields(body: bytes) -> tuple[str, str, str]:
    """(code, message, innerError.date) from Graph's OData error envelope, tolerant of junk."""
    try:
        payload = json.loads(body.decode("utf-8")) if body else {}
    except (ValueError, UnicodeDecodeError):
        payload = {}
    error = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(error, dict):
        return "", "", ""
    inner = error.get("innerError") or error.get("innererror") or {}
    date = inner.get("date", "") if isinstance(inner, dict) else ""
    return str(error.get("code") or ""), str(error.get("message") or ""), str(date or "")


def response_header_block(headers: list[tuple[str, str]]) -> str:
    lines = []
    for name, value in headers:
        folded = name.casefold()
        if folded in _CONTENT_HEADERS or folded in _NEVER_SHOWN:
            continue
        lines.append(f"{name:<30}: {value}")
    return "\n".join(lines)


def mg_error(exchange: WireExchange, internal_cmdlet: str, target: Any = None) -> ErrorRecord:
    code, message, date = graph_error_fields(exchange.response_body)
    status_name = STATUS_NAMES.get(exchange.status, str(exchange.status))
    if not message:
        message = exchange.reason or status_name
    extra = (f"\nStatus: {exchange.status} ({status_name})\nErrorCode: {code}\nDate: {date}\n\n"
             f"Headers:\n{response_header_block(exchange.response_headers)}")
    return ErrorRecord(
        message=message, error_id=code or status_name, category="InvalidOperation", command=internal_cmdlet,
        fqid_suffix=mg_internal_type_name(internal_cmdlet), target=target, terminating=False,
        exception_type="System.Exception", extra_text=extra,
        details={"status": exchange.status, "code": code, "date": date})


def pnp_error(endpoint: str, type_name: str, command: str, status: int | None = None,
              inner: str = "") -> ErrorRecord:
    return ErrorRecord(
        message=f"Exception while invoking endpoint {endpoint}.", error_id="EXCEPTION", category="WriteError",
        command=command, fqid_suffix=type_name, terminating=True, exception_type="System.Exception",
        details={"status": status, "inner": inner})


def transport_error(exc: Exception, command: str, fqid_suffix: str, dialect: str) -> ErrorRecord:
    """A request that never got an HTTP answer (connection refused, TLS, timeout)."""
    message = str(exc) or type(exc).__name__
    return ErrorRecord(message=message, error_id="" if dialect == "mg" else "EXCEPTION",
                       category="ConnectionError" if dialect == "mg" else "WriteError",
                       command=command, fqid_suffix=fqid_suffix, terminating=dialect != "mg",
                       exception_type="System.Net.Http.HttpRequestException")
