"""A user's tools file, as the tests load it with `--tools`."""

from __future__ import annotations

import asyncio
import enum
from typing import Annotated, Literal, Optional

from livetui.tools import tool

NON_BLOCKING = ["slow_search"]
SCHEDULING = {"slow_search": "WHEN_IDLE"}


class Unit(enum.Enum):
    """Temperature units."""

    CELSIUS = "C"
    FAHRENHEIT = "F"


def weather(city: str, unit: Unit = Unit.CELSIUS, days: int = 1) -> dict[str, object]:
    """The weather forecast for a city.

    Looks it up in a very small table.

    Args:
        city: The city's name, e.g. "Paris".
        unit: The temperature unit.
        days (int): How many days ahead, counting
            today as the first.

    Returns:
        The forecast.
    """
    return {"city": city, "unit": unit.value, "days": days, "sky": "sunny"}


async def add(a: int, b: float, note: Optional[str] = None) -> float:  # noqa: UP045 - Optional on purpose
    """Add two numbers."""
    await asyncio.sleep(0)
    return a + b


def slow_search(query: str, tags: list[str], limits: dict[str, int] | None = None) -> list[str]:
    """Search the archive (takes a while)."""
    return [query, *tags]


@tool(name="set_mode", scheduling="SILENT")
def mode(mode: Literal["fast", "slow"], verbose: bool = False, note: Annotated[str, "Why."] = "") -> str:
    """Switch the mode."""
    return mode


def broken_tool() -> None:
    """Raises, so the error path can be tested."""
    raise RuntimeError("the archive is on fire")


def _private_helper() -> None:
    """Not a tool: private."""
