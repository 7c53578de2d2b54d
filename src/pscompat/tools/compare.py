"""Compare two normalised traces and explain each difference with the family's known ones.

A difference is explained when a known difference of the family (``_families.yaml``) names its
path (``where``, ``[*]`` matching any index or request) and its two values match the rule's
PnP and Mg values for the way round the two sides are. A known difference marked ``always``
must show up whenever both sides have something at its path: if PnP stopped calling beta, the
parity claim "the differences are exactly these" would be false, so that fails too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .families import ANY, KnownDifference
from .trace import ABSENT, PRESENT, Trace


@dataclass(frozen=True)
class Difference:
    path: str          # "group" (presence) or "group.field"
    a: Any
    b: Any
    known: str = ""    # id of the known difference that explains it, "" when unexpected


@dataclass
class Verdict:
    differences: list[Difference] = field(default_factory=list)
    missing_always: list[str] = field(default_factory=list)   # always-differences not observed
    exact: bool = False

    @property
    def unexpected(self) -> list[Difference]:
        return [d for d in self.differences if not d.known]

    @property
    def known_ids(self) -> list[str]:
        return sorted({d.known for d in self.differences if d.known})

    @property
    def ok(self) -> bool:
        if self.exact:
            return not self.differences
        return not self.unexpected and not self.missing_always


def diff_traces(a: Trace, b: Trace) -> list[Difference]:
    """Every group present on one side only, and every field whose values differ."""
    out: list[Difference] = []
    for group in _ordered(set(a) | set(b)):
        if group not in a or group not in b:
            out.append(Difference(group, PRESENT if group in a else ABSENT, PRESENT if group in b else ABSENT))
            continue
        fa, fb = a[group], b[group]
        for name in sorted(set(fa) | set(fb)):
            va, vb = fa.get(name, ABSENT), fb.get(name, ABSENT)
            if va != vb or isinstance(va, bool) != isinstance(vb, bool):  # True == 1 in Python
                out.append(Difference(f"{group}.{name}", va, vb))
    return out


def _ordered(groups: set[str]) -> list[str]:
    rank = {"run": 0, "requests": 1, "output": 2, "errors": 3, "state": 4}

    def key(name: str) -> tuple[int, str]:
        head = re.split(r"[\[.]", name, maxsplit=1)[0]
        return rank.get(head, 9), name
    return sorted(groups, key=key)


def _pattern(where: str) -> re.Pattern[str]:
    """``requests[*].body.x`` / ``requests[GET /users]`` / ``output`` -> a path regex."""
    out, i = "", 0
    for m in re.finditer(r"\[([^\]]*)\]", where):
        out += re.escape(where[i:m.start()])
        inner = m.group(1)
        out += r"\[[^\]]*\]" if inner == "*" else r"\[" + re.escape(inner) + r"(?:#\d+)?\]"
        i = m.end()
    out += re.escape(where[i:])
    return re.compile(rf"^{out}(?:$|[.\[])")


def _value_matches(expected: Any, value: Any) -> bool:
    if expected == ANY:
        return True
    if expected == ABSENT:
        return value == ABSENT
    if expected == PRESENT:
        return value != ABSENT
    if value == ABSENT:
        return False
    if isinstance(expected, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(expected, bool) and value == expected
    return str(expected) == str(value)


def _same_instant(a: Any, b: Any) -> bool:
    """Both are ISO 8601 texts of the same instant (7 fractional digits, any zone)."""
    from pscompat.lab.clock import parse_datetime
    try:
        return parse_datetime(str(a)) == parse_datetime(str(b))
    except ValueError:
        return False


def explains(rule: KnownDifference, diff: Difference, a_side: str) -> bool:
    """Does ``rule`` explain ``diff`` when trace A is the ``a_side`` ("pnp" or "mg")?"""
    if not _pattern(rule.where).match(diff.path):
        return False
    pnp, mg = (diff.a, diff.b) if a_side == "pnp" else (diff.b, diff.a)
    if rule.compare == "same_instant":
        return _same_instant(pnp, mg)
    return _value_matches(rule.pnp, pnp) and _value_matches(rule.mg, mg)


def classify(a: Trace, b: Trace, rules: Sequence[tuple[KnownDifference, str]],
             exact: bool = False, require_always: bool = True) -> Verdict:
    """Diff two traces; label each difference with the rule that explains it (if any).

    ``rules`` pairs each applicable known difference with the side ("pnp"/"mg") trace A is on
    for its family; it is empty when both runs use the same module, so nothing is excused.
    ``require_always=False`` (scripts): an ``always`` difference may be hidden by what the
    script does with the objects (Select-Object), so its absence is not a failure.
    """
    verdict = Verdict(exact=exact)
    applicable = [] if exact else list(rules)
    for diff in diff_traces(a, b):
        match = next((r for r, side in applicable if explains(r, diff, side)), None)
        verdict.differences.append(Difference(diff.path, diff.a, diff.b, match.id if match else ""))
    seen = set(verdict.known_ids)
    for rule, _side in applicable:
        if require_always and rule.always and rule.id not in seen and rule.id not in verdict.missing_always \
                and _both_have(a, b, rule.where):
            verdict.missing_always.append(rule.id)
    return verdict


def _both_have(a: Trace, b: Trace, where: str) -> bool:
    """Both traces have a group the rule's path points into (so the difference could show)."""
    group = where.split("].", 1)[0] + "]" if "]." in where else where
    pattern = _pattern(group)
    return any(pattern.match(g) for g in a) and any(pattern.match(g) for g in b)
