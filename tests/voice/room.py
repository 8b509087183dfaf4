"""A test room between the app's speaker and microphone: the echo is made live from what the app plays.

`RoomSpeaker` is the app's sink: every block the player hands it (in real time, as a device would play
it) is resampled to the microphone's rate and convolved with the room's impulse response, and the echo is
queued for the microphone. `RoomMic` is the app's microphone: in real time, 40 ms at a time, it hands out
the queued echo, plus whatever the user says (`Room.say`), plus a little noise. Nothing is precomputed.
"""

from __future__ import annotations

import asyncio
import time

import numpy as np

from livetui.media.audio.pcm import MIC_BLOCK_SECONDS, MIC_RATE, SPEAKER_RATE, Resampler, frames_in, samples
from livetui.media.audio.sink import FakeSink
from livetui.media.audio.source import AudioSource
from tests.media.echo_room import Signal, impulse_response

JITTER_SECONDS = 0.08
"""Sound in the air when the room starts, so the speaker's 20 ms blocks and the mic's 40 ms ones, each on
its own clock on a busy event loop, never find it empty (which would shift the echo's delay)."""


STALL_SECONDS = 0.5
"""How long the microphone waits for the speaker to catch up after the event loop stalled."""


class Room:
    """The air between the speaker and the microphone."""

    def __init__(self, delay: float = 0.03) -> None:
        self.response = impulse_response(delay)
        """The room's impulse response, at the microphone's rate (the echo comes `JITTER_SECONDS` later)."""
        self.underruns = 0
        """Times the microphone found less sound in the air than it hears (the echo's delay shifted)."""
        self.played = 0
        """Frames the speaker has played."""
        self._resampler = Resampler(SPEAKER_RATE, MIC_RATE)
        self._tail = np.zeros(len(self.response) - 1)
        self._echo = np.zeros(frames_in(JITTER_SECONDS, MIC_RATE))
        self._user = np.zeros(0)
        self._noise = np.random.default_rng(5)

    def play(self, pcm: bytes) -> None:
        """Sound from the speaker (PCM16 mono 24 kHz) goes into the room."""
        self.played += len(pcm) // 2
        heard = samples(self._resampler.process(pcm)).astype(np.float64)
        if not heard.size:  # the resampler's filter is still filling
            return
        echo = np.convolve(heard, self.response)
        echo[: len(self._tail)] += self._tail
        self._tail = echo[len(heard) :]
        self._echo = np.concatenate([self._echo, echo[: len(heard)]])

    def say(self, speech: Signal) -> None:
        """The user starts speaking now (PCM16-scale floats at the microphone's rate)."""
        self._user = np.concatenate([self._user, speech])

    def holds(self, frames: int) -> bool:
        """The air holds at least `frames` frames of sound the microphone has not heard yet."""
        return len(self._echo) >= frames

    def hear(self, frames: int) -> bytes:
        """What the microphone picks up next: `frames` frames of echo, user and noise."""
        mixed = self._noise.standard_normal(frames) * 10.0
        echo, self._echo = self._echo[:frames], self._echo[frames:]
        if len(echo) < frames:
            self.underruns += 1
        mixed[: len(echo)] += echo
        user, self._user = self._user[:frames], self._user[frames:]
        mixed[: len(user)] += user
        return np.clip(mixed, -32768, 32767).astype(np.int16).tobytes()


class RoomSpeaker(FakeSink):
    """The app's speaker, playing into the room in real time (and recording what it played)."""

    def __init__(self, room: Room) -> None:
        super().__init__()
        self.room = room
        """Where the sound goes."""
        self.name = "room speaker"

    def write(self, pcm: bytes, played: int) -> None:
        """Play one block into the room."""
        super().write(pcm, played)
        self.room.play(pcm)


class RoomMic(AudioSource):
    """The app's microphone, hearing the room in real time, 40 ms at a time."""

    def __init__(self, room: Room) -> None:
        self.room = room
        """What it hears."""
        self.name = "room microphone"
        self._block = frames_in(MIC_BLOCK_SECONDS, MIC_RATE)
        self._started = 0.0
        self._blocks = 0

    async def open(self) -> None:
        """Start the clock."""
        self._started = time.monotonic()

    async def read(self) -> bytes | None:
        """The next block, when it has been heard."""
        self._blocks += 1
        due = self._started + self._blocks * MIC_BLOCK_SECONDS
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        while not self.room.holds(self._block) and time.monotonic() < due + STALL_SECONDS:
            await asyncio.sleep(0.005)  # after a stall of the loop the speaker catches up first, as air would
        return self.room.hear(self._block)
