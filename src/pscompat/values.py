"""PowerShell values as Python values, shared by every stage.

Mapping (one convention everywhere, so no stage re-invents it):

- ``$null`` -> ``None``; ``[bool]`` and ``[switch]`` -> ``bool``; ``[int]``/``[long]`` -> ``int``;
  ``[double]`` -> ``float``; ``[decimal]`` -> ``decimal.Decimal``; ``[string]`` -> ``str``.
- ``[datetime]`` -> ``datetime.datetime`` carrying .NET's ``DateTimeKind`` in its tzinfo:
  ``Utc`` = aware with ``timezone.utc``; ``Local`` = aware with the local zone; ``Unspecified`` =
  naive. ``dotnet_kind`` tells which.
- ``@{}`` -> ``PSHashtable`` (keys compared case-insensitively, as in PowerShell; insertion order
  kept, so ``[ordered]@{}`` is the same type with ``ordered=True``).
- ``[PSCustomObject]@{}`` and objects written by cmdlets -> ``PSObject`` (ordered properties,
  case-insensitive member lookup, a list of type names for views and pipeline binding).
- arrays -> ``list``; ``ArrayList``/``List[T]`` -> ``ArrayList`` (a list that ``.Add`` grows).
- ``[timespan]`` -> ``TimeSpan``; ``[securestring]`` -> ``SecureString`` (never shown);
  Format-* output -> ``FormattedText``; ``[void]``/no output -> ``AutomationNull``.
- a number typed as a command argument (``-UserId 007``) -> an int/float/Decimal subclass that
  remembers its token text (``with_token_text``): converted to ``[string]`` it is the text typed.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from decimal import Decimal
from typing import Any

__all__ = ["Single", "dotnet_exponent", "HintedDateTime", "DotNetObject", "Version", "SemanticVersion", "PSReference", "PSHashtable", "PSDictionary", "PSObject", "dotnet_kind", "local_now", "to_utc", "get_member", "TimeSpan", "ArrayList",
           "SecureString", "FormattedText", "AutomationNull", "with_token_text", "token_text"]


class PSHashtable(MutableMapping[Any, Any]):
    """A hashtable with PowerShell's case-insensitive string keys, keeping insertion order."""

    __slots__ = ("_data", "ordered")

    def __init__(self, items: Mapping[Any, Any] | Iterable[tuple[Any, Any]] | None = None,
                 *, ordered: bool = False) -> None:
        self._data: dict[Any, tuple[Any, Any]] = {}
        self.ordered = ordered
        if items is not None:
            pairs = items.items() if isinstance(items, Mapping) else items
            for key, value in pairs:
                self[key] = value

    @staticmethod
    def _fold(key: Any) -> Any:
        return key.casefold() if isinstance(key, str) else key

    def __getitem__(self, key: Any) -> Any:
        return self._data[self._fold(key)][1]

    def __setitem__(self, key: Any, value: Any) -> None:
        folded = self._fold(key)
        existing = self._data.get(folded)
        # PowerShell keeps the first spelling of a key when it is assigned again.
        self._data[folded] = (existing[0] if existing else key, value)

    def __delitem__(self, key: Any) -> None:
        del self._data[self._fold(key)]

    def __iter__(self) -> Iterator[Any]:
        return (original for original, _ in self._data.values())

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return self._fold(key) in self._data

    def original_key(self, key: Any) -> Any:
        """The key as it was first written (``@{ LifeTime = 1 }['lifetime']`` -> ``LifeTime``)."""
        return self._data[self._fold(key)][0]

    def copy(self) -> PSHashtable:
        return PSHashtable(self.items(), ordered=self.ordered)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PSHashtable):
            return self._data.keys() == other._data.keys() and all(
                self[k] == other[k] for k in self)
        if isinstance(other, Mapping):
            return self == PSHashtable(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        inner = "; ".join(f"{k!r} = {v!r}" for k, v in self.items())
        return f"{'[ordered]' if self.ordered else ''}@{{{inner}}}"

    @property
    def type_name(self) -> str:
        """The .NET type (what ``ToString()`` and ``GetType().FullName`` give)."""
        return "System.Collections.Specialized.OrderedDictionary" if self.ordered else "System.Collections.Hashtable"


class PSDictionary(PSHashtable):
    """A model's ``IDictionary<string, object>`` (Mg's ``AdditionalProperties``): a hashtable
    for scripts, but its own .NET type name, which is what CSV and string conversion show, while
    Format-List and the default views enumerate it as ``{[key, value], ...}``."""

    __slots__ = ()

    @property
    def type_name(self) -> str:
        return "System.Collections.Generic.Dictionary`2[System.String,System.Object]"

    def copy(self) -> PSDictionary:
        return PSDictionary(self.items())


class PSObject:
    """An object with ordered, case-insensitive properties and PowerShell type names.

    ``type_names`` is most-derived first, like ``$obj.PSObject.TypeNames`` (views and
    ``ByValue`` pipeline binding use it).
    """

    __slots__ = ("_props", "type_names")

    def __init__(self, properties: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
                 type_names: Iterable[str] = ("System.Management.Automation.PSCustomObject",)) -> None:
        self._props = PSHashtable(properties or (), ordered=True)
        self.type_names: list[str] = list(type_names)

    @property
    def type_name(self) -> str:
        return self.type_names[0] if self.type_names else "System.Object"

    def properties(self) -> list[tuple[str, Any]]:
        return list(self._props.items())

    def property_names(self) -> list[str]:
        return list(self._props)

    def has(self, name: str) -> bool:
        return name in self._props

    def get(self, name: str, default: Any = None) -> Any:
        return self._props.get(name, default)

    def set(self, name: str, value: Any) -> None:
        self._props[name] = value

    def __getitem__(self, name: str) -> Any:
        return self._props[name]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PSObject):
            return NotImplemented
        return self.type_names == other.type_names and self.properties() == other.properties()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        inner = "; ".join(f"{k}={v!r}" for k, v in self._props.items())
        return f"<{self.type_name} @{{{inner}}}>"


