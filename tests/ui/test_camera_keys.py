"""The camera in the app: preview and status bar while streaming, the toggle and snapshot keys, and
the notice when no camera is configured."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
from textual.pilot import Pilot
from textual.widgets import Label

from livetui import events as ev
from livetui.config import CameraSettings, LocalSettings, Settings
from livetui.server.app import LiveServer
from livetui.session.connect import connect_to
from livetui.ui.app import LiveApp, make_app
from livetui.ui.media_keys import NO_CAMERA
from livetui.ui.messages import SessionEvent
from livetui.ui.widgets.camera import CameraPreview
from livetui.ui.widgets.entries import ErrorEntry, NoticeEntry
from tests.frames import qr_frame
from tests.ui.waiting import until


async def until_live(pilot: Pilot[Any]) -> LiveApp:
    """Wait for the session to be past `setupComplete`; the app."""
    app = pilot.app
    assert isinstance(app, LiveApp)
    await until(pilot, lambda: app.session is not None and app.session.ready, "the session to go live")
    return app


def camera_settings(tmp_path: Path, text: str = "on screen") -> Settings:
    """Text-only settings streaming a photo with a QR code of `text`, fast so tests need not wait."""
    photo = tmp_path / "photo.png"
    cv2.imwrite(str(photo), qr_frame(text))
    return Settings(text_only=True, camera=CameraSettings(file=photo, fps=20))


def status_camera(app: Any) -> str:
    """What the status bar says about the camera."""
    return str(app.main.status.query_one("#camera", Label).render())


async def test_streaming_shows_the_preview_and_the_rate(live_server: LiveServer, tmp_path: Path) -> None:
    settings = camera_settings(tmp_path)
    app = make_app(settings, connect_to(live_server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        preview = app.main.query_one(CameraPreview)
        await until(pilot, lambda: preview.frame is not None, "a frame in the preview")
        assert preview.border_title == "camera · photo.png"
        assert status_camera(app) == "cam 20 fps"
        assert app.camera is not None and preview.frame is not None
        assert preview.frame.number <= app.camera.sent


async def test_f6_toggles_the_camera_and_f7_sends_a_snapshot(live_server: LiveServer, tmp_path: Path) -> None:
    settings = camera_settings(tmp_path, text="snapped")
    app = make_app(settings, connect_to(live_server.url, settings))
    messages: list[Any] = []
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await until_live(pilot)
        camera = app.camera
        assert camera is not None
        await until(pilot, lambda: camera.sent >= 1, "a frame sent")
        await pilot.press("f6")
        await until(pilot, lambda: status_camera(app) == "cam off", "the camera off")
        assert not camera.on
        sent = camera.sent
        await pilot.press("f7")

        def shown() -> list[ev.CameraFrame]:
            return [
                m.event
                for m in messages
                if isinstance(m, SessionEvent) and isinstance(m.event, ev.CameraFrame)
            ]

        # The frame is counted as sent before its event reaches the preview: wait for the preview's.
        await until(pilot, lambda: any(frame.snapshot for frame in shown()), "the snapshot in the preview")
        assert shown()[-1].snapshot and camera.sent == sent + 1
        assert app.main.query_one(CameraPreview).has_class("-off")
        await pilot.press("f6")
        await until(pilot, lambda: status_camera(app) == "cam 20 fps", "the camera on again")


async def test_without_a_camera_the_keys_say_how_to_get_one(live_server: LiveServer) -> None:
    settings = Settings(text_only=True)
    app = make_app(settings, connect_to(live_server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        assert app.camera is None and not app.main.query(CameraPreview)
        await pilot.press("f6")
        await until(pilot, lambda: bool(app.main.chat.query(NoticeEntry)), "a notice")
        notices = [str(entry.render()) for entry in app.main.chat.query(NoticeEntry)]
        assert any(NO_CAMERA in notice for notice in notices), notices


async def test_a_missing_camera_is_one_line_and_the_session_goes_on(live_server: LiveServer) -> None:
    settings = Settings(text_only=True, camera=CameraSettings(device="/dev/no-such-camera"))
    app = make_app(settings, connect_to(live_server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        await until(pilot, lambda: status_camera(app) == "no camera", "the camera unavailable")
        errors = [str(entry.render()) for entry in app.main.chat.query(ErrorEntry)]
        assert len(errors) == 1 and "no camera: /dev/no-such-camera could not be opened" in errors[0]
        assert "\n" not in errors[0].strip() and "Traceback" not in errors[0]
        assert app.session is not None and app.session.ready


async def test_openai_gets_the_camera_as_snapshots_and_the_preview_says_so(
    live_server: LiveServer, tmp_path: Path
) -> None:
    settings = camera_settings(tmp_path, text="seen by openai")
    settings = settings.model_copy(update={"local": LocalSettings(dialect="openai")})
    app = make_app(settings, connect_to(live_server.url, settings))
    messages: list[Any] = []
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await until_live(pilot)
        preview = app.main.query_one(CameraPreview)
        await until(pilot, lambda: preview.frame is not None, "a frame in the preview")
        assert str(preview.border_subtitle).endswith("goes with your next turn")
        await pilot.press(*"what do you see", "enter")
        await until(pilot, lambda: (turn := app.main.chat.turn(1)) is not None and turn.complete, "the reply")
        reply = "".join(
            m.event.text
            for m in messages
            if isinstance(m, SessionEvent) and isinstance(m.event, ev.TextDelta)
        )
        assert "seen by openai" in reply, "the latest frame went with the turn"
