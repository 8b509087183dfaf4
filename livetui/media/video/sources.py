"""Where camera frames come from: a camera, a video or image file, or a moving test pattern.

A `FrameSource` is driven from one capture thread: `open()`, then `grab()` and `retrieve()` as often as
the capture loop wants, then `close()`. A *paced* source (a camera) makes `grab()` wait for its next
picture, so the loop can keep it drained and always retrieve the newest one; an unpaced source (a file,
the test pattern) has a picture ready at any time, and the loop waits between frames itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from livetui.media.video.encode import Image, cv2_module

Clock = Callable[[], float]
"""A monotonic clock, in seconds."""


class CameraUnavailable(Exception):
    """A source that cannot give pictures. The message is one line, fit to show a user."""


class FrameSource(Protocol):
    """Pictures for the camera stream (see the module docstring)."""

    name: str
    """How the source is shown to the user: ``camera 0``, ``photo.jpg``, ``test pattern``."""
    paced: bool
    """True when `grab` waits for the source's next picture (a camera)."""

    def open(self) -> None:
        """Get ready to give pictures.

        Raises:
            CameraUnavailable: there is no such camera or file, or it gives no pictures.
        """
        ...

    def grab(self) -> bool:
        """Move on to the newest picture; False when the source has no more."""
        ...

    def retrieve(self) -> Image:
        """The picture `grab` moved to (BGR)."""
        ...

    def close(self) -> None:
        """Release the device or file; `open` may be called again later."""
        ...


def describe_device(device: int | str) -> str:
    """How a camera is named to the user: ``camera 0`` or the device path."""
    return f"camera {device}" if isinstance(device, int) else str(device)


class CameraSource:
    """A camera, through OpenCV's `VideoCapture` (a device index such as 0, or a device path)."""

    paced = True

    def __init__(self, device: int | str) -> None:
        self.device = device
        """The device index or path."""
        self.name = describe_device(device)
        """``camera N`` or the device path."""
        self._capture: Any = None

    def open(self) -> None:
        """Open the camera and check it gives a picture.

        Raises:
            CameraUnavailable: the camera is missing, busy, or gives no pictures.
        """
        cv2 = cv2_module()
        capture = cv2.VideoCapture(self.device)
        if not capture.isOpened():
            capture.release()
            raise CameraUnavailable(f"no camera: {self.name} could not be opened (is it connected and free?)")
        capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # keep as few stale pictures queued as the driver allows
        if not capture.grab():
            capture.release()
            raise CameraUnavailable(f"no camera: {self.name} opened but gives no pictures")
        self._capture = capture

    def grab(self) -> bool:
        """Wait for the camera's next picture."""
        return self._capture is not None and bool(self._capture.grab())

    def retrieve(self) -> Image:
        """Decode the picture last grabbed.

        Raises:
            CameraUnavailable: the camera stopped giving pictures.
        """
        if self._capture is None:
            raise CameraUnavailable(f"{self.name} is not open")
        ok, image = self._capture.retrieve()
        if not ok:
            raise CameraUnavailable(f"{self.name} stopped giving pictures")
        picture: Image = image
        return picture

    def close(self) -> None:
        """Release the camera (its light goes off)."""
        if self._capture is not None:
            self._capture.release()
            self._capture = None


