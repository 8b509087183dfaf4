"""Short, safe renderings of frames for the events pane and the journal.

Base64 payloads (audio, images) become ``<N bytes mime>``, so a frame can be shown and journaled without
megabytes of noise.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from livetui.live.limits import MAX_DEPTH

FILTER_EXAMPLE = "serverContent"
"""A part of the summaries a user may filter frames by (what the server sends of a reply)."""

_NESTED = {"serverContent", "realtimeInput", "server_content", "realtime_input"}


def _abbreviate(value: Any, depth: int = 0) -> Any:
    if depth >= MAX_DEPTH and isinstance(value, dict | list):
        return "…"  # decoded frames are never this deep; a frame built in code might be
    if isinstance(value, dict):
        mime = value.get("mimeType", value.get("mime_type"))
        if isinstance(mime, str) and isinstance(value.get("data"), str):
            size = len(value["data"].rstrip("=")) * 3 // 4
            return {**value, "data": f"<{size} bytes>"}
        return {key: _abbreviate(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [_abbreviate(item, depth + 1) for item in value]
    return value


def summarize(data: dict[str, Any]) -> tuple[str, str]:
    """Return (summary, abbreviated JSON) of a decoded frame.

    The summary names the top-level keys, and for ``serverContent`` / ``realtimeInput`` their fields, such as
    ``serverContent.modelTurn`` or ``realtimeInput.audio``.
    """
    names: list[str] = []
    for key, value in data.items():
        if key in _NESTED and isinstance(value, dict) and value:
            names.extend(f"{key}.{inner}" for inner in value)
        else:
            names.append(key)
    text = json.dumps(_abbreviate(data), ensure_ascii=False, separators=(",", ":"))
    return " ".join(names) or "{}", text


@functools.lru_cache(maxsize=64)  # a stream's blocks are all the same size
def summarize_blob(message: str, field: str, mime_type: str, size: int) -> tuple[str, str]:
    """What `summarize` returns for a frame ``{message: {field: {mimeType, data}}}`` holding `size` bytes,
    built without the frame: a microphone block or camera frame is not parsed back to be shown."""
    data = {message: {field: {"mimeType": mime_type, "data": f"<{size} bytes>"}}}
    return f"{message}.{field}", json.dumps(data, ensure_ascii=False, separators=(",", ":"))
