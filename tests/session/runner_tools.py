"""A tools file for the runner tests: each load gets fresh module state."""

from __future__ import annotations

import asyncio

NON_BLOCKING = ["background"]
SCHEDULING = "WHEN_IDLE"

STARTED = asyncio.Event()
"""Set when `hang` starts."""
CANCELLED: list[str] = []
"""`hang` appends "hang" here when it is cancelled."""
PARTNER = asyncio.Event()
"""Set by `release`, awaited by `wait_for_partner`: they finish only if they run concurrently."""


def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


def explode(reason: str) -> None:
    """Always fails."""
    raise RuntimeError(f"exploded: {reason}")


async def hang() -> None:
    """Never finishes, unless cancelled."""
    STARTED.set()
    try:
        await asyncio.Event().wait()
    except asyncio.CancelledError:
        CANCELLED.append("hang")
        raise


async def wait_for_partner() -> str:
    """Finishes once `release` ran."""
    await PARTNER.wait()
    return "released"


async def release() -> str:
    """Lets `wait_for_partner` finish."""
    PARTNER.set()
    return "released the partner"


def background(query: str) -> str:
    """A NON_BLOCKING search."""
    return f"found {query}"
