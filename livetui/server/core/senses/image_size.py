"""A picture's size read from its header, before anything is decoded: PNG's IHDR, JPEG's start-of-frame.

A 762 KB PNG can claim to be 30,000 pixels square and take over a gigabyte to decode; reading the header
first lets vision refuse it, or (for JPEG) decode it reduced, at the cost of a few dozen bytes.
"""

from __future__ import annotations

import struct

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
"""The first eight bytes of every PNG file."""

_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
"""The JPEG start-of-frame markers (0xC4 defines Huffman tables, 0xC8 is reserved, 0xCC arithmetic coding)."""
_JPEG_STANDALONE = frozenset((0x01, *range(0xD0, 0xD8)))
"""Markers without a length field (TEM, RST0-7)."""


def image_size(data: bytes) -> tuple[int, int] | None:
    """The (width, height) a PNG or JPEG header declares; None for any other or a truncated header."""
    if data.startswith(PNG_SIGNATURE):
        if len(data) < 24 or data[12:16] != b"IHDR":
            return None
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """The size in a JPEG's first start-of-frame segment, found by walking the segments' lengths."""
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in _JPEG_STANDALONE:
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if marker in _JPEG_FRAMES:
            if at + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return int(width), int(height)
        if marker in (0xD9, 0xDA) or length < 2:  # end of image, or scan data before any frame header
            return None
        at += 2 + length
    return None
