"""Get-Date and New-TimeSpan."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from pscompat import values as _values
from pscompat.lang.dotnet import cast, format_datetime, ps_string
from pscompat.script.binding import ParamSpec as P
from pscompat.script.builtins.registry import Call, builtin
from pscompat.values import TimeSpan

_U = "Microsoft.PowerShell.Commands"


@builtin("Get-Date", f"{_U}.GetDateCommand",
         [P("Date", "datetime", position=0, pipeline=True), P("Format", "string"), P("UFormat", "string"),
          P("Year", "int"), P("Month", "int"), P("Day", "int"), P("Hour", "int"), P("Minute", "int"),
          P("Second", "int"), P("Millisecond", "int"), P("DisplayHint", "string"), P("AsUTC", "switch"),
          P("UnixTimeSeconds", "long")])
def get_date(call: Call) -> list[Any]:
    values = call.input if call.input is not None else [call.get("Date") if call.has("Date") else None]
    out: list[Any] = []
    for v in values:
        value = cast(v, "datetime") if v is not None else _values.local_now()
        if call.has("UnixTimeSeconds"):
            value = _dt.datetime.fromtimestamp(int(call.get("UnixTimeSeconds")), _dt.UTC).astimezone()
        replace = {k.lower(): int(call.get(k)) for k in ("Year", "Month", "Day", "Hour", "Minute", "Second")
                   if call.has(k)}
        if replace:
            value = value.replace(**replace)  # type: ignore[arg-type]
        if call.has("Millisecond"):
            value = value.replace(microsecond=int(call.get("Millisecond")) * 1000)
        if call.switch("AsUTC"):
            from pscompat.values import to_utc
            value = to_utc(value)
        if call.has("Format"):
            fmt = ps_string(call.get("Format"))
            if fmt.lower() == "filedatetime":
                fmt = "yyyyMMdd'T'HHmmssffff"
            elif fmt.lower() == "filedatetimeuniversal":
                from pscompat.values import to_utc
                value, fmt = to_utc(value), "yyyyMMdd'T'HHmmssffff'Z'"
            elif fmt.lower() == "filedate":
                fmt = "yyyyMMdd"
            out.append(format_datetime(value, fmt))
        elif call.has("UFormat"):
            out.append(_uformat(value, ps_string(call.get("UFormat"))))
        elif call.has("DisplayHint"):
            from pscompat.lang.convert import ConversionError, to_enum
            from pscompat.values import HintedDateTime
            try:
                hint = to_enum(call.get("DisplayHint"), "Microsoft.PowerShell.Commands.DisplayHintType",
                               ("Date", "Time", "DateTime"), numbered=True)
            except ConversionError as exc:
                raise call.error(f"Cannot bind parameter 'DisplayHint'. {exc.message}", "CannotConvertArgumentNoMessage",
                                 "InvalidArgument",
                                 exception_type="System.Management.Automation.ParameterBindingException") from None
            out.append(HintedDateTime.hinted(value, hint))
        else:
            out.append(value)
    return out


def _uformat(value: _dt.datetime, fmt: str) -> str:
    if "%s" in fmt:
        stamp = int(value.timestamp()) if value.tzinfo else int(value.astimezone().timestamp())
        fmt = fmt.replace("%s", str(stamp))
    if "%Z" in fmt:
        offset = value.utcoffset() if value.tzinfo else value.astimezone().utcoffset()
        hours = int((offset or _dt.timedelta(0)).total_seconds() // 3600)
        fmt = fmt.replace("%Z", f"{hours:+03d}")
    return value.strftime(fmt)


@builtin("New-TimeSpan", f"{_U}.NewTimeSpanCommand",
         [P("Start", "datetime", position=0), P("End", "datetime", position=1), P("Days", "int"), P("Hours", "int"),
          P("Minutes", "int"), P("Seconds", "int"), P("Milliseconds", "int")])
def new_timespan(call: Call) -> list[Any]:
    if call.has("Start") or call.has("End"):
        start = call.get("Start") or _values.local_now()
        end = call.get("End") or _values.local_now()
        return [TimeSpan(end.replace(tzinfo=None) - start.replace(tzinfo=None))]
    return [TimeSpan(_dt.timedelta(days=call.get("Days", 0), hours=call.get("Hours", 0),
                                   minutes=call.get("Minutes", 0), seconds=call.get("Seconds", 0),
                                   milliseconds=call.get("Milliseconds", 0)))]
