"""Text for users: default views (table/list), JSON/CSV, WhatIf/Verbose/Debug, the error view.

``format_output(objects, view=, columns=, fmt=, culture=)``, ``format_error(record, view=)``,
``whatif_line(cmdlet, parameter_set)``, ``format_datetime(value, culture)``; submodules are
imported on first use so a cold cmdlet pays only for what it prints.
"""

from __future__ import annotations

from typing import Any

__all__ = ["format_datetime", "format_default", "format_error", "format_output", "whatif_line"]

_WHERE = {"format_output": "views", "format_default": "views", "format_error": "errors",
          "whatif_line": "whatif", "format_datetime": "culture"}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(name)
    import importlib
    mod = importlib.import_module(f"{__name__}.{module}")
    return getattr(mod, "format_output" if name == "format_default" else name)
