"""Waiting in app tests without sleeping: let the app (and the in-process server) run until a condition."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from livetui import events as ev
from livetui.ui.app import LiveApp
from livetui.ui.messages import SessionEvent

TIMEOUT = 30.0
"""Seconds a condition may take before the test fails: only a guard against a hang (a loaded machine is
slow)."""


async def until(
    pilot: Pilot[Any], condition: Callable[[], bool], what: str, timeout: float = TIMEOUT
) -> None:
    """Run the app until `condition()` holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause()


def live_app(pilot: Pilot[Any]) -> LiveApp:
    """The pilot's app, typed."""
    app = pilot.app
    assert isinstance(app, LiveApp)
    return app


async def until_live(pilot: Pilot[Any]) -> None:
    """Wait for the session to be past `setupComplete`."""
    app = live_app(pilot)
    await until(pilot, lambda: app.session is not None and app.session.ready, "the session to go live")


async def send(pilot: Pilot[Any], text: str) -> None:
    """Type a message into the composer and press Enter (Pilot takes some 100 ms a key: keep it short)."""
    await pilot.press(*text)
    await pilot.press("enter")


def seen(messages: list[Any], kind: type[ev.Event]) -> list[Any]:
    """The domain events of one kind that reached a pane, in the order they were handled."""
    return [m.event for m in messages if isinstance(m, SessionEvent) and isinstance(m.event, kind)]
