"""Default views, --format, culture dates and the error view, against the texts in facts/."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pscompat.errors import ErrorRecord
from pscompat.host import split_options
from pscompat.model import load_cmdlet
from pscompat.render.culture import format_datetime
from pscompat.render.errors import format_error
from pscompat.render.views import format_output
from pscompat.render.whatif import whatif_line
from pscompat.values import PSHashtable, PSObject

FACTS = Path(__file__).resolve().parents[3] / "shared" / "facts"
MG = "New-MgUserAuthenticationTemporaryAccessPassMethod"


def _facts_table() -> list[str]:
    text = (FACTS / "mg-cmdlets.md").read_text()
    block = text.split("columns in this order:\n\n```\n", 1)[1].split("```", 1)[0]
    return block.rstrip("\n").split("\n")


def _facts_object() -> PSObject:
    utc = dt.UTC
    return PSObject([
        ("Id", "c5dbd20a-8b8f-4791-a23f-488fcbde3b38"),
        ("CreatedDateTime", dt.datetime(2021, 3, 9, 23, 19, 17, tzinfo=utc)),
        ("IsUsable", False), ("IsUsableOnce", True), ("LifetimeInMinutes", 60),
        ("MethodUsabilityReason", "NotYetValid"),
        ("StartDateTime", dt.datetime(2021, 3, 11, 6, 0, 0, tzinfo=utc)),
        ("TemporaryAccessPass", "TAPRocks!"), ("AdditionalProperties", PSHashtable())],
        type_names=("Microsoft.Graph.PowerShell.Models.MicrosoftGraphTemporaryAccessPassAuthenticationMethod",))


def test_mg_table_view_is_the_facts_sample_byte_for_byte_under_en_au() -> None:
    cmdlet = load_cmdlet(MG)
    assert cmdlet.output is not None
    text = format_output([_facts_object()], view=cmdlet.output.view, columns=cmdlet.output.columns,
                         culture="en-AU")
    assert text.strip("\n").split("\n") == _facts_table()
    assert text.startswith("\n") and text.endswith("\n\n")


def test_en_us_is_the_default_culture() -> None:
    value = dt.datetime(2021, 3, 9, 23, 19, 17, tzinfo=dt.UTC)
    assert format_datetime(value) == "3/9/2021 11:19:17 PM"
    assert format_datetime(value, "en-AU") == "9/03/2021 11:19:17 PM"
    assert format_datetime(value, "de-DE") == "09.03.2021 23:19:17"


def test_pnp_list_view_pads_names_and_keeps_model_order() -> None:
    obj = PSObject([("Id", "72e2eb87-c124-4bd9-8e01-a447a1752058"), ("TemporaryAccessPass", "x"),
                    ("CreatedDateTime", None), ("StartDateTime", None), ("LifetimeInMinutes", 10),
                    ("IsUsableOnce", True), ("IsUsable", False), ("MethodUsabilityReason", "NotYetValid")])
    text = format_output([obj], view="list")
    lines = text.strip("\n").split("\n")
    assert lines[0] == "Id                    : 72e2eb87-c124-4bd9-8e01-a447a1752058"
    assert lines[2] == "CreatedDateTime       :"
    assert lines[-1] == "MethodUsabilityReason : NotYetValid"
    # no view and more than four properties -> list (PowerShell's default formatting)
    assert format_output([obj]) == text


def test_json_and_csv_formats() -> None:
    obj = _facts_object()
    data = json.loads(format_output([obj], fmt="json"))
    assert data["CreatedDateTime"] == "2021-03-09T23:19:17.0000000Z"
    assert data["LifetimeInMinutes"] == 60 and data["IsUsable"] is False
    csv = format_output([obj], fmt="csv").split("\n")
    assert csv[0].startswith('"Id","CreatedDateTime","IsUsable"')
    assert csv[1].startswith('"c5dbd20a-8b8f-4791-a23f-488fcbde3b38","3/9/2021 11:19:17 PM","False"')


def test_pscompat_options_are_taken_out_of_argv() -> None:
    opts, rest = split_options(["-UserId", "x", "--format", "json", "--strict", "--culture=en-AU"])
    assert rest == ["-UserId", "x"]
    assert (opts.format, opts.strict, opts.culture) == ("json", True, "en-AU")
    with pytest.raises(ValueError):
        split_options(["--format", "yaml"])
    with pytest.raises(ValueError):
        split_options(["--nope"])


def test_whatif_line_is_the_facts_text_and_follows_the_set() -> None:
    cmdlet = load_cmdlet(MG)
    assert whatif_line(cmdlet, "CreateExpanded") == (
        'What if: Performing the operation "New-MgUserAuthenticationTemporaryAccessPassMethod_CreateExpanded" '
        "on target \"Call remote 'POST /users/{user-id}/authentication/temporaryAccessPassMethods' operation\".")
    assert '"New-MgUserAuthenticationTemporaryAccessPassMethod_Create"' in (whatif_line(cmdlet, "Create") or "")
    remove = load_cmdlet("Remove-MgUserAuthenticationTemporaryAccessPassMethod")
    assert "'DELETE /users/{user-id}/authentication/temporaryAccessPassMethods/" \
           "{temporaryAccessPassAuthenticationMethod-id}'" in (whatif_line(remove, "Delete") or "")
    assert whatif_line(load_cmdlet("New-PnPEntraIDUserTemporaryAccessPass"), None) is None


def test_error_views() -> None:
    record = ErrorRecord("A parameter cannot be found that matches parameter name 'Nope'.",
                         "NamedParameterNotFound", "InvalidArgument", command=MG, fqid_suffix=MG)
    assert format_error(record) == f"{MG}: A parameter cannot be found that matches parameter name 'Nope'."
    normal = format_error(record, view="normal").split("\n")
    # ErrorCategoryInfo.Ellipsize: parts over 40 characters keep their first and last 15.
    assert normal[1] == ("    + CategoryInfo          : InvalidArgument: (:) [New-MgUserAuthe\u2026ccessPassMethod], "
                         "ParameterBindingException")
    assert normal[2] == f"    + FullyQualifiedErrorId : NamedParameterNotFound,{MG}"


def test_shape_check_rules() -> None:
    from pscompat.shapes import check, shape_for
    shape = shape_for(load_cmdlet("Get-MgUserAuthenticationTemporaryAccessPassMethod"))
    assert shape is not None
    assert check(shape, {"id": "x", "isUsable": True}) == []  # $select: absent reads as $null
    assert check(shape, {"id": "x", "temporaryAccessPass": "abc"}) == [
        "The response carries a 'temporaryAccessPass' value, which Microsoft.Graph.PowerShell.Models."
        "MicrosoftGraphTemporaryAccessPassAuthenticationMethod documents as returned only on creation."]
    assert check(shape, {"id": "x"}, creation=True)[0].startswith("The response to a create has no 'temporaryAccessPass'")
    assert "not one of the values" in check(shape, {"methodUsabilityReason": "Maybe"})[0]
    assert "documents LifetimeInMinutes as Int32" in check(shape, {"lifetimeInMinutes": True})[0]
    assert "does not document" in check(shape, {"surprise": 1})[0]
    assert check(shape, {"@odata.context": "x", "createdDateTime": "2022-06-02T16:21:09.765173Z"}) == []
