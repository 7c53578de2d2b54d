"""The ASGI application: a thin adaptor from ASGI messages to :meth:`Lab.handle`.

No framework: the routing table is a dozen Graph paths, and a framework import (starlette:
~20-40 ms with its dependencies, measured with ``python -X importtime``) would come out of the
cold-start budget of every in-process cmdlet. Any ASGI server (uvicorn) or client
(httpx.ASGITransport) can drive it.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from pscompat.lab.http import Request

if TYPE_CHECKING:
    from pscompat.lab.core import Lab


_LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")


def host_name(header: str) -> str:
    """``Host`` header -> the bare lower-case name (no port, no IPv6 brackets)."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    if value.count(":") == 1:
        return value.split(":", 1)[0]
    return value


class LabApp:
    """``allowed_hosts``: the names a served lab answers to (None: any, for in-process use).
    A served lab builds links (``@odata.nextLink``, redirects) from the Host header, so an
    unchecked Host would let a page elsewhere (DNS rebinding) or a proxy poison them.
    ``refresh_per_pass``: only for a server whose requests all arrive through its event loop's
    I/O (uvicorn); see :meth:`_refreshed_this_tick`."""

    def __init__(self, lab: Lab, allowed_hosts: frozenset[str] | None = None,
                 refresh_per_pass: bool = False) -> None:
        self.lab = lab
        self.allowed_hosts = None if allowed_hosts is None else \
            frozenset(host_name(h) for h in (*allowed_hosts, *_LOCAL_NAMES))
        self.refresh_per_pass = refresh_per_pass
        self._fresh_loops: set[asyncio.AbstractEventLoop] = set()

    def _refreshed_this_tick(self) -> bool:
        """Pick up other processes' commits once per event-loop pass, not once per request.

        In a server, a request's bytes are read by the loop's I/O phase, which then makes its
        task ready. A request handled before the ``call_soon`` below runs was made ready before
        the refresh, so all of it had been received by then: whatever another process committed
        before the client sent it is already seen. Requests read later queue behind that callback
        and refresh again. Under load this saves a SQLite read transaction (four lock calls) on
        all but one request of each pass. An in-process caller (httpx.ASGITransport) can see a
        response and send again within one pass, so there every request refreshes. False when
        the refresh failed: handle() then retries it and answers the error."""
        if not self.refresh_per_pass:
            return False
        loop = asyncio.get_running_loop()
        if loop in self._fresh_loops:
            return True
        try:
            self.lab.refresh()
        except Exception:
            return False
        self._fresh_loops.add(loop)
        loop.call_soon(self._fresh_loops.discard, loop)
        return True

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if kind != "http":
            return
        chunks = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        # ASGI servers send header names lower-cased; a repeated header keeps its last value.
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        server = scope.get("server")
        host = headers.get("host") or (f"{server[0]}:{server[1]}" if server else "localhost")
        if self.allowed_hosts is not None and host_name(host) not in self.allowed_hosts:
            await _refuse_host(send, host)
            return
        raw_path = scope.get("raw_path")
        path = raw_path.decode("latin-1") if raw_path else quote(scope["path"])
        client = scope.get("client")
        req = Request(scope["method"], path, scope.get("query_string", b"").decode("latin-1"), headers,
                      b"".join(chunks), scope.get("scheme", "http"), host,
                      client[0] if client else None)
        req.wire = True
        resp = self.lab.handle(req, refreshed=self._refreshed_this_tick())
        content = resp.finish()
        if resp.delay:
            await asyncio.sleep(resp.delay)
        out = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in resp.headers]
        out.append((b"content-length", str(len(content)).encode()))
        await send({"type": "http.response.start", "status": resp.status, "headers": out})
        await send({"type": "http.response.body", "body": content})


async def _refuse_host(send: Any, host: str) -> None:
    body = json.dumps({"error": {"code": "BadRequest", "message": (
        f"The host name '{host_name(host)[:100]}' is not served by this lab. Use the address the "
        "instructor gave (lab serve --host/--san).")}}).encode()
    await send({"type": "http.response.start", "status": 400, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
