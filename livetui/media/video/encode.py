"""Shrinking, JPEG encoding and decoding of frames, and the small RGB thumbnails a preview draws."""

from __future__ import annotations

from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

Image: TypeAlias = npt.NDArray[np.uint8]
"""A picture as OpenCV holds it: height × width × 3, BGR, 8 bits per channel."""


class FrameError(ValueError):
    """Bytes that are not a picture OpenCV can read, or a picture it cannot encode."""


def cv2_module() -> Any:
    """OpenCV, imported on first use, with its log quietened so it never writes over a terminal UI."""
    import cv2

    # Silent: a missing camera is reported by livetui in one line, not by OpenCV's warnings on stderr.
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
    return cv2


def fit_within(width: int, height: int, max_side: int) -> tuple[int, int]:
    """The size of a `width` × `height` picture shrunk so its longest side is at most `max_side`."""
    longest = max(width, height)
    if longest <= max_side:
        return width, height
    scale = max_side / longest
    return max(1, round(width * scale)), max(1, round(height * scale))


def shrink(image: Image, max_side: int) -> Image:
    """`image` with its longest side at most `max_side` pixels (unchanged when it already fits)."""
    height, width = image.shape[:2]
    size = fit_within(width, height, max_side)
    if size == (width, height):
        return image
    cv2 = cv2_module()
    resized: Image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    return resized


def encode_jpeg(image: Image, quality: int = 80) -> bytes:
    """`image` (BGR) as JPEG bytes at `quality` (1–100).

    Raises:
        FrameError: OpenCV could not encode it.
    """
    cv2 = cv2_module()
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise FrameError("could not encode the frame as JPEG")
    return bytes(data)


REDUCTIONS = (8, 4, 2)
"""The scales a JPEG can be decoded at directly (1/8, 1/4, 1/2), far cheaper than decoding it whole."""


def reduction_for(width: int, height: int, fit_width: int, fit_height: int) -> int:
    """The largest scale-down (8, 4, 2, or 1) at which a `width` × `height` picture still has at least
    `fit_width` × `fit_height` pixels: a preview decoded at it loses nothing it would show."""
    for factor in REDUCTIONS:
        if width // factor >= fit_width and height // factor >= fit_height:
            return factor
    return 1


def decode_image(data: bytes, *, reduce: int = 1) -> Image:
    """The picture in `data` (JPEG, PNG, ...), as BGR; with `reduce` (2, 4 or 8), decoded at that
    fraction of its size (a JPEG is then only partly decoded: a small preview costs a fraction).

    Raises:
        FrameError: the bytes are not a picture OpenCV can read.
    """
    cv2 = cv2_module()
    flags = {
        1: cv2.IMREAD_COLOR,
        2: cv2.IMREAD_REDUCED_COLOR_2,
        4: cv2.IMREAD_REDUCED_COLOR_4,
        8: cv2.IMREAD_REDUCED_COLOR_8,
    }
    image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), flags[reduce])
    if image is None:
        raise FrameError("not a picture OpenCV can read")
    decoded: Image = image
    return decoded


def thumbnail_rgb(image: Image, width: int, height: int) -> Image:
    """`image` (BGR) scaled to fit `width` × `height` pixels, aspect kept, as RGB."""
    rows, cols = image.shape[:2]
    scale = min(width / cols, height / rows)
    size = (max(1, min(width, round(cols * scale))), max(1, min(height, round(rows * scale))))
    cv2 = cv2_module()
    small = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    rgb: Image = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)
    return rgb
