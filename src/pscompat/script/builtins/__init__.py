"""The script runner's built-in cmdlets, one module per kind (see ``registry`` for how one is added).

Importing the package registers every built-in in ``REGISTRY``; the evaluator imports it
lazily, and built-ins reach the evaluator only through the ``Call`` they receive.
"""

from __future__ import annotations

from pscompat.script.builtins import (  # noqa: F401 - importing registers the built-ins
    console,
    credentials,
    data,
    dates,
    discovery,
    files,
    generators,
    html,
    jobs,
    measure,
    modules,
    objects,
    output,
    session,
    sorting,
)
from pscompat.script.builtins.registry import REGISTRY, Builtin, Call, builtin

__all__ = ["REGISTRY", "Builtin", "Call", "builtin"]
