"""A bound invocation + its operation spec -> the parts of a kiota RequestInformation.

Kept free of httpx/kiota imports so it can be tested and used (``-WhatIf``, the compat matrix)
without paying for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pscompat.errors import ErrorRecord
from pscompat.model.operations import OperationSpec
from pscompat.values import PSHashtable, PSObject, get_member

from .body import body_parameter_body, expanded_body, serialize
from .graph_errors import mg_internal_type_name
from .hooks import PIPE_BINDS, URL_HOOKS


class PreparedRequest:
    """The parts of one request; ``raw_url`` is set by URL hooks (PnP's hand-built lookup URL)."""

    def __init__(self, method: str, url_template: str, path_parameters: dict[str, Any],
                 query_parameters: dict[str, Any], headers: list[tuple[str, str]], body: bytes | None,
                 body_object: dict[str, Any] | None = None, raw_url: str | None = None,
                 secrets: list[str] | None = None) -> None:
        self.method, self.url_template = method, url_template
        self.path_parameters, self.query_parameters = path_parameters, query_parameters
        self.headers, self.body, self.body_object = headers, body, body_object
        self.raw_url = raw_url
        self.secrets = secrets or []

    def expand_url(self) -> str:
        """The URL without kiota (tests, -WhatIf, error text); kiota computes the same."""
        if self.raw_url:
            return self.raw_url
        from urllib.parse import quote
        path = self.url_template
        for key, value in self.path_parameters.items():
            name = key.replace("-", "%2D")
            if key == "baseurl":
                path = path.replace("{+baseurl}", str(value))
            else:
                path = path.replace("{+" + name + "}", quote(str(value), safe="!#$&'()*+,/:;=?@[]~"))
                path = path.replace("{" + name + "}", quote(str(value), safe="~"))
        base, _, _ = path.partition("{?")
        if self.query_parameters:
            parts = []
            for k, v in self.query_parameters.items():
                text = ",".join(quote(str(x), safe="~") for x in v) if isinstance(v, list) else quote(str(v), safe="~")
                parts.append(f"{k.replace('%24', '$')}={text}")
            base += "?" + "&".join(parts)
        return base


def wellformed(text: str) -> str:
    """UTF-16 as .NET (5+) escapes it into a URI: surrogate pairs joined, a lone surrogate
    replaced by U+FFFD (so it reaches Graph as %EF%BF%BD instead of failing in the encoder)."""
    if text.isascii():
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _var(name: str) -> str:
    return name.replace("-", "%2D").replace("$", "%24")


def _internal(spec: OperationSpec, cmdlet_name: str) -> tuple[str, str]:
    command = spec.internal_cmdlet or cmdlet_name
    return command, mg_internal_type_name(command) if spec.internal_cmdlet else ""


def _path_value(spec: OperationSpec, param: Any, params: Mapping[str, Any], cmdlet_name: str,
                type_name: str) -> str:
    value = params.get(param.parameter)
    if param.identity:
        found, inner = get_member(value, param.identity) if isinstance(value, PSObject | PSHashtable) \
            else (False, None)
        if not found or inner is None or inner == "":
            command, fqid = _internal(spec, cmdlet_name)
            # AutoRest: ThrowTerminatingError(new ErrorRecord(new Exception(...), string.Empty,
            # ErrorCategory.InvalidArgument, InputObject)) -> the FQID is the type name alone.
            raise ErrorRecord(
                message=f"{param.parameter} has null value for {param.parameter}.{param.identity}",
                error_id="", category="InvalidArgument", command=command, fqid_suffix=fqid, target=value,
                terminating=True, exception_type="System.Exception")
        return str(inner)
    if param.pipe_bind:
        resolved = PIPE_BINDS[param.pipe_bind](value)
        if resolved is None:
            raise ErrorRecord(message=f"Cannot resolve {param.parameter} to a user.", error_id="EXCEPTION",
                              category="WriteError", command=cmdlet_name, fqid_suffix=type_name)
        return resolved
    return "" if value is None else wellformed(str(value))


def _secret_texts(value: Any) -> list[str]:
    """A secret field's texts to redact: the value, or every string inside an object
    (passwordProfile's password)."""
    if isinstance(value, Mapping):
        return [t for v in value.values() for t in _secret_texts(v)]
    if isinstance(value, list | tuple):
        return [t for v in value for t in _secret_texts(v)]
    return [str(value)] if isinstance(value, str) and value else []


def prepare(spec: OperationSpec, params: Mapping[str, Any], *, base_url: str, dialect: str,
            cmdlet_name: str, type_name: str, user_headers: Mapping[str, str] | None = None,
            models: Mapping[str, tuple[str, ...]] | None = None) -> PreparedRequest:
    """Build the request parts for one invocation (raises ErrorRecord for bad identities).
    ``models``: body fields of a complex type and their model's properties (call._body_models)."""
    path = spec.path
    path_parameters: dict[str, Any] = {"baseurl": f"{base_url.rstrip('/')}/{spec.api_version}"}
    for p in spec.path_params:
        var = _var(p.name)
        path = path.replace("{" + p.name + "}", "{+" + var + "}" if p.encode == "reserved" else "{" + var + "}")
        path_parameters[p.name] = _path_value(spec, p, params, cmdlet_name, type_name)
    query: dict[str, Any] = {}
    for q in spec.query:
        value: Any = q.constant
        for name in (q.parameter or "").split("|") if q.parameter else ():
            if params.get(name) is not None:
                value = params[name]
                break
        if value is None or value is False:
            continue
        if q.value is not None:
            value = q.value
        elif value is True:
            value = "true"
        if isinstance(value, list | tuple):
            value = [wellformed(str(v)) for v in value]
        elif isinstance(value, str):
            value = wellformed(value)
        query[_var(q.name)] = value
    template = "{+baseurl}" + path
    if spec.query:
        template += "{?" + ",".join(_var(q.name) for q in spec.query) + "}"
    headers: list[tuple[str, str]] = [("Accept", "application/json")]
    headers += list(spec.headers)
    headers += [(name, str(params[param])) for name, param in spec.header_params if params.get(param)]
    body_obj: dict[str, Any] | None = None
    content: bytes | None = None
    if spec.body is not None:
        if spec.body.source == "body_parameter":
            command, fqid = _internal(spec, cmdlet_name)
            body_obj = body_parameter_body(spec.body, params.get(spec.body.parameter or ""), command, fqid,
                                           models)
        else:
            body_obj = expanded_body(spec.body, params, models)
        content = serialize(dialect, body_obj)
        headers.append(("Content-Type", "application/json"))
    for name, value in (user_headers or {}).items():
        headers.append((str(name), str(value)))
    secrets = [text for f in (spec.body.fields if spec.body else ())
               if f.secret and body_obj and body_obj.get(f.wire) is not None
               for text in _secret_texts(body_obj[f.wire])]
    prepared = PreparedRequest(method=spec.method, url_template=template,
                               path_parameters={_var(k) if k != "baseurl" else k: v
                                                for k, v in path_parameters.items()},
                               query_parameters=query, headers=headers, body=content,
                               body_object=body_obj, secrets=secrets)
    if spec.hook in URL_HOOKS:
        prepared.raw_url = URL_HOOKS[spec.hook](dict(params), base_url.rstrip("/"))
    return prepared
