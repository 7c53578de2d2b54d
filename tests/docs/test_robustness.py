"""Random input never produces a traceback: only the documented errors."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pscompat.docs.commands import parse_help_args
from pscompat.docs.errata import PatchError, apply_errata
from pscompat.docs.importer import DocImportError, import_text
from pscompat.docs.writer import dump_paramsets
from pscompat.errors import ErrorRecord
from pscompat.model import parse_paramsets

FIXTURE = (Path(__file__).parent / "fixtures" / "Set-Gizmo.md").read_text()
LINES = FIXTURE.splitlines()
PIECES = ["# Get-X", "## SYNTAX", "## PARAMETERS", "### -Name", "### Set (Default)", "```", "```yaml",
          "Type: String", "Parameter Sets: (All)", "Parameter Sets: A, B", "Required: True", "Required:",
          "Position: 0", "Position: x", "Accept pipeline input: True", "Aliases: a, b", "---", "Module Name: M",
          "Get-X -Name <String> [[-P] <Int32>] [<CommonParameters>]", "## NOTES", "`BODY <T>`: d",
          "  - `[A <String>]`: a", "    - `B <Int32?>`: b", "### CommonParameters", "", "\t", "[x](y)"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.sampled_from(LINES), st.text(max_size=30)), max_size=60))
def test_importer_never_crashes(lines: list[str]) -> None:
    try:
        data = import_text("\n".join(lines), "fuzz.md")
    except DocImportError:
        return
    parse_paramsets(data)      # what it produces loads through the model
    dump_paramsets(data)       # and dumps


OPS = st.fixed_dictionaries({"op": st.sampled_from(["set", "add_parameter", "set_parameter", "rename_parameter",
                                                    "add_alias", "remove_parameter", "add_common_parameter",
                                                    "set_example", "replace_syntax", "bogus"])},
                            optional={"name": st.sampled_from(["Name", "InputObject", "Nope", "", None]),
                                      "to": st.text(max_size=5), "alias": st.text(max_size=5),
                                      "field": st.sampled_from(["kind", "parameters", "", None]),
                                      "value": st.integers(), "index": st.integers(-2, 3),
                                      "generate": st.booleans(), "type": st.text(max_size=5),
                                      "pipeline": st.lists(st.sampled_from(["ByValue", "ByPropertyName"])),
                                      "parameter": st.dictionaries(st.sampled_from(["name", "type"]), st.text(max_size=5)),
                                      "syntax": st.dictionaries(st.text(max_size=3), st.text(max_size=5))})


@settings(max_examples=300, deadline=None)
@given(st.lists(OPS, max_size=6))
def test_errata_fail_only_with_patch_error(ops: list[dict[str, Any]]) -> None:
    imported = import_text(FIXTURE, "Set-Gizmo.md")
    with contextlib.suppress(PatchError):
        apply_errata(imported, [{"id": "f", "error": "e", "resolution": "r", "patch": ops}])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["-Full", "-P", "-Parameter", "-Parameter:", "-", "--", "-ex", "-:x",
                                           "X", "-Name", "-Online:$false", "-1"]), st.text(max_size=8)), max_size=6))
def test_help_args_fail_only_with_error_records(argv: list[str]) -> None:
    with contextlib.suppress(ErrorRecord):
        parse_help_args(argv)
