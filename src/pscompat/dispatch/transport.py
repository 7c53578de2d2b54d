"""Send one Graph request through msgraph-core's client factory and kiota's middleware.

The request is a kiota ``RequestInformation`` (URL template + path/query parameters, headers,
body bytes we serialized ourselves). The connection's kiota ``AuthenticationProvider`` signs it;
the httpx client is built by ``GraphClientFactory.create_with_custom_middleware`` with kiota's
redirect, retry, parameter-decoding, URL-replace, user-agent and headers-inspection handlers,
msgraph-core's telemetry handler (Graph hosts only: it does nothing for other hosts and its
import costs ~25 ms of a cold start), and our ``DumpHandler`` last, so ``-Debug`` shows every
attempt as it went on the wire.

Retries (``SafeRetryHandler``): kiota retries 429/503/504 for every method. A POST that got a
504 (or a 503 without ``Retry-After``) may have been processed, and a retried create would
make a second pass (and delete the first), so a POST is retried only on 429, or 503 with
``Retry-After`` — both mean "not processed". The count, the base delay and the time limit are
the session's request context (``Set-MgRequestContext``; ``request_context.py``); the
environment's ``PSCOMPAT_RETRY_BUDGET`` (seconds) caps the total wait as well. Past either, the
last response is returned and shown as the Graph error. Each wait is announced by one WARNING
line (the real module waits silently: a listed deviation). A lab that runs its quota in
virtual time marks its 429s with ``x-pscompat-virtual-time``: it has already advanced its clock
by the wait, so the client does not sleep (honoured only for hosts that are not Graph's).
"""

from __future__ import annotations

import math
import os
import uuid
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from . import _fastimport

_fastimport.prepare()

import httpx  # noqa: E402
from kiota_abstractions.method import Method  # noqa: E402
from kiota_abstractions.request_information import RequestInformation  # noqa: E402
from kiota_http.middleware import (  # noqa: E402
    BaseMiddleware,
    HeadersInspectionHandler,
    ParametersNameDecodingHandler,
    RedirectHandler,
    RetryHandler,
    UrlReplaceHandler,
    UserAgentHandler,
)
from kiota_http.middleware.middleware import REQUEST_OPTIONS_KEY  # noqa: E402
from kiota_http.middleware.options import RetryHandlerOption  # noqa: E402
from msgraph_core.graph_client_factory import GraphClientFactory  # noqa: E402

GRAPH_HOSTS = frozenset({"graph.microsoft.com", "graph.microsoft.us", "dod-graph.microsoft.us",
                         "microsoftgraph.chinacloudapi.cn"})
_IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


class WireExchange(NamedTuple):
    """What went on the wire and what came back (the last attempt)."""

    method: str
    url: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    status: int
    reason: str
    response_headers: list[tuple[str, str]]
    response_body: bytes
    attempts: int = 1


VIRTUAL_TIME_HEADER = "x-pscompat-virtual-time"


class SendOptions:
    """How to build the client: proxy (-Proxy, -ProxyCredential), -Debug dumper, retry bounds,
    the HTTP timeout, and ``on_wait(status, seconds, attempt, max_retries, virtual)`` called
    before each retry's wait (the WARNING line)."""

    __slots__ = ("proxy", "proxy_auth", "dump", "max_retries", "retry_budget", "retry_delay",
                 "client_timeout", "on_wait")

    def __init__(self, proxy: str | None = None, proxy_auth: tuple[str, str] | None = None,
                 dump: Callable[[str, Any, bytes], None] | None = None, max_retries: int = 3,
                 retry_budget: float = math.inf, retry_delay: float = 3.0, client_timeout: float = 100.0,
                 on_wait: Callable[[int, float, int, int, bool], None] | None = None) -> None:
        self.proxy, self.proxy_auth, self.dump = proxy, proxy_auth, dump
        self.max_retries, self.retry_budget, self.retry_delay = max_retries, retry_budget, retry_delay
        self.client_timeout, self.on_wait = client_timeout, on_wait

    @classmethod
    def from_env(cls, **kwargs: Any) -> SendOptions:
        """The session's request context, then ``PSCOMPAT_RETRY_BUDGET`` as a cap on the waits."""
        from .request_context import current
        ctx = current()
        opts = cls(**kwargs)
        opts.max_retries, opts.retry_delay = ctx.max_retry, float(ctx.retry_delay)
        opts.client_timeout = float(ctx.client_timeout) if ctx.client_timeout > 0 else 100.0
        opts.retry_budget = float(ctx.retries_time_limit) if ctx.retries_time_limit > 0 else math.inf
        try:
            env_budget = os.environ.get("PSCOMPAT_RETRY_BUDGET")
            if env_budget is not None:
                opts.retry_budget = min(opts.retry_budget, float(env_budget))
        except ValueError:
            pass
        return opts


