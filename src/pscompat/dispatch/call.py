"""Run one bound invocation against Graph (or the lab): request, errors, output objects.

``execute(invocation, host, connection=None)`` is the whole dispatch + check stage: it writes
verbose/debug/warning/error text to ``host`` and returns the output objects for the renderer.
Graph errors follow each module: Mg writes a non-terminating error (``-ErrorAction Stop``
makes it terminating); PnP throws a terminating one.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol

from pscompat.errors import ErrorRecord
from pscompat.model import CmdletDef
from pscompat.model.operations import OperationSpec, dialect, operation_for
from pscompat.values import PSObject

from . import request as _request
from .result import Result, payload_json

# Parameters that only mean something inside .NET.
_DOTNET_ONLY = ("HttpPipelineAppend", "HttpPipelinePrepend")


class Invocation(Protocol):
    cmdlet: CmdletDef
    parameter_set: str | None
    parameters: dict[str, Any]


def _module(cmdlet: CmdletDef) -> Literal["mg", "pnp"]:
    return "pnp" if dialect(cmdlet) == "pnp" else "mg"


def _names(cmdlet: CmdletDef, spec: OperationSpec) -> tuple[str, str]:
    """(command shown in error views, FQID suffix) for errors raised while running."""
    if dialect(cmdlet) == "mg" and spec.internal_cmdlet:
        from .graph_errors import mg_internal_type_name
        return spec.internal_cmdlet, mg_internal_type_name(spec.internal_cmdlet)
    return cmdlet.name, cmdlet.type_name


def _unsupported(name: str, command: str, fqid: str) -> ErrorRecord:
    return ErrorRecord(
        message=(f"The parameter '{name}' takes .NET SendAsyncStep delegates, which cannot exist outside "
                 "PowerShell; pscompat cannot run this command with it. Remove -" + name + "."),
        error_id="ParameterNotSupported", category="NotImplemented", command=command, fqid_suffix=fqid,
        terminating=True, exception_type="System.NotSupportedException")


def _proxy(params: dict[str, Any]) -> tuple[str | None, tuple[str, str] | None]:
    proxy = params.get("Proxy")
    cred = params.get("ProxyCredential")
    auth = None
    if cred is not None:
        user = cred.get("UserName") if isinstance(cred, PSObject) else getattr(cred, "username", None)
        password = cred.get("Password") if isinstance(cred, PSObject) else getattr(cred, "password", None)
        if user is not None:
            auth = (str(user), str(password or ""))
    return (str(proxy) if proxy else None), auth


def _body_models(cmdlet: Any, spec: Any) -> dict[str, tuple[str, ...]]:
    """Body fields of a complex type the docs' NOTES describe (PASSWORDPROFILE): field parameter
    -> the model's property names. A hashtable given for one is keyed as the Mg module's typed
    model serializes it (``body.as_model``), whether it comes as the parameter or inside
    -BodyParameter. Identities (-InputObject) are not body fields."""
    if spec.body is None:
        return {}
    notes = cmdlet.paramsets.complex_parameters
    models = {}
    for f in spec.body.fields:
        complex_type = notes.get(f.parameter.upper()) if f.parameter else None
        if complex_type is not None and complex_type.properties and f.parameter:
            models[f.parameter] = tuple(p.name for p in complex_type.properties)
    return models


def execute(invocation: Invocation, host: Any, connection: Any = None) -> Result:
    """Dispatch, check and return the output objects (see module docstring)."""
    cmdlet = invocation.cmdlet
    spec = operation_for(cmdlet, invocation.parameter_set)
    d = dialect(cmdlet)
    params = dict(invocation.parameters)
    models = _body_models(cmdlet, spec) if d == "mg" else {}
    command, fqid = _names(cmdlet, spec)
    set_name = invocation.parameter_set or spec.set_name
    if spec.unsupported:
        raise ErrorRecord(message=spec.unsupported, error_id="ParameterSetNotSupported", category="NotImplemented",
                          command=cmdlet.name, fqid_suffix=cmdlet.type_name, terminating=True,
                          exception_type="System.NotSupportedException")
    for name in _DOTNET_ONLY:
        if params.get(name) is not None:
            raise _unsupported(name, cmdlet.name, cmdlet.type_name)
    if connection is None and params.get("Connection") is not None:  # PnP's -Connection
        from pscompat.connect.cmdlets import connection_from_object
        connection = connection_from_object(params["Connection"])
    if connection is None:
        from pscompat.connect import resolve_connection
        connection = resolve_connection(_module(cmdlet), command=command, type_name=fqid,
                                        notice=lambda text: host.err.write(text + "\n"))
    if d == "mg":
        host.write_debug(_debug().begin_processing(cmdlet.name, set_name))
        for line in _debug().authentication_lines(getattr(connection, "context", None)):
            host.write_debug(line)
        from pscompat.render.whatif import verbose_text
        text = verbose_text(cmdlet, set_name)
        if text:
            host.write_verbose(text)
    user_headers = params.get("Headers") or {}
    prepared = _request.prepare(spec, params, base_url=connection.graph_base_url, dialect=d,
                                cmdlet_name=cmdlet.name, type_name=cmdlet.type_name, models=models,
                                user_headers={str(k): str(v) for k, v in dict(user_headers).items()})
    for secret in prepared.secrets:
        host.add_secret(secret)
    proxy, proxy_auth = _proxy(params)
    result = Result()
    from .exchange import run_operation
    run_operation(cmdlet, spec, prepared, connection, host, result, d, command, fqid, params,
                  proxy=proxy, proxy_auth=proxy_auth)
    _set_variables(params, result, host)
    if d == "mg":
        host.write_debug(_debug().end_processing(cmdlet.name))
    return result


def _set_variables(params: dict[str, Any], result: Result, host: Any) -> None:
    """Mg's -CountVariable (the first page's @odata.count) and -ResponseHeadersVariable."""
    if not result.exchanges:
        return
    count_name = params.get("CountVariable")
    if count_name:
        payload = payload_json(result.exchanges[0].response_body)
        count = payload.get("@odata.count") if isinstance(payload, dict) else None
        host.set_variable(str(count_name), count)
    headers_name = params.get("ResponseHeadersVariable")
    if headers_name:
        from pscompat.values import PSHashtable
        host.set_variable(str(headers_name), PSHashtable((k, [v]) for k, v in result.response_headers.items()))


def _debug() -> Any:
    from pscompat.render import debug
    return debug
