"""The network half of ``execute``: send, follow pages, turn responses into objects or errors.

Separate from ``execute`` so that importing the dispatcher (for -WhatIf, the matrix, tests of
request bytes) does not import httpx/kiota/msgraph-core.
"""

from __future__ import annotations

import asyncio
from typing import Any

from pscompat.errors import ErrorRecord
from pscompat.model import CmdletDef
from pscompat.model.operations import OperationSpec
from pscompat.shapes import check, shape_for

from . import transport as tp
from .graph_errors import STATUS_NAMES, mg_error, pnp_error, transport_error
from .output import collection_items, to_psobject
from .request import PreparedRequest
from .result import Result, payload_json
from .tlscache import shared_verify

_MAX_PAGES = 1000


def _dumper(host: Any, dialect: str) -> Any:
    if not host.debug or dialect != "mg":
        return None
    from pscompat.render import debug

    def dump(kind: str, message: Any, body: bytes) -> None:
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in message.headers.raw]
        if kind == "request":
            host.write_debug(debug.request_dump(message.method, str(message.url), headers, body))
        else:
            host.write_debug(debug.response_dump(STATUS_NAMES.get(message.status_code, str(message.status_code)),
                                                 headers, body))
    return dump


def run_operation(cmdlet: CmdletDef, spec: OperationSpec, prepared: PreparedRequest, connection: Any,
                  host: Any, result: Result, dialect: str, command: str, fqid: str,
                  params: dict[str, Any], *, proxy: str | None, proxy_auth: tuple[str, str] | None) -> None:
    options = tp.SendOptions.from_env(proxy=proxy, proxy_auth=proxy_auth, dump=_dumper(host, dialect),
                                      on_wait=tp.warn_on_wait(host))
    transport = connection.http_transport()
    graph_host = transport is None and tp.is_graph_host(connection.graph_base_url)
    provider = connection.authentication_provider()
    extra = {k: v for k, v in prepared.headers if k.casefold() not in {"accept", "content-type"}}

    async def main() -> list[tp.WireExchange]:
        client = tp.make_client(transport, shared_verify(connection.verify) if transport is None else connection.verify,
                                options, graph_host)
        exchanges: list[tp.WireExchange] = []
        try:
            info = tp.build_request_information(
                prepared.method, prepared.url_template, dict(prepared.path_parameters),
                prepared.query_parameters, [h for h in prepared.headers if h[0] not in extra],
                prepared.body)
            if prepared.raw_url:
                info.url = prepared.raw_url
            exchange = await tp.send(info, provider, client, extra)
            exchanges.append(exchange)
            follow = spec.paging == "always" or bool(spec.paging and params.get(spec.paging))
            while follow and exchange.status < 400 and len(exchanges) < _MAX_PAGES:
                payload = payload_json(exchange.response_body)
                next_link = payload.get("@odata.nextLink") if isinstance(payload, dict) else None
                if not next_link:
                    break
                info = tp.build_request_information("GET", "{+baseurl}", {"baseurl": ""}, {},
                                                    [("Accept", "application/json")], None)
                info.url = next_link
                exchange = await tp.send(info, provider, client, extra)
                exchanges.append(exchange)
        finally:
            await client.aclose()
        return exchanges

    try:
        exchanges = asyncio.run(main())
    except ErrorRecord:
        raise
    except Exception as exc:  # network failures: connection refused, TLS, timeouts
        if type(exc).__module__.startswith(("httpx", "httpcore", "ssl", "azure", "kiota", "socket")) \
                or isinstance(exc, OSError):
            record = transport_error(exc, command, fqid, dialect)
            if dialect == "pnp":
                raise pnp_error(prepared.expand_url(), cmdlet.type_name, cmdlet.name, inner=str(exc)) from None
            host.write_error(record)
            return
        raise
    result.exchanges = exchanges
    last = exchanges[-1]
    result.response_headers = {k: v for k, v in last.response_headers}
    for ex in exchanges:
        _register_secrets(host, ex.response_body)
    if last.status >= 400:
        if dialect == "pnp":
            raise pnp_error(_endpoint(prepared, last), cmdlet.type_name, cmdlet.name, status=last.status,
                            inner=last.response_body.decode("utf-8", "replace"))
        host.write_error(mg_error(last, command))
        return
    _outputs(cmdlet, spec, exchanges, host, result, dialect, params)


def _endpoint(prepared: PreparedRequest, exchange: tp.WireExchange) -> str:
    """The URL PnP names in its message: the one it built (without the query)."""
    if prepared.raw_url:
        return prepared.raw_url
    return exchange.url.split("?", 1)[0]


def _register_secrets(host: Any, body: bytes) -> None:
    payload = payload_json(body)
    items = collection_items(payload) if isinstance(payload, dict) and "value" in payload else [payload]
    for item in items:
        if isinstance(item, dict):
            host.add_secret(item.get("temporaryAccessPass"))


def _outputs(cmdlet: CmdletDef, spec: OperationSpec, exchanges: list[tp.WireExchange], host: Any,
             result: Result, dialect: str, params: dict[str, Any]) -> None:
    if spec.response == "none":
        if params.get("PassThru"):
            result.objects.append(True)
        return
    if spec.response == "value":  # an action's result ({"value": true} from revokeSignInSessions)
        payload = payload_json(exchanges[-1].response_body)
        if isinstance(payload, dict) and "value" in payload:
            result.objects.append(payload["value"])
        return
    shape = shape_for(cmdlet)
    type_name = cmdlet.output.type if cmdlet.output else "System.Object"
    additional = bool((cmdlet.raw.get("output") or {}).get("additional_properties", dialect == "mg"))
    items: list[Any] = []
    for ex in exchanges:
        payload = payload_json(ex.response_body)
        if spec.response in {"collection", "first_or_null"}:
            if not (isinstance(payload, dict) and isinstance(payload.get("value"), list)):
                _mismatch(cmdlet, host, [f"The response is not a collection ({{\"value\": [...]}}) "
                                         f"of {shape.type_name if shape else type_name}."])
                continue
            items.extend(payload["value"])
        else:
            items.append(payload)
    if spec.response == "first_or_null":
        items = items[:1]
    for item in items:
        problems = check(shape, item, creation=spec.creation) if shape is not None else []
        if problems and _mismatch(cmdlet, host, problems):
            continue
        if isinstance(item, dict):
            result.objects.append(to_psobject(item, shape, type_name, additional))


def _mismatch(cmdlet: CmdletDef, host: Any, problems: list[str]) -> bool:
    """Report shape problems; True when the object must not be written (--strict)."""
    if host.options.strict:
        host.write_error(ErrorRecord(
            message=" ".join(problems), error_id="OutputShapeMismatch", category="InvalidResult",
            command=cmdlet.name, fqid_suffix=cmdlet.type_name, terminating=False,
            exception_type="System.InvalidOperationException"))
        return True
    for text in problems:
        host.write_warning(f"{cmdlet.name}: {text}")
    return False
