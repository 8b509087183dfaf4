"""The camera preview: the last frame sent to the model, drawn with half blocks.

Each terminal cell shows two pixels, one above the other: the character ``▀`` in the top pixel's colour
on a background of the bottom pixel's colour. The picture is the JPEG exactly as it went on the wire,
decoded and scaled down to the pane (aspect kept, centred), so what the user sees is what the model got.
A JPEG is decoded straight at the smallest scale (1/2, 1/4 or 1/8) that still fills the pane: a fraction
of the cost of decoding it whole, once a second. It is redrawn when a frame is sent (at the send rate)
and when the pane is resized.
"""

from __future__ import annotations

from typing import ClassVar

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual import on
from textual.events import Resize
from textual.strip import Strip
from textual.widget import Widget

from livetui import events as ev
from livetui.media.video.encode import FrameError, Image, decode_image, reduction_for, thumbnail_rgb
from livetui.ui.messages import SessionEvent

UPPER_HALF = "\u2580"
"""▀: the top half of a cell in the foreground colour, the bottom half in the background colour."""


def half_block_lines(rgb: Image, width: int) -> list[Strip]:
    """Rows of half-block cells for an RGB picture, centred in `width` cells (two pixel rows a line).

    Neighbouring cells of the same two colours share one segment, and each pair of colours one style, so
    a frame costs one pass over its pixels as plain Python values (a large preview is drawn every second).
    """
    rows, cols = rgb.shape[:2]
    left = max(0, (width - cols) // 2)
    pad = [Segment(" " * left, Style())] if left else []
    pixels: list[list[list[int]]] = rgb.tolist()
    styles: dict[tuple[tuple[int, ...], tuple[int, ...] | None], Style] = {}
    lines: list[Strip] = []
    for top in range(0, rows, 2):
        uppers = pixels[top]
        lowers = pixels[top + 1] if top + 1 < rows else None
        segments = list(pad)
        run, count = None, 0
        for x in range(cols):
            key = (tuple(uppers[x]), tuple(lowers[x]) if lowers is not None else None)
            if key == run:
                count += 1
                continue
            if run is not None:
                segments.append(Segment(UPPER_HALF * count, _style(styles, run)))
            run, count = key, 1
        if run is not None:
            segments.append(Segment(UPPER_HALF * count, _style(styles, run)))
        lines.append(Strip(segments, left + cols))
    return lines


def _style(
    styles: dict[tuple[tuple[int, ...], tuple[int, ...] | None], Style],
    key: tuple[tuple[int, ...], tuple[int, ...] | None],
) -> Style:
    """The style of a cell whose top and bottom pixels are `key`, made once per pair of colours."""
    style = styles.get(key)
    if style is None:
        upper, lower = key
        bgcolor = Color.from_rgb(*lower) if lower is not None else None
        style = styles[key] = Style(color=Color.from_rgb(*upper), bgcolor=bgcolor)
    return style


def camera_status(state: ev.CameraState) -> str:
    """The camera's state for the status bar: ``cam 1 fps``, ``cam off`` or ``no camera``."""
    if state.state == "unavailable":
        return "no camera"
    return f"cam {state.fps:g} fps" if state.state == "on" else "cam off"


class CameraPreview(Widget):
    """The last camera frame sent, with its number and size in the pane's border."""

    CONSUMES: ClassVar[tuple[type[ev.Event], ...]] = (ev.CameraFrame, ev.CameraState)
    """The session events the preview shows."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.frame: ev.CameraFrame | None = None
        """The last frame sent, as sent."""
        self.state: ev.CameraState | None = None
        """The camera's last state."""
        self.snapshots = False
        """The provider takes pictures as snapshots with each turn (OpenAI), not as a stream (Gemini)."""
        self._image: Image | None = None
        self._lines: list[Strip] = []
        self.border_title = "camera"

    @on(SessionEvent)
    def _on_session_event(self, message: SessionEvent) -> None:
        event = message.event
        if message.runtime is not None:
            self.snapshots = message.runtime.video == "snapshots"
        if isinstance(event, ev.CameraFrame):
            self.show_frame(event)
        elif isinstance(event, ev.CameraState):
            self.state = event
            self.set_class(event.state != "on", "-off")
            self._caption()
            self.refresh()

    def show_frame(self, frame: ev.CameraFrame) -> None:
        """Draw `frame` (a JPEG as sent); a frame that cannot be decoded leaves the last one shown."""
        try:
            self._image = self._decode(frame)
        except FrameError:
            return
        self.frame = frame
        self._caption()
        self._layout()

    def _decode(self, frame: ev.CameraFrame) -> Image:
        """`frame`'s picture at the smallest scale that still fills the pane (two pixels a cell's height).

        Raises:
            FrameError: the JPEG cannot be decoded.
        """
        size = self.content_size
        reduce = reduction_for(frame.width, frame.height, size.width, size.height * 2)
        return decode_image(frame.jpeg, reduce=reduce)

    def _caption(self) -> None:
        frame, state = self.frame, self.state
        title = "camera" if state is None else f"camera · {state.source}"
        self.border_title = title if state is None or state.state == "on" else f"{title} · {state.state}"
        if frame is not None:
            kind = "snapshot" if frame.snapshot else "frame"
            subtitle = f"{kind} {frame.number} · {frame.width}×{frame.height}"
            if self.snapshots and not frame.snapshot:  # OpenAI has no video stream
                subtitle += " · goes with your next turn"
            self.border_subtitle = subtitle

    def _layout(self) -> None:
        size = self.content_size
        if self._image is None or size.width <= 0 or size.height <= 0:
            self._lines = []
        else:
            rgb = thumbnail_rgb(self._image, size.width, size.height * 2)
            self._lines = half_block_lines(rgb, size.width)
        self.refresh()

    def on_resize(self, event: Resize) -> None:
        """Scale the picture to the new size (decoded again: a larger pane may need more pixels)."""
        if self.frame is not None:
            try:
                self._image = self._decode(self.frame)
            except FrameError:
                pass
        self._layout()

    def render_line(self, y: int) -> Strip:
        """One line of the picture (blank below it, or before the first frame)."""
        width = self.content_size.width
        if y < len(self._lines):
            return self._lines[y].extend_cell_length(width, Style())
        if y == 0 and not self._lines:
            return Strip([Segment(self._placeholder()[:width], Style())]).extend_cell_length(width, Style())
        return Strip.blank(width, Style())

    def _placeholder(self) -> str:
        if self.state is not None and self.state.state == "unavailable":
            return "no camera"
        return "camera off" if self.state is not None and self.state.state == "off" else "waiting for a frame"