def get_member(value: Any, name: str) -> tuple[bool, Any]:
    """Property lookup the way the pipeline binder sees it: (found, value)."""
    if isinstance(value, PSObject):
        return (True, value.get(name)) if value.has(name) else (False, None)
    if isinstance(value, PSHashtable):
        # A hashtable's keys are not properties for ByPropertyName binding, but member access
        # ($h.Key) reads them; callers that need the binder's view check the type first.
        return (True, value[name]) if name in value else (False, None)
    return False, None


def dotnet_kind(value: _dt.datetime) -> str:
    """.NET DateTimeKind of a datetime under this module's convention."""
    if value.tzinfo is None:
        return "Unspecified"
    if value.utcoffset() == _dt.timedelta(0) and value.tzinfo is _dt.UTC:
        return "Utc"
    return "Local"


def local_now() -> _dt.datetime:
    """``Get-Date``: local time, kind Local."""
    return _dt.datetime.now().astimezone()


def to_utc(value: _dt.datetime) -> _dt.datetime:
    """``.ToUniversalTime()``: Unspecified is taken as local first, as .NET does."""
    if value.tzinfo is None:
        value = value.astimezone()  # naive -> interpreted as local time
    return value.astimezone(_dt.UTC)


class FormattedText(str):
    """Format-Table/Format-List output: printed verbatim by Out-Default, Out-File and Out-String."""


class _AutomationNull:
    """``[void]`` / a command that wrote nothing: emits no object (unlike ``$null``)."""

    def __repr__(self) -> str:
        return "AutomationNull"


AutomationNull = _AutomationNull()


