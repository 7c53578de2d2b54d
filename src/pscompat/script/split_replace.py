"""``-replace`` and ``-split`` as PowerShell 7 implements them (ParserOps.ReplaceOperator,
ParserOps.SplitOperatorImpl), beyond a plain pattern:

- ``-replace pattern, { script block }``: the block runs for each match with ``$_`` the
  ``Match`` (regex_match.py); its output, as text, replaces the match. More than two operands
  is the BadReplaceArgument error.
- ``-split pattern, max[, options]``: ``max`` > 0 gives at most that many substrings, the last
  holding the rest; ``max`` < 0 counts from the end (the regex reads right to left); 0 = all.
  ``options``: the SplitOptions names, comma-separated (SimpleMatch, RegexMatch,
  CultureInvariant, IgnorePatternWhitespace, Multiline, Singleline, IgnoreCase, ExplicitCapture);
  SimpleMatch takes only IgnoreCase; Multiline and Singleline exclude each other.
- ``-split { predicate }, max``: each character (``$_``) for which the block is true is a
  delimiter; a negative ``max`` again counts from the end. Options with a predicate are an error.

``-csplit``/``-creplace`` are case-sensitive; ``-split``/``-isplit`` add IgnoreCase.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pscompat.lang.dotnet import CastError, cast, is_true, ps_string
from pscompat.script.operator_errors import OperatorError
from pscompat.script.regexes import dotnet_regex, dotnet_replacement
from pscompat.script.scriptblock import ScriptBlockValue

__all__ = ["replace_operator", "split_operator", "SPLIT_OPTIONS"]

BlockRunner = Callable[[Any, Any], list[Any]]
SPLIT_OPTIONS = ("SimpleMatch", "RegexMatch", "CultureInvariant", "IgnorePatternWhitespace", "Multiline",
                 "Singleline", "IgnoreCase", "ExplicitCapture")
_FLAGS = {"IgnorePatternWhitespace": re.VERBOSE, "Multiline": re.MULTILINE, "Singleline": re.DOTALL,
          "IgnoreCase": re.IGNORECASE}


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _need_runner(call_block: BlockRunner | None) -> BlockRunner:
    if call_block is None:   # only reachable from Python callers that pass no interpreter
        raise OperatorError("A script block operand needs the script runtime.", "ScriptBlockNotSupported")
    return call_block


def replace_operator(left: Any, right: Any, case_sensitive: bool, call_block: BlockRunner | None) -> Any:
    args = _items(right)
    if len(args) > 2:
        raise OperatorError(f"The -replace operator allows only two elements to follow it, not {len(args)}.",
                            "BadReplaceArgument")
    rx = dotnet_regex(args[0] if args else "", case_sensitive)
    substitute = args[1] if len(args) > 1 else ""
    if isinstance(substitute, ScriptBlockValue):
        from pscompat.script.regex_match import match_object
        run = _need_runner(call_block)

        def evaluate(m: re.Match[str]) -> str:
            out = run(substitute, match_object(m))
            return ps_string(out[0] if len(out) == 1 else out) if out else ""
        replace: Callable[[str], str] = lambda text: rx.sub(evaluate, text)  # noqa: E731
    else:
        template = dotnet_replacement(ps_string(substitute))
        replace = lambda text: rx.sub(template, text)  # noqa: E731
    if isinstance(left, list):
        return [replace(ps_string(x)) for x in left]
    return replace(ps_string(left))


def _options(value: Any) -> set[str]:
    if value is None or value == "":
        return set()
    chosen: set[str] = set()
    for part in ps_string(value).split(","):
        name = next((n for n in SPLIT_OPTIONS if n.casefold() == part.strip().casefold()), None)
        if name is None:
            raise OperatorError(
                f'Cannot convert value "{ps_string(value)}" to type "System.Management.Automation.SplitOptions". '
                f'Error: "Unable to match the identifier name {part.strip()} to a valid enumerator name. Specify one '
                "of the following enumerator names and try again:\n" + ", ".join(SPLIT_OPTIONS) + '"',
                "InvalidCastFromStringToEnum", "InvalidArgument")
        chosen.add(name)
    return chosen


def _limit(value: Any) -> int:
    try:
        return int(cast(value, "int"))
    except (CastError, ValueError):
        raise OperatorError(f'Cannot convert value "{ps_string(value)}" to type "System.Int32". Error: "Input '
                            'string was not in a correct format."', "InvalidCastFromStringToInteger",
                            "InvalidArgument") from None


def split_operator(left: Any, right: Any, case_sensitive: bool, call_block: BlockRunner | None) -> list[Any]:
    args = _items(right)
    if not args:
        raise OperatorError("The -split operator needs a delimiter.", "BadOperatorArgument")
    limit = _limit(args[1]) if len(args) > 1 else 0
    options = _options(args[2]) if len(args) > 2 else set()
    delimiter = args[0]
    texts = [ps_string(x) for x in _items(left) if x is not None] if isinstance(left, list) else [ps_string(left)]
    if isinstance(delimiter, ScriptBlockValue):
        if options:
            raise OperatorError("Cannot use split options with a script block delimiter.",
                                "InvalidSplitOptionWithPredicate", "InvalidOperation")
        run = _need_runner(call_block)
        out: list[Any] = []
        for text in texts:
            out.extend(_split_with_predicate(text, lambda ch: is_true(_scalar(run(delimiter, ch))), limit))
        return out
    if not case_sensitive:
        options.add("IgnoreCase")
    if "SimpleMatch" in options and options - {"SimpleMatch", "IgnoreCase"} or {"Multiline", "Singleline"} <= options:
        raise OperatorError("Cannot combine SimpleMatch with regular expression options, or Multiline with "
                            "Singleline.", "InvalidSplitOptionCombination", "InvalidOperation")
    pattern = re.escape(ps_string(delimiter)) if "SimpleMatch" in options else delimiter
    flags = 0
    for name in options:
        flags |= _FLAGS.get(name, 0)
    rx = dotnet_regex(pattern, True, flags)
    result: list[Any] = []
    for text in texts:
        result.extend(_regex_split(rx, text, limit))
    return result


def _scalar(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else values


def _regex_split(rx: re.Pattern[str], text: str, limit: int) -> list[str]:
    """``Regex.Split(text, |limit|)``, right to left for a negative limit (captures included)."""
    if limit == 0:
        return rx.split(text)
    if abs(limit) == 1:
        return [text]
    matches = list(rx.finditer(text))
    keep = abs(limit) - 1
    chosen = matches[:keep] if limit > 0 else matches[-keep:]
    pieces: list[str] = []
    cursor = 0
    for m in chosen:
        pieces.append(text[cursor:m.start()])
        pieces.extend(g for g in m.groups() if g is not None)
        cursor = m.end()
    pieces.append(text[cursor:])
    return pieces


def _split_with_predicate(text: str, is_delimiter: Callable[[str], bool], limit: int) -> list[str]:
    if abs(limit) == 1:
        return [text]
    indexes = range(len(text)) if limit >= 0 else range(len(text) - 1, -1, -1)
    cuts: list[int] = []
    for i in indexes:
        if is_delimiter(text[i]):
            cuts.append(i)
            if limit and len(cuts) + 1 == abs(limit):
                break
    cuts.sort()
    pieces: list[str] = []
    cursor = 0
    for i in cuts:
        pieces.append(text[cursor:i])
        cursor = i + 1
    pieces.append(text[cursor:])
    return pieces
