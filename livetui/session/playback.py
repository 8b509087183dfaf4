"""A recorded session played back as it happened: its events, in order, at their original pace.

`cues(recording)` turns a journal into cues: each event at its session time, with the model's speech put
back from the ``model`` track and each camera frame from ``frames/`` (the journal keeps them aside). A
`Playback` hands them to an `Emit` one by one, waiting out the time between them divided by the speed,
and never longer than `max_gap` (long silences are shortened). It can be paused and resumed, and moved to
the start of the next or the previous turn: moving forward hands over the cues in between at once,
moving back starts again from the first cue (the consumer clears what it showed, through `rewind`);
either way without their audio, which would play late, and the turn moved to starts at once. No
connection is opened.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from livetui import events as ev
from livetui.record.reader import Recording
from livetui.record.tracks import read_track
from livetui.session.engine import Emit


@dataclass(frozen=True)
class Cue:
    """One event of the recording and when it happened."""

    at: float
    """Seconds since the recording's first line (on its monotonic clock)."""
    event: ev.AnyEvent
    """The event, with its audio or picture put back."""


def cues(recording: Recording) -> list[Cue]:
    """Every event of a recording as a cue, in order (microphone blocks and `SessionInfo` are left out).

    Raises:
        OSError: a track or frame the journal names cannot be read.
    """
    entries = recording.entries
    origin = entries[0].m if entries else 0.0
    model: bytes | None = None
    found: list[Cue] = []
    for entry in entries:
        event = entry.event
        if event is None or isinstance(event, ev.SessionInfo):
            continue
        if isinstance(event, ev.AudioOut) and entry.audio is not None:
            if model is None:
                model = read_track(recording.track_path("model"))[0]
            ref = entry.audio
            pcm = model[ref.offset * 2 : (ref.offset + ref.frames) * 2]
            event = event.model_copy(update={"pcm": pcm, "rate": ref.rate})
        elif isinstance(event, ev.CameraFrame) and entry.image is not None:
            event = event.model_copy(update={"jpeg": (recording.directory / entry.image).read_bytes()})
        found.append(Cue(entry.m - origin, event))
    return found


def _turn_of(event: ev.AnyEvent) -> int | None:
    turn = getattr(event, "turn", None)
    return turn if isinstance(turn, int) else None


class Playback:
    """Plays cues to an `Emit` (see the module docstring)."""

    def __init__(self, cues: list[Cue], *, speed: float = 1.0, max_gap: float = 3.0) -> None:
        self.cues = cues
        """What is played, in order."""
        self.speed = speed
        """How many times faster than it happened."""
        self.max_gap = max_gap
        """The longest wait between two cues, in seconds of playback."""
        self.position = 0
        """The index of the next cue to play."""
        self.paused = False
        """True while paused."""
        self.turn_starts: list[int] = []
        """The index of the first cue of each turn, in order."""
        seen: set[int] = set()
        for index, cue in enumerate(cues):
            turn = _turn_of(cue.event)
            if turn is not None and turn not in seen:
                seen.add(turn)
                self.turn_starts.append(index)
        self._target: int | None = None
        self._moved = False
        self._wake = asyncio.Event()

    @property
    def finished(self) -> bool:
        """True once every cue was played."""
        return self.position >= len(self.cues)

    @property
    def turn(self) -> int:
        """How many turns have started so far."""
        return sum(1 for start in self.turn_starts if start < self.position)

    def toggle_pause(self) -> bool:
        """Pause, or go on; returns True when now paused."""
        self.paused = not self.paused
        self._wake.set()
        return self.paused

    def next_turn(self) -> None:
        """Move to the start of the next turn (the end, after the last)."""
        self._seek(next((start for start in self.turn_starts if start > self.position), len(self.cues)))

    def previous_turn(self) -> None:
        """Move to the start of the turn before the one playing (the beginning, from the first)."""
        started = [start for start in self.turn_starts if start < self.position]
        self._seek(started[-2] if len(started) >= 2 else 0)

    def _seek(self, target: int) -> None:
        self._target = target
        self._wake.set()

    def _gap(self) -> float:
        if self.position == 0 or self._moved:  # a turn moved to starts at once
            return 0.0
        gap = self.cues[self.position].at - self.cues[self.position - 1].at
        return min(max(gap, 0.0) / self.speed, self.max_gap)

    async def play(self, emit: Emit, rewind: Callable[[], Awaitable[None]]) -> None:
        """Play every cue to `emit`; `rewind` clears what was shown before a move back."""
        while True:
            if self._target is not None:
                target, self._target = self._target, None
                if target < self.position:
                    await rewind()
                    self.position = 0
                for cue in self.cues[self.position : target]:
                    if not isinstance(cue.event, ev.AudioOut):
                        emit(cue.event)
                self.position = max(self.position, target)
                self._moved = True
                continue
            if self.paused or self.finished:
                self._wake.clear()
                await self._wake.wait()
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):  # the time is up: the cue plays below
                async with asyncio.timeout(self._gap()):
                    await self._wake.wait()
                continue  # paused or moved while waiting: decide again
            emit(self.cues[self.position].event)
            self.position += 1
            self._moved = False
