"""Setup fields given as they are (`[gemini.setup_extra]`), for API fields livetui does not name yet."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def deep_merge(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """`base` with `extra` laid over it: objects are merged key by key, anything else in `extra` wins."""
    merged = dict(base)
    for key, value in extra.items():
        present = merged.get(key)
        if isinstance(present, Mapping) and isinstance(value, Mapping):
            merged[key] = deep_merge(present, value)
        else:
            merged[key] = value
    return merged


def with_extra(frame: str, extra: Mapping[str, Any]) -> str:
    """The encoded ``setup`` message `frame` with `extra` merged into its ``setup`` object."""
    if not extra:
        return frame
    message = json.loads(frame)
    message["setup"] = deep_merge(message["setup"], extra)
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))
