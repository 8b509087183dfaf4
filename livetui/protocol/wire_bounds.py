"""Bounds on what one frame can make its reader do: nesting depth, numbers, strings and audio rates.

Whatever arrives on the wire is data of a bounded shape, or it is refused with one line saying why:

- JSON nested deeper than :data:`MAX_DEPTH` (a frame of 1,000 brackets would otherwise end in a
  `RecursionError` in the parser, in validation or in the frame summary);
- integers longer than Python's limit of 4,300 digits (a `ValueError` from the parser);
- audio rates outside :data:`MIN_RATE` to :data:`MAX_RATE` (a resampler asked for ``rate=1`` or
  ``rate=10¹⁵`` runs out of memory or never returns).

A lone UTF-16 surrogate (``"\\udfff"``) is valid JSON but not text: no UTF-8 file, terminal or socket
can carry it. Strings holding one are repaired (each lone surrogate becomes U+FFFD) rather than refused,
so the rest of the frame is kept.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

MAX_DEPTH = 64
"""The deepest nesting of objects and arrays accepted in one frame (Gemini's frames are under 10 deep)."""

MAX_SECONDS = 86400.0
"""The longest duration a frame may announce (a `goAway`'s time left); longer ones are cut to it."""

MIN_RATE = 8000
"""The lowest audio sample rate accepted, in Hz."""

MAX_RATE = 48000
"""The highest audio sample rate accepted, in Hz."""

_RANGE = f"{MIN_RATE}–{MAX_RATE} Hz"

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abAB]|\\u[dD][c-fC-F]")
"""A JSON escape of a UTF-16 surrogate: only a frame that has one can hold a lone surrogate."""

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class BoundsError(ValueError):
    """A frame outside the bounds above. The message is one line, fit to show a user."""


def load_bounded(text: str) -> Any:
    """Parse JSON text within the bounds of the module docstring; lone surrogates become U+FFFD.

    Raises:
        BoundsError: the text is not JSON, is nested too deeply, or holds an integer too long to read.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BoundsError(f"frame is not valid JSON ({error})") from None
    except RecursionError:
        raise BoundsError(f"frame is nested more than {MAX_DEPTH} levels deep") from None
    except ValueError:  # an integer over the interpreter's digit limit
        raise BoundsError("frame holds an integer too long to read (over 4,300 digits)") from None
    if text.count("{") + text.count("[") > MAX_DEPTH:
        check_depth(data)
    if _SURROGATE_ESCAPE.search(text):
        data = repair_surrogates(data)
    return data


def check_depth(data: Any, limit: int = MAX_DEPTH) -> None:
    """Refuse objects and arrays nested deeper than `limit` (walked without recursion).

    Raises:
        BoundsError: `data` is nested too deeply.
    """
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            raise BoundsError(f"frame is nested more than {limit} levels deep")
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))


def repair_text(text: str) -> str:
    """`text` with each lone UTF-16 surrogate replaced by U+FFFD (the text itself when it has none)."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def repair_surrogates(data: Any) -> Any:
    """`data` (parsed JSON, already depth-checked) with every string, keys included, repaired."""
    if isinstance(data, str):
        return repair_text(data)
    if isinstance(data, dict):
        return {repair_text(key): repair_surrogates(value) for key, value in data.items()}
    if isinstance(data, list):
        return [repair_surrogates(item) for item in data]
    return data


def parse_rate(mime_type: str) -> int | None:
    """The sample rate an audio MIME type names (``audio/pcm;rate=24000``), or None when it names none.

    Raises:
        BoundsError: the rate is not a number of ASCII digits, or is outside `MIN_RATE`..`MAX_RATE`.
    """
    for param in mime_type.split(";")[1:]:
        key, _, value = param.strip().partition("=")
        if key.strip().lower() != "rate":
            continue
        value = value.strip()
        if not (value.isascii() and value.isdigit()):
            shown = value if len(value) <= 20 else value[:20] + "…"
            raise BoundsError(f"audio rate {shown!r} is not a number of Hz")
        if len(value) > len(str(MAX_RATE)):  # no need to read a thousand digits to refuse them
            raise BoundsError(f"audio rate {value[:20]}{'…' * (len(value) > 20)} Hz is outside {_RANGE}")
        return check_rate(int(value))
    return None


def check_rate(rate: int, highest: int = MAX_RATE) -> int:
    """`rate` itself, if it is an audio rate livetui accepts (`highest`: a sound card's may be higher).

    Raises:
        BoundsError: the rate is outside `MIN_RATE`..`highest`.
    """
    if not MIN_RATE <= rate <= highest:
        raise BoundsError(f"audio rate {rate} Hz is outside {MIN_RATE}–{highest} Hz")
    return rate


def bounded_seconds(seconds: float) -> float:
    """A duration from the wire, within 0..`MAX_SECONDS` (NaN, negative or infinite ones are cut)."""
    if math.isnan(seconds):
        return 0.0
    return min(max(seconds, 0.0), MAX_SECONDS)
