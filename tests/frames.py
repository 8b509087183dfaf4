"""Deterministic pictures for camera and vision tests: solid colours, bars, and QR codes in a frame."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
import numpy.typing as npt

Picture = npt.NDArray[np.uint8]
"""A BGR picture, height × width × 3."""

BLUE = (200, 80, 20)
"""A bright blue, in BGR."""

HELLO_SCENE = (
    "I see no faces; the picture is bright and mostly blue. There is a QR code that says: hello livetui."
)
"""What the server says it sees in ``qr_frame("hello livetui")``."""


def solid(colour: tuple[int, int, int], width: int = 640, height: int = 480) -> Picture:
    """A picture of one colour (BGR)."""
    picture = np.zeros((height, width, 3), dtype=np.uint8)
    picture[:] = colour
    return picture


def with_qr(picture: Picture, text: str, *, at: tuple[int, int] = (40, 40), module: int = 8) -> Picture:
    """A copy of `picture` with a QR code of `text` pasted at `at` (top-left), `module` pixels a square."""
    code = cv2.QRCodeEncoder.create().encode(text)
    code = cv2.resize(code, None, fx=module, fy=module, interpolation=cv2.INTER_NEAREST)
    copy = picture.copy()
    x, y = at
    height, width = code.shape[:2]
    copy[y : y + height, x : x + width] = cv2.cvtColor(code, cv2.COLOR_GRAY2BGR)
    return copy


def qr_frame(text: str, colour: tuple[int, int, int] = BLUE) -> Picture:
    """A 640 × 480 picture of one colour with a QR code of `text` in its top-left part."""
    return with_qr(solid(colour), text)


def jpeg(picture: Picture, quality: int = 80) -> bytes:
    """`picture` as JPEG bytes."""
    ok, data = cv2.imencode(".jpg", picture, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return bytes(data)


def gradient(width: int = 64, height: int = 48) -> Picture:
    """Red rising left to right, green top to bottom, blue constant: every pixel differs from its
    neighbours, so a picture shown the wrong way round or scaled wrongly looks different."""
    x = np.linspace(0, 255, width, dtype=np.float32)[None, :]
    y = np.linspace(0, 255, height, dtype=np.float32)[:, None]
    picture = np.zeros((height, width, 3), dtype=np.uint8)
    picture[..., 2] = np.broadcast_to(x, (height, width)).astype(np.uint8)
    picture[..., 1] = np.broadcast_to(y, (height, width)).astype(np.uint8)
    picture[..., 0] = 96
    return picture


class FakeClock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 0.0
        """The current time, in seconds."""

    def __call__(self) -> float:
        return self.now


class FakeCamera:
    """A paced source with `count` pictures, one every `1 / fps` seconds of a `FakeClock`.

    `grab()` moves the clock to the next picture's time at once (no real waiting) and returns False
    after the last; `on_grab(index)` runs after each grab, so a test can act at a given picture.
    """

    paced = True
    name = "fake camera"

    def __init__(self, count: int, fps: float, clock: FakeClock, picture: Picture | None = None) -> None:
        self.count = count
        self.fps = fps
        self.clock = clock
        self.picture = picture if picture is not None else solid(BLUE)
        self.grabbed = 0
        self.retrieved = 0
        self.opened = 0
        self.closed = 0
        self.on_grab: Callable[[int], None] = lambda index: None

    def open(self) -> None:
        self.opened += 1

    def grab(self) -> bool:
        if self.grabbed >= self.count:
            return False
        self.clock.now = self.grabbed / self.fps
        self.grabbed += 1
        self.on_grab(self.grabbed - 1)
        return True

    def retrieve(self) -> Picture:
        self.retrieved += 1
        return self.picture

    def close(self) -> None:
        self.closed += 1
