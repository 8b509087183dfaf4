"""The built-in tools, safe to offer any model: the current time, and a calculator.

Neither touches files, the network or anything outside the process; the calculator never uses `eval`.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from livetui.tools import calculator as calc
from livetui.tools.spec import ToolSpec


def current_time(timezone: str | None = None) -> dict[str, str]:
    """The current date and time.

    Args:
        timezone: An IANA time zone such as "Europe/Paris" or "America/New_York"; the user's local time
            zone when omitted.
    """
    if timezone:
        try:
            zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {timezone!r}") from None
        now = dt.datetime.now(zone)
        name = timezone
    else:
        now = dt.datetime.now().astimezone()
        name = now.tzname() or "local"
    return {
        "iso": now.isoformat(timespec="seconds"),
        "date": now.date().isoformat(),
        "time": now.strftime("%H:%M:%S"),
        "weekday": now.strftime("%A"),
        "timezone": name,
    }


def calculator(expression: str) -> int | float:
    """Evaluate an arithmetic expression exactly: numbers, + - * / // % ** and parentheses.

    Args:
        expression: The arithmetic to do, e.g. "6 * 7" or "(12 + 30) / 2".
    """
    return calc.evaluate(expression)


def builtin_tools() -> list[ToolSpec]:
    """The specs of every built-in tool."""
    return [ToolSpec.from_function(current_time), ToolSpec.from_function(calculator)]
