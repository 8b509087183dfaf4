"""The camera preview shows the frame exactly as sent (SVG snapshot), and its state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from livetui import events as ev
from livetui.media.video.encode import decode_image, reduction_for, thumbnail_rgb
from livetui.ui.app import STYLES
from livetui.ui.messages import SessionEvent
from livetui.ui.widgets.camera import UPPER_HALF, CameraPreview, half_block_lines
from tests.frames import gradient, jpeg, qr_frame

SnapCompare = Callable[..., bool]
"""pytest-textual-snapshot's `snap_compare` fixture."""


class PreviewApp(App[None]):
    """The preview alone, 40 columns wide."""

    CSS_PATH = [STYLES / "camera.tcss"]
    CSS = "CameraPreview { width: 40; }"

    def compose(self) -> ComposeResult:
        yield CameraPreview(id="preview")


def frame_event(picture: Any, number: int = 1) -> ev.CameraFrame:
    """The event the camera stream emits after sending `picture`."""
    height, width = picture.shape[:2]
    return ev.CameraFrame(number=number, jpeg=jpeg(picture, quality=95), width=width, height=height)


async def show(pilot: Pilot[Any], *events: ev.AnyEvent) -> CameraPreview:
    """Deliver session events to the preview and let it draw them."""
    preview = pilot.app.query_one(CameraPreview)
    for event in events:
        preview.post_message(SessionEvent(event, None))
    await pilot.pause()
    return preview


def test_the_preview_shows_the_sent_frame(snap_compare: SnapCompare) -> None:
    async def send_one(pilot: Pilot[Any]) -> None:
        state = ev.CameraState(state="on", source="photo.png", fps=1)
        await show(pilot, state, frame_event(gradient(64, 48), number=7))

    assert snap_compare(PreviewApp(), terminal_size=(44, 16), run_before=send_one)


def test_half_blocks_carry_two_pixel_rows_a_line() -> None:
    rgb = np.zeros((3, 2, 3), dtype=np.uint8)
    rgb[0] = (255, 0, 0)
    rgb[1] = (0, 255, 0)
    rgb[2] = (0, 0, 255)
    lines = half_block_lines(rgb, width=4)
    assert [line.cell_length for line in lines] == [3, 3]  # one column of padding centres 2 in 4
    first = [s for s in lines[0] if s.text == UPPER_HALF * 2]  # two cells of the same colours: one segment
    assert first[0].style is not None and first[0].style.color is not None
    assert first[0].style.color.get_truecolor() == (255, 0, 0)
    assert first[0].style.bgcolor is not None and first[0].style.bgcolor.get_truecolor() == (0, 255, 0)
    last = [s for s in lines[1] if s.text == UPPER_HALF * 2]
    assert last[0].style is not None and last[0].style.bgcolor is None, "an odd last row has no lower pixel"


async def test_the_preview_follows_the_camera_state() -> None:
    async with PreviewApp().run_test(size=(44, 16)) as pilot:
        preview = await show(pilot, ev.CameraState(state="on", source="camera 0", fps=1))
        assert preview.border_title == "camera · camera 0"
        picture = qr_frame("shown")
        preview = await show(pilot, frame_event(picture, number=3))
        assert preview.frame is not None and preview.frame.number == 3
        assert preview.border_subtitle == "frame 3 · 640×480"
        expected = thumbnail_rgb(decode_image(preview.frame.jpeg), 38, 24)
        top = [s for s in preview.render_line(0) if s.text and set(s.text) == {UPPER_HALF}]
        assert sum(len(s.text) for s in top) == expected.shape[1]
        preview = await show(pilot, ev.CameraState(state="off", source="camera 0", fps=1))
        assert preview.has_class("-off") and preview.border_title == "camera · camera 0 · off"
        preview = await show(pilot, ev.CameraState(state="unavailable", source="camera 0", fps=1))
        assert str(preview.border_title).endswith("unavailable")


def test_a_jpeg_is_decoded_at_the_smallest_scale_that_still_fills_the_pane() -> None:
    assert reduction_for(640, 480, 38, 24) == 8, "80 × 60 pixels still fill 38 × 24"
    assert reduction_for(640, 480, 100, 60) == 4
    assert reduction_for(640, 480, 200, 200) == 2
    assert reduction_for(640, 480, 600, 400) == 1
    assert reduction_for(64, 48, 38, 24) == 1
    picture = jpeg(gradient(640, 480), quality=95)
    assert decode_image(picture, reduce=8).shape == (60, 80, 3)
    assert decode_image(picture, reduce=2).shape == (240, 320, 3)


async def test_the_preview_decodes_a_frame_only_as_large_as_it_shows_it() -> None:
    async with PreviewApp().run_test(size=(44, 16)) as pilot:
        picture = gradient(640, 480)
        preview = await show(pilot, frame_event(picture))
        width, height = preview.content_size
        decoded = preview._image
        assert decoded is not None
        assert decoded.shape[1] < 640 and decoded.shape[0] < 480, "not decoded whole"
        assert decoded.shape[1] >= width and decoded.shape[0] >= 2 * height, "enough pixels for the pane"
        full = thumbnail_rgb(decode_image(jpeg(picture, quality=95)), width, 2 * height)
        shown = thumbnail_rgb(decoded, width, 2 * height)
        assert shown.shape == full.shape, "the same picture size on screen"
        assert np.abs(shown.astype(int) - full.astype(int)).mean() < 8, "and the same picture"
