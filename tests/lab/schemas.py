"""JSON Schema validation of lab responses against Graph's OpenAPI schemas
(shared/graph/openapi-tap.yaml; the schemas it lacks come from the lab's own document, which
carries them from Graph's CSDL)."""

from __future__ import annotations

import copy
from functools import cache, lru_cache
from typing import Any

import yaml

from tests.lab.conftest import OPENAPI_TAP


def _to_jsonschema(node: Any) -> Any:
    """OpenAPI 3.0 -> JSON Schema: nullable -> null allowed; int32 numbers -> integers;
    ``additionalProperties: {type: object}`` -> allowed (Graph's open types, see docs/lab.md)."""
    if isinstance(node, list):
        return [_to_jsonschema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _to_jsonschema(v) for k, v in node.items()}
    if out.get("additionalProperties") == {"type": "object"}:
        out.pop("additionalProperties")
    if out.get("type") == "number" and out.get("format") == "int32":
        out["type"] = "integer"
    if out.pop("nullable", False):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        elif "$ref" in out or "allOf" in out or "enum" in out:
            out = {"anyOf": [out, {"type": "null"}]}
    for key in ("x-ms-docs-key-type", "x-ms-primary-error-message", "example", "examples", "externalDocs"):
        out.pop(key, None)
    if "$ref" in out and isinstance(out["$ref"], str):
        out["$ref"] = out["$ref"].replace("#/components/schemas/", "#/definitions/")
    return out


@lru_cache(maxsize=1)
def components() -> dict[str, Any]:
    from pscompat.lab.openapi import document
    shared = yaml.safe_load(OPENAPI_TAP.read_text())
    schemas = copy.deepcopy(document()["components"]["schemas"])
    schemas.update(copy.deepcopy(shared["components"]["schemas"]))  # Graph's own win
    return {name: _to_jsonschema(s) for name, s in schemas.items()}


@cache
def validator(schema_name: str) -> Any:
    import jsonschema
    schema = {"$ref": f"#/definitions/{schema_name}", "definitions": components()}
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def validate(instance: Any, schema_name: str) -> None:
    error = next(iter(validator(schema_name).iter_errors(instance)), None)
    if error is not None:
        raise error


def errors(instance: Any, schema_name: str) -> list[str]:
    return [e.message for e in validator(schema_name).iter_errors(instance)]


TAP = "microsoft.graph.temporaryAccessPassAuthenticationMethod"
TAP_COLLECTION = "microsoft.graph.temporaryAccessPassAuthenticationMethodCollectionResponse"
ERROR = "microsoft.graph.ODataErrors.ODataError"
POLICY = "microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration"
USER = "microsoft.graph.user"
USERS = "microsoft.graph.userCollectionResponse"
COUNT = "ODataCountResponse"
