"""A session as a JSON document: its turns and notes, with ISO timestamps, for other programs to read."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from livetui.config import DEFAULT_PRICES, Price
from livetui.record.transcript import Note, Transcript, Turn
from livetui.record.usage import Cost

FORMAT_VERSION = 1
"""Bumped when the document's shape changes incompatibly."""


def iso(t: float | None) -> str | None:
    """A wall-clock time as ISO 8601 with the local offset, or None."""
    return None if t is None else datetime.fromtimestamp(t).astimezone().isoformat(timespec="milliseconds")


def _turn(turn: Turn) -> dict[str, Any]:
    return {
        "type": "turn",
        "turn": turn.number,
        "at": iso(turn.at),
        "user": turn.user or None,
        "heard": turn.heard or None,
        "reply": turn.reply or None,
        "spoken": turn.speech or None,
        "thoughts": turn.thoughts or None,
        "reply_at": iso(turn.reply_at),
        "ended_at": iso(turn.ended_at),
        "ended": turn.reason,
        "interrupted_by": turn.interrupted_by,
        "audio_seconds": round(sum(clip.ref.duration for clip in turn.audio), 3),
        "usage": turn.usage.as_json() if turn.usage is not None else None,
        "tools": [
            {
                "id": call.call_id,
                "name": call.name,
                "args": call.args,
                "status": call.status,
                "result": call.result,
            }
            for call in turn.tools
        ],
    }


def _note(note: Note) -> dict[str, Any]:
    return {"type": note.kind, "at": iso(note.at), "text": note.text}


def _cost(cost: Cost | None) -> dict[str, Any]:
    return {} if cost is None else {"cost_usd": None if cost.usd is None else round(cost.usd, 6)}


def to_json(transcript: Transcript, prices: Mapping[str, Price] = DEFAULT_PRICES) -> str:
    """The transcript as an indented JSON document; ``cost_usd`` is the session's estimated cost at
    `prices` (null: no price known), absent where no cost is shown (the embedded local server)."""
    document = {
        "format": "livetui-transcript",
        "version": FORMAT_VERSION,
        "session": transcript.name,
        "started": iso(transcript.started),
        "notices": transcript.notices,
        "usage": transcript.usage.as_json() if transcript.usage is not None else None,
        **_cost(transcript.cost(prices)),
        "items": [_turn(item) if isinstance(item, Turn) else _note(item) for item in transcript.items],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
