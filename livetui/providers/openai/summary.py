"""Short, safe renderings of OpenAI Realtime frames for the events pane and the journal.

Base64 payloads (audio in either direction, camera frames as ``data:`` URLs) become ``<N bytes>``, so a
frame can be shown and journaled without megabytes of noise. The summary is the event's ``type``, with the
kind of item a ``conversation.item.*`` or ``response.output_item.*`` event carries
(``conversation.item.create message.user``, ``response.output_item.added function_call``).
"""

from __future__ import annotations

import functools
import json
from typing import Any

from livetui.live.limits import MAX_DEPTH

BASE64_KEYS = frozenset(("audio",))
"""Keys whose string values are base64 audio wherever they appear."""
DATA_URL = ";base64,"
"""What marks a ``data:`` URL holding base64 bytes."""


FILTER_EXAMPLE = "response."
"""A part of the summaries a user may filter frames by (the events of a reply)."""


def _size(text: str) -> str:
    return f"<{len(text.rstrip('=')) * 3 // 4} bytes>"


def _abbreviate(value: Any, depth: int = 0, *, audio_delta: bool = False) -> Any:
    if depth >= MAX_DEPTH and isinstance(value, dict | list):
        return "…"  # decoded frames are never this deep; a frame built in code might be
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if isinstance(item, str) and (key in BASE64_KEYS or (audio_delta and key == "delta")):
                out[key] = _size(item)
            elif isinstance(item, str) and item.startswith("data:") and DATA_URL in item:
                head, _, data = item.partition(DATA_URL)
                out[key] = f"{head};base64,{_size(data)}"
            else:
                out[key] = _abbreviate(item, depth + 1)
        return out
    if isinstance(value, list):
        return [_abbreviate(item, depth + 1) for item in value]
    return value


def _item_kind(data: dict[str, Any]) -> str:
    item = data.get("item")
    if not isinstance(item, dict) or not isinstance(item.get("type"), str):
        return ""
    role = item.get("role")
    return f" {item['type']}.{role}" if isinstance(role, str) else f" {item['type']}"


def summarize(data: dict[str, Any]) -> tuple[str, str]:
    """Return (summary, abbreviated JSON) of a decoded frame (see the module docstring)."""
    kind = data.get("type")
    summary = kind if isinstance(kind, str) and kind else "untyped"
    summary = summary[:80] + _item_kind(data)
    audio_delta = isinstance(kind, str) and kind.endswith("audio.delta")
    text = json.dumps(_abbreviate(data, audio_delta=audio_delta), ensure_ascii=False, separators=(",", ":"))
    return summary, text


@functools.lru_cache(maxsize=64)  # a stream's blocks are all the same size
def summarize_append(size: int) -> tuple[str, str]:
    """What `summarize` returns for an ``input_audio_buffer.append`` of `size` bytes, built without the
    frame: a microphone block is not parsed back to be shown."""
    return "input_audio_buffer.append", json.dumps(
        {"type": "input_audio_buffer.append", "audio": f"<{size} bytes>"}, separators=(",", ":")
    )
