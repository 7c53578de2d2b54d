"""The .NET text helpers admin scripts use, and building an ErrorRecord for ThrowTerminatingError.

Facts (.NET): StringBuilder's Append* return the builder; Convert.ToBase64String of UTF-8 bytes;
Uri.EscapeDataString keeps only RFC 3986's unreserved characters and writes upper-case hex;
HttpUtility.UrlEncode writes spaces as '+' and lower-case hex. PowerShell: ``-f`` formats with the
current culture (en-US: ``{0:P1}`` of 0.256 is ``25.6%``, ``{0:C}`` of 12.345 is ``$12.35``);
``$PSCmdlet.ThrowTerminatingError($record)`` in an advanced function gives the FQID
``<id>,<function>`` and the view names the function at its call site.
"""

from __future__ import annotations

from .helpers import run


def lines(text: str) -> list[str]:
    r = run(text)
    assert r.code == 0, r.err
    return r.out.splitlines()


def test_string_builder() -> None:
    assert lines("$sb = [System.Text.StringBuilder]::new(); [void]$sb.Append('x').AppendLine('y'); "
                 "$null = $sb.AppendFormat('{0}-{1}', 1, 2); $sb.ToString(); $sb.Length") == ["xy", "1-2", "6"]
    assert lines("$sb = New-Object -TypeName System.Text.StringBuilder -ArgumentList 'init'; "
                 "$sb.Insert(0, '>').Replace('i', 'I').ToString(); \"$sb\"; $sb -is [System.Text.StringBuilder]") == \
        [">InIt", ">InIt", "True"]


def test_encodings_and_base64() -> None:
    assert lines("$b = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('hello wörld')); $b; "
                 "[System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($b)); "
                 "[Text.Encoding]::ASCII.GetBytes('AB') -join ','") == ["aGVsbG8gd8O2cmxk", "hello wörld", "65,66"]


def test_url_escaping() -> None:
    assert lines("[uri]::EscapeDataString('a b&c/é'); [System.Web.HttpUtility]::UrlEncode('a b&c/é'); "
                 "[uri]::UnescapeDataString('a%20b')") == ["a%20b%26c%2F%C3%A9", "a+b%26c%2f%c3%a9", "a b"]


def test_percent_and_currency_follow_the_culture() -> None:
    assert lines("'{0:P1} {1:C} {2:C}' -f 0.256, 12.345, -5") == ["25.6% $12.35 -$5.00"]


def test_throw_terminating_error_with_a_built_record() -> None:
    fn = ("function Test-It { [CmdletBinding()] param() $PSCmdlet.ThrowTerminatingError("
          "[System.Management.Automation.ErrorRecord]::new([System.Exception]::new('tte'), 'MyId', "
          "[System.Management.Automation.ErrorCategory]::InvalidOperation, $null)) }\n")
    assert lines(fn + "try { Test-It } catch { $_.Exception.Message; $_.FullyQualifiedErrorId; "
                      "\"$($_.CategoryInfo.Category)\" }") == ["tte", "MyId,Test-It", "InvalidOperation"]
    r = run(fn + "Test-It\n'after'")
    assert r.err.startswith("Test-It : tte\nAt ") and "+ Test-It\n" in r.err and "MyId,Test-It" in r.err
    assert r.out == "after\n"
    assert lines("[System.Management.Automation.ErrorCategory]'invaliddata'") == ["InvalidData"]


def test_stopwatch() -> None:
    assert lines("$sw = [System.Diagnostics.Stopwatch]::StartNew(); $sw.IsRunning; foreach ($i in 1..2000) {}; "
                 "$sw.Stop(); $a = $sw.Elapsed.Ticks; $a -gt 0; $a -eq $sw.ElapsedTicks; $sw.IsRunning; "
                 "$sw.Elapsed -is [timespan]; @($sw.Stop()).Count; (New-Object System.Diagnostics.Stopwatch).IsRunning") \
        == ["True", "True", "True", "False", "True", "0", "False"]


def test_timespan_formats() -> None:
    """TimeSpan.ToString: standard c/g/G and custom formats (``hh\\:mm``, ``%h``)."""
    setup = "$t = New-TimeSpan -Days 1 -Hours 2 -Minutes 3 -Seconds 4 -Milliseconds 500; "
    assert lines(setup + "'{0:c}|{0:g}|{0:G}' -f $t; $t.ToString('d\\.hh\\:mm'); '{0:%h}' -f $t; "
                 "'{0:hh\\:mm}' -f (New-TimeSpan -Minutes 90)") == \
        ["1.02:03:04.5000000|1:2:03:04.5|1:02:03:04.5000000", "1.02:03", "2", "01:30"]


def test_regex_match_and_matches() -> None:
    """[regex]::Match/Matches: case-sensitive unless IgnoreCase; Groups indexed by number or name."""
    assert lines("[regex]::Matches('a1b22c333', '\\d+') | ForEach-Object { $_.Value } | Select-Object -Last 1; "
                 "([regex]::Match('Hello', 'h')).Success; ([regex]::Match('Hello', 'h', 'IgnoreCase')).Value; "
                 "([regex]::Matches('x-y-z', '-')).Count; "
                 "$m = [regex]::Match('id=42', 'id=(?<n>\\d+)'); $m.Groups['n'].Value; $m.Groups.Count; "
                 "'a1' -replace '(?<d>\\d)', { '[' + $_.Groups['d'].Value + ']' }") == \
        ["333", "False", "H", "2", "42", "2", "a[1]"]
