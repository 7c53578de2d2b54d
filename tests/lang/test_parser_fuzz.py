"""Random input never crashes the parser or the literal reader: a ParseError/LiteralError or an AST."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pscompat.lang.literal import LiteralError, argument_value, evaluate_literal
from pscompat.lang.parser import ParseError, parse_script

ALPHABET = st.sampled_from(list("$@(){}[];,|&<>=+-*/%.:!?'\"`#\n\t abcxyzAEGS019_") +
                           ["\u2013", "\u201c", "\u2019", "if", "else", "foreach", "in", "param", "function", "-eq",
                            "@{", "@(", "$(", "@\"\n", "\n\"@", "@'\n", "\n'@", "<#", "#>", "[int]", "::", "..",
                            "-f", "??", "switch", "try", "catch", "finally", "throw", "return", "class", "2>&1",
                            "Get-Date", "-Name:", "10MB", "0x1F", "1.5e3", "$env:X", "${a}", "begin", "process"])
TEXT = st.lists(ALPHABET, max_size=40).map("".join)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_parse_script_never_crashes(text: str) -> None:
    try:
        parse_script(text)
    except ParseError as exc:
        assert exc.line >= 1 and exc.column >= 1
        exc.render()


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_literal_reader_never_crashes(text: str) -> None:
    for reader in (evaluate_literal, argument_value):
        with contextlib.suppress(LiteralError):
            reader(text)