class SafeRetryHandler(RetryHandler):
    """kiota's RetryHandler with a never-duplicate rule for POST, a shared time budget, a
    callback before each wait, and no real sleep for a lab's virtual-time 429."""

    def __init__(self, options: RetryHandlerOption, budget: float,
                 on_wait: Callable[[int, float, int, int, bool], None] | None = None,
                 honour_virtual_time: bool = False) -> None:
        super().__init__(options)
        self.budget = budget
        self.spent = 0.0
        self.on_wait = on_wait
        self.honour_virtual_time = honour_virtual_time
        self._valid = False
        self._delay = 0.0
        self._count = 0
        self._virtual = False

    def check_retry_valid(self, retry_count: int, options: RetryHandlerOption) -> bool:
        self._valid = super().check_retry_valid(retry_count, options)
        return self._valid

    def get_delay_time(self, retry_count: int, response: httpx.Response | None = None,
                       delay: float = RetryHandlerOption.DEFAULT_DELAY) -> float:
        self._count = retry_count
        self._delay = super().get_delay_time(retry_count, response, delay)
        self._virtual = bool(self.honour_virtual_time and response is not None
                             and response.headers.get(VIRTUAL_TIME_HEADER))
        if self.spent + self._delay > self.budget:
            return RetryHandlerOption.MAX_DELAY  # out of budget: the handler stops retrying
        return 0.0 if self._virtual else self._delay

    def should_retry(self, request: httpx.Request, options: RetryHandlerOption,
                     response: httpx.Response) -> bool:
        if not super().should_retry(request, options, response):
            return False
        if request.method.upper() not in _IDEMPOTENT:
            not_processed = response.status_code == 429 or (
                response.status_code == 503 and "retry-after" in response.headers)
            if not not_processed:
                return False
        if self._valid and self.spent + self._delay <= self.budget and self._delay < RetryHandlerOption.MAX_DELAY:
            self.spent += self._delay
            if self.on_wait is not None:
                self.on_wait(response.status_code, self._delay, self._count + 1, options.max_retry, self._virtual)
            return True
        return False


_STATUS = {429: "TooManyRequests", 503: "ServiceUnavailable", 504: "GatewayTimeout"}


def wait_notice(status: int, seconds: float, attempt: int, max_retries: int, virtual: bool) -> str:
    """The WARNING line shown while a retry waits (never the request, its body or a token)."""
    amount = f"{seconds:.0f}" if float(seconds).is_integer() else f"{seconds:.1f}"
    what = "throttled the request" if status == 429 else "could not serve the request"
    head = f"Graph {what} ({status} {_STATUS.get(status, '')}".rstrip() + ")"
    if virtual:
        return (f"{head}; the lab's clock moved {amount} s ahead (virtual time), "
                f"retrying now (retry {attempt} of {max_retries}).")
    return f"{head}; retrying in {amount} s (retry {attempt} of {max_retries})."


