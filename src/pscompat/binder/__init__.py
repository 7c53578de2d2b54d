"""PowerShell's parameter binder: argv or typed arguments -> BoundInvocation, errors as ErrorRecords.

Public API: ``Argument``, ``NO_VALUE``, ``argv_to_arguments``, ``CommandBinder``, ``BoundInvocation``,
``bind_argv``. See docs/binding.md.
"""

from __future__ import annotations

from .arguments import NO_VALUE, Argument, argv_to_arguments
from .core import BoundInvocation, CommandBinder
from .session import bind_argv, strict_mode

__all__ = ["NO_VALUE", "Argument", "BoundInvocation", "CommandBinder", "argv_to_arguments", "bind_argv",
           "strict_mode"]
