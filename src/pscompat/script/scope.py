"""Variable and function scopes: a chain of dictionaries, child to parent (PowerShell's dynamic scoping)."""

from __future__ import annotations

from typing import Any

from pscompat.lang import ast as A

__all__ = ["Scope"]


class Scope:
    __slots__ = ("vars", "parent", "functions", "is_script")

    def __init__(self, parent: Scope | None = None, is_script: bool = False) -> None:
        self.vars: dict[str, Any] = {}
        self.functions: dict[str, A.FunctionDefinition] = {}
        self.parent = parent
        self.is_script = is_script

    def lookup(self, key: str) -> tuple[bool, Any]:
        scope: Scope | None = self
        while scope is not None:
            if key in scope.vars:
                return True, scope.vars[key]
            scope = scope.parent
        return False, None

    def find_function(self, key: str) -> A.FunctionDefinition | None:
        scope: Scope | None = self
        while scope is not None:
            fn = scope.functions.get(key)
            if fn is not None:
                return fn
            scope = scope.parent
        return None
