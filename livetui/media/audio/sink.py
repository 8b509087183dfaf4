"""Where the model's speech goes: the interface, a WAV file written as if played, and a fake for tests.

A sink is the clock of playback: it *pulls* audio from the player (:data:`Pull`) at the pace it plays,
and pads with silence when the player has nothing. `flush` is called, on the event loop, at the instant
of an interruption; a sink must then drop anything it holds that was not yet played. The speaker sink is
in :mod:`livetui.media.audio.speaker`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from livetui.media.audio.devices import AudioUnavailable
from livetui.media.audio.pcm import BLOCK_SECONDS, SAMPLE_BYTES, SPEAKER_RATE, frames_in
from livetui.media.audio.source import Clock, Sleep, on_beat
from livetui.wavfile import GrowingWav

FILE_BLOCK_SECONDS = 0.04
"""The length of one block a WAV file sink writes (40 ms). Each block wakes the process once; a file has
no listener who would hear the 20 ms of latency a device's shorter blocks save, and half the wake-ups
of 20 ms blocks are a visible share of a voice session's CPU."""

FILE_WRITE_BLOCKS = 5
"""Blocks a WAV file sink holds before it writes them, in one go (a fifth of a second of 40 ms blocks): a
write and a header rewrite for every block were half the system calls of a voice session. A pipe (a
player reading the file as it grows) is written every block, as a device would play it."""

Pull = Callable[[int], bytes]
"""``pull(frames)``: up to `frames` frames of PCM16 mono to play now (fewer, or none, when short).

It may be called from a device thread."""


class AudioSink(ABC):
    """An output that plays PCM16 mono at `rate`, pulling it from the player."""

    rate: int = SPEAKER_RATE
    """The rate it plays at (known after `open`; the player resamples to it)."""
    name: str = "speaker"
    """What the user sees ("default speaker", "file out.wav")."""
    latency: float = 0.0
    """Seconds from a pull to its sound leaving the device (the device's reported output latency)."""

    @abstractmethod
    async def open(self, pull: Pull) -> None:
        """Start playing: from now on `pull` is called at the pace of playback.

        Raises:
            AudioUnavailable: the sink cannot be used (one line saying why).
        """

    async def close(self) -> None:
        """Stop pulling and release the device or file (safe to call twice)."""
        return None

    def flush(self) -> None:
        """Drop whatever was pulled but not yet played (called on an interruption, on the event loop)."""
        return None


def padded(pcm: bytes, frames: int) -> bytes:
    """`pcm` cut or padded with silence to exactly `frames` frames."""
    size = frames * SAMPLE_BYTES
    return pcm[:size] + bytes(max(0, size - len(pcm)))


