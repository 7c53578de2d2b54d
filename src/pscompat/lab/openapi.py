"""The OpenAPI document of what the lab serves (``GET /lab/openapi.json``).

Built on Graph's own fragments (shared/graph/openapi-tap.yaml, packaged here as
``openapi.yaml``): the TAP paths and schemas verbatim, plus users, /me, the policy and
$batch, and the schemas the fragment references but lacks (from Graph's CSDL).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pscompat.lab.http import Response

if TYPE_CHECKING:
    from pscompat.lab.core import Lab

SPEC_FILE = Path(__file__).parent / "openapi.yaml"
_cache: dict[str, Any] = {}


def document() -> dict[str, Any]:
    if "doc" not in _cache:
        import yaml
        _cache["doc"] = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))
    return copy.deepcopy(_cache["doc"])


def openapi_response(lab: Lab, req: Any, as_yaml: bool) -> Response:
    doc = document()
    base = f"{req.scheme}://{req.host}"
    doc["servers"] = [{"url": f"{base}/v1.0"}, {"url": f"{base}/beta"}]
    if as_yaml:
        import yaml
        return Response(200, content=yaml.safe_dump(doc, sort_keys=False).encode(),
                        content_type="application/yaml")
    return Response(200, content=json.dumps(doc).encode(), content_type="application/json")
