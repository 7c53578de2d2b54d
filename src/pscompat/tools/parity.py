"""``pscompat parity``: run two commands or scripts on identical labs and judge the difference.

The engine is independent of how a run happens: a *runner* turns one subject (a command line
or a script) into a ``RunCapture`` on a fresh copy of the same lab snapshot
(``pscompat.tools.labrun`` for the embedded lab). Which differences are acceptable comes
from the families the two subjects use: PnP on one side and Mg on the other of the same
family excuses exactly that family's known differences; anything else must be identical.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .compare import Verdict, classify
from .families import Family, KnownDifference, family_of, load_families
from .trace import RunCapture, Trace, normalise


@dataclass(frozen=True)
class Subject:
    """One side of a parity run: a command line or a script's text."""

    text: str
    kind: str = "command"        # command | script
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or (self.text if len(self.text) <= 60 else self.text[:57] + "...")


Runner = Callable[[Subject], RunCapture]


@dataclass
class ParityResult:
    verdict: Verdict
    a: Trace
    b: Trace
    a_capture: RunCapture
    b_capture: RunCapture
    rules: list[tuple[KnownDifference, str]]

    @property
    def ok(self) -> bool:
        return self.verdict.ok


def command_names(text: str, path: str = "<command>") -> list[str]:
    """Names of the commands a script invokes (static names only), in source order."""
    from pscompat.lang import ast as A
    from pscompat.lang.parser import parse_script

    from .translate import walk
    return [node.name_text for node in walk(parse_script(text, path))
            if isinstance(node, A.Command) and node.name_text]


def _sides(names: Iterable[str], families: Mapping[str, Family]) -> dict[str, str]:
    """family name -> side ("pnp"/"mg") of the commands used (a family on both sides: "both")."""
    sides: dict[str, str] = {}
    for name in names:
        found = family_of(name, families)
        if found:
            family, side = found
            sides[family.name] = side if sides.get(family.name, side) == side else "both"
    return sides


def applicable_rules(a: Subject, b: Subject, families: Mapping[str, Family] | None = None
                     ) -> list[tuple[KnownDifference, str]]:
    """Known differences that excuse A vs B: families where A and B use opposite modules."""
    families = families if families is not None else load_families()
    sa = _sides(command_names(a.text), families)
    sb = _sides(command_names(b.text), families)
    rules: list[tuple[KnownDifference, str]] = []
    for name in sorted(set(sa) & set(sb)):
        if {sa[name], sb[name]} == {"pnp", "mg"}:
            rules += [(rule, sa[name]) for rule in families[name].differences]
        elif {sa[name], sb[name]} in ({"both", "mg"}, {"both", "pnp"}):
            # a script mixing both modules against its translation: the PnP calls of the mixed
            # side are the ones whose known differences may show
            side_a = ("pnp" if sb[name] == "mg" else "mg") if sa[name] == "both" else sa[name]
            rules += [(rule, side_a) for rule in families[name].differences]
    # A PnP-only companion (Get-PnPEntraIDUser folded into -UserId) is part of the same intent.
    for name in sorted(set(sa) - set(sb)):
        if sa[name] == "pnp" and rules:
            rules += [(rule, "pnp") for rule in families[name].differences]
    return rules


def run_parity(a: Subject, b: Subject, runner: Runner, *, exact: bool = False,
               families: Mapping[str, Family] | None = None) -> ParityResult:
    rules = applicable_rules(a, b, families)
    cap_a, cap_b = runner(a), runner(b)
    trace_a, trace_b = normalise(cap_a), normalise(cap_b)
    scripts = "script" in (a.kind, b.kind)
    return ParityResult(classify(trace_a, trace_b, rules, exact=exact, require_always=not scripts),
                        trace_a, trace_b, cap_a, cap_b, rules)


def compare_captures(a: RunCapture, b: RunCapture, rules: list[tuple[KnownDifference, str]],
                     exact: bool = False) -> Verdict:
    """Judge two captures taken elsewhere (saved runs, other tools)."""
    return classify(normalise(a), normalise(b), rules, exact=exact)


def describe(result: ParityResult, a: Subject, b: Subject, show_equal: bool = False) -> str:
    from .sidebyside import render_side_by_side, summary
    head = [f"A: {a.name}", f"B: {b.name}"]
    families = sorted({rule.id for rule, _ in result.rules})
    if families:
        head.append("known differences that may appear: " + ", ".join(families))
    else:
        head.append("no known differences apply (same module or unrelated commands): A and B must match")
    body = render_side_by_side(result.verdict, result.a, result.b, label_a="A", label_b="B",
                               show_equal=show_equal)
    return "\n".join(head) + "\n\n" + body + "\n" + summary(result.verdict) + "\n"


