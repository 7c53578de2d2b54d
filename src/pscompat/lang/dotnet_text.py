"""The text types admin scripts reach for: ``System.Text.StringBuilder`` (building a report),
``System.Text.Encoding`` (``[Text.Encoding]::UTF8.GetBytes($s)`` before Base64), and the static
helpers around them (``[Convert]::ToBase64String``, ``[uri]::EscapeDataString``,
``[System.Web.HttpUtility]::UrlEncode``). A byte[] is a list of ints, as PowerShell shows one.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any
from urllib.parse import quote, quote_plus, unquote, unquote_plus

from pscompat.lang.dotnet import ps_string as _text
from pscompat.lang.format import format_operator
from pscompat.values import DotNetObject

__all__ = ["StringBuilder", "Encoding", "to_base64", "from_base64", "escape_data_string",
           "url_encode", "url_decode"]


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

    @classmethod
    def new(cls, *args: Any) -> StringBuilder:
        """``::new()``, ``::new('text')``, ``::new(capacity)`` (a capacity only reserves room)."""
        return cls(args[0] if args and isinstance(args[0], str) else "")

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


# name of the static property -> (Python codec, WebName, EncodingName, the .NET class ToString shows)
_ENCODINGS = {
    "utf8": ("utf-8", "utf-8", "Unicode (UTF-8)", "System.Text.UTF8Encoding+UTF8EncodingSealed"),
    "default": ("utf-8", "utf-8", "Unicode (UTF-8)", "System.Text.UTF8Encoding+UTF8EncodingSealed"),
    "ascii": ("ascii", "us-ascii", "US-ASCII", "System.Text.ASCIIEncoding+ASCIIEncodingSealed"),
    "unicode": ("utf-16-le", "utf-16", "Unicode", "System.Text.UnicodeEncoding"),
    "utf32": ("utf-32-le", "utf-32", "Unicode (UTF-32)", "System.Text.UTF32Encoding"),
    "latin1": ("latin-1", "iso-8859-1", "Latin 1 (ISO-8859-1)", "System.Text.Latin1Encoding"),
}
_PREAMBLES = {"utf-16-le": b"\xff\xfe", "utf-32-le": b"\xff\xfe\x00\x00"}


class Encoding(DotNetObject):
    """``[System.Text.Encoding]::UTF8`` and its siblings: GetBytes / GetString / GetByteCount."""

    type_names = ("System.Text.Encoding", "System.Object")
    type_keys = ("text.encoding",)
    __slots__ = ("codec", "web_name", "encoding_name", "class_name")

    def __init__(self, name: str) -> None:
        self.codec, self.web_name, self.encoding_name, self.class_name = _ENCODINGS[name]

    def ps_property(self, name: str) -> tuple[bool, Any]:
        key = name.lower()
        if key in ("webname", "bodyname", "headername"):
            return True, self.web_name
        if key == "encodingname":
            return True, self.encoding_name
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
            return list(_PREAMBLES.get(self.codec, b""))
        raise AttributeError(name)

    def ps_string(self) -> str:
        return self.class_name


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
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), quote_plus(_text(text), safe="-_.!*()"))


def url_decode(text: Any) -> str:
    return unquote_plus(_text(text))
