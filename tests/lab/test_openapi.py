"""The lab's OpenAPI document is built on Graph's (shared/graph/openapi-tap.yaml) and stays so."""

from __future__ import annotations

import copy
from typing import Any

import yaml

from pscompat.lab.openapi import document
from tests.lab.conftest import OPENAPI_TAP


def relax(node: Any) -> Any:
    """The one transformation the lab's document applies (docs/lab.md)."""
    node = copy.deepcopy(node)
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("additionalProperties") == {"type": "object"}:
                item.pop("additionalProperties")
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return node


def test_tap_paths_and_schemas_equal_the_shared_fragment() -> None:
    shared = yaml.safe_load(OPENAPI_TAP.read_text())
    doc = document()
    for path, item in shared["paths"].items():
        assert doc["paths"][path] == relax(item), path
    for kind in ("schemas", "responses", "parameters"):
        for name, value in shared["components"][kind].items():
            assert doc["components"][kind][name] == relax(value), name


def test_every_reference_resolves() -> None:
    doc = document()
    refs: list[str] = []
    stack: list[Any] = [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("$ref"), str):
                refs.append(item["$ref"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    for ref in refs:
        _, kind, name = ref.lstrip("#/").split("/", 2)
        assert name in doc["components"][kind], ref


def test_served_paths_are_routed(graph) -> None:  # type: ignore[no-untyped-def]
    """Every path of the document reaches a handler (no 'Resource not found for the segment')."""
    for path, item in document()["paths"].items():
        concrete = path.replace("{user-id}", "AdeleV@contoso.lab").replace(
            "{temporaryAccessPassAuthenticationMethod-id}", "x").replace(
            "{authenticationMethodConfiguration-id}", "TemporaryAccessPass")
        for method in item:
            r = graph.request(method.upper(), concrete, json={} if method in ("post", "patch") else None)
            assert r.status_code != 405, (method, path)
            if r.status_code == 400:
                assert "Resource not found" not in r.json()["error"]["message"], (method, path)
