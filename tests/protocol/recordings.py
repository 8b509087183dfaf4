"""Read the recorded Gemini Live sessions in `tests/data/recordings` (format: see its README)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

RECORDINGS = Path(__file__).parent.parent / "data" / "recordings"
_RECORD = re.compile(r"^([<>])(\d+) ", re.MULTILINE)


@dataclass(frozen=True)
class Frame:
    """One recorded frame."""

    direction: str
    """`>` client to server, `<` server to client."""
    text: str


def load(name: str) -> list[Frame]:
    """The frames of `live_ML_Dev_<name>.websocket.log`, in order."""
    text = (RECORDINGS / f"live_ML_Dev_{name}.websocket.log").read_text(encoding="utf-8")
    starts = list(_RECORD.finditer(text))
    frames = []
    for match, following in zip(starts, [*starts[1:], None], strict=True):
        end = following.start() if following else len(text)
        frames.append(Frame(direction=match.group(1), text=text[match.end() : end].strip()))
    return frames
