"""The camera stream through the real engine to the local server: frames out, the scene back."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import cv2

from livetui import events as ev
from livetui.media.video.capture import CaptureOptions
from livetui.media.video.encode import decode_image
from livetui.media.video.sources import CameraSource, FileSource, FrameSource
from livetui.session.camera_stream import CameraStream
from livetui.session.engine import LiveSession
from tests.frames import HELLO_SCENE, qr_frame
from tests.session.conftest import Recorder, live_session

FAST = CaptureOptions(fps=20)
"""A rate that keeps tests quick; the rate itself is tested with a fake clock in tests/media."""


@contextlib.asynccontextmanager
async def streaming(
    camera: CameraStream, session: LiveSession, recorder: Recorder
) -> AsyncIterator[asyncio.Task[None]]:
    """Run `camera` into `session`, its events going to `recorder`; cancelled on exit."""
    task = asyncio.create_task(camera.run(lambda: session, recorder))
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def video_frames_sent(recorder: Recorder) -> int:
    """How many realtimeInput.video frames the engine put on the wire."""
    return sum(
        1 for e in recorder.of(ev.WireFrame) if e.direction == "out" and e.summary == "realtimeInput.video"
    )


async def ask(session: LiveSession, recorder: Recorder, text: str) -> str:
    """Send a turn and return the whole reply."""
    turn = session.send_text(text)
    await recorder.first(ev.TurnComplete, lambda e: e.turn == turn)
    return "".join(d.text for d in recorder.of(ev.TextDelta) if d.turn == turn)


def qr_photo(tmp_path: Path, text: str) -> Path:
    """A photo file with a QR code of `text` in it."""
    path = tmp_path / "photo.png"
    cv2.imwrite(str(path), qr_frame(text))
    return path


async def test_a_qr_code_sent_by_the_camera_is_read_back_by_the_server(tmp_path: Path) -> None:
    source = FileSource(qr_photo(tmp_path, "hello livetui"))
    async with live_session() as (session, recorder):
        camera = CameraStream(source, FAST)
        async with streaming(camera, session, recorder):
            frame = await recorder.first(ev.CameraFrame)
            reply = await ask(session, recorder, "What do you see?")
        assert reply == HELLO_SCENE
        assert recorder.of(ev.CameraState)[0] == ev.CameraState(state="on", source="photo.png", fps=20)
        assert decode_image(frame.jpeg).shape == (frame.height, frame.width, 3) == (480, 640, 3)
        assert video_frames_sent(recorder) >= frame.number >= 1


async def test_frames_are_sent_only_to_a_live_session_and_each_is_shown_as_sent(tmp_path: Path) -> None:
    source = FileSource(qr_photo(tmp_path, "counted"))
    async with live_session() as (session, recorder):
        camera = CameraStream(source, FAST)
        async with streaming(camera, session, recorder):
            await recorder.wait_for(lambda: len(recorder.of(ev.CameraFrame)) >= 3)
            await ask(session, recorder, "hello")
        shown = recorder.of(ev.CameraFrame)
        assert [f.number for f in shown] == list(range(1, len(shown) + 1))
        assert video_frames_sent(recorder) == len(shown) == camera.sent


async def test_without_a_camera_one_line_is_shown_and_the_session_goes_on() -> None:
    async with live_session() as (session, recorder):
        camera = CameraStream(CameraSource("/dev/no-such-camera"))
        async with streaming(camera, session, recorder) as task:
            error = await recorder.first(ev.SessionError)
            assert error.message == (
                "no camera: /dev/no-such-camera could not be opened (is it connected and free?); "
                "the session goes on without the camera"
            )
            assert not error.fatal
            assert recorder.of(ev.CameraState)[-1].state == "unavailable"
            assert await ask(session, recorder, "still there?") == "You said: still there?"
            assert not task.done()
        assert video_frames_sent(recorder) == 0 and camera.state == "unavailable" and not camera.on


async def test_the_camera_toggles_off_and_on(tmp_path: Path) -> None:
    source = FileSource(qr_photo(tmp_path, "toggle"))
    async with live_session() as (session, recorder):
        camera = CameraStream(source, FAST)
        async with streaming(camera, session, recorder):
            await recorder.first(ev.CameraFrame)
            assert camera.toggle() is False
            await recorder.wait_for(lambda: [s.state for s in recorder.of(ev.CameraState)] == ["on", "off"])
            sent = camera.sent
            # a turn round trip: anything the camera still had in flight would have arrived by now
            await ask(session, recorder, "quiet")
            assert camera.sent == sent, "nothing is sent while the camera is off"
            assert camera.toggle() is True
            await recorder.wait_for(lambda: camera.sent > sent)
        assert [s.state for s in recorder.of(ev.CameraState)] == ["on", "off", "on"]


async def test_a_snapshot_with_the_camera_off_sends_exactly_one_frame(tmp_path: Path) -> None:
    source: FrameSource = FileSource(qr_photo(tmp_path, "snap"))
    async with live_session() as (session, recorder):
        camera = CameraStream(source, FAST, on=False)
        async with streaming(camera, session, recorder):
            await recorder.first(ev.CameraState)
            camera.snapshot()
            frame = await recorder.first(ev.CameraFrame)
            assert (await ask(session, recorder, "what do you see")).endswith("QR code that says: snap.")
        assert frame.snapshot and frame.number == 1
        assert video_frames_sent(recorder) == 1
        assert [s.state for s in recorder.of(ev.CameraState)] == ["off"]
