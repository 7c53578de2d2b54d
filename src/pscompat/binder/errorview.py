"""One error record as text on stderr: PowerShell 7's concise view, ``<Command>: <message>``.

``pscompat.render.errors.format_error`` owns the full error views; this is the fallback (and
the only formatting the binder does), so the render stage can take it over without changes here.
"""

from __future__ import annotations

from pscompat.errors import ErrorRecord

__all__ = ["format_error"]


def format_error(record: ErrorRecord) -> str:
    try:
        from pscompat.render.errors import format_error as render_error
    except ImportError:
        pass
    else:
        return str(render_error(record))
    prefix = f"{record.command}: " if record.command else ""
    text = prefix + record.message
    return text + ("\n" + record.extra_text if record.extra_text else "")
