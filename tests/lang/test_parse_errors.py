"""Parse-time rejection: PowerShell-style ParseErrors with line, column and the construct's name,
raised before any statement runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from pscompat.lang.parser import ParseError, decode_script_bytes, parse_script


@pytest.mark.parametrize(("text", "line", "column", "construct", "message"), [
    ("class Foo { }", 1, 1, "class definitions", "The 'class' keyword (class definitions) is not supported"),
    ("$x = 1\n\nenum Color { Red }", 3, 1, "enum definitions", "not supported by pscompat"),
    ("data { 'x' }", 1, 1, "data sections", "not supported"),
    ("Get-Date && Get-Date", 1, 10, "pipeline chain", "Pipeline chain operators"),
    ("$x ? 1", 1, 7, "ternary", "Missing ':' in the ternary expression."),
    ("Start-Job { 1 } &", 1, 17, "background job", "Background jobs"),
    ("if ($x) { 'a' ", 1, 9, "if statement", "Missing closing '}'"),
    ("$s = 'abc", 1, 6, "string", "The string is missing the terminator: '."),
    ('$s = "abc', 1, 6, "string", 'The string is missing the terminator: ".'),
    ("$h = @{ a = 1; b }", 1, 18, "hash literal", "Missing '=' operator after key in hash literal."),
    ("foreach ($i 1..3) { }", 1, 13, "foreach", "Missing 'in' after variable in foreach loop."),
    ("if () { }", 1, 5, "if", "Missing condition in if statement"),
    ("$x = (1 + 2", 1, 6, "parenthesized expression", "Missing closing ')' in expression."),
    ("Get-Date | 1 + 2", 1, 12, "pipeline", "Expressions are only allowed as the first element of a pipeline."),
    ("1 = 2", 1, 1, "assignment", "The assignment expression is not valid."),
    ("try { 1 }", 1, 10, "try", "The Try statement is missing its Catch or Finally block."),
    ('$u = 1\n"$u: text"', 2, 2, "variable", "Variable reference is not valid. ':' was not followed by a valid "
     "variable name character. Consider using ${} to delimit the name."),
    ("$env:", 1, 1, "variable", "Variable reference is not valid. ':' was not followed"),
    ('"$h:$m"', 1, 2, "variable", "Variable reference is not valid."),
    ("switch -File x.txt { }", 1, 8, "switch -file", "not supported"),
    ("$x = 3 -foo 4", 1, 8, "operator", "Unexpected token '-foo'"),
    ("<# never closed", 1, 1, "block comment", "Missing closing '#>'"),
    ("'ok'\n$c = [System.Net.WebClient]::new()", 2, 7, "type literal", "Unable to find type [System.Net.WebClient]."),
    ("$x = [Nope]'1'", 1, 7, "type literal", "Unable to find type [Nope]."),
])
def test_parse_errors(text: str, line: int, column: int, construct: str, message: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_script(text, "t.ps1")
    err = info.value
    assert message in err.message
    assert (err.line, err.column) == (line, column)
    assert err.construct == construct
    rendered = err.render()
    assert rendered.startswith(f"At t.ps1:{line} char:{column}\n")
    assert "ParserError" in rendered


def test_unsupported_construct_refused_before_side_effects(tmp_path: Path) -> None:
    from pscompat.script.runner import run_file
    script = tmp_path / "s.ps1"
    marker = tmp_path / "marker.txt"
    script.write_text(f"Set-Content -Path '{marker}' -Value 'ran'\n'line 2'\n\n\nclass Nope {{ }}\n")
    import io

    from pscompat.script.scripthost import ScriptHost
    err = io.StringIO()
    code = run_file(str(script), [], host=ScriptHost(io.StringIO(), err))
    assert code == 1
    assert not marker.exists()
    assert f"At {script}:5 char:1" in err.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-8"])
def test_file_encodings(encoding: str) -> None:
    text = "$name = 'Zoë'\r\nWrite-Output \u201cHi $name\u201d \u2013NoEnumerate\r\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    block = parse_script(decode_script_bytes(data))
    assert len(block.end_block) == 2


def test_curly_quotes_and_dashes() -> None:
    from pscompat.lang.literal import evaluate_literal
    assert evaluate_literal("\u2018it\u2019\u2019s\u2019") == "it\u2019s"
    assert evaluate_literal("'it''s'") == "it's"
    block = parse_script("Get-Thing \u2013Name \u201cx\u201d \u2014Force")
    command = block.end_block[0].elements[0]  # type: ignore[attr-defined]
    names = [getattr(e, "name", None) for e in command.elements]
    assert names[1] == "Name" and names[3] == "Force"


def test_backtick_continuation_and_comments() -> None:
    block = parse_script("Get-Thing -A 1 `\n  -B 2 # trailing\n<# block\ncomment #> Get-Other")
    assert len(block.end_block) == 2
    assert len(block.end_block[0].elements[0].elements) == 5  # type: ignore[attr-defined]
