"""Issue 10 item 4: Get-Command (wildcards, -Verb/-Noun/-Module/-CommandType/-ParameterName,
-Syntax), ``using namespace``/``using module``, Get-Date -DisplayHint and DateTime.Parse forms.

Facts: Get-Command's docs and Get-Command.Tests.ps1 (a plain name that matches nothing is
CommandNotFoundException, a wildcard that matches nothing writes nothing; -Verb/-Noun select
Verb-Noun commands); about_Using ("using statements must come before any other statements",
ParserStrings UsingMustBeAtStartOfScript, ModuleNotFoundDuringParse "Could not find the module
'X'."); Get-Date's docs (-DisplayHint Date|Time|DateTime: "Date displays only the date",
"Time displays only the time"); .NET DateTime.Parse reads RFC 1123 ("ddd, dd MMM yyyy
HH':'mm':'ss 'GMT'") as UTC and returns local time.
"""

from __future__ import annotations

import datetime as dt

import pytest

from .helpers import run


def lines(text: str) -> list[str]:
    r = run(text)
    assert r.code == 0, r.err
    return r.out.splitlines()


def test_get_command_wildcards_and_filters() -> None:
    out = lines("Get-Command *TemporaryAccessPass* | ForEach-Object { $_.CommandType + ' ' + $_.Name + ' ' + $_.Source }")
    assert out == [
        "Alias New-PnPAzureADUserTemporaryAccessPass -> New-PnPEntraIDUserTemporaryAccessPass PnP.PowerShell",
        "Function Get-MgUserAuthenticationTemporaryAccessPassMethod Microsoft.Graph.Identity.SignIns",
        "Function New-MgUserAuthenticationTemporaryAccessPassMethod Microsoft.Graph.Identity.SignIns",
        "Function Remove-MgUserAuthenticationTemporaryAccessPassMethod Microsoft.Graph.Identity.SignIns",
        "Cmdlet New-PnPEntraIDUserTemporaryAccessPass PnP.PowerShell"]
    assert lines("Get-Command -Noun MgUser | ForEach-Object Name") == ["Get-MgUser", "New-MgUser", "Remove-MgUser",
                                                                      "Update-MgUser"]
    assert lines("(Get-Command -Verb Remove -Module Microsoft.Graph.Identity.SignIns).Count") == ["7"]
    assert lines("Get-Command -ParameterName TemporaryAccessPass | ForEach-Object Name") == \
        ["New-MgUserAuthenticationTemporaryAccessPassMethod"]
    assert lines("function Get-Thing {}; Get-Command -Noun Thing -CommandType Function | ForEach-Object Name") == \
        ["Get-Thing"]
    assert lines("Get-Command gcm | ForEach-Object Name") == ["gcm -> Get-Command"]
    assert lines("Get-Command Sort-Object | ForEach-Object Source") == ["Microsoft.PowerShell.Utility"]
    assert lines("Get-Command -Noun MgUser -TotalCount 1 | ForEach-Object Name") == ["Get-MgUser"]


def test_get_command_view_and_not_found() -> None:
    out = lines("Get-Command -Noun MgUser")
    assert out[1].split() == ["CommandType", "Name", "Version", "Source"]
    assert out[3].split() == ["Function", "Get-MgUser", "2.35.1", "Microsoft.Graph.Users"]  # the emulated module's
    assert lines("(Get-Command New-PnPEntraIDUserTemporaryAccessPass).Version") == \
        ["", "Major  Minor  Build  Revision", "-----  -----  -----  --------", "3      1      0      -1", ""]
    assert lines("$v = (Get-Command Get-MgUser).Version; \"$v\"; $v -is [version]; $v -ge '2.4'") == \
        ["2.35.1", "True", "True"]
    r = run("Get-Command Nope-Nope; 'after'")
    assert "The term 'Nope-Nope' is not recognized" in r.err and "CommandNotFoundException" in r.err
    assert r.out == "after\n"
    assert run("Get-Command Nope*").out == "" and run("Get-Command Nope*").err == ""


