"""DateTime.ToString() in a stated culture (the default view prints dates this way).

pscompat has no .NET culture data, so it carries the general date/time patterns ("G") of the
cultures users ask for; en-US is the default (``PSCOMPAT_CULTURE`` / ``--culture`` change it).
facts/mg-cmdlets.md's sample (``9/03/2021 11:19:17 PM``) was printed under en-AU.
"""

from __future__ import annotations

import datetime as _dt

# culture -> (date pattern, time pattern, AM designator, PM designator)
_CULTURES: dict[str, tuple[str, str, str, str]] = {
    "en-us": ("M/d/yyyy", "h:mm:ss tt", "AM", "PM"),
    "en-au": ("d/MM/yyyy", "h:mm:ss tt", "AM", "PM"),
    "en-gb": ("dd/MM/yyyy", "HH:mm:ss", "", ""),
    "en-nz": ("d/MM/yyyy", "h:mm:ss tt", "AM", "PM"),
    "en-ca": ("yyyy-MM-dd", "h:mm:ss tt", "a.m.", "p.m."),
    "de-de": ("dd.MM.yyyy", "HH:mm:ss", "", ""),
    "fr-fr": ("dd/MM/yyyy", "HH:mm:ss", "", ""),
    "nl-nl": ("d-M-yyyy", "HH:mm:ss", "", ""),
    "ja-jp": ("yyyy/MM/dd", "H:mm:ss", "", ""),
    "invariant": ("MM/dd/yyyy", "HH:mm:ss", "AM", "PM"),
}
_CULTURES[""] = _CULTURES["invariant"]

KNOWN_CULTURES = tuple(sorted(k for k in _CULTURES if k))


def is_known(culture: str) -> bool:
    return culture.casefold() in _CULTURES


def _apply(pattern: str, value: _dt.datetime, am: str, pm: str) -> str:
    hour12 = value.hour % 12 or 12
    tokens = [("yyyy", f"{value.year:04d}"), ("MM", f"{value.month:02d}"), ("M", str(value.month)),
              ("dd", f"{value.day:02d}"), ("d", str(value.day)), ("HH", f"{value.hour:02d}"),
              ("H", str(value.hour)), ("hh", f"{hour12:02d}"), ("h", str(hour12)),
              ("mm", f"{value.minute:02d}"), ("ss", f"{value.second:02d}"),
              ("tt", am if value.hour < 12 else pm)]
    out, i = [], 0
    while i < len(pattern):
        for token, text in tokens:
            if pattern.startswith(token, i):
                out.append(text)
                i += len(token)
                break
        else:
            out.append(pattern[i])
            i += 1
    return "".join(out).strip()


def format_datetime(value: _dt.datetime, culture: str = "en-US") -> str:
    """``value.ToString()`` under ``culture``; aware values are shown in UTC (as Mg/PnP keep them)."""
    if value.tzinfo is not None:
        value = value.astimezone(_dt.UTC)
    date_p, time_p, am, pm = _CULTURES.get(culture.casefold(), _CULTURES["en-us"])
    return _apply(date_p + " " + time_p, value, am, pm)
