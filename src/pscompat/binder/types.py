"""Parameter types as the binder sees them: what a .NET type name means and how values convert.

The paramsets YAML spells types as the docs do (``System.Int32``, ``Int32``,
``System.Nullable`1[System.Int32]``, ``Microsoft.Graph.PowerShell.Models.I...``,
``...EntraIDUserPipeBind``). ``parse_type`` sorts them into a handful of kinds; ``convert``
is LanguagePrimitives.ConvertTo for those kinds (``pscompat.lang.convert`` does the work).
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, NamedTuple

from pscompat.lang import convert as C
from pscompat.values import PSHashtable, PSObject

__all__ = ["TypeSpec", "parse_type", "convert", "is_instance", "ACTION_PREFERENCES"]

ACTION_PREFERENCES = C.ACTION_PREFERENCES

_SHORT = {
    "string": "System.String", "int32": "System.Int32", "int": "System.Int32", "int64": "System.Int64",
    "long": "System.Int64", "datetime": "System.DateTime", "bool": "System.Boolean",
    "boolean": "System.Boolean", "switchparameter": "System.Management.Automation.SwitchParameter",
    "switch": "System.Management.Automation.SwitchParameter", "hashtable": "System.Collections.Hashtable",
    "idictionary": "System.Collections.IDictionary", "uri": "System.Uri", "guid": "System.Guid",
    "object": "System.Object", "psobject": "System.Management.Automation.PSObject",
    "pscredential": "System.Management.Automation.PSCredential", "double": "System.Double",
    "actionpreference": "System.Management.Automation.ActionPreference",
}

_KINDS = {
    "System.String": "string", "System.Int32": "int32", "System.Int64": "int64",
    "System.DateTime": "datetime", "System.Boolean": "bool",
    "System.Management.Automation.SwitchParameter": "switch",
    "System.Collections.Hashtable": "hashtable", "System.Collections.IDictionary": "idictionary",
    "System.Uri": "uri", "System.Guid": "guid", "System.Object": "object",
    "System.Management.Automation.PSObject": "object", "System.Double": "double",
    "System.Management.Automation.PSCredential": "credential",
    "System.Management.Automation.ActionPreference": "action",
    "System.Security.SecureString": "securestring", "SecureString": "securestring",
    "System.Security.Cryptography.X509Certificates.X509Certificate2": "certificate",
}

# Enums of the connection cmdlets: canonical names, matched case-insensitively (Enum.Parse).
_ENUMS = {
    "Microsoft.Graph.PowerShell.Authentication.ContextScope": ("Process", "CurrentUser"),
    "ContextScope": ("Process", "CurrentUser"),
    "AzureEnvironment": ("Production", "PPE", "China", "Germany", "USGovernment", "USGovernmentHigh",
                         "USGovernmentDoD", "Custom"),
    "PnP.Framework.AzureEnvironment": ("Production", "PPE", "China", "Germany", "USGovernment",
                                       "USGovernmentHigh", "USGovernmentDoD", "Custom"),
    # Invoke-MgGraphRequest's -Method and -OutputType.
    "Microsoft.Graph.PowerShell.Authentication.Models.GraphRequestMethod": ("GET", "POST", "PUT", "PATCH",
                                                                            "DELETE"),
    "Microsoft.Graph.PowerShell.Authentication.Models.OutputType": ("HashTable", "PSObject",
                                                                    "HttpResponseMessage", "Json"),
}



def _nullable_inner(text: str) -> str | None:
    """``System.Nullable`1[X]``, ``Nullable[X]`` or ``X?`` -> ``X``."""
    for prefix in ("System.Nullable`1[", "Nullable[", "System.Nullable["):
        if text.startswith(prefix) and text.endswith("]"):
            return text[len(prefix):-1]
    return text[:-1] if text.endswith("?") else None


class TypeSpec(NamedTuple):
    """A parameter type: ``name`` as PowerShell prints it, ``base`` without Nullable/array."""

    name: str
    base: str
    kind: str
    nullable: bool = False
    array: bool = False

    @property
    def value_type(self) -> bool:
        """A .NET value type (cannot hold $null unless Nullable)."""
        return self.kind in ("int32", "int64", "datetime", "bool", "switch", "guid", "double", "action") \
            and not self.nullable and not self.array


def _full(name: str) -> str:
    return _SHORT.get(name.casefold(), name)


@functools.lru_cache(maxsize=256)
def parse_type(name: str) -> TypeSpec:
    """Classify a .NET type name from the YAML."""
    text = name.strip()
    inner_text = _nullable_inner(text)
    if inner_text:
        inner = _full(inner_text)
        base_spec = parse_type(inner)
        return TypeSpec(name=f"System.Nullable`1[{inner}]", base=inner, kind=base_spec.kind, nullable=True)
    if text.endswith("[]"):
        element = _full(text[:-2])
        kind = _KINDS.get(element, "other")
        return TypeSpec(name=f"{element}[]", base=element, kind=kind, array=True)
    full = _full(text)
    kind = _KINDS.get(full, "")
    if not kind:
        if ".Models." in full or full.rsplit(".", 1)[-1].startswith("IMicrosoftGraph"):
            kind = "model"
        elif full.endswith("PipeBind"):
            kind = "pipebind"
        else:
            kind = "other"
    return TypeSpec(name=full, base=full, kind=kind)


def _type_matches(value: PSObject, base: str) -> bool:
    short = base.rsplit(".", 1)[-1]
    candidates = {short.casefold()}
    if short.startswith("I") and short[1:2].isupper():
        candidates.add(short[1:].casefold())  # interface IFoo is implemented by Foo
    return any(t.rsplit(".", 1)[-1].casefold() in candidates for t in value.type_names)


def is_instance(value: Any, spec: TypeSpec) -> bool:
    """Is ``value`` already of the type (pipeline binding without coercion)?"""
    if spec.kind == "object":
        return True
    if value is None:
        return not spec.value_type and spec.kind != "string"
    if spec.array:
        return isinstance(value, list) and all(is_instance(v, TypeSpec(spec.base, spec.base, spec.kind))
                                               for v in value)
    kind = spec.kind
    if kind == "string":
        return isinstance(value, str)
    if kind in ("int32", "int64"):
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "double":
        return isinstance(value, float)
    if kind == "datetime":
        return isinstance(value, _dt.datetime)
    if kind in ("bool", "switch"):
        return isinstance(value, bool)
    if kind == "hashtable":
        return isinstance(value, PSHashtable) and not value.ordered
    if kind == "idictionary":
        return isinstance(value, Mapping)
    if isinstance(value, PSObject):
        return _type_matches(value, spec.base)
    return False


def _enum_name(value: Any, type_name: str, names: tuple[str, ...]) -> str:
    """The enumerator ``value`` names (minimum disambiguation), or PowerShell's error."""
    return C.to_enum(value, type_name, names)


def _to_action(value: Any) -> str:
    return C.to_action_preference(value)


def _invalid(value: Any, spec: TypeSpec) -> C.ConversionError:
    return C.ConversionError(f'Cannot convert the "{C.dotnet_string(value)}" value of type '
                             f'"{C.type_display(value)}" to type "{spec.name}".')


def _scalar(value: Any, spec: TypeSpec, culture: str, from_text: bool) -> Any:
    kind = spec.kind
    if kind == "string":
        return C.to_string(value)
    if kind == "int32":
        return C.to_int32(value)
    if kind == "int64":
        return C.to_int32(value) if isinstance(value, str) and not value.strip() else _to_int64(value)
    if kind == "double":
        return float(value) if isinstance(value, int | float | Decimal) else float(C.to_decimal(value))
    if kind == "datetime":
        return C.to_datetime(value, culture)
    if kind in ("bool", "switch"):
        return C.to_bool(value)
    if kind in ("hashtable", "idictionary"):
        return C.to_hashtable(value, spec.name, from_text=from_text)
    if kind == "uri":
        return C.to_uri(value)
    if kind == "guid":
        return C.to_guid(value)
    if kind == "action":
        return _to_action(value)
    if spec.base in _ENUMS and isinstance(value, str):
        return _enum_name(value, spec.name, _ENUMS[spec.base])
    # bash has no PSCredential, SecureString or X509Certificate2 (docs/connect.md): from argv a
    # credential is its UserName (the secret comes from the environment), a SecureString its text,
    # a certificate its file path. Script values of those types pass through as they are.
    if kind == "credential":
        if isinstance(value, str) and from_text:
            return PSObject([("UserName", value), ("Password", None)],
                            type_names=("System.Management.Automation.PSCredential",))
        if isinstance(value, PSObject):
            return value
        raise _invalid(value, spec)
    if kind == "securestring":
        if (isinstance(value, str) and from_text) or hasattr(value, "reveal"):
            return value
        raise _invalid(value, spec)
    if kind == "certificate":
        if isinstance(value, str) and from_text:
            return value
        if isinstance(value, PSObject) and _type_matches(value, spec.base):
            return value
        raise _invalid(value, spec)
    if kind == "object":
        return value
    if kind == "model":
        if isinstance(value, PSHashtable | PSObject):
            return value
        if isinstance(value, Mapping):
            return dict(value)
        if isinstance(value, str):
            data = C.parse_json_object(value)
            if data is not None:
                return data  # a JSON body: keys are wire names, matched exactly
            if spec.base.endswith("Identity"):
                # [inferred] autorest's identity TypeConverter accepts any string, fails to read it
                # as JSON and returns null; a mandatory -InputObject then reports NullNotAllowed.
                return None
        raise _invalid(value, spec)
    if kind == "pipebind":
        if isinstance(value, str | PSObject):
            return value
        raise _invalid(value, spec)
    if isinstance(value, PSObject) and _type_matches(value, spec.base):
        return value
    raise _invalid(value, spec)


def _to_int64(value: Any) -> int:
    if isinstance(value, int):
        return int(value)
    number = C.to_decimal(value)
    return int(number.to_integral_value())


_NULL_IS_ZERO = frozenset({"int32", "int64", "double", "bool", "switch"})


def convert(value: Any, spec: TypeSpec, culture: str = C.INVARIANT, *, from_text: bool = False) -> Any:
    """LanguagePrimitives.ConvertTo(value, spec); raises ``ConversionError``."""
    if value is None:
        if spec.nullable or not spec.value_type:
            return "" if spec.kind == "string" and not spec.array else None
        if spec.kind in _NULL_IS_ZERO:
            return _scalar(0, spec, culture, from_text)
        # LanguagePrimitives: $null is 0/False for numbers and Booleans, an error for other structs
        raise C.ConversionError(f'Cannot convert null to type "{spec.name}".')
    plain = C.plain_number(value)
    if plain is not value and spec.kind != "string" and not spec.array:
        value = plain
    if spec.array:
        items = value if isinstance(value, list | tuple) else [value]
        element = TypeSpec(name=spec.base, base=spec.base, kind=spec.kind)
        return [convert(v, element, culture, from_text=from_text) for v in items]
    return _scalar(value, spec, culture, from_text)