def test_get_command_syntax() -> None:
    out = run("Get-Command New-MgUserAuthenticationTemporaryAccessPassMethod -Syntax").out
    assert "New-MgUserAuthenticationTemporaryAccessPassMethod -UserId <String> [-AdditionalProperties <Hashtable>]" \
        in " ".join(out.split())
    assert run("Get-Command gcm -Syntax").out == "Get-Command\n"


def test_using_namespace_and_module() -> None:
    assert lines("using namespace System.Collections.Generic\n$l = [List[string]]::new(); $l.Add('a'); $l.Count") \
        == ["1"]
    assert lines("using namespace System.Collections.Concurrent\n# a comment between\n"
                 "using module Microsoft.Graph.Authentication\n"
                 "$b = [ConcurrentBag[int]]::new(); $b.Add(3); $b.Count; Get-Module | ForEach-Object Name") == \
        ["1", "Microsoft.Graph.Authentication"]


@pytest.mark.parametrize(("text", "error_id", "message"), [
    ("'x'\nusing namespace System.Text", "UsingMustBeAtStartOfScript",
     "A 'using' statement must appear before any other statements in a script."),
    ("using module Foo.Bar", "ModuleNotFoundDuringParse", "Could not find the module 'Foo.Bar'."),
    ("using assembly System.Xml", "UnsupportedConstruct", "'using assembly'"),
    ("[List[string]]::new()", "TypeNotFound", "Unable to find type [List[string]]."),
])
def test_using_errors(text: str, error_id: str, message: str) -> None:
    r = run(text)
    assert r.code == 1 and f"FullyQualifiedErrorId : {error_id}" in r.err and message in r.err


def test_get_date_display_hint() -> None:
    assert lines("Get-Date -Date '2030-06-05T09:00:00' -DisplayHint Date") == ["Wednesday, June 5, 2030"]
    assert lines("Get-Date -Date '2030-06-05T09:00:00' -DisplayHint Time") == ["9:00:00 AM"]
    assert lines("Get-Date -Date '2030-06-05T09:00:00' -DisplayHint DateTime") == ["Wednesday, June 5, 2030 9:00:00 AM"]
    assert lines("(Get-Date -Date '2030-06-05' -DisplayHint Date).DisplayHint") == ["Date"]
    assert lines("(Get-Date -Date '2030-06-05' -DisplayHint Date).AddDays(1)") == ["Thursday, June 6, 2030 12:00:00 AM"]
    r = run("Get-Date -DisplayHint Week")
    assert 'Cannot convert value "Week" to type "Microsoft.PowerShell.Commands.DisplayHintType"' in r.err


@pytest.mark.parametrize("text", ["Wed, 05 Jun 2030 09:00:00 GMT", "Wed, 05 Jun 2030 09:00:00 UTC",
                                  "5 Jun 2030 09:00:00 +0000", "2030-06-05T09:00:00Z"])
def test_datetime_parse_utc_forms_give_local_time(text: str) -> None:
    r = run(f"$d = [datetime]'{text}'; $d.Kind; $d.ToUniversalTime().ToString('o'); "
            f"([datetime]::Parse('{text}')).ToUniversalTime().ToString('o')")
    assert r.code == 0, r.err
    assert r.out.splitlines() == ["Local", "2030-06-05T09:00:00.0000000Z", "2030-06-05T09:00:00.0000000Z"]


@pytest.mark.parametrize(("text", "expected"), [
    ("June 5, 2030", dt.datetime(2030, 6, 5)), ("5 June 2030 9:00 AM", dt.datetime(2030, 6, 5, 9)),
    ("06/05/2030 13:45:10", dt.datetime(2030, 6, 5, 13, 45, 10)), ("2030-06-05T09:00", dt.datetime(2030, 6, 5, 9)),
    ("Wednesday, June 5, 2030 9:00:00 AM", dt.datetime(2030, 6, 5, 9)), ("Jun 5 2030", dt.datetime(2030, 6, 5)),
])
def test_datetime_parse_unspecified_forms(text: str, expected: dt.datetime) -> None:
    assert lines(f"$d = [datetime]'{text}'; $d.Kind; $d.ToString('yyyy-MM-dd HH:mm:ss')") == \
        ["Unspecified", expected.strftime("%Y-%m-%d %H:%M:%S")]
