"""The lab's input limits: what any request may be before a handler sees it.

One owner for every bound (URL length, body size, JSON nesting, strings Graph cannot store,
content types, ``$filter`` size), so a handler never meets input that makes Python raise
(RecursionError, UnicodeEncodeError) and answer 500 instead of Graph's 4xx. Graph publishes no
exact numbers for most of these; the values and texts chosen are listed in docs/lab.md
("Security model").
"""

from __future__ import annotations

import json
from typing import Any

from pscompat.lab.http import GraphError, Request, bad_request, invalid_json

MAX_URL = 8192               # characters of path + query
MAX_BODY = 4 * 1024 * 1024   # bytes; Graph's documented request size limit for most APIs is 4 MB
MAX_JSON_DEPTH = 64          # nested objects/arrays
MAX_FILTER_LENGTH = 2048     # characters of $filter
MAX_FILTER_DEPTH = 16        # nested parentheses / not
MAX_FILTER_TERMS = 50        # comparisons joined by and/or

_BODY_METHODS = ("POST", "PATCH", "PUT")


def uri_too_long() -> GraphError:
    return GraphError(414, "UriTooLong", f"The request URI is longer than the {MAX_URL} characters allowed.")


def too_large() -> GraphError:
    return GraphError(413, "RequestEntityTooLarge",
                      f"The request body is larger than the {MAX_BODY} bytes allowed.")


def unsupported_media_type(content_type: str) -> GraphError:
    shown = content_type or "(none)"
    return GraphError(415, "UnsupportedMediaType",
                      f"Content-Type '{shown}' is not supported. Use 'application/json'.")


def check_request(req: Request, batched: bool = False) -> None:
    """The bounds every Graph request must keep (raised as Graph's error, never a 500)."""
    if len(req.raw_path) + len(req.raw_query) > MAX_URL:
        raise uri_too_long()
    if len(req.body) > MAX_BODY:
        raise too_large()
    # A batch item's body comes out of the JSON envelope: it is JSON whatever its headers say.
    if req.wire and not batched and req.body.strip() and req.method in _BODY_METHODS:
        content_type = (req.header("content-type") or "").strip()
        media = content_type.split(";", 1)[0].strip().lower()
        if media not in ("application/json", "text/json"):
            raise unsupported_media_type(content_type)
    text = req.query.get("$filter")
    if text is not None:
        check_filter(text)


def check_filter(text: str) -> None:
    """Refuse a $filter too long, too deep or with too many terms before parsing it."""
    if len(text) > MAX_FILTER_LENGTH:
        raise bad_request(f"The $filter expression is longer than the {MAX_FILTER_LENGTH} characters allowed.")
    depth = deepest = 0
    quoted = False
    for ch in text:
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif not quoted and ch == ")":
            depth -= 1
    words = text.lower().split()
    nots = words.count("not")
    if deepest + nots > MAX_FILTER_DEPTH:
        raise bad_request(f"The $filter expression is nested deeper than the {MAX_FILTER_DEPTH} levels allowed.")
    if words.count("and") + words.count("or") + 1 > MAX_FILTER_TERMS:
        raise bad_request(f"The $filter expression has more than the {MAX_FILTER_TERMS} terms allowed.")


def json_depth(raw: bytes) -> int:
    """Deepest nesting of objects/arrays in a JSON text, strings skipped (no parsing, no recursion)."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x7B, 0x5B):  # { [
            depth += 1
            if depth > deepest:
                deepest = depth
        elif byte in (0x7D, 0x5D):
            depth -= 1
    return deepest


def _storable(value: Any) -> bool:
    """False when a string (key or value) holds a lone UTF-16 surrogate (not encodable as UTF-8)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return False
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True


def load_json(raw: bytes | str) -> Any:
    """Parse a request body as Graph does: bounded depth, valid Unicode, else Graph's 400."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    # Both walks run in Python, so each is skipped when a C-speed count proves it cannot fail:
    # nesting needs an opening bracket per level, and a lone surrogate can only come from a
    # \u escape or from its UTF-8-style bytes (0xED 0xA0-0xBF), which json.loads lets through.
    if data.count(b"{") + data.count(b"[") > MAX_JSON_DEPTH and json_depth(data) > MAX_JSON_DEPTH:
        raise bad_request(f"The JSON payload is nested deeper than the {MAX_JSON_DEPTH} levels allowed.")
    try:
        value = json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise invalid_json() from exc
    if (b"\\u" in data or b"\xed" in data) and not _storable(value):
        raise invalid_json()
    return value
