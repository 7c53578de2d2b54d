"""The error an operator raises at run time (the evaluator turns it into PowerShell's error record)."""

from __future__ import annotations

__all__ = ["OperatorError"]


class OperatorError(Exception):
    """A runtime error of an operator; the message is PowerShell's."""

    def __init__(self, message: str, error_id: str = "RuntimeException", category: str = "InvalidOperation") -> None:
        super().__init__(message)
        self.message = message
        self.error_id = error_id
        self.category = category