class TimeSpan:
    """``System.TimeSpan`` (``(Get-Date) - $start``, ``New-TimeSpan``)."""

    __slots__ = ("delta",)

    def __init__(self, delta: _dt.timedelta) -> None:
        self.delta = delta

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TimeSpan) and other.delta == self.delta

    def __lt__(self, other: TimeSpan) -> bool:
        return self.delta < other.delta

    __hash__ = None  # type: ignore[assignment]

    def member(self, name: str) -> tuple[bool, Any]:
        d = self.delta
        total = d.total_seconds()
        sign = -1 if total < 0 else 1
        whole = abs(d)
        props = {
            "days": sign * whole.days, "hours": sign * (whole.seconds // 3600),
            "minutes": sign * (whole.seconds // 60 % 60), "seconds": sign * (whole.seconds % 60),
            "milliseconds": sign * (whole.microseconds // 1000),
            "totaldays": total / 86400, "totalhours": total / 3600, "totalminutes": total / 60,
            "totalseconds": total, "totalmilliseconds": total * 1000, "ticks": int(total * 10_000_000),
        }
        key = name.lower()
        return (True, props[key]) if key in props else (False, None)

    def ps_string(self) -> str:
        d = abs(self.delta)
        text = f"{d.seconds // 3600:02d}:{d.seconds // 60 % 60:02d}:{d.seconds % 60:02d}"
        if d.days:
            text = f"{d.days}.{text}"
        if d.microseconds:
            text += f".{d.microseconds:06d}0"
        return ("-" if self.delta.total_seconds() < 0 else "") + text

    def __repr__(self) -> str:
        return f"TimeSpan({self.ps_string()})"


class ArrayList(list[Any]):
    """``System.Collections.ArrayList`` / ``List[T]``: a growable list (``.Add`` works)."""

    generic = False


class Single(float):
    """``[float]``/``[single]`` (System.Single): the value rounded to 32-bit precision. Arithmetic
    gives Doubles of that exact value, as PowerShell widens a Single (``[float]1.1 + 0`` is
    1.10000002384186); shown with the shortest text that reads back as the same Single."""

    def __new__(cls, value: float) -> Single:
        import struct
        try:
            rounded = struct.unpack("f", struct.pack("f", float(value)))[0]
        except OverflowError:
            rounded = float("inf") if value > 0 else float("-inf")
        return super().__new__(cls, rounded)

    def shortest(self) -> str:
        """The fewest significant digits that read back as this Single (Python's spelling; the
        caller, lang.dotnet.format_double, handles NaN, infinities and zero)."""
        import struct
        for digits in range(1, 10):
            text = format(float(self), f".{digits}g")
            if struct.unpack("f", struct.pack("f", float(text)))[0] == float(self):
                break
        return text


def dotnet_exponent(text: str) -> str:
    """Python's ``1e+20`` as .NET writes it: ``1E+20`` (sign always, at least two digits)."""
    if "e" not in text:
        return text
    mant, exp = text.split("e")
    sign = "-" if exp.startswith("-") else "+"
    return f"{mant}E{sign}{exp.lstrip('+-').zfill(2)}"


class HintedDateTime(_dt.datetime):
    """A DateTime written by ``Get-Date -DisplayHint Date|Time``: the hint (a NoteProperty in
    PowerShell) changes only how the host shows it; arithmetic gives plain DateTimes again."""

    display_hint: str = "DateTime"

    @classmethod
    def hinted(cls, value: _dt.datetime, hint: str) -> HintedDateTime:
        made = cls(value.year, value.month, value.day, value.hour, value.minute, value.second,
                   value.microsecond, value.tzinfo, fold=value.fold)
        made.display_hint = hint
        return made


class DotNetObject:
    """A .NET object pscompat models in Python (PSReference, the concurrent collections...).

    The script runtime reaches it only through this protocol: ``type_names`` (most-derived
    first, for ``-is``, GetType() and catch), properties, methods, indexing and enumeration.
    ``ps_enumerate`` returns None for an object the pipeline does not enumerate.
    """

    type_names: tuple[str, ...] = ("System.Object",)
    type_keys: tuple[str, ...] = ()   # lang.dotnet.type_key of each type it is (``-is``)
    # PowerShell's default table view, if its format data gives the type one: (column, width),
    # left-aligned (System.Version's Major/Minor/Build/Revision, for instance)
    table_view: tuple[tuple[str, int], ...] = ()
    json_properties: tuple[str, ...] = ()   # the public properties ConvertTo-Json writes, in order
    void_methods: frozenset[str] = frozenset()  # lower-case names of methods that return nothing (no output)

    @property
    def type_name(self) -> str:
        return self.type_names[0]

    def ps_property(self, name: str) -> tuple[bool, Any]:
        return False, None

    def ps_set_property(self, name: str, value: Any) -> bool:
        return False

    def ps_call(self, name: str, args: list[Any]) -> Any:
        raise AttributeError(name)

    def ps_index(self, key: Any) -> Any:
        raise TypeError(f"Unable to index into an object of type {self.type_name}.")

    def ps_set_index(self, key: Any, value: Any) -> None:
        raise TypeError(f"Unable to index into an object of type {self.type_name}.")

    def ps_enumerate(self) -> list[Any] | None:
        return None

    def ps_string(self) -> str:
        return self.type_name


class Version(DotNetObject):
    """``System.Version`` (``[version]'2.0'``, a module's Version): two to four components, the
    unset ones -1; compared component by component, an unset one before 0."""

    type_names = ("System.Version", "System.Object")
    type_keys = ("version",)
    table_view = (("Major", 6), ("Minor", 6), ("Build", 6), ("Revision", 8))
    json_properties = ("Major", "Minor", "Build", "Revision", "MajorRevision", "MinorRevision")
    __slots__ = ("parts",)

    def __init__(self, major: int, minor: int, build: int = -1, revision: int = -1) -> None:
        if min(major, minor) < 0 or (build < 0 and revision >= 0) or build < -1 or revision < -1:
            raise ValueError("Version's parameters must be greater than or equal to zero.")
        self.parts = (major, minor, build, revision)

    @classmethod
    def parse(cls, text: str) -> Version:
        """.NET's Version.Parse; ValueError with its message."""
        pieces = text.strip().split(".")
        if not 2 <= len(pieces) <= 4:
            raise ValueError("Version string portion was too short or too long.")
        numbers = []
        for piece in pieces:
            piece = piece.strip()
            if not piece or not piece.lstrip("+").isdigit():
                raise ValueError(f"The input string '{piece}' was not in a correct format.")
            number = int(piece)
            if number > 2**31 - 1:
                raise ValueError("Value was either too large or too small for an Int32.")
            numbers.append(number)
        return cls(*numbers)

    def ps_property(self, name: str) -> tuple[bool, Any]:
        major, minor, build, revision = self.parts
        values = {"major": major, "minor": minor, "build": build, "revision": revision,
                  "majorrevision": revision >> 16 if revision >= 0 else -1,
                  "minorrevision": revision & 0xFFFF if revision >= 0 else -1}
        key = name.lower()
        return (True, values[key]) if key in values else (False, None)

    def ps_call(self, name: str, args: list[Any]) -> Any:
        key = name.lower()
        if key == "tostring":
            if not args:
                return self.ps_string()
            count = int(args[0])
            defined = [p for p in self.parts if p >= 0]
            if not 0 <= count <= len(defined):
                raise ValueError(f"Argument must be between 0 and {len(defined)}. (Parameter 'fieldCount')")
            return ".".join(str(p) for p in defined[:count])
        if key == "compareto" and len(args) == 1:
            other = args[0]
            if other is None:
                return 1
            return (self.parts > other.parts) - (self.parts < other.parts)
        if key == "equals" and len(args) == 1:
            return self == args[0]
        raise AttributeError(name)

    def ps_string(self) -> str:
        return ".".join(str(p) for p in self.parts if p >= 0)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Version) and other.parts == self.parts

    def __lt__(self, other: Version) -> bool:
        return self.parts < other.parts

    def __le__(self, other: Version) -> bool:
        return self.parts <= other.parts

    def __gt__(self, other: Version) -> bool:
        return self.parts > other.parts

    def __ge__(self, other: Version) -> bool:
        return self.parts >= other.parts

    def __hash__(self) -> int:
        return hash(self.parts)

    def __repr__(self) -> str:
        return f"Version({self.ps_string()!r})"


class SemanticVersion(DotNetObject):
    """``System.Management.Automation.SemanticVersion`` (``$PSVersionTable.PSVersion``,
    ``[semver]'7.4.0'``): major.minor.patch, a pre-release label (which sorts before the release)
    and a build label (ignored when comparing)."""

    type_names = ("System.Management.Automation.SemanticVersion", "System.Object")
    type_keys = ("semver",)
    table_view = (("Major", 6), ("Minor", 6), ("Patch", 6), ("PreReleaseLabel", 15), ("BuildLabel", 10))
    json_properties = ("Major", "Minor", "Patch", "PreReleaseLabel", "BuildLabel")
    __slots__ = ("major", "minor", "patch", "label", "build")

    def __init__(self, major: int, minor: int = 0, patch: int = 0, label: str | None = None,
                 build: str | None = None) -> None:
        if min(major, minor, patch) < 0:
            raise ValueError("Cannot process argument because the value of argument \"major\" is not valid.")
        self.major, self.minor, self.patch, self.label, self.build = major, minor, patch, label, build

    @classmethod
    def parse(cls, text: str) -> SemanticVersion:
        core, _, build = text.strip().partition("+")
        core, _, label = core.partition("-")
        pieces = core.split(".")
        if not 1 <= len(pieces) <= 3 or not all(p.isdigit() for p in pieces):
            raise ValueError(f"The input string '{text}' was not in a correct format.")
        numbers = [int(p) for p in pieces] + [0] * (3 - len(pieces))
        return cls(numbers[0], numbers[1], numbers[2], label or None, build or None)

    @classmethod
    def from_version(cls, version: Version) -> SemanticVersion:
        major, minor, build, _ = version.parts
        return cls(major, minor, max(build, 0))

    def _key(self) -> tuple[int, int, int, int, str]:
        return (self.major, self.minor, self.patch, 0 if self.label else 1, self.label or "")

    def ps_property(self, name: str) -> tuple[bool, Any]:
        values = {"major": self.major, "minor": self.minor, "patch": self.patch,
                  "prereleaselabel": self.label, "buildlabel": self.build}
        key = name.lower()
        return (True, values[key]) if key in values else (False, None)

    def ps_call(self, name: str, args: list[Any]) -> Any:
        key = name.lower()
        if key == "tostring" and not args:
            return self.ps_string()
        if key == "compareto" and len(args) == 1:
            other = args[0]
            return 1 if other is None else (self._key() > other._key()) - (self._key() < other._key())
        raise AttributeError(name)

    def ps_string(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.label:
            text += "-" + self.label
        if self.build:
            text += "+" + self.build
        return text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SemanticVersion) and other._key() == self._key()

    def __lt__(self, other: SemanticVersion) -> bool:
        return self._key() < other._key()

    def __le__(self, other: SemanticVersion) -> bool:
        return self._key() <= other._key()

    def __gt__(self, other: SemanticVersion) -> bool:
        return self._key() > other._key()

    def __ge__(self, other: SemanticVersion) -> bool:
        return self._key() >= other._key()

    def __hash__(self) -> int:
        return hash(self._key())


class PSReference(DotNetObject):
    """``[ref]`` (System.Management.Automation.PSReference): ``.Value`` reads and writes what it
    refers to, a variable (through ``getter``/``setter``) or a value of its own."""

    type_names = ("System.Management.Automation.PSReference", "System.Object")
    type_keys = ("ref",)
    __slots__ = ("_get", "_set", "lock")

    def __init__(self, getter: Any, setter: Any) -> None:
        import threading
        self._get, self._set = getter, setter
        self.lock = threading.RLock()   # Interlocked operations on one reference are atomic

    @classmethod
    def of_value(cls, value: Any) -> PSReference:
        box = [value]
        return cls(lambda: box[0], lambda v: box.__setitem__(0, v))

    @property
    def value(self) -> Any:
        return self._get()

    @value.setter
    def value(self, new: Any) -> None:
        self._set(new)

    def ps_property(self, name: str) -> tuple[bool, Any]:
        return (True, self._get()) if name.lower() == "value" else (False, None)

    def ps_set_property(self, name: str, value: Any) -> bool:
        if name.lower() != "value":
            return False
        self._set(value)
        return True


class SecureString:
    """``Read-Host -AsSecureString``: the text is kept, never shown (``System.Security.SecureString``)."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    def reveal(self) -> str:
        return self._text

    @property
    def length(self) -> int:
        return len(self._text)

    def ps_string(self) -> str:
        return "System.Security.SecureString"

    def __repr__(self) -> str:
        return "SecureString(<redacted>)"


# --- numbers typed as command arguments ----------------------------------------------------------
# PowerShell wraps a numeric argument-mode token in a PSObject that keeps the token's text, and
# converting that to [string] gives the text back: `-UserId 007` binds "007", `f 20d` binds "20d".
# Arithmetic on these values gives plain numbers, as it does in PowerShell.

class _TokenInt(int):
    token_text: str


class _TokenFloat(float):
    token_text: str


class _TokenDecimal(Decimal):
    token_text: str


def with_token_text(value: Any, text: str) -> Any:
    """``value`` (a number parsed from the argument token ``text``) remembering that text."""
    kind: type[Any] | None = None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        kind = _TokenInt
    elif isinstance(value, float):
        kind = _TokenFloat
    elif isinstance(value, Decimal):
        kind = _TokenDecimal
    if kind is None or not text:
        return value
    wrapped = kind(value)
    wrapped.token_text = text
    return wrapped


def token_text(value: Any) -> str | None:
    """The argument text a number was typed as, else None."""
    return getattr(value, "token_text", None) if isinstance(value, int | float | Decimal) else None
