"""Microsoft's current docs vs the seed/companion docs pscompat binds to: every difference is
recorded in cmdlets/_current_docs.yaml (regenerated here) and listed in compat-matrix.md."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from pscompat.docs.current import compare_all, differences

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
REAL = SHARED / "docs-real"


@pytest.mark.skipif(not REAL.is_dir() or not (SHARED / "seeds").is_dir(), reason="shared docs not available")
def test_committed_differences_are_the_comparison() -> None:
    text = compare_all(ROOT / "paramsets", [ROOT / "docs" / "cmdlets", SHARED / "seeds"], [REAL / "mg", REAL / "pnp"])
    assert (ROOT / "cmdlets" / "_current_docs.yaml").read_text(encoding="utf-8") == text
    recorded = yaml.safe_load(text)["cmdlets"]
    # every seed and companion cmdlet with a current doc is compared, the seed PnP one under its new name
    assert {"New-MgUserAuthenticationTemporaryAccessPassMethod", "New-PnPAzureADUserTemporaryAccessPass",
            "Get-PnPEntraIDUser", "Connect-MgGraph"} <= set(recorded)
    assert recorded["New-PnPAzureADUserTemporaryAccessPass"]["current_doc"] == "pnp/New-PnPEntraIDUserTemporaryAccessPass.md"
    assert "-IgnoreDefaultProperties: not in the current doc" in recorded["Get-PnPEntraIDUser"]["differences"]
    matrix = (ROOT / "compat-matrix.md").read_text(encoding="utf-8")
    for name, entry in recorded.items():
        assert f"### {name}: {entry['current_doc']} vs {entry['bound_doc']}" in matrix


def test_differences_name_each_kind() -> None:
    bound = {"parameter_sets": ["A", "B"], "default_parameter_set": "A", "supports_should_process": False,
             "outputs": ["X"],
             "parameters": [{"name": "Id", "type": "System.String", "aliases": [],
                             "sets": {"A": {"mandatory": True, "position": 0, "pipeline": []}}},
                            {"name": "Old", "type": "System.Int32", "sets": {"__AllParameterSets": {}}}]}
    current = copy.deepcopy(bound)
    assert differences(bound, current) == []
    current["parameters"][0]["sets"]["A"]["position"] = None
    current["parameters"][0]["aliases"] = ["UserId"]
    current["parameters"][1] = {"name": "New", "type": "System.String", "sets": {"__AllParameterSets": {}}}
    current["supports_should_process"] = True
    assert differences(bound, current) == [
        "WhatIf/Confirm: the current doc has them, pscompat the opposite",
        "-New: only in the current doc",
        "-Old: not in the current doc",
        "-Id: aliases ['UserId'] in the current doc, [] in pscompat",
        "-Id (A): mandatory in the current doc, mandatory, position 0 in pscompat",
    ]