class ClockedSink(AudioSink):
    """A sink with no device behind it: a task pulls one block per block period, as a device would.

    Playback time runs from the beat of the block period on which it opens (`on_beat`), so it wakes with a
    file microphone of the same period; if the event loop stalls, the blocks that fell due are pulled at
    once, so the output always holds as much audio as the time that passed.
    """

    def __init__(
        self,
        *,
        rate: int = SPEAKER_RATE,
        block_seconds: float = BLOCK_SECONDS,
        realtime: bool = True,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.rate = rate
        self.block_frames = frames_in(block_seconds, rate)
        """Frames pulled per block."""
        self.realtime = realtime
        """Pull on a clock (False: pull only when `tick` is called, for tests)."""
        self.blocks = 0
        """Blocks written so far."""
        self._block_seconds = block_seconds
        self._clock = clock
        self._sleep = sleep
        self._pull: Pull | None = None
        self._task: asyncio.Task[None] | None = None

    @abstractmethod
    def write(self, pcm: bytes, played: int) -> None:
        """Output one block of exactly `block_frames` frames; `played` is how many frames the player gave."""

    async def open(self, pull: Pull) -> None:
        """Start the playback clock."""
        self._pull = pull
        if self.realtime:
            self._task = asyncio.create_task(self._run(pull), name=f"sink {self.name}")

    def tick(self, blocks: int = 1) -> None:
        """Pull and write `blocks` blocks now (a sink that is not real-time plays only when told)."""
        if self._pull is None:
            raise RuntimeError("the sink is not open")
        for _ in range(blocks):
            self._one(self._pull)

    def _one(self, pull: Pull) -> None:
        pcm = pull(self.block_frames)
        self.write(padded(pcm, self.block_frames), len(pcm) // SAMPLE_BYTES)
        self.blocks += 1

    async def _run(self, pull: Pull) -> None:
        start = on_beat(self._clock(), self._block_seconds)
        done = 0
        while True:
            due = int((self._clock() - start) / self._block_seconds + 1e-6)  # 1e-6: float rounding
            while done < due:
                self._one(pull)
                done += 1
            await self._sleep(max(0.0, start + (done + 1) * self._block_seconds - self._clock()))

    async def close(self) -> None:
        """Stop the clock."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._pull = None


class WavSink(ClockedSink):
    """A WAV file (PCM16 mono 24 kHz) written in real time as if it were the speaker, silences included,
    in blocks of :data:`FILE_BLOCK_SECONDS`, handed to the file :data:`FILE_WRITE_BLOCKS` at a time (a
    pipe: every block).

    The header's sizes are brought up to date after every write, and the audio is handed to the system
    before the header that counts it (`GrowingWav`): a session killed at any moment (even by SIGKILL)
    leaves a file whose header says exactly how much audio it holds (all but the blocks still held).
    """

    def __init__(
        self,
        path: Path,
        *,
        realtime: bool = True,
        block_seconds: float = FILE_BLOCK_SECONDS,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        super().__init__(realtime=realtime, block_seconds=block_seconds, clock=clock, sleep=sleep)
        self.path = path
        """The file written."""
        self.name = f"file {path.name}"
        self._wav: GrowingWav | None = None
        self._held: list[bytes] = []

    async def open(self, pull: Pull) -> None:
        """Create the file and start writing."""
        try:
            self._wav = GrowingWav(self.path, self.rate)
        except OSError as error:
            raise AudioUnavailable(f"cannot write {self.path}: {error.strerror or error}") from None
        await super().open(pull)

    def write(self, pcm: bytes, played: int) -> None:
        """Hold the block; once :data:`FILE_WRITE_BLOCKS` are held (a pipe: at once), append them to the
        file and bring the header's sizes up to date."""
        wav = self._wav
        if wav is None:
            return
        held = self._held
        held.append(pcm)
        if len(held) >= FILE_WRITE_BLOCKS or not wav.regular:
            self._write_held(wav)

    def _write_held(self, wav: GrowingWav) -> None:
        held, self._held = self._held, []
        if held:
            wav.append(b"".join(held))

    async def close(self) -> None:
        """Stop, write what is held, and finish the file."""
        await super().close()
        wav, self._wav = self._wav, None
        if wav is not None:
            try:
                self._write_held(wav)
            finally:
                wav.close()


@dataclass(frozen=True)
class SinkBlock:
    """One block a fake sink played."""

    seq: int
    """Its position: 0 for the first block."""
    at: float
    """When it was played (the sink's clock)."""
    pcm: bytes
    """Exactly one block of audio (silence-padded)."""
    played: int
    """Frames of it that came from the player (the rest is padding)."""
    flushes: int
    """How many flushes had happened before it was played."""


class FakeSink(ClockedSink):
    """A sink for tests: it records every block it plays and every flush, in order."""

    def __init__(
        self, *, realtime: bool = True, clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep
    ) -> None:
        super().__init__(realtime=realtime, clock=clock, sleep=sleep)
        self.name = "fake speaker"
        self.log: list[SinkBlock] = []
        """Every block played, oldest first."""
        self.flushes = 0
        """Flushes so far."""
        self._written = asyncio.Event()

    def write(self, pcm: bytes, played: int) -> None:
        """Record the block."""
        block = SinkBlock(seq=len(self.log), at=self._clock(), pcm=pcm, played=played, flushes=self.flushes)
        self.log.append(block)
        self._written.set()

    async def wait_for(self, condition: Callable[[], bool], timeout: float = 15.0) -> None:
        """Wait until `condition()` holds, checking it after every block played."""
        async with asyncio.timeout(timeout):
            while not condition():
                self._written.clear()
                await self._written.wait()

    def flush(self) -> None:
        """Count the flush, so blocks after it can be told apart."""
        self.flushes += 1

    @property
    def audio(self) -> bytes:
        """Everything played, silences included."""
        return b"".join(block.pcm for block in self.log)
