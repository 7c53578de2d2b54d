"""The errata operations: each does one thing, and a stale erratum fails loudly."""

from __future__ import annotations

from typing import Any

import pytest

from pscompat.docs.errata import PatchError, apply_errata
from pscompat.docs.importer import import_text

DOC = """\
# Get-Thing

## SYNOPSIS
Gets a thing.

## SYNTAX

```
Get-Thing -Name <String> [-Count <Int32>] [<CommonParameters>]
```

## PARAMETERS

### -Name
The name.

```yaml
Type: System.String
Parameter Sets: (All)
Aliases:

Required: True
Position: Named
Default value: None
Accept pipeline input: False
Accept wildcard characters: False
```

### -Count
How many.

```yaml
Type: System.Int32
Parameter Sets: (All)
Aliases:

Required: False
Position: Named
Default value: None
Accept pipeline input: False
Accept wildcard characters: False
```

### CommonParameters
This cmdlet supports the common parameters: -Debug, -ErrorAction. For more information, see about.
"""


def erratum(*patch: dict[str, Any]) -> dict[str, Any]:
    return {"id": "t", "doc": "x.md", "source": "facts", "error": "e", "resolution": "r", "patch": list(patch)}


def apply(*patch: dict[str, Any]) -> dict[str, Any]:
    return apply_errata(import_text(DOC, "x.md"), [erratum(*patch)])


def names(doc: dict[str, Any]) -> list[str]:
    return [p["name"] for p in doc["parameters"]]


def test_no_errata_keeps_the_import() -> None:
    imported = import_text(DOC, "x.md")
    out = apply_errata(imported, [])
    assert out == {**imported, "errata": []}
    assert imported.get("errata") is None  # the input is not modified


def test_add_parameter_appends_or_goes_after() -> None:
    assert names(apply({"op": "add_parameter", "parameter": {"name": "Extra", "type": "System.String"}})) == \
        ["Name", "Count", "Extra"]
    doc = apply({"op": "add_parameter", "after": "Name", "parameter": {"name": "Extra", "type": "System.String"}})
    assert names(doc) == ["Name", "Extra", "Count"]
    assert doc["parameters"][1]["sets"] == {"__AllParameterSets": {"mandatory": False, "position": None, "pipeline": []}}


def test_set_rename_alias_remove() -> None:
    doc = apply({"op": "set_parameter", "name": "count", "type": "System.Int64", "pipeline": ["ByPropertyName"]},
                {"op": "rename_parameter", "name": "Count", "to": "Total"},
                {"op": "add_alias", "name": "Total", "alias": "T"},
                {"op": "remove_parameter", "name": "Name"})
    assert names(doc) == ["Total"]
    total = doc["parameters"][0]
    assert total["type"] == "System.Int64" and total["aliases"] == ["T"]
    assert total["sets"]["__AllParameterSets"]["pipeline"] == ["ByPropertyName"]


def test_set_field_and_common_parameter() -> None:
    doc = apply({"op": "set", "field": "kind", "value": "compiled"},
                {"op": "add_common_parameter", "name": "ProgressAction"})
    assert doc["kind"] == "compiled"
    assert doc["common_parameter_names"] == ["Debug", "ErrorAction", "ProgressAction"]


def test_replace_syntax_generates_after_all_patches() -> None:
    doc = apply({"op": "replace_syntax", "generate": True},
                {"op": "add_parameter", "parameter": {"name": "Force", "type": "System.Management.Automation.SwitchParameter"}})
    assert doc["syntax"] == {"__AllParameterSets": "Get-Thing -Name <String> [-Count <Int32>] [-Force] [<CommonParameters>]"}
    doc = apply({"op": "replace_syntax", "syntax": {"__AllParameterSets": "Get-Thing"}})
    assert doc["syntax"] == {"__AllParameterSets": "Get-Thing"}


@pytest.mark.parametrize("op", [
    {"op": "frobnicate"},
    {"op": "set_parameter", "name": "Nope", "type": "System.String"},
    {"op": "set_parameter", "name": "Name", "colour": "red"},
    {"op": "rename_parameter", "name": "Name"},
    {"op": "add_alias", "name": "Name", "alias": None},
    {"op": "add_parameter", "parameter": {"name": "Name", "type": "System.String"}},
    {"op": "add_parameter", "parameter": {"name": "NoType"}},
    {"op": "set", "field": "parameters", "value": []},
    {"op": "set_example", "index": 3, "code": "x"},
    {"op": "replace_syntax"},
    "not a mapping",
])
def test_bad_or_stale_ops_fail(op: Any) -> None:
    with pytest.raises(PatchError, match="erratum 't'"):
        apply(op)


def test_erratum_needs_its_explanation() -> None:
    with pytest.raises(PatchError, match="lacks error"):
        apply_errata(import_text(DOC, "x.md"), [{"id": "x", "resolution": "r", "patch": []}])
