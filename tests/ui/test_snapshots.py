"""SVG snapshots of the main screen, the help screen and a camera session, at 80×24, 120×40 and 200×60
(`--snapshot-update` rewrites them; look at the report before committing new ones).

`snap_compare` runs the app in an event loop of its own, so it runs in a worker thread here while the test's
loop keeps serving the in-process local server. Everything that depends on timing is pinned: the session
clock (a fake clock that steps one microsecond per reading, so every latency shows as 0.0 ms), the status
bar's session clock and round trip, the cursor (see `no_cursor_blink`), and the camera, a still picture
whose stream stops with its first frame (see `one_camera_frame`).
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import cv2
import pytest
from textual.pilot import Pilot

from livetui.config import CameraSettings, Settings
from livetui.media.video.capture import EncodedFrame
from livetui.server.app import LiveServer
from livetui.session.camera_stream import CameraStream
from livetui.session.connect import connect_to
from livetui.ui.app import LiveApp, make_app
from livetui.ui.screens.help import HelpScreen
from livetui.ui.widgets import status
from livetui.ui.widgets.camera import CameraPreview
from tests.frames import gradient
from tests.ui.waiting import live_app, send, until, until_live

SnapCompare = Callable[..., bool]
Steps = Callable[[Pilot[Any]], Awaitable[None]]


def stepping_clock(step: float = 1e-6) -> Callable[[], float]:
    """A monotonic clock that advances by `step` seconds each time it is read."""
    ticks = itertools.count()
    return lambda: 1000.0 + next(ticks) * step


@pytest.fixture(autouse=True)
def frozen_status_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    """The session clock and the ping round trip come from the real clock: show fixed values instead."""
    monkeypatch.setattr(status, "monotonic", lambda: 1000.0)
    monkeypatch.setattr(status, "format_round_trip", lambda seconds: "rtt 0.2 ms")


SIZES = [(80, 24), (120, 40), (200, 60)]
"""The terminal sizes every screen is shot at: the smallest usual terminal, a laptop's, a wide one."""

SIZE_IDS = [f"{width}x{height}" for width, height in SIZES]


async def one_exchange(pilot: Pilot[Any]) -> None:
    """Send "hello" and wait for the reply, its first-text mark and a round trip."""
    await until_live(pilot)
    await send(pilot, "hello")
    main = live_app(pilot).main
    session = live_app(pilot).session
    assert session is not None
    await until(pilot, lambda: (t := main.chat.turn(1)) is not None and t.complete, "the reply")
    await until(pilot, lambda: session.latency.has(1, "t2"), "the first-text mark")
    await until(pilot, lambda: main.status.round_trip is not None, "a round trip")
    await pilot.pause()


def shot(snap_compare: SnapCompare, app: LiveApp, size: tuple[int, int], steps: Steps) -> bool:
    """Compare the screen after `steps` with its snapshot (in a thread: see the module docstring)."""
    return snap_compare(app, terminal_size=size, run_before=steps)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_main_screen_after_one_exchange(
    live_server: LiveServer, settings: Settings, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    app = make_app(settings, connect_to(live_server.url, settings, clock=stepping_clock()))
    assert await asyncio.to_thread(shot, snap_compare, app, size, one_exchange)


async def test_the_side_panes_over_the_chat_at_80x24(
    live_server: LiveServer, settings: Settings, snap_compare: SnapCompare
) -> None:
    app = make_app(settings, connect_to(live_server.url, settings, clock=stepping_clock()))

    async def panes_over(pilot: Pilot[Any]) -> None:
        await one_exchange(pilot)
        await pilot.press("ctrl+b")
        await until(pilot, lambda: live_app(pilot).main.panes_over_chat, "the panes")
        await pilot.pause()

    assert await asyncio.to_thread(shot, snap_compare, app, (80, 24), panes_over)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_help_screen(
    live_server: LiveServer, settings: Settings, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    app = make_app(settings, connect_to(live_server.url, settings, clock=stepping_clock()))

    async def help_open(pilot: Pilot[Any]) -> None:
        await until_live(pilot)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), "the help screen")
        await pilot.pause()

    assert await asyncio.to_thread(shot, snap_compare, app, size, help_open)


@pytest.fixture
def one_camera_frame(monkeypatch: pytest.MonkeyPatch) -> None:
    """The camera stream stops the moment it has sent its first frame (its task is cancelled in that same
    step; its state stays). Stopped any later, by a test watching for the frame, a loaded machine can let
    the second frame through first: it comes a second later, and one step of Pilot can take that long."""
    send = CameraStream._send

    def send_once(self: CameraStream, frame: EncodedFrame) -> None:
        send(self, frame)
        if self.sent == 1 and (task := asyncio.current_task()) is not None:
            task.cancel()

    monkeypatch.setattr(CameraStream, "_send", send_once)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.usefixtures("one_camera_frame")
async def test_camera_session(
    live_server: LiveServer, tmp_path: Path, snap_compare: SnapCompare, size: tuple[int, int]
) -> None:
    photo = tmp_path / "photo.png"
    cv2.imwrite(str(photo), gradient(640, 480))
    settings = Settings(text_only=True, camera=CameraSettings(file=photo))
    app = make_app(settings, connect_to(live_server.url, settings, clock=stepping_clock()))

    async def first_frame(pilot: Pilot[Any]) -> None:
        app = live_app(pilot)
        camera = app.camera
        assert camera is not None
        await until(pilot, lambda: camera.sent >= 1, "the first frame")
        await one_exchange(pilot)
        await until(pilot, lambda: app.main.query_one(CameraPreview).frame is not None, "the preview")
        assert camera.sent == 1
        await pilot.pause()

    assert await asyncio.to_thread(shot, snap_compare, app, size, first_frame)
