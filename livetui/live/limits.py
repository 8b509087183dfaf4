"""The bounds every frame is held to before anything acts on it: JSON shape, numbers, text, audio rates.

A frame is data from someone else. These checks turn the input that would otherwise cost unbounded time
or memory, or raise from deep inside a library (`RecursionError` from nesting, `ValueError` from a
4,301-digit integer, `UnicodeEncodeError` from a lone surrogate on the way back out), into one
`LimitError` with a one-line message, raised before the frame is used.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_DEPTH = 64
"""The deepest nesting of objects and arrays a frame may have (Google's own messages need under 10)."""
MAX_INT_DIGITS = 20
"""The most digits an integer may have (an int64 has at most 19)."""
MIN_AUDIO_RATE = 8000
"""The lowest PCM sample rate accepted, in Hz."""
MAX_AUDIO_RATE = 48000
"""The highest PCM sample rate accepted, in Hz."""
MAX_SECONDS = 86400.0
"""The longest duration a frame may announce (a `goAway`'s time left); longer ones are cut to it."""


class LimitError(ValueError):
    """A frame outside the bounds above. The message is one line, fit to show a user."""


def _number(text: str) -> int:
    digits = text.lstrip("-")
    if len(digits) > MAX_INT_DIGITS:
        raise LimitError(f"a number has {len(digits)} digits; at most {MAX_INT_DIGITS} are accepted")
    return int(text)


def _real(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise LimitError(f"the number {text[:24]} is out of range")
    return value


def _constant(text: str) -> float:
    raise LimitError(f"{text} is not a JSON number")


def bounded_json(frame: str | bytes) -> Any:
    """Parse a frame's JSON (text, or UTF-8 bytes) and check it against the bounds above.

    Raises:
        LimitError: not UTF-8, not JSON, nested deeper than `MAX_DEPTH`, an integer over
            `MAX_INT_DIGITS` digits, a non-finite number, or a string holding a lone surrogate.
    """
    if isinstance(frame, bytes | bytearray | memoryview):
        try:
            frame = bytes(frame).decode("utf-8")
        except UnicodeDecodeError:
            raise LimitError("binary frame is not UTF-8 JSON") from None
    try:
        data = json.loads(frame, parse_int=_number, parse_float=_real, parse_constant=_constant)
    except LimitError:
        raise
    except RecursionError:
        raise LimitError(f"the frame is nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as error:  # JSONDecodeError included
        raise LimitError(f"frame is not valid JSON ({' '.join(str(error).split())})") from None
    check_shape(data)
    return data


def check_shape(data: Any) -> None:
    """Walk parsed JSON without recursing: at most `MAX_DEPTH` levels, and text that is valid Unicode.

    Raises:
        LimitError: too deep, or a key or string holds a lone surrogate (which cannot be written back out
            as UTF-8).
    """
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            _check_text(value)
        elif isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise LimitError(f"the frame is nested deeper than {MAX_DEPTH} levels")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str):
                    _check_text(key)
                if isinstance(item, str | dict | list):
                    stack.append((item, depth + 1))


def _check_text(text: str) -> None:
    if text.isascii():
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise LimitError(
            "a string holds a lone surrogate (\\ud800-\\udfff): it is not valid Unicode"
        ) from None


def audio_rate(mime_type: str, default: int) -> int:
    """The sample rate an audio MIME type names (``audio/pcm;rate=24000``), or `default` if it names none.

    Raises:
        LimitError: the rate is not a plain decimal number, or lies outside `MIN_AUDIO_RATE` to
            `MAX_AUDIO_RATE`.
    """
    for param in mime_type.split(";")[1:]:
        key, _, value = param.strip().partition("=")
        if key.strip().lower() != "rate":
            continue
        value = value.strip()
        if not (value.isascii() and value.isdigit()):
            raise LimitError(f"audio rate {value[:16]!r} is not a number of Hz")
        if len(value) > 6 or not MIN_AUDIO_RATE <= int(value) <= MAX_AUDIO_RATE:
            raise LimitError(
                f"audio rate {value[:16]} Hz is out of range ({MIN_AUDIO_RATE} to {MAX_AUDIO_RATE} Hz)"
            )
        return int(value)
    return default


def bounded_seconds(seconds: float) -> float:
    """A duration from the wire within 0..`MAX_SECONDS` (a NaN, negative or infinite one is cut to it)."""
    if math.isnan(seconds):
        return 0.0
    return min(max(seconds, 0.0), MAX_SECONDS)
