"""Captions of what the model said, as SRT or WebVTT, timed to the session's timeline.

A spoken turn's transcript is spread over its speech as placed on the timeline (`timeline.place_model`):
each cue gets a share of the turn's audio in proportion to its characters, so the captions line up with a
WAV export of the same session. A turn with no audio (a text session) is timed by the journal's clock: from
its first text on screen, for as long as the text takes to read, or until the turn ended if that is later.
Cues never overlap and always last at least a millisecond.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from livetui.record.export.timeline import place_model, spans
from livetui.record.transcript import Transcript, Turn

MAX_CUE_CHARS = 84
"""The longest cue (two lines of 42 characters)."""

READING_CPS = 17.0
"""Characters a second a reader takes in: how long a text cue stays up at least."""

_SENTENCE = re.compile(r"(?<=[.!?…])\s+")


@dataclass(frozen=True)
class Cue:
    """One caption."""

    start: int
    """Milliseconds from the start of the session."""
    end: int
    """Milliseconds from the start of the session (after `start`)."""
    text: str
    """What it says (one or two lines, never blank)."""


def cue_texts(text: str, limit: int = MAX_CUE_CHARS) -> list[str]:
    """`text` cut into cues: sentence by sentence, long sentences cut between words."""
    cues: list[str] = []
    for sentence in _SENTENCE.split(" ".join(text.split())):
        line = ""
        for word in sentence.split(" "):
            if line and len(line) + 1 + len(word) > limit:
                cues.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        if line:
            cues.append(line)
    return cues


def _spread(parts: list[str], start: float, end: float) -> list[tuple[float, float, str]]:
    total = sum(len(part) for part in parts) or 1
    out: list[tuple[float, float, str]] = []
    done = 0
    for part in parts:
        first = start + (end - start) * done / total
        done += len(part)
        out.append((first, start + (end - start) * done / total, part))
    return out


def _text_span(turn: Turn) -> tuple[float, float]:
    first = turn.text[0].at
    last = max(turn.text[-1].at, turn.ended if turn.ended is not None else first)
    return first, max(last, first + len(turn.reply) / READING_CPS)


def model_cues(transcript: Transcript) -> list[Cue]:
    """The captions of the model's turns, in order."""
    audio = spans(place_model(transcript))
    timed: list[tuple[float, float, str]] = []
    for turn in transcript.turns:
        if turn.number in audio and turn.speech.strip():
            timed += _spread(cue_texts(turn.speech), *audio[turn.number])
        elif turn.text and turn.reply.strip():
            timed += _spread(cue_texts(turn.reply), *_text_span(turn))
    timed.sort(key=lambda cue: cue[0])
    cues: list[Cue] = []
    for index, (start, end, text) in enumerate(timed):
        first = round(start * 1000)
        last = round(end * 1000)
        if index + 1 < len(timed):
            last = min(last, round(timed[index + 1][0] * 1000))
        if cues:
            first = max(first, cues[-1].end)
        cues.append(Cue(first, max(last, first + 1), text))
    return cues


def _clock(ms: int, separator: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def to_srt(cues: list[Cue]) -> str:
    """SubRip: numbered cues, ``HH:MM:SS,mmm --> HH:MM:SS,mmm``, a blank line after each."""
    blocks = [
        f"{number}\n{_clock(cue.start, ',')} --> {_clock(cue.end, ',')}\n{cue.text}\n"
        for number, cue in enumerate(cues, start=1)
    ]
    return "\n".join(blocks)


def _vtt_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_vtt(cues: list[Cue]) -> str:
    """WebVTT: the ``WEBVTT`` header, then ``HH:MM:SS.mmm --> HH:MM:SS.mmm`` cues (text escaped)."""
    blocks = [f"{_clock(cue.start, '.')} --> {_clock(cue.end, '.')}\n{_vtt_text(cue.text)}\n" for cue in cues]
    return "\n".join(["WEBVTT\n", *blocks])
