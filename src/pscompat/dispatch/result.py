"""What one invocation produced (objects, the last response's headers, the wire), and the one
JSON reader of response bodies. Shared by ``call`` (the request side) and ``exchange``
(the network side), which therefore do not import each other."""

from __future__ import annotations

import json
from typing import Any


class Result:
    """What one invocation produced: output objects, the last response's headers, the wire."""

    def __init__(self) -> None:
        self.objects: list[Any] = []
        self.response_headers: dict[str, str] = {}
        self.exchanges: list[Any] = []


def payload_json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8")) if body else None
    except (ValueError, UnicodeDecodeError):
        return None
