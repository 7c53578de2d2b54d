"""OUTPUTS shapes and the checker: does a Graph response look like what the cmdlet documents?

Shapes come from the docs, not from Graph: for Mg the NOTES ``BODYPARAMETER`` property list of
the cmdlet's paramsets (names, ``Int32?``-style types, and the value set the
``MethodUsabilityReason`` description enumerates); for PnP the model classes in
facts/pnp-cmdlets.md (``cmdlets/_shapes.yaml``). ``check`` returns human-readable mismatches; the
caller prints them as ``WARNING:`` lines, or raises under ``--strict``.
"""

from __future__ import annotations

from .checker import Shape, ShapeProperty, check, shape_for

__all__ = ["Shape", "ShapeProperty", "check", "shape_for"]
