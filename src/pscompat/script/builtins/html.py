"""ConvertTo-Html, line for line as PowerShell 7 writes it (ConvertToHtmlCommand; the expected
pages of its ConvertTo-Html.Tests.ps1): an XHTML 1.0 Strict page (or -Transitional, or a
-Fragment) with one ``<table>``: a column per property (``<colgroup>``, ``<th>``) or, -As List,
a ``Name:`` row per property. Each line is one output string; values are HTML-encoded, and a
collection shows as its type name (``System.Object[]``), as .NET's ToString gives it."""

from __future__ import annotations

import html
from typing import Any

from pscompat.lang.dotnet import ps_string
from pscompat.script.binding import ParamSpec as P
from pscompat.script.builtins.objects import calculated_property, expand_names
from pscompat.script.builtins.registry import Call, builtin
from pscompat.values import PSHashtable, PSObject

_U = "Microsoft.PowerShell.Commands"
_STRICT = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN"  '
           '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">')
_TRANSITIONAL = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"  '
                 '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">')
_META_NAMES = {"content-type", "default-style", "application-name", "author", "description", "generator",
               "keywords", "x-ua-compatible", "viewport"}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        text = "System.Object[]"
    elif isinstance(value, PSHashtable):
        text = value.type_name
    else:
        text = ps_string(value)
    return html.escape(text, quote=True).replace("&#x27;", "&#39;")


def _width(spec: Any) -> str | None:
    if isinstance(spec, PSHashtable):
        for key, value in spec.items():
            if ps_string(key).lower() == "width":
                return ps_string(value)
    return None


def _bare_value(item: Any) -> Any:
    """The "*" column of a value without properties; a string shows its Length, as in PowerShell."""
    return len(item) if isinstance(item, str) else item


def _lines(values: Any) -> list[str]:
    if values is None:
        return []
    return [ps_string(v) for v in (values if isinstance(values, list) else [values])]


@builtin("ConvertTo-Html", f"{_U}.ConvertToHtmlCommand",
         [P("InputObject", "psobject", pipeline=True), P("Property", "object[]", position=0),
          P("Body", "string[]", position=3), P("Head", "string[]", position=1), P("Title", "string", position=2),
          P("As", "string", validators=[("validateset", ["Table", "List"])]), P("CssUri", "string", aliases=("cu", "uri")),
          P("Fragment", "switch"), P("PostContent", "string[]"), P("PreContent", "string[]"), P("Meta", "hashtable"),
          P("Charset", "string"), P("Transitional", "switch")])
def convert_to_html(call: Call) -> list[str]:
    items = [i for i in call.items() if i is not None]
    as_list = ps_string(call.get("As") or "Table").lower() == "list"
    out: list[str] = []
    if not call.switch("Fragment"):
        out += [_TRANSITIONAL if call.switch("Transitional") else _STRICT, '<html xmlns="http://www.w3.org/1999/xhtml">',
                "<head>"]
        meta = call.get("Meta")
        if isinstance(meta, PSHashtable):
            for key, value in meta.items():
                name = ps_string(key)
                if name.lower() not in _META_NAMES:
                    # (PowerShell warns too; its exact text is not verified)
                    call.ctx.write_warning(f"The meta property {name} is not one HTML defines; it is written anyway.")
                out.append(f'<meta name="{html.escape(name)}" content="{html.escape(ps_string(value))}">')
        if call.has("Charset"):
            out.append(f'<meta charset="{ps_string(call.get("Charset")).upper()}">')
        if call.has("Head"):
            out += _lines(call.get("Head"))
        else:
            out.append(f"<title>{html.escape(ps_string(call.get('Title') or 'HTML TABLE'))}</title>")
        if call.has("CssUri"):
            out.append(f'<link rel="stylesheet" type="text/css" href="{html.escape(ps_string(call.get("CssUri")))}" />')
        out.append("</head><body>")
        out += _lines(call.get("Body"))
    out += _lines(call.get("PreContent"))
    if items:
        props = call.get("Property")
        specs: list[Any] = expand_names(items[0], props if isinstance(props, list) else [props]) \
            if props is not None else [name for name, _ in (items[0].properties() if isinstance(items[0], PSObject)
                                                            else [])]
        if not specs:
            specs = [None]   # a value without properties: one "*" column holding the value itself
        columns = [(calculated_property(call, spec), _width(spec)) if spec is not None else
                   (("", _bare_value), None) for spec in specs]
        if as_list:
            for item in items:
                out.append("<table>")
                out += [f"<tr><td>{html.escape(name)}:</td><td>{_cell(get(item))}</td></tr>"
                        for (name, get), _ in columns]
                out.append("</table>")
        else:
            out.append("<table>")
            out.append("<colgroup>" + "".join(f'<col width="{html.escape(w)}"/>' if w else "<col/>"
                                              for _, w in columns) + "</colgroup>")
            out.append("<tr>" + "".join(f"<th>{html.escape(name) if name else '*'}</th>"
                                        for (name, _), _ in columns) + "</tr>")
            for item in items:
                out.append("<tr>" + "".join(f"<td>{_cell(get(item))}</td>" for (_, get), _ in columns) + "</tr>")
            out.append("</table>")
    out += _lines(call.get("PostContent"))
    if not call.switch("Fragment"):
        out.append("</body></html>")
    return out
