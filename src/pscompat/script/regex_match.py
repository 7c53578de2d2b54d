"""``System.Text.RegularExpressions.Match`` as a script sees it: ``$_`` in a ``-replace`` script
block (PowerShell 6.1+), with Value, Index, Length, Success, Name, Groups and Captures; its
ToString() is the matched text, so ``"$_"`` and ``$_.Value`` are the same."""

from __future__ import annotations

import re

from pscompat.values import DotNetObject, PSObject

__all__ = ["match_object", "empty_match", "GroupCollection"]

MATCH_TYPE = "System.Text.RegularExpressions.Match"
GROUP_TYPE = "System.Text.RegularExpressions.Group"


def _group(m: re.Match[str], index: int, name: str) -> PSObject:
    text = m.group(index)
    start = m.start(index)
    success = text is not None
    group = PSObject([("Success", success), ("Name", name), ("Captures", []),
                      ("Index", start if success else 0), ("Length", len(text) if success else 0),
                      ("Value", text if success else "")],
                     type_names=(GROUP_TYPE, "System.Text.RegularExpressions.Capture", "System.Object"))
    if success:
        capture = PSObject([("Index", start), ("Length", len(text)), ("Value", text)],
                           type_names=("System.Text.RegularExpressions.Capture", "System.Object"))
        group.set("Captures", [capture])
    return group


class GroupCollection(DotNetObject):
    """A Match's Groups: enumerates its groups and is indexed by number or by name
    (``$m.Groups['n'].Value``, ``$m.Groups[1]``), as .NET's GroupCollection is."""

    type_names = ("System.Text.RegularExpressions.GroupCollection", "System.Object")
    __slots__ = ("groups",)

    def __init__(self, groups: list[PSObject]) -> None:
        self.groups = groups

    def ps_property(self, name: str) -> tuple[bool, object]:
        if name.lower() == "count":
            return True, len(self.groups)
        if name.lower() == "keys":
            return True, [g.get("Name") for g in self.groups]
        return False, None

    def ps_index(self, key: object) -> object:
        if isinstance(key, int) and not isinstance(key, bool):
            return self.groups[key] if 0 <= key < len(self.groups) else _missing_group()
        for group in self.groups:
            if str(group.get("Name")) == str(key):
                return group
        return _missing_group()

    def ps_enumerate(self) -> list[PSObject]:
        return list(self.groups)

    def ps_string(self) -> str:
        return self.type_names[0]


def _failed(name: str, type_names: tuple[str, ...], groups: GroupCollection | None = None) -> PSObject:
    fields: list[tuple[str, object]] = [("Success", False), ("Name", name), ("Captures", []), ("Index", 0),
                                        ("Length", 0), ("Value", "")]
    if groups is not None:
        fields.insert(0, ("Groups", groups))
    return PSObject(fields, type_names=type_names)


def _missing_group() -> PSObject:
    """Group.Empty-like: what .NET returns for a group the pattern does not have."""
    return _failed("", (GROUP_TYPE, "System.Text.RegularExpressions.Capture", "System.Object"))


def empty_match() -> PSObject:
    """Match.Empty, what ``[regex]::Match`` gives when nothing matches."""
    return _failed("0", (MATCH_TYPE, "System.Object"), GroupCollection([]))


def match_object(m: re.Match[str]) -> PSObject:
    """The Match .NET would give for ``m`` (numbered groups first, then named ones, as .NET)."""
    names = {index: name for name, index in m.re.groupindex.items()}
    numbered = [i for i in range(1, m.re.groups + 1) if i not in names]
    named = sorted(names)
    groups = [_group(m, 0, "0")] + [_group(m, i, str(i)) for i in numbered] + [_group(m, i, names[i]) for i in named]
    return PSObject([("Groups", GroupCollection(groups)), ("Success", True), ("Name", "0"),
                     ("Captures", groups[0].get("Captures")),
                     ("Index", m.start()), ("Length", len(m.group(0))), ("Value", m.group(0))],
                    type_names=(MATCH_TYPE, GROUP_TYPE, "System.Text.RegularExpressions.Capture", "System.Object"))
