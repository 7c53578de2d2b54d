"""Get-Random and New-Guid."""

from __future__ import annotations

import random
from typing import Any

from pscompat.script.binding import ParamSpec as P
from pscompat.script.builtins.registry import Call, builtin
from pscompat.values import PSObject

_U = "Microsoft.PowerShell.Commands"


@builtin("Get-Random", f"{_U}.GetRandomCommand",
         [P("Maximum", "object", position=0), P("Minimum", "object"), P("InputObject", "object[]", pipeline=True),
          P("Count", "int"), P("SetSeed", "int")])
def get_random(call: Call) -> list[Any]:
    rng = random.Random(call.get("SetSeed")) if call.has("SetSeed") else random.SystemRandom()
    items = call.input if call.input is not None else call.get("InputObject")
    if items is not None:
        count = min(call.get("Count", 1), len(items))
        return rng.sample(list(items), count)
    low = call.get("Minimum", 0)
    high = call.get("Maximum", 2**31 - 1)
    if isinstance(low, float) or isinstance(high, float):
        return [rng.uniform(float(low), float(high))]
    return [rng.randrange(int(low), int(high))]


@builtin("New-Guid", f"{_U}.NewGuidCommand", [])
def new_guid(call: Call) -> list[Any]:
    import uuid
    return [PSObject({"Guid": str(uuid.uuid4())}, type_names=["System.Guid"])]
