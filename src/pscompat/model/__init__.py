"""The model: paramsets and cmdlet definitions loaded from YAML into typed, immutable objects."""

from .loader import (
    ModelError,
    clear_caches,
    cmdlet_names,
    data_root,
    find_cmdlet,
    load_cmdlet,
    load_paramsets,
    parse_cmdlet,
    parse_paramsets,
)
from .types import (
    ALL_SETS,
    CmdletDef,
    ComplexParameter,
    ComplexProperty,
    Erratum,
    Example,
    OutputDef,
    ParameterDef,
    ParamSetsDef,
    SetMembership,
)

__all__ = [
    "ALL_SETS", "CmdletDef", "ComplexParameter", "ComplexProperty", "Erratum", "Example",
    "ModelError", "OutputDef", "ParamSetsDef", "ParameterDef", "SetMembership", "clear_caches",
    "cmdlet_names", "data_root", "find_cmdlet", "load_cmdlet", "load_paramsets", "parse_cmdlet",
    "parse_paramsets",
]