def warn_on_wait(host: Any) -> Callable[[int, float, int, int, bool], None] | None:
    """``SendOptions.on_wait`` writing :func:`wait_notice` to the host's warning stream."""
    write = getattr(host, "write_warning", None)
    if write is None:
        return None

    def on_wait(status: int, seconds: float, attempt: int, max_retries: int, virtual: bool) -> None:
        write(wait_notice(status, seconds, attempt, max_retries, virtual))
    return on_wait


class DumpHandler(BaseMiddleware):
    """Last in the pipeline: hands each attempt's request and response to ``-Debug``."""

    def __init__(self, dump: Callable[[str, Any, bytes], None]) -> None:
        super().__init__()
        self.dump = dump

    async def send(self, request: httpx.Request, transport: httpx.AsyncBaseTransport) -> httpx.Response:
        self.dump("request", request, request.content)
        response = await super().send(request, transport)
        body = await response.aread()
        self.dump("response", response, body)
        return response


def build_request_information(method: str, url_template: str, path_parameters: dict[str, Any],
                              query_parameters: dict[str, Any], headers: list[tuple[str, str]],
                              content: bytes | None) -> RequestInformation:
    info = RequestInformation(Method(method), url_template, path_parameters)
    info.query_parameters = dict(query_parameters)
    for name, value in headers:
        info.headers.try_add(name, value)
    if content is not None:
        info.content = content
    return info


def _middleware(options: SendOptions, graph_host: bool) -> list[Any]:
    retry_opt = RetryHandlerOption(max_retries=options.max_retries, delay=options.retry_delay)
    retry = SafeRetryHandler(retry_opt, options.retry_budget, options.on_wait, honour_virtual_time=not graph_host)
    chain: list[Any] = [RedirectHandler(), retry,
                        ParametersNameDecodingHandler(), UrlReplaceHandler(), UserAgentHandler(),
                        HeadersInspectionHandler()]
    if graph_host:
        from msgraph_core.middleware.telemetry import GraphTelemetryHandler
        chain.append(GraphTelemetryHandler())
    if options.dump is not None:
        chain.append(DumpHandler(options.dump))
    return chain


def make_client(base_transport: httpx.AsyncBaseTransport | None, verify: Any, options: SendOptions,
                graph_host: bool) -> httpx.AsyncClient:
    proxy: Any = None
    if options.proxy:
        proxy = httpx.Proxy(options.proxy, auth=options.proxy_auth) if options.proxy_auth else options.proxy
    if isinstance(verify, str):  # a CA bundle (a lab served over HTTPS with its own certificate)
        import ssl
        verify = ssl.create_default_context(cafile=verify)
    client = httpx.AsyncClient(transport=base_transport, verify=verify, proxy=proxy,
                               timeout=httpx.Timeout(options.client_timeout), follow_redirects=False,
                               trust_env=base_transport is None)
    return GraphClientFactory.create_with_custom_middleware(
        middleware=_middleware(options, graph_host), client=client)


async def send(info: RequestInformation, auth_provider: Any, client: httpx.AsyncClient,
               extra_headers: Mapping[str, str]) -> WireExchange:
    """Authenticate, send through the middleware pipeline, read the whole response."""
    if auth_provider is not None:
        await auth_provider.authenticate_request(info)
    headers = dict(info.request_headers or {})
    headers.setdefault("client-request-id", str(uuid.uuid4()))
    for name, value in extra_headers.items():
        headers[name] = value
    method = info.http_method.value if info.http_method else "GET"
    request = client.build_request(method=method, url=info.url, headers=headers,
                                   content=info.content,
                                   extensions={REQUEST_OPTIONS_KEY: dict(info.request_options)})
    response = await client.send(request)
    try:
        body = await response.aread()
    finally:
        await response.aclose()
    sent = response.request
    return WireExchange(
        method=sent.method, url=str(sent.url),
        request_headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in sent.headers.raw],
        request_body=sent.content, status=response.status_code, reason=response.reason_phrase,
        response_headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw],
        response_body=body, attempts=int(sent.headers.get("Retry-Attempt", "0")) + 1)


def is_graph_host(url: str) -> bool:
    return httpx.URL(url).host in GRAPH_HOSTS
