"""SVG snapshots of the main screen (`--snapshot-update` rewrites them; look at the report before
committing new ones).

`snap_compare` runs the app in an event loop of its own, so it runs in a worker thread here while the test's
loop keeps serving the in-process local server. Everything that depends on timing is pinned: the session
clock (a fake clock that steps one microsecond per reading, so every latency shows as 0.0 ms), the status
bar's session clock and round trip, and the cursor (see `no_cursor_blink`).
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from livetui.config import Settings
from livetui.server.app import LiveServer
from livetui.session.connect import connect_to
from livetui.ui.app import make_app
from livetui.ui.widgets import status
from tests.ui.waiting import live_app, send, until, until_live

SnapCompare = Callable[..., bool]


def stepping_clock(step: float = 1e-6) -> Callable[[], float]:
    """A monotonic clock that advances by `step` seconds each time it is read."""
    ticks = itertools.count()
    return lambda: 1000.0 + next(ticks) * step


@pytest.fixture(autouse=True)
def frozen_status_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    """The session clock and the ping round trip come from the real clock: show fixed values instead."""
    monkeypatch.setattr(status, "monotonic", lambda: 1000.0)
    monkeypatch.setattr(status, "format_round_trip", lambda seconds: "rtt 0.2 ms")


async def test_main_screen_after_one_exchange(
    live_server: LiveServer, settings: Settings, snap_compare: SnapCompare
) -> None:
    app = make_app(settings, connect_to(live_server.url, settings, clock=stepping_clock()))

    async def exchange(pilot: Pilot[Any]) -> None:
        await until_live(pilot)
        await send(pilot, "hello")
        main = live_app(pilot).main
        session = live_app(pilot).session
        assert session is not None
        await until(pilot, lambda: (t := main.chat.turn(1)) is not None and t.complete, "the reply")
        await until(pilot, lambda: session.latency.has(1, "t2"), "the first-text mark")
        await until(pilot, lambda: main.status.round_trip is not None, "a round trip")
        await pilot.pause()

    assert await asyncio.to_thread(snap_compare, app, terminal_size=(120, 40), run_before=exchange)