class FileSource:
    """An image file (the same picture every time) or a video file (played in real time, looping)."""

    paced = False

    def __init__(self, path: Path, *, clock: Clock = time.monotonic) -> None:
        self.path = path
        """The file."""
        self.name = path.name
        """The file's name."""
        self._clock = clock
        self._image: Image | None = None
        self._video: Any = None
        self._fps = 25.0
        self._started = 0.0
        self._position = -1

    def open(self) -> None:
        """Read the image, or open the video.

        Raises:
            CameraUnavailable: the file is missing, or is neither an image nor a video OpenCV can read.
        """
        if not self.path.is_file():
            raise CameraUnavailable(f"no camera file: {self.path} does not exist")
        cv2 = cv2_module()
        image = cv2.imread(str(self.path), cv2.IMREAD_COLOR)
        if image is not None:
            self._image = image
            return
        video = cv2.VideoCapture(str(self.path))
        if not video.isOpened() or not video.grab():
            video.release()
            raise CameraUnavailable(f"{self.path}: not an image or a video OpenCV can read")
        fps = float(video.get(cv2.CAP_PROP_FPS) or 0)
        self._fps = fps if 0 < fps <= 240 else 25.0
        self._video, self._position, self._started = video, 0, self._clock()

    def grab(self) -> bool:
        """An image is always ready; a video moves to the picture for the time elapsed since `open`."""
        if self._video is None:
            return self._image is not None
        wanted = int((self._clock() - self._started) * self._fps)
        while self._position < wanted:
            if self._video.grab():
                self._position += 1
                continue
            cv2 = cv2_module()  # the end of the video: play it again from the start
            self._video.set(cv2.CAP_PROP_POS_FRAMES, 0)
            self._started, wanted = self._clock(), 0
            if not self._video.grab():
                return False
            self._position = 0
        return True

    def retrieve(self) -> Image:
        """The image, or the video's current picture.

        Raises:
            CameraUnavailable: the video could not be decoded.
        """
        if self._image is not None:
            return self._image
        if self._video is None:
            raise CameraUnavailable(f"{self.path} is not open")
        ok, image = self._video.retrieve()
        if not ok:
            raise CameraUnavailable(f"{self.path}: the video could not be decoded")
        picture: Image = image
        return picture

    def close(self) -> None:
        """Forget the image, or close the video."""
        if self._video is not None:
            self._video.release()
        self._image, self._video = None, None


class TestPattern:
    """A moving test pattern: colour bars, a white square crossing them, and a frame counter."""

    __test__ = False  # not a pytest test class, despite its name
    paced = False
    name = "test pattern"

    def __init__(self, width: int = 640, height: int = 480, *, clock: Clock = time.monotonic) -> None:
        self.width = width
        """Width of the pictures, in pixels."""
        self.height = height
        """Height of the pictures, in pixels."""
        self._clock = clock
        self._count = 0
        self._bars = _colour_bars(width, height)

    def open(self) -> None:
        """Nothing to open."""

    def grab(self) -> bool:
        """A new picture is always ready."""
        self._count += 1
        return True

    def retrieve(self) -> Image:
        """The bars, with the square at a position that moves with the clock, and the frame number."""
        cv2 = cv2_module()
        image = self._bars.copy()
        side = max(8, self.height // 4)
        travel = max(1, self.width - side)
        x = int(self._clock() * self.width / 4) % (2 * travel)
        x = x if x < travel else 2 * travel - x
        y = (self.height - side) // 2
        image[y : y + side, x : x + side] = 255
        cv2.putText(
            image,
            f"livetui {self._count}",
            (8, self.height - 12),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.8,
            (0, 0, 0),
            2,
        )
        return image

    def close(self) -> None:
        """Nothing to close."""


BAR_COLOURS = (
    (255, 255, 255),
    (0, 255, 255),
    (255, 255, 0),
    (0, 255, 0),
    (255, 0, 255),
    (0, 0, 255),
    (255, 0, 0),
)
"""The test pattern's bars, left to right, in BGR: white, yellow, cyan, green, magenta, red, blue."""


def _colour_bars(width: int, height: int) -> Image:
    image = np.zeros((height, width, 3), dtype=np.uint8)
    for index, colour in enumerate(BAR_COLOURS):
        start, end = index * width // len(BAR_COLOURS), (index + 1) * width // len(BAR_COLOURS)
        image[:, start:end] = colour
    return image


def open_source(camera: str | None, camera_file: Path | None) -> FrameSource | None:
    """The source the settings name: ``--camera N|PATH|test`` or ``--camera-file PATH``; None for neither."""
    if camera_file is not None:
        return FileSource(camera_file)
    if camera is None:
        return None
    if camera.strip().lower() == "test":
        return TestPattern()
    return CameraSource(int(camera) if camera.strip().isdigit() else camera)
