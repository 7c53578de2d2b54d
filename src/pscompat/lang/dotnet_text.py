"""The text types admin scripts reach for: ``System.Text.StringBuilder`` (building a report),
``System.Text.Encoding`` (``[Text.Encoding]::UTF8.GetBytes($s)`` before Base64), and the static
helpers around them (``[Convert]::ToBase64String``, ``[uri]::EscapeDataString``,
``[System.Web.HttpUtility]::UrlEncode``). A byte[] is a list of ints, as PowerShell shows one.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import quote, quote_plus, unquote, unquote_plus

from pscompat.values import DotNetObject

__all__ = ["StringBuilder", "Encoding", "ENCODINGS", "to_base64", "from_base64", "escape_data_string",
           "url_encode", "url_decode"]


def _text(value: Any) -> str:
    from pscompat.lang.dotnet import ps_string
    return ps_string(value)


def _bytes(value: Any) -> bytes:
    """A byte[] argument (a list of ints 0-255, or one int)."""
    items = value if isinstance(value, list) else [value]
    try:
        return bytes(int(v) for v in items)
    except (TypeError, ValueError):
        raise ValueError("Value was either too large or too small for an unsigned byte.") from None


class StringBuilder(DotNetObject):
    """``System.Text.StringBuilder``: Append* return the builder itself, so calls chain (and a
    script writes ``[void]$sb.Append(..)`` or ``$null = ...`` to keep it out of the output)."""

    type_names = ("System.Text.StringBuilder", "System.Object")
    type_keys = ("text.stringbuilder",)
    __slots__ = ("parts",)

    def __init__(self, initial: str = "") -> None:
        self.parts: list[str] = [initial] if initial else []

    def _value(self) -> str:
        if len(self.parts) > 1:
            self.parts = ["".join(self.parts)]
        return self.parts[0] if self.parts else ""

    def ps_property(self, name: str) -> tuple[bool, Any]:
        key = name.lower()
        if key == "length":
            return True, len(self._value())
        if key == "capacity":
            return True, max(16, len(self._value()))
        return False, None

    def ps_call(self, name: str, args: list[Any]) -> Any:
        from pscompat.lang.format import format_operator
        key = name.lower()
        if key == "append":
            if len(args) == 2 and isinstance(args[1], int):   # Append(char, repeatCount)
                self.parts.append(_text(args[0]) * int(args[1]))
            else:
                self.parts.append("".join(_text(a) for a in args[:1]))
            return self
        if key == "appendline":
            self.parts.append((_text(args[0]) if args else "") + "\n")
            return self
        if key == "appendformat" and args:
            rest = args[1:]
            if len(rest) == 1 and isinstance(rest[0], list):
                rest = rest[0]
            self.parts.append(format_operator(_text(args[0]), list(rest)))
            return self
        if key == "insert" and len(args) == 2:
            value, index = self._value(), int(args[0])
            if not 0 <= index <= len(value):
                raise ValueError("Index was out of range. Must be non-negative and less than or equal to the "
                                 "size of the collection. (Parameter 'index')")
            self.parts = [value[:index] + _text(args[1]) + value[index:]]
            return self
        if key == "remove" and len(args) == 2:
            value, start, length = self._value(), int(args[0]), int(args[1])
            if start < 0 or length < 0 or start + length > len(value):
                raise ValueError("Index was out of range. Must be non-negative and less than the size of the "
                                 "collection. (Parameter 'startIndex')")
            self.parts = [value[:start] + value[start + length:]]
            return self
        if key == "replace" and len(args) >= 2:
            self.parts = [self._value().replace(_text(args[0]), _text(args[1]))]
            return self
        if key == "clear" and not args:
            self.parts = []
            return self
        if key == "tostring":
            value = self._value()
            return value[int(args[0]):int(args[0]) + int(args[1])] if len(args) == 2 else value
        raise AttributeError(name)

    def ps_string(self) -> str:
        return self._value()


class Encoding(DotNetObject):
    """``[System.Text.Encoding]::UTF8`` and its siblings: GetBytes / GetString / GetByteCount."""

    type_names = ("System.Text.Encoding", "System.Object")
    type_keys = ("text.encoding",)
    __slots__ = ("codec", "web_name")

    def __init__(self, codec: str, web_name: str) -> None:
        self.codec, self.web_name = codec, web_name

    def ps_property(self, name: str) -> tuple[bool, Any]:
        key = name.lower()
        if key in ("webname", "bodyname", "headername"):
            return True, self.web_name
        if key == "encodingname":
            return True, {"utf-8": "Unicode (UTF-8)", "us-ascii": "US-ASCII", "utf-16": "Unicode",
                          "utf-32": "Unicode (UTF-32)", "iso-8859-1": "Latin 1 (ISO-8859-1)"}[self.web_name]
        return False, None

    def ps_call(self, name: str, args: list[Any]) -> Any:
        key = name.lower()
        if key == "getbytes" and len(args) == 1:
            return list(_text(args[0]).encode(self.codec, "replace"))
        if key == "getbytecount" and len(args) == 1:
            return len(_text(args[0]).encode(self.codec, "replace"))
        if key == "getstring" and args:
            data = _bytes(args[0])
            if len(args) == 3:
                data = data[int(args[1]):int(args[1]) + int(args[2])]
            return data.decode(self.codec, "replace")
        if key == "getpreamble" and not args:
            return list({"utf-16-le": b"\xff\xfe", "utf-32-le": b"\xff\xfe\x00\x00"}.get(self.codec, b""))
        raise AttributeError(name)

    def ps_string(self) -> str:
        return {"utf-8": "System.Text.UTF8Encoding+UTF8EncodingSealed", "us-ascii": "System.Text.ASCIIEncoding+ASCIIEncodingSealed",
                "utf-16": "System.Text.UnicodeEncoding", "utf-32": "System.Text.UTF32Encoding",
                "iso-8859-1": "System.Text.Latin1Encoding"}[self.web_name]


ENCODINGS = {"utf8": ("utf-8", "utf-8"), "ascii": ("ascii", "us-ascii"), "unicode": ("utf-16-le", "utf-16"),
             "utf32": ("utf-32-le", "utf-32"), "latin1": ("latin-1", "iso-8859-1"), "default": ("utf-8", "utf-8")}


def encoding(name: str) -> Encoding:
    codec, web_name = ENCODINGS[name]
    return Encoding(codec, web_name)


def to_base64(data: Any) -> str:
    return base64.b64encode(_bytes(data)).decode("ascii")


def from_base64(text: Any) -> list[int]:
    try:
        return list(base64.b64decode(_text(text), validate=True))
    except (binascii.Error, ValueError):
        raise ValueError("The input is not a valid Base-64 string as it contains a non-base 64 character, more than "
                         "two padding characters, or an illegal character among the padding characters.") from None


def escape_data_string(text: Any) -> str:
    """``[uri]::EscapeDataString``: RFC 3986, only the unreserved characters kept, upper-case hex."""
    return quote(_text(text), safe="-._~")


def unescape_data_string(text: Any) -> str:
    return unquote(_text(text))


def url_encode(text: Any) -> str:
    """``[System.Web.HttpUtility]::UrlEncode``: spaces as '+', lower-case hex, and -_.!*() kept."""
    encoded = quote_plus(_text(text), safe="-_.!*()")
    out, i = [], 0
    while i < len(encoded):
        if encoded[i] == "%":
            out.append(encoded[i:i + 3].lower())
            i += 3
        else:
            out.append(encoded[i])
            i += 1
    return "".join(out)


def url_decode(text: Any) -> str:
    return unquote_plus(_text(text))
