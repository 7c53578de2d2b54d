"""Arguments of one command call, and how bash argv becomes them.

PowerShell's parser hands the binder a list of CommandParameterInternal: a parameter name (as
typed), an argument value, or both (``-Name:value``). ``Argument`` is that record. Bash argv
needs a little help on the way (see docs/binding.md, "Deviations"): bash expands ``$false``
to nothing, so ``-IsUsableOnce:$false`` arrives as ``-IsUsableOnce:``; the binder reports that
with the right quoting instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pscompat.lang.numbers import parse_number
from pscompat.values import with_token_text

__all__ = ["NO_VALUE", "Argument", "argv_to_arguments", "argument_value", "is_parameter_token"]


class _NoValue:
    """Marker: a parameter token with no value attached (``-Name`` alone)."""

    _instance: _NoValue | None = None

    def __new__(cls) -> _NoValue:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NO_VALUE"

    def __bool__(self) -> bool:
        return False


NO_VALUE: Any = _NoValue()


@dataclass
class Argument:
    """One argument: ``-Name``, ``-Name:value``, or a value (``name is None``).

    ``name`` is the parameter name as typed, without the dash. ``text`` is the argv token the
    value came from (None for typed values from a script or Python); it enables the bash
    conveniences (``true``/``false`` for switches, JSON or ``@{}`` text for hashtables).
    ``splatted`` arguments come from ``@params``: an explicit named argument beats them.
    """

    name: str | None = None
    value: Any = NO_VALUE
    colon: bool = False
    text: str | None = None
    splatted: bool = False
    token: str = ""

    @property
    def is_parameter(self) -> bool:
        return self.name is not None

    @classmethod
    def named(cls, name: str, value: Any = NO_VALUE, *, splatted: bool = False) -> Argument:
        """A named argument with a typed value (script runner, Python callers, splatting)."""
        colon = value is not NO_VALUE
        return cls(name=name, value=value, colon=colon, splatted=splatted,
                   token=f"-{name}:" if colon else f"-{name}")

    @classmethod
    def positional(cls, value: Any) -> Argument:
        return cls(name=None, value=value)


_DASHES = "-\u2013\u2014\u2015"
# Characters that make a token more than a bare word or number (it then goes to the parser).
_SPECIAL = frozenset(",;(){}[]'\"`$<>|&")
# Special only where a token starts: `@{`/`@(`/`@name` and a `#` comment; mid-word they are
# ordinary characters (UPNs, guest UPNs with #EXT#), so those tokens stay off the parser.
_SPECIAL_FIRST = frozenset("@#")
_CONSTANTS = {"$true": True, "$false": False, "$null": None}


def _split_parameter(token: str) -> tuple[str, str | None] | None:
    """``-Name`` -> (Name, None); ``-Name:v`` -> (Name, 'v'); a value token -> None."""
    if len(token) < 2 or token[0] not in _DASHES or not (token[1].isalpha() or token[1] in "_?"):
        return None
    name, colon, value = token[1:].partition(":")
    return name, (value if colon else None)


def is_parameter_token(token: str) -> bool:
    """``-Name`` or ``-Name:value`` (``-5`` and ``-`` are values, as in PowerShell)."""
    return _split_parameter(token) is not None


def _plain(token: str) -> bool:
    return not (token[:1] in _SPECIAL_FIRST or _SPECIAL.intersection(token)
                or any(c.isspace() for c in token))


def argument_value(token: str) -> Any:
    """What PowerShell makes of one argv token in argument mode (``60`` -> 60, ``$true`` -> True).

    Plain tokens are read here; anything else goes to ``pscompat.lang.literal.argument_value``
    (the same reader scripts use). A token the parser rejects (``O'Brien``, ``$var``) is
    taken verbatim: bash already did the quoting, and there are no variables to expand.
    """
    folded = token.lower()
    if folded in _CONSTANTS:
        return _CONSTANTS[folded]
    if _plain(token) and token[:1] not in _DASHES[1:]:
        try:
            return with_token_text(parse_number(token), token)
        except ValueError:
            return token
    from pscompat.lang.literal import LiteralError
    from pscompat.lang.literal import argument_value as parse_argument
    try:
        return parse_argument(token)
    except (LiteralError, RecursionError):
        return token


def argv_to_arguments(argv: list[str]) -> list[Argument]:
    """Bash argv -> Arguments; ``--`` ends parameter parsing, as in PowerShell."""
    arguments: list[Argument] = []
    parameters_ended = False
    for token in argv:
        if not parameters_ended and token == "--":
            parameters_ended = True
            continue
        split = None if parameters_ended else _split_parameter(token)
        if split is None:
            arguments.append(Argument(name=None, value=argument_value(token), text=token, token=token))
            continue
        name, raw = split
        if raw is None:
            arguments.append(Argument(name=name, token=token))
        elif raw == "":
            # `-Name:` alone: PowerShell pairs it with the next token; bash users usually lost a $var.
            arguments.append(Argument(name=name, colon=True, token=token))
        else:
            arguments.append(Argument(name=name, value=argument_value(raw), colon=True, text=raw,
                                      token=token))
    return arguments
