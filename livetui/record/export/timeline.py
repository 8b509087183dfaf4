"""The session's audio on one timeline, as it was heard: each chunk where playback would have put it.

Session time 0 is the first journal line. The model's speech arrives faster than it plays, so a chunk
starts when it arrived or when the previous chunk ends, whichever is later; an interrupted turn's speech
stops at the interruption (the player drops what is queued). A microphone block ends when it was sent.
Positions are in frames at the output rate (`RATE`), so both tracks line up in one file and captions
can be timed to them.
"""

from __future__ import annotations

from dataclasses import dataclass

from livetui.record.tracks import AudioRef
from livetui.record.transcript import Clip, Transcript

RATE = 24000
"""The timeline's sample rate (the model's)."""


@dataclass(frozen=True)
class Placed:
    """A chunk of a track, placed on the timeline."""

    start: int
    """The first frame on the timeline (at `RATE`)."""
    frames: int
    """How many timeline frames of the chunk are heard (an interruption may cut it short)."""
    ref: AudioRef
    """Where its samples are in the sidecar track."""
    turn: int | None = None
    """The turn it belongs to (None for the microphone)."""

    @property
    def end(self) -> int:
        """The frame after its last one."""
        return self.start + self.frames


def _length(ref: AudioRef) -> int:
    """A chunk's length in timeline frames."""
    return round(ref.frames * RATE / ref.rate)


def place_model(transcript: Transcript) -> list[Placed]:
    """The model's speech on the timeline, turn by turn, as it would have played."""
    clips = sorted(
        ((clip, turn.number, turn.interrupted) for turn in transcript.turns for clip in turn.audio),
        key=lambda item: item[0].at,
    )
    placed: list[Placed] = []
    playhead = 0
    for clip, number, interrupted in clips:
        start = max(round(clip.at * RATE), playhead)
        frames = _length(clip.ref)
        if interrupted is not None:
            frames = min(frames, round(interrupted * RATE) - start)
        if frames <= 0:
            continue
        placed.append(Placed(start, frames, clip.ref, number))
        playhead = start + frames
    return placed


def place_mic(clips: list[Clip]) -> list[Placed]:
    """The microphone's blocks on the timeline, each ending when it was sent."""
    placed: list[Placed] = []
    playhead = 0
    for clip in sorted(clips, key=lambda clip: clip.at):
        frames = _length(clip.ref)
        start = max(round(clip.at * RATE) - frames, playhead)
        placed.append(Placed(start, frames, clip.ref))
        playhead = start + frames
    return placed


def spans(placed: list[Placed]) -> dict[int, tuple[float, float]]:
    """Each turn's speech on the timeline: (first second, last second)."""
    found: dict[int, tuple[float, float]] = {}
    for chunk in placed:
        if chunk.turn is None:
            continue
        start, end = chunk.start / RATE, chunk.end / RATE
        first, last = found.get(chunk.turn, (start, end))
        found[chunk.turn] = (min(first, start), max(last, end))
    return found
