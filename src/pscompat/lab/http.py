"""Transport-neutral request/response objects and Graph's error envelope.

The ASGI adaptor (``app.py``), JSON batching and the CLI all build a :class:`Request` and get a
:class:`Response`; nothing below this module knows about ASGI.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, unquote

JSON_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"
ERROR_TYPE = "application/json"
DIAGNOSTIC = ('{"ServerInfo":{"DataCenter":"pscompat lab","Slice":"E","Ring":"0",'
              '"ScaleUnit":"000","RoleInstance":"lab"}}')

# One encoder for every response (json.dumps with options builds a new one per call).
_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


class Request:
    __slots__ = ("method", "raw_path", "segments", "query", "raw_query", "headers", "body",
                 "scheme", "host", "request_id", "client_request_id", "client", "caller", "wire")

    def __init__(self, method: str, raw_path: str, raw_query: str = "",
                 headers: dict[str, str] | None = None, body: bytes = b"",
                 scheme: str = "https", host: str = "graph.microsoft.com",
                 client: str | None = None) -> None:
        self.method = method.upper()
        self.raw_path = raw_path
        # Split on the raw path, then decode each segment: %2F stays inside its segment and
        # guest UPNs (#EXT#, sent as %23EXT%23) arrive whole.
        self.segments = [unquote(s) if "%" in s else s for s in raw_path.split("/") if s]
        self.raw_query = raw_query
        self.query: dict[str, str] = {}
        if raw_query:
            for k, v in parse_qsl(raw_query, keep_blank_values=True):
                self.query.setdefault(k.lower(), v)
        self.headers = headers or {}
        self.body = body
        self.scheme = scheme
        self.host = host
        self.request_id = ""
        self.client_request_id = ""
        self.client = client
        self.caller: Any = None  # set once a Graph request's token is verified (for the HAR recorder)
        # True for requests that came over HTTP (the ASGI app): those get HTTP's strictness
        # (content types); Python callers of Lab.handle build trusted requests.
        self.wire = False

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name, default)


class Response:
    __slots__ = ("status", "headers", "body", "content", "delay")

    def __init__(self, status: int = 200, body: Any = None, headers: list[tuple[str, str]] | None = None,
                 content: bytes | None = None, content_type: str | None = None) -> None:
        self.status = status
        self.body = body            # JSON-able object, serialised by finish()
        self.content = content      # raw bytes, when there is no JSON body
        self.headers = headers or []
        self.delay = 0.0
        if content_type:
            self.headers.append(("content-type", content_type))

    def finish(self) -> bytes:
        if self.content is None:
            if self.body is None:
                self.content = b""
            else:
                self.content = _ENCODE(self.body).encode()
                if not any(h[0] == "content-type" for h in self.headers):
                    self.headers.append(("content-type", JSON_TYPE))
        return self.content

    def header(self, name: str) -> str | None:
        for k, v in self.headers:
            if k == name:
                return v
        return None


class GraphError(Exception):
    """An error Graph would return: status, code, message; ``repeat`` puts the message in
    innerError too (as the authentication-methods service does)."""

    def __init__(self, status: int, code: str, message: str, repeat: bool = False,
                 headers: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.repeat = repeat
        self.headers = headers or []


def error_response(err: GraphError, date: str, request_id: str, client_request_id: str) -> Response:
    inner: dict[str, Any] = {}
    if err.repeat:
        inner["message"] = err.message
    inner["date"] = date
    inner["request-id"] = request_id
    inner["client-request-id"] = client_request_id
    body = {"error": {"code": err.code, "message": err.message, "innerError": inner}}
    return Response(err.status, body, list(err.headers), content_type=ERROR_TYPE)


# -- the errors of facts/graph-tap.md (and the OData ones around them) -------------------------

def bad_request(message: str, code: str = "BadRequest") -> GraphError:
    return GraphError(400, code, message)


def tap_bad_request(message: str) -> GraphError:
    return GraphError(400, "badRequest", message, repeat=True)


def lifetime_out_of_range(low: int, high: int) -> GraphError:
    return tap_bad_request(f"Invalid LifetimeInMinutes specified. The valid range between {low} and {high}.")


POLICY_DISALLOWS = ("Converged UserCredentialPolicy does not allow creating or updating this "
                    "authentication method. AuthMethodType [TemporaryAccessPass].")


def not_found(ref: str) -> GraphError:
    return GraphError(404, "Request_ResourceNotFound",
                      f"Resource '{ref}' does not exist or one of its queried reference-property "
                      "objects are not present.")


def forbidden() -> GraphError:
    return GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")


def unauthorized(message: str) -> GraphError:
    return GraphError(401, "InvalidAuthenticationToken", message)


def invalid_json() -> GraphError:
    return bad_request("Unable to read JSON request payload. Please ensure Content-Type header is set "
                       "and payload is of valid JSON format.")


def unknown_property(name: str, type_name: str) -> GraphError:
    return bad_request(f"The property '{name}' does not exist on type 'microsoft.graph.{type_name}'. "
                       "Make sure to only use property names that are defined by the type or mark the "
                       "type as open type.")


def wrong_type(edm: str) -> GraphError:
    return bad_request(f"Cannot convert a primitive value to the expected type 'Edm.{edm}'. "
                       "See the inner exception for more details.")
