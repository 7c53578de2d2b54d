"""``{ ... }`` as a runtime value: the parsed block, invoked by the evaluator in the caller's scope."""

from __future__ import annotations

from dataclasses import dataclass

from pscompat.lang import ast as A

__all__ = ["ScriptBlockValue"]


@dataclass(eq=False)
class ScriptBlockValue:
    """``{ ... }`` as a value; invoked with the caller's scope as parent (dynamic scoping)."""

    block: A.ScriptBlock

    def ps_string(self) -> str:
        text = self.block.text
        return text[1:-1] if text.startswith("{") and text.endswith("}") else text
