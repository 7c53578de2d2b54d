"""Recording a served lab's traffic to a HAR file, and replaying a recording as mocks.

``lab serve --record FILE.har`` writes every request and response (HAR 1.2, the format
browsers and Dev Proxy export) when the server stops; ``lab replay FILE.har`` serves the
recorded responses to the same requests, so a client's session can be re-run without a lab
(Dev Proxy's MockResponsePlugin does the same from its own mock file).

Secrets never reach the file: the Authorization header and cookies are replaced, and the
JSON or form fields that carry a pass, a token, a secret or a password are redacted in both
directions. Each entry carries ``_pscompat.caller`` and ``_pscompat.granted`` (the caller's
permissions, from its verified token) for ``lab permissions``. The file is written 0600.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from pscompat.lab.http import Request, Response
from pscompat.redaction import REDACTED, SECRET_FIELDS, redact_json

_DROP_HEADERS = {"cookie", "set-cookie"}


class HarError(ValueError):
    """A file that is not a HAR recording (a user-facing message)."""


def redact_body(data: bytes, content_type: str) -> str:
    """The body as text with secret fields replaced (JSON or form); other bodies kept only when
    they are small text without a secret-looking field name."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return ""
    if "json" in content_type:
        try:
            return json.dumps(redact_json(json.loads(text)), ensure_ascii=False)
        except (ValueError, RecursionError):
            return ""
    if "form" in content_type:
        pairs = parse_qsl(text, keep_blank_values=True)
        return urlencode([(k, REDACTED if k.casefold() in SECRET_FIELDS else v) for k, v in pairs])
    lowered = text.lower()
    return "" if any(f in lowered for f in SECRET_FIELDS) else text[:65536]


def _headers(pairs: list[tuple[str, str]] | dict[str, str]) -> list[dict[str, str]]:
    items = pairs.items() if isinstance(pairs, dict) else pairs
    out = []
    for name, value in items:
        low = name.lower()
        if low in _DROP_HEADERS:
            continue
        if low == "authorization":
            value = value.split(" ", 1)[0] + " " + REDACTED
        out.append({"name": name, "value": value})
    return out


def _iso(seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{int(seconds % 1 * 1000):03d}Z"


class HarRecorder:
    """Collects entries in memory (one dict per request) and writes the file on :meth:`save`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def record(self, req: Request, resp: Response, started: float, seconds: float,
               batch_version: str | None = None) -> None:
        """One entry; ``batch_version``: ``req`` is an inner request of a ``$batch`` sent to that
        version (its entry carries ``_pscompat.batch`` and the versioned URL it stands for)."""
        content = resp.finish()
        req_type = req.header("content-type") or ""
        resp_type = resp.header("content-type") or ""
        path = f"/{batch_version}{req.raw_path}" if batch_version else req.raw_path
        url = f"{req.scheme}://{req.host}{path}" + (f"?{req.raw_query}" if req.raw_query else "")
        caller = getattr(req, "caller", None)
        entry: dict[str, Any] = {
            "startedDateTime": _iso(started),
            "time": round(seconds * 1000, 3),
            "request": {"method": req.method, "url": url, "httpVersion": "HTTP/1.1",
                        "headers": _headers(req.headers), "cookies": [],
                        "queryString": [{"name": k, "value": v} for k, v in parse_qsl(req.raw_query, True)],
                        "headersSize": -1, "bodySize": len(req.body)},
            "response": {"status": resp.status, "statusText": "", "httpVersion": "HTTP/1.1",
                         "headers": _headers(resp.headers), "cookies": [],
                         "content": {"size": len(content), "mimeType": resp_type,
                                     "text": redact_body(content, resp_type)},
                         "redirectURL": resp.header("location") or "", "headersSize": -1, "bodySize": len(content)},
            "cache": {}, "timings": {"send": 0, "wait": round(seconds * 1000, 3), "receive": 0},
        }
        if req.body:
            entry["request"]["postData"] = {"mimeType": req_type, "text": redact_body(req.body, req_type)}
        if caller is not None:
            entry["_pscompat"] = {"caller": caller.upn or caller.app_id, "delegated": caller.delegated,
                                  "granted": sorted(caller.permissions)}
        if batch_version:
            entry.setdefault("_pscompat", {})["batch"] = True
            entry["comment"] = "inner request of a $batch"
        with self._lock:
            self.entries.append(entry)

    def save(self) -> Path:
        with self._lock:
            doc = {"log": {"version": "1.2", "creator": {"name": "pscompat lab", "version": "1"},
                           "entries": list(self.entries)}}
        tmp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=1, ensure_ascii=False)
        os.replace(tmp, self.path)
        return self.path


def load_entries(path: Path) -> list[dict[str, Any]]:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        entries = doc["log"]["entries"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, RecursionError) as exc:
        raise HarError(f"{path} is not a HAR recording ({type(exc).__name__})") from None
    if not isinstance(entries, list):
        raise HarError(f"{path} is not a HAR recording (log.entries is not a list)")
    return entries


def _key(method: str, url: str) -> tuple[str, str]:
    """Method and path+query, scheme and host ignored (the replay runs on another address)."""
    rest = url.split("://", 1)[-1]
    path = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
    return method.upper(), path


class ReplayApp:
    """An ASGI app answering each recorded request with its recorded response, in recorded
    order for repeats (the last one again once they run out); anything else gets 404 with a
    Graph-style error naming the request."""

    def __init__(self, entries: list[dict[str, Any]]) -> None:
        self.responses: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for e in entries:
            req, resp = e.get("request") or {}, e.get("response") or {}
            if isinstance(req.get("url"), str) and isinstance(resp.get("status"), int):
                self.responses.setdefault(_key(str(req.get("method", "GET")), req["url"]), []).append(resp)
        self.served: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    def answer(self, method: str, path: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        key = (method.upper(), path)
        with self._lock:
            options = self.responses.get(key)
            if not options:
                body = json.dumps({"error": {"code": "notRecorded",
                                             "message": f"No recorded response for {method} {path}."}}).encode()
                return 404, [(b"content-type", b"application/json")], body
            n = self.served.get(key, 0)
            self.served[key] = n + 1
            resp = options[min(n, len(options) - 1)]
        text = str((resp.get("content") or {}).get("text") or "").encode("utf-8")
        headers = [(h["name"].encode("latin-1"), str(h["value"]).encode("latin-1"))
                   for h in resp.get("headers") or [] if isinstance(h, dict) and "name" in h and "value" in h
                   and h["name"].lower() not in ("content-length", "transfer-encoding")]
        return int(resp["status"]), headers, text

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        while True:
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body"):
                break
        raw = scope.get("raw_path")
        path = raw.decode("latin-1") if raw else scope["path"]
        query = scope.get("query_string", b"").decode("latin-1")
        status, headers, body = self.answer(scope["method"], path + (f"?{query}" if query else ""))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
