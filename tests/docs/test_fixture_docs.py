"""The importer on small platyPS docs of our own: positions, aliases, sets, ByPropertyName,
wildcards, several metadata blocks per parameter, and SYNTAX/PARAMETERS disagreements."""

from __future__ import annotations

from pathlib import Path

from pscompat.docs.importer import import_doc, import_text, parse_complex_parameters
from pscompat.docs.syntax import ALL_SETS, display_type, parse_syntax
from pscompat.model import parse_paramsets

FIXTURES = Path(__file__).parent / "fixtures"


def test_widget_positions_aliases_pipeline_wildcard() -> None:
    data = import_doc(FIXTURES / "Get-Widget.md")
    assert data["import_warnings"] == []
    assert data["module"] == "Widgets"
    assert data["parameter_sets"] == ["ByName", "ById"] and data["default_parameter_set"] == "ByName"
    assert data["supports_should_process"] is False
    name, ident, store, exclude, asjob = data["parameters"]
    assert name["aliases"] == ["WidgetName", "N"] and name["wildcard"] is True
    assert name["default_value"] == "All widgets"
    assert name["sets"] == {"ByName": {"mandatory": False, "position": 0, "pipeline": ["ByValue", "ByPropertyName"]}}
    assert ident["sets"] == {"ById": {"mandatory": True, "position": 0, "pipeline": ["ByPropertyName"]}}
    assert store["sets"] == {ALL_SETS: {"mandatory": False, "position": 1, "pipeline": []}}
    assert store["aliases"] == ["s"]
    assert exclude["wildcard"] is True and exclude["sets"]["ByName"]["position"] is None
    assert asjob["default_value"] == "False"
    assert data["inputs"] == ["System.String[]", "System.Int32"] and data["outputs"] == ["Widgets.Widget"]
    assert data["notes"] == "Widgets are cached for a minute."
    assert data["related_links"] == ["Online Version: https://example.invalid/get-widget", "[Set-Gizmo](Set-Gizmo.md)", "[Widgets online](https://example.invalid/widgets)"]
    assert data["examples"][1] == {
        "title": "Example 2: By id, from the pipeline",
        "code": "PS C:\\> [pscustomobject]@{ Id = 5 } | Get-Widget\nPS C:\\> Get-Widget 5 -Store Main",
        "remarks": "The Id comes from the input object's property."}
    model = parse_paramsets(data)
    widget_name = model.parameter("Name")
    assert widget_name is not None and widget_name.sets["ByName"].value_from_pipeline_by_property_name


def test_gizmo_disagreements_parameters_win() -> None:
    data = import_doc(FIXTURES / "Set-Gizmo.md")
    by_name = {p["name"]: p for p in data["parameters"]}
    assert list(by_name) == ["Name", "InputObject", "Size", "Colour", "PassThru"]  # no WhatIf/Confirm/ProgressAction
    assert data["supports_should_process"] is True
    assert data["common_parameter_names"][-1] == "ProgressAction"
    # SYNTAX says -Size is mandatory in ByName; PARAMETERS says not: PARAMETERS wins
    assert by_name["Size"]["sets"]["ByName"]["mandatory"] is False
    # two yaml blocks, one per set
    assert set(by_name["Size"]["sets"]) == {"ByName", "ByObject"}
    # no Required line: the one case where SYNTAX fills in
    assert by_name["Colour"]["sets"]["ByName"]["mandatory"] is False
    assert by_name["Colour"]["aliases"] == ["Color"] and by_name["Colour"]["default_value"] == "Blue"
    assert data["parameter_sets"] == ["ByName", "ByObject", "ByPath"]
    assert data["default_parameter_set"] is None
    assert data["examples"][0]["title"] == "EXAMPLE 1"
    assert data["outputs"] == ["None", "Gizmo"]
    warnings = data["import_warnings"]
    assert "SYNTAX (ByName) shows -Size as mandatory, PARAMETERS says Required: False; PARAMETERS wins" in warnings
    assert "SYNTAX (ByObject) shows -Colour <Int32>, PARAMETERS says String; PARAMETERS wins" in warnings
    assert "SYNTAX (ByObject) shows -Ghost, which PARAMETERS does not define; PARAMETERS wins" in warnings
    assert "-PassThru names parameter set 'ByPath', which SYNTAX does not show; the set is added" in warnings
    assert any(w.startswith("-Colour: no Required value in PARAMETERS; taken from SYNTAX") for w in warnings)


def test_syntax_missing_required_from_syntax_mandatory() -> None:
    text = (FIXTURES / "Set-Gizmo.md").read_text().replace(
        "Set-Gizmo -Name <String> -Size <Int32> [-Colour <String>]", "Set-Gizmo -Name <String> -Size <Int32> -Colour <String>")
    data = import_text(text, "Set-Gizmo.md")
    colour = next(p for p in data["parameters"] if p["name"] == "Colour")
    assert colour["sets"]["ByName"]["mandatory"] is True and colour["sets"]["ByObject"]["mandatory"] is False


