"""ConvertTo-Html: the pages PowerShell's ConvertTo-Html.Tests.ps1 expects, line for line
(translated: the same object, parameters and expected text; lines joined with ``\\n``)."""

from __future__ import annotations

from .helpers import run

OBJ = '$o = [pscustomobject]@{"Name" = "John Doe"; "Age" = 42; "Friends" = ("Jack", "Jill")}; '
HEAD = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN"  "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n')
TABLE = ("<table>\n<colgroup><col/><col/><col/></colgroup>\n<tr><th>Name</th><th>Age</th><th>Friends</th></tr>\n"
         "<tr><td>John Doe</td><td>42</td><td>System.Object[]</td></tr>\n</table>\n")
LIST = ("<table>\n<tr><td>Name:</td><td>John Doe</td></tr>\n<tr><td>Age:</td><td>42</td></tr>\n"
        "<tr><td>Friends:</td><td>System.Object[]</td></tr>\n</table>\n")


def html(text: str) -> str:
    r = run(OBJ + f"({text}) -join \"`n\"")
    assert r.code == 0, r.err
    return r.out


def test_pages_fragments_and_lists() -> None:
    assert html("$o | ConvertTo-Html") == HEAD + "<title>HTML TABLE</title>\n</head><body>\n" + TABLE + "</body></html>\n"
    assert html("$o | ConvertTo-Html -Fragment") == TABLE
    assert html('$o | ConvertTo-Html -Title "Custom Object" -Body "Body Text" -CssUri "page.css" -As List') == \
        HEAD + '<title>Custom Object</title>\n<link rel="stylesheet" type="text/css" href="page.css" />\n' \
        "</head><body>\nBody Text\n" + LIST + "</body></html>\n"
    assert html('$o | ConvertTo-Html -PreContent "Before the object" -PostContent "After the object"') == \
        HEAD + "<title>HTML TABLE</title>\n</head><body>\nBefore the object\n" + TABLE + "After the object\n</body></html>\n"
    assert html('$o | ConvertTo-HTML -Meta @{"author"="John Doe"} -Charset "utf-8"') == \
        HEAD + '<meta name="author" content="John Doe">\n<meta charset="UTF-8">\n<title>HTML TABLE</title>\n' \
        "</head><body>\n" + TABLE + "</body></html>\n"
    assert html("$o | ConvertTo-HTML -Transitional | Select-Object -First 1") == \
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"  ' \
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'


def test_properties_calculated_and_encoded() -> None:
    assert "<td>43</td>" in html("$o | ConvertTo-HTML @{ l = 'NewAge'; e = { $_.Age + 1 } }")
    assert "<td>43</td>" in html("$o | ConvertTo-HTML { $_.Age + 1 }")
    assert "<th>AgeRenamed</th>" in html("$o | ConvertTo-Html @{ name = 'AgeRenamed'; e = 'Age'}")
    assert '<col width="10"/>' in html("$o | ConvertTo-Html @{ e = 'Age'; width = 10 }")
    assert html("$o | ConvertTo-Html -Property Name, Friends -As List") == \
        HEAD + "<title>HTML TABLE</title>\n</head><body>\n<table>\n<tr><td>Name:</td><td>John Doe</td></tr>\n" \
        "<tr><td>Friends:</td><td>System.Object[]</td></tr>\n</table>\n</body></html>\n"
    assert "<td>&lt;b&gt;&amp;&quot;&#39;</td>" in html("[pscustomobject]@{ A = '<b>&\"''' } | ConvertTo-Html -Fragment")
