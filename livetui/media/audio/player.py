"""The player: a jitter buffer between the model's speech and the sink, and the one place it is flushed.

Speech arrives in bursts (`feed`); the sink pulls it at the pace of playback (`pull`, possibly from a device
thread). After silence the player waits until about :data:`PREBUFFER_SECONDS` are buffered, or until the
turn's audio is complete, before it starts, so network jitter does not chop the first words. Running dry
while more audio is expected is an *underrun*: it is counted and the player buffers again.

`flush` drops everything at once, under the same lock `pull` takes, so once it returns no queued sample
can reach the sink. Callbacks (`on_started`, `on_change`) are called on the pulling thread, outside the
lock; hand them to your event loop.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from livetui.live.limits import MAX_AUDIO_RATE, MIN_AUDIO_RATE
from livetui.media.audio.pcm import SAMPLE_BYTES, SPEAKER_RATE, Resampler, frames_in

PREBUFFER_SECONDS = 0.1
"""Audio buffered before playback starts (or restarts after an underrun)."""

PlayerState = Literal["idle", "buffering", "playing"]
"""Idle (nothing to play), buffering (waiting for the pre-buffer), playing."""


@dataclass
class _Chunk:
    turn: int
    data: bytes
    offset: int = 0


class Player:
    """A flushable jitter buffer of PCM16 mono audio, tagged by turn."""

    def __init__(
        self,
        *,
        rate: int = SPEAKER_RATE,
        prebuffer: float = PREBUFFER_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        on_started: Callable[[int, float], None] | None = None,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self.rate = rate
        """The rate `pull` hands out (the sink's); fed audio at other rates is resampled to it."""
        self.prebuffer = prebuffer
        """Seconds buffered before playback (re)starts."""
        self.on_started = on_started
        """Called with (turn, time) when a turn's first sample is handed to the sink."""
        self.on_change = on_change
        """Called when `speaking` may have changed."""
        self.underruns = 0
        """Times playback ran dry while more audio was expected."""
        self.frames_played = 0
        """Frames of speech handed to the sink so far."""
        self.frames_dropped = 0
        """Frames dropped by flushes so far."""
        self.frames_by_turn: dict[int, int] = {}
        """Frames of each recent turn's speech handed to the sink."""
        self._clock = clock
        self._lock = threading.Lock()
        self._chunks: deque[_Chunk] = deque()
        self._buffered = 0
        self._state: PlayerState = "idle"
        self._last_turn: int | None = None
        self._ended: set[int] = set()
        self._started: set[int] = set()
        self._resamplers: dict[int, Resampler] = {}

    @property
    def state(self) -> PlayerState:
        """Idle, buffering or playing."""
        return self._state

    @property
    def speaking(self) -> bool:
        """True while there is speech to play or being played."""
        return self._state != "idle" or bool(self._chunks)

    @property
    def playing_turn(self) -> int | None:
        """The turn whose speech plays next (None when nothing is queued)."""
        with self._lock:
            return (
                self._chunks[0].turn if self._chunks else self._last_turn if self._state != "idle" else None
            )

    @property
    def buffered_seconds(self) -> float:
        """Seconds of audio waiting to be played."""
        return self._buffered / self.rate

    def played_ms(self, turn: int) -> int:
        """Milliseconds of `turn`'s speech handed to the sink so far, exact to the block pulled (read it
        when interrupting: it is what the user heard of the turn)."""
        with self._lock:
            return self.frames_by_turn.get(turn, 0) * 1000 // self.rate

    def set_rate(self, rate: int) -> None:
        """Play at another rate (a newly opened sink's); drops what is buffered."""
        self.flush()
        self.rate = rate
        self._resamplers.clear()

    def feed(self, turn: int, pcm: bytes, rate: int = SPEAKER_RATE) -> None:
        """Queue speech of `turn` (PCM16 mono at `rate`). Speech at a rate outside 8–48 kHz is dropped
        unplayed (the session has already said so): resampling it could take gigabytes or never end."""
        if not MIN_AUDIO_RATE <= rate <= MAX_AUDIO_RATE:
            return
        if rate != self.rate:
            resampler = self._resamplers.get(rate)
            if resampler is None:
                resampler = self._resamplers[rate] = Resampler(rate, self.rate)
            pcm = resampler.process(pcm)
        pcm = pcm[: len(pcm) - len(pcm) % SAMPLE_BYTES]
        if not pcm:
            return
        with self._lock:
            was_idle = self._state == "idle"
            self._chunks.append(_Chunk(turn, pcm))
            self._buffered += len(pcm) // SAMPLE_BYTES
            self._last_turn = turn
            self._ended.discard(turn)
            if was_idle:
                self._state = "buffering"
        if was_idle:
            self._changed()

    def end_turn(self, turn: int) -> None:
        """No more speech will come for `turn`: play what is buffered without waiting for more."""
        tail = b""
        for resampler in self._resamplers.values():
            tail += resampler.process(b"", last=True)
            resampler.reset()
        if tail:
            self.feed(turn, tail, self.rate)
        with self._lock:
            self._ended.add(turn)
            if len(self._ended) > 64:  # keep the bookkeeping of recent turns only
                self._ended = {t for t in self._ended if t >= turn - 32}
                self._started = {t for t in self._started if t >= turn - 32}
                self.frames_by_turn = {t: n for t, n in self.frames_by_turn.items() if t >= turn - 32}
            drained = self._state != "idle" and not self._chunks
            if drained:
                self._state = "idle"
        if drained:
            self._changed()

    def flush(self) -> int:
        """Drop every queued sample now; returns how many frames were dropped."""
        with self._lock:
            dropped = self._buffered
            self._chunks.clear()
            self._buffered = 0
            was_idle = self._state == "idle"
            self._state = "idle"
            self.frames_dropped += dropped
        for resampler in self._resamplers.values():
            resampler.reset()
        if not was_idle:
            self._changed()
        return dropped

    def pull(self, frames: int) -> bytes:
        """Up to `frames` frames to play now (nothing while idle or pre-buffering). Thread-safe."""
        started: list[int] = []
        changed = False
        with self._lock:
            if self._state == "buffering":
                ready = (
                    self._buffered >= frames_in(self.prebuffer, self.rate) or self._last_turn in self._ended
                )
                if not ready:
                    return b""
                self._state = "playing"
            if self._state != "playing":
                return b""
            out = bytearray()
            want = frames * SAMPLE_BYTES
            while len(out) < want and self._chunks:
                chunk = self._chunks[0]
                if chunk.offset == 0 and chunk.turn not in self._started:
                    self._started.add(chunk.turn)
                    started.append(chunk.turn)
                take = chunk.data[chunk.offset : chunk.offset + want - len(out)]
                out += take
                chunk.offset += len(take)
                self.frames_by_turn[chunk.turn] = self.frames_by_turn.get(chunk.turn, 0) + len(take) // 2
                if chunk.offset >= len(chunk.data):
                    self._chunks.popleft()
            got = len(out) // SAMPLE_BYTES
            self._buffered -= got
            self.frames_played += got
            if not self._chunks:
                if self._last_turn in self._ended:
                    self._state = "idle"
                    changed = True
                elif len(out) < want:
                    self.underruns += 1
                    self._state = "buffering"
            at = self._clock()
        if started and self.on_started is not None:
            for turn in started:
                self.on_started(turn, at)
        if changed:
            self._changed()
        return bytes(out)

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()