def test_positional_and_type_mismatch_reported() -> None:
    text = (FIXTURES / "Get-Widget.md").read_text().replace("[[-Store] <String>] [-AsJob]", "[-Store <Int32>] [-AsJob]")
    warnings = import_text(text, "Get-Widget.md")["import_warnings"]
    assert "SYNTAX (ById) shows -Store as named, PARAMETERS says Position: 1; PARAMETERS wins" in warnings
    assert "SYNTAX (ById) shows -Store <Int32>, PARAMETERS says System.String; PARAMETERS wins" in warnings


def test_syntax_reader_forms() -> None:
    line = parse_syntax("Get-X [[-A] <String[]>] [-B] <Int32> [-C <Hashtable>] [-D] -E <String> -F\n"
                        " [-G {Process | CurrentUser}] [-WhatIf] [<CommonParameters>]")
    assert line.command == "Get-X" and line.common_parameters
    got = [(e.name, e.type, e.mandatory, e.positional) for e in line.elements]
    assert got == [("A", "String[]", False, True), ("B", "Int32", True, True), ("C", "Hashtable", False, False),
                   ("D", None, False, False), ("E", "String", True, False), ("F", None, True, False),
                   ("G", "Process | CurrentUser", False, False), ("WhatIf", None, False, False)]


def test_display_type() -> None:
    assert display_type("System.Nullable`1[System.DateTime]") == "DateTime"
    assert display_type("Int32?") == "Int32"
    assert display_type("System.String[]") == "String[]"
    assert display_type("Microsoft.Graph.PowerShell.Runtime.SendAsyncStep[]") == "SendAsyncStep[]"


def test_complex_parameters_nested_and_required() -> None:
    notes = ("`BODY <IThing>`: a thing\n"
             "  - `Name <String>`: required name\n"
             "  - `[Owner <IOwner>]`: owner\n"
             "    - `[Id <String>]`: owner id\n"
             "  - `[Size <Int32?>]`: size\n")
    parsed = parse_complex_parameters(notes)
    body = parsed["BODY"]
    assert body["type"] == "IThing" and body["description"] == "a thing"
    assert [p["name"] for p in body["properties"]] == ["Name", "Owner", "Size"]
    assert body["properties"][0]["required"] is True and body["properties"][1]["required"] is False
    assert body["properties"][1]["properties"] == [{"name": "Id", "type": "String", "required": False,
                                                    "description": "owner id"}]


def test_windows_line_endings_and_bom() -> None:
    text = "\ufeff" + (FIXTURES / "Get-Widget.md").read_text().replace("\n", "\r\n")
    assert import_text(text, "Get-Widget.md")["parameters"] == import_doc(FIXTURES / "Get-Widget.md")["parameters"]


def test_platyps_v2_yaml_metadata() -> None:
    """Microsoft.PowerShell.PlatyPS 1.x: real YAML with a ParameterSets list, DontShow, AcceptedValues."""
    data = import_doc(FIXTURES / "Get-Sprocket.md")
    assert data["import_warnings"] == []
    assert data["parameter_sets"] == ["Path", "Id"] and data["default_parameter_set"] == "Path"
    path, ident, kind, secret = data["parameters"]
    assert path["aliases"] == ["PSPath"] and path["wildcard"] is True and path["default_value"] is None
    assert path["sets"] == {"Path": {"mandatory": True, "position": 0, "pipeline": ["ByValue", "ByPropertyName"]}}
    assert ident["sets"] == {"Id": {"mandatory": True, "position": None, "pipeline": ["ByPropertyName"]}}
    assert kind["sets"] == {ALL_SETS: {"mandatory": False, "position": None, "pipeline": []}}
    assert kind["default_value"] == "Any" and kind["accepted_values"] == ["Any", "Small", "Large"]
    assert secret["hidden"] is True and "hidden" not in path
    assert data["related_links"] == ["Online Version: https://example.invalid/get-sprocket",
                                     "[Online](https://example.invalid/get-sprocket)"]
    assert "ProgressAction" in data["common_parameter_names"]
    model = parse_paramsets(data)
    assert model.parameter("Secret").hidden  # type: ignore[union-attr]


def test_accelerator_spellings_in_syntax_are_not_mismatches() -> None:
    from pscompat.docs.syntax import same_type
    assert same_type("<int>"[1:-1], "System.Int32") and same_type("string[]", "System.String[]")
    assert same_type("switch", "SwitchParameter") and not same_type("int", "System.Int64")
