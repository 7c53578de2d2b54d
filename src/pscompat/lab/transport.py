"""In-process httpx transport: requests go straight into :meth:`Lab.handle`, no socket.

Leaner than ``httpx.ASGITransport`` (no ASGI message passing, no task per request) and usable
from sync clients too. msgraph-sdk: ``httpx.AsyncClient(transport=asgi_transport(lab))``.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

import httpx

from pscompat.lab.http import Request

if TYPE_CHECKING:
    from pscompat.lab.core import Lab


class LabTransport(httpx.AsyncBaseTransport, httpx.BaseTransport):
    def __init__(self, lab: Lab) -> None:
        self.lab = lab

    def _call(self, request: httpx.Request, body: bytes) -> tuple[httpx.Response, float]:
        url = request.url
        path, _, query = url.raw_path.decode("ascii").partition("?")
        headers = {k.lower(): v for k, v in request.headers.items()}
        req = Request(request.method, path, query, headers, body, url.scheme,
                      headers.get("host") or url.netloc.decode("ascii"), "127.0.0.1")
        resp = self.lab.handle(req)
        content = resp.finish()
        return httpx.Response(resp.status, headers=resp.headers, content=content), resp.delay

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response, delay = self._call(request, await request.aread())
        if delay:
            await asyncio.sleep(delay)
        return response

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response, delay = self._call(request, request.read())
        if delay:
            time.sleep(delay)
        return response


def asgi_transport(lab: Lab) -> LabTransport:
    """An httpx transport (async and sync) bound to ``lab``."""
    return LabTransport(lab)
