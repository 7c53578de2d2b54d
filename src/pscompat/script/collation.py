"""String ordering as .NET's linguistic comparison does it (``CompareInfo.Compare`` under ICU).

PowerShell orders strings linguistically, never by code point: the comparison operators
(``-lt``/``-clt``/...) through ``LanguagePrimitives.Compare(..., CultureInfo.InvariantCulture)``,
Sort-Object through ``ObjectCommandComparer`` with the current culture. Both come down to the
Unicode Collation Algorithm that ICU implements, compared level by level:

1. primary: the base character (letters alphabetically whatever their case and accents;
   whitespace < punctuation < symbols < digits < letters, ICU's root order for ASCII);
2. secondary: accents (``a`` < ``á``);
3. tertiary (only without IgnoreCase): case, lowercase first (``b`` < ``B``, so
   ``"b" -clt "B"`` is True while ``"a" -clt "B"`` is True too).

pscompat models the root collation, which en-US and the invariant culture share, for the
characters scripts meet: ASCII exactly in ICU's order, other letters by their Unicode
decomposition (base letter + accent), anything else after the letters by code point. Cultures
with their own tailoring (sv-SE's ``å`` after ``z``, ...) are not modelled.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["compare_strings", "sort_key"]

# ICU root collation order of printable ASCII below the letters (primary weights).
_ASCII_ORDER = "\t\n\v\f\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789"
_PRIMARY = {c: i for i, c in enumerate(_ASCII_ORDER)}
_LETTER_BASE = len(_ASCII_ORDER)


@lru_cache(maxsize=4096)
def _weights(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    primary: list[int] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    for ch in text:
        if ch in _PRIMARY:
            primary.append(_PRIMARY[ch])
            secondary.append(0)
            tertiary.append(0)
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        lower = base.lower()
        if len(lower) == 1 and lower.isalpha():
            order = ord(lower) if lower.isascii() else 0x10000 + ord(lower)
            primary.append(_LETTER_BASE + order)
        elif unicodedata.combining(ch):
            # a lone combining mark only adds a secondary difference
            secondary.append(ord(ch))
            continue
        else:
            primary.append(_LETTER_BASE + 0x200000 + ord(base))
        secondary.append(sum(ord(m) for m in marks))
        tertiary.append(1 if base != lower else 0)
    return tuple(primary), tuple(secondary), tuple(tertiary)


def sort_key(text: str, ignore_case: bool = True) -> tuple[tuple[int, ...], ...]:
    """A key that orders strings as ``CompareInfo.Compare`` with IgnoreCase (or None)."""
    p, s, t = _weights(text)
    return (p, s) if ignore_case else (p, s, t)


def compare_strings(a: str, b: str, ignore_case: bool = True) -> int:
    """-1, 0 or 1, as ``CompareInfo.Compare(a, b, IgnoreCase | None)`` signs it."""
    ka, kb = sort_key(a, ignore_case), sort_key(b, ignore_case)
    return (ka > kb) - (ka < kb)
