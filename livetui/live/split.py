"""Cutting a long text into pieces that each fit in one frame, so a long message is sent whole.

A live connection refuses frames over a size limit (1 MiB for Gemini and the local server, which close
the connection with 1009). A message longer than that is sent as several messages whose texts, joined,
are the message: nothing is cut off.
"""

from __future__ import annotations

from collections.abc import Callable


def split_to_fit(text: str, fits: Callable[[str], bool]) -> list[str]:
    """`text` in the fewest pieces found by halving such that each ``fits(piece)``, in order.

    A cut falls on a line break in the piece's middle half when there is one, else mid-piece. A single
    character is taken to fit (a frame limit is far larger than one character's encoding).
    """
    if len(text) <= 1 or fits(text):
        return [text]
    middle = len(text) // 2
    cut = text.rfind("\n", len(text) // 4, middle + len(text) // 4) + 1 or middle
    return split_to_fit(text[:cut], fits) + split_to_fit(text[cut:], fits)
