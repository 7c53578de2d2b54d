"""System.Version and SemanticVersion, as prerequisite checks in admin scripts use them:
``(Get-Module ...).Version -lt [version]'2.0'``, ``$PSVersionTable.PSVersion.Major``.

Facts from .NET (System.Version): two to four components, the unset ones -1 and before 0 when
comparing (``1.2 < 1.2.0``); Parse's "Version string portion was too short or too long.";
``ToString(n)``. PowerShell: a cast failure reads ``Cannot convert value "x" to type
"System.Version". Error: "..."``; the default view of a Version is a table of Major, Minor,
Build and Revision (of a SemanticVersion: Major, Minor, Patch, PreReleaseLabel, BuildLabel);
ConvertTo-Json writes its six public properties; the right operand of a comparison converts to
the left's type, so ``[version]'2.10' -gt '2.9'`` compares numbers, not text.
"""

from __future__ import annotations

from .helpers import run


def lines(text: str) -> list[str]:
    r = run(text)
    assert r.code == 0, r.err
    return r.out.splitlines()


def test_parse_members_and_text() -> None:
    assert lines("$v = [version]'1.2.3'; \"$v\"; $v.Major; $v.Build; $v.Revision; $v.ToString(2); $v -is [version]") \
        == ["1.2.3", "1", "3", "-1", "1.2", "True"]
    assert lines("\"$([version]::new(2, 1)) $([version]::Parse('3.0')) $([version]::new('2.1.3'))\"") == \
        ["2.1 3.0 2.1.3"]
    assert lines("$ok = [version]::TryParse('4.5.6', [ref]$p); \"$ok $p\"; "
                 "$bad = [version]::TryParse('x', [ref]$q); \"$bad [$q]\"") == ["True 4.5.6", "False []"]


def test_comparisons_are_numeric_component_by_component() -> None:
    assert lines("[version]'2.10' -gt [version]'2.9'; [version]'2.10' -gt '2.9'; [version]'1.2' -lt [version]'1.2.0'; "
                 "[version]'1.2' -eq '1.2'") == ["True"] * 4
    assert lines("'2.10', '2.9', '10.0' | ForEach-Object { [version]$_ } | Sort-Object | ForEach-Object { \"$_\" }") == \
        ["2.9", "2.10", "10.0"]


def test_bad_text_is_a_cast_error() -> None:
    r = run("[version]'1.2.3.4.5'; 'after'")
    assert 'Cannot convert value "1.2.3.4.5" to type "System.Version". Error: "Version string portion was too ' \
           'short or too long."' in r.err
    assert "ConvertToFinalInvalidCastException" in r.err and r.out == "after\n"


def test_default_views_and_json() -> None:
    assert lines("[version]'1.2.3'") == ["", "Major  Minor  Build  Revision", "-----  -----  -----  --------",
                                          "1      2      3      -1", ""]
    assert lines("$PSVersionTable.PSVersion") == ["", "Major  Minor  Patch  PreReleaseLabel BuildLabel",
                                                   "-----  -----  -----  --------------- ----------", "7      4      0", ""]
    assert lines("[version]'1.2' | ConvertTo-Json -Compress") == \
        ['{"Major":1,"Minor":2,"Build":-1,"Revision":-1,"MajorRevision":-1,"MinorRevision":-1}']
    table = lines("[pscustomobject]@{Name='x'; Version=[version]'2.0.1'}")
    assert table[-2].split() == ["x", "2.0.1"]


def test_prerequisite_checks_as_scripts_write_them() -> None:
    assert lines("if ($PSVersionTable.PSVersion.Major -lt 7) { 'old' } else { 'new' }; "
                 "$PSVersionTable.PSVersion -ge [version]'7.0'; [semver]'7.4.0-preview.1' -lt [semver]'7.4.0'; "
                 "$m = Get-Module Microsoft.Graph.Authentication -ListAvailable | Sort-Object Version -Descending | "
                 "Select-Object -First 1; $m.Version -lt [version]'2.0.0'; $m.Version.GetType().FullName") == \
        ["new", "True", "True", "False", "System.Version"]
