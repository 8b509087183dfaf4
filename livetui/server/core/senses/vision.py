"""Local vision: faces, light, the main colour and QR codes in a camera frame, with OpenCV.

Faces are found with OpenCV's Haar cascade on a copy at most `FACE_SIDE` pixels wide (fast enough for every
frame at 1 fps), QR codes with ``QRCodeDetectorAruco`` (which reads codes in JPEG frames where the plain
detector fails). A frame is decoded only after its header's size is checked (`MAX_PIXELS`: a larger JPEG
is decoded at a half, a quarter or an eighth of its size, a larger PNG is refused), so a small file that
claims to be a huge picture cannot take the server's memory. `Vision.analyse` blocks for tens of
milliseconds, so callers run it on a worker thread; one `Vision` may serve every connection. OpenCV is
imported on first use.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import numpy.typing as npt

from livetui.server.core.senses.image_size import image_size
from livetui.server.core.senses.scene import Light, Scene
from livetui.server.core.senses.shared import process_wide

FACE_SIDE = 320
"""Faces are looked for on a copy whose longest side is at most this many pixels."""
COLOUR_SIDE = 64
"""Colours are counted on a copy whose longest side is at most this many pixels."""
QR_SIDE = 1024
"""QR codes are looked for on a copy whose longest side is at most this many pixels."""
MAX_PIXELS = 4096 * 2304
"""The most pixels a frame is decoded at (a 4K camera's frame fits): about 28 MB of BGR."""
REDUCTIONS = (1, 2, 4, 8)
"""The factors a JPEG can be decoded smaller by (OpenCV's ``IMREAD_REDUCED_COLOR_*``)."""

HUES: tuple[tuple[int, str], ...] = (
    (8, "red"),
    (20, "orange"),
    (35, "yellow"),
    (85, "green"),
    (100, "cyan"),
    (130, "blue"),
    (150, "purple"),
    (170, "pink"),
    (180, "red"),
)
"""Colour names by OpenCV hue (0-179): each name covers the hues below its bound."""

Pixels = npt.NDArray[np.uint8]


class VisionError(ValueError):
    """A frame that is not a picture OpenCV can read."""


def light_of(brightness: float) -> Light:
    """``dark`` below 0.2, ``dim`` below 0.45, else ``bright``."""
    if brightness < 0.2:
        return "dark"
    return "dim" if brightness < 0.45 else "bright"


def colour_names(hsv: Pixels) -> npt.NDArray[np.str_]:
    """The colour name of every pixel of an HSV picture (OpenCV's ranges), as an array of strings."""
    hue, saturation, value = (hsv[..., i].astype(np.int32) for i in range(3))
    bounds = np.array([bound for bound, _ in HUES])
    names = np.array([name for _, name in HUES])
    chromatic = names[np.searchsorted(bounds, hue, side="right").clip(0, len(HUES) - 1)]
    grey = np.where(value < 50, "black", np.where(value > 200, "white", "grey"))
    return np.where((saturation < 60) | (value < 50), grey, chromatic)


def _shrunk(cv2: Any, image: Pixels, side: int) -> Pixels:
    height, width = image.shape[:2]
    scale = side / max(height, width)
    if scale >= 1:
        return image
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small: Pixels = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    return small


def decode_flag(cv2: Any, data: bytes, width: int, height: int) -> int:
    """The ``imdecode`` flag that decodes a `width` × `height` frame within `MAX_PIXELS`.

    Raises:
        VisionError: the frame is too large even reduced (or is a PNG, which cannot be decoded reduced).
    """
    jpeg = data.startswith(b"\xff\xd8")
    for factor in REDUCTIONS if jpeg else (1,):
        if (width // factor) * (height // factor) <= MAX_PIXELS:
            return int(cv2.IMREAD_COLOR if factor == 1 else getattr(cv2, f"IMREAD_REDUCED_COLOR_{factor}"))
    raise VisionError(f"the frame is {width}×{height} pixels; at most {MAX_PIXELS:,} are decoded")


class Vision:
    """Analyses frames (see the module docstring); safe to use from several threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cascade: Any = None

    def _cv2(self) -> Any:
        import cv2

        cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
        return cv2

    def analyse(self, data: bytes) -> Scene:
        """The scene in one encoded frame (JPEG or PNG).

        Raises:
            VisionError: the bytes are not a picture.
        """
        cv2 = self._cv2()
        size = image_size(data)
        if size is None:
            raise VisionError("the frame is not a JPEG or PNG picture")
        width, height = size
        flag = decode_flag(cv2, data, width, height)
        image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), flag)
        if image is None:
            raise VisionError("the frame is not a picture OpenCV can read")
        hsv = cv2.cvtColor(_shrunk(cv2, image, COLOUR_SIDE), cv2.COLOR_BGR2HSV)
        brightness = float(hsv[..., 2].mean()) / 255
        names, counts = np.unique(colour_names(hsv), return_counts=True)
        return Scene(
            width=width,
            height=height,
            faces=self.count_faces(image),
            brightness=round(brightness, 3),
            light=light_of(brightness),
            colour=str(names[int(np.argmax(counts))]),
            qr=self.read_qr(image),
        )

    def count_faces(self, image: Pixels) -> int:
        """How many frontal faces the Haar cascade finds in a BGR picture."""
        cv2 = self._cv2()
        grey = cv2.equalizeHist(cv2.cvtColor(_shrunk(cv2, image, FACE_SIDE), cv2.COLOR_BGR2GRAY))
        with self._lock:
            if self._cascade is None:
                path = cv2.data.haarcascades + "haarcascade_frontalface_default.xml"
                self._cascade = cv2.CascadeClassifier(path)
            found = self._cascade.detectMultiScale(grey, scaleFactor=1.2, minNeighbors=5, minSize=(24, 24))
        return len(found)

    def read_qr(self, image: Pixels) -> str | None:
        """The text of a QR code in a BGR picture, or None."""
        cv2 = self._cv2()
        try:
            text, _, _ = cv2.QRCodeDetectorAruco().detectAndDecode(_shrunk(cv2, image, QR_SIDE))
        except cv2.error:
            return None
        return str(text) or None


@process_wide
def shared_vision() -> Vision:
    """The process's one `Vision` (its face cascade is loaded once, on first use)."""
    return Vision()
