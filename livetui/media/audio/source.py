"""Where microphone audio comes from: the interface, a file played as if spoken, and a fake for tests.

Every source hands out PCM16 mono blocks at its `rate` (the provider's: 16 kHz,
:data:`~livetui.media.audio.pcm.MIC_RATE`, unless told otherwise) through :meth:`AudioSource.read`,
which returns None when the source has ended. The device source is in :mod:`livetui.media.audio.mic`.
"""

from __future__ import annotations

import asyncio
import math
import time
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from pathlib import Path

from livetui.media.audio.devices import AudioUnavailable
from livetui.media.audio.pcm import (
    MIC_BLOCK_SECONDS,
    MIC_RATE,
    SAMPLE_BYTES,
    AudioFileError,
    frames_in,
    read_audio,
)

Clock = Callable[[], float]
"""A monotonic clock in seconds."""
Sleep = Callable[[float], Awaitable[None]]
"""An awaitable pause (``asyncio.sleep``)."""


def on_beat(now: float, period: float) -> float:
    """The start of the `period` that holds `now`, counting periods from the clock's zero.

    A clock that starts here falls due at the same instants as every other clock of the same period that
    does: the file microphone and the file speaker tick 25 times a second each, and on one beat the
    process wakes 25 times a second for both, not 50. Waking from idle costs as much CPU as a block's
    work (measured: 40–100 µs a wake-up on a virtual machine; the fewer a second, the dearer each).
    """
    return math.floor(now / period + 1e-6) * period  # 1e-6: a `now` on a beat may divide to just below it


class AudioSource(ABC):
    """A microphone: PCM16 mono blocks of about 40 ms at `rate`, in order."""

    rate: int = MIC_RATE
    """The rate of the blocks `read` returns (16 kHz unless the source was made for another)."""
    name: str = "microphone"
    """What the user sees ("default microphone", "file speech.wav")."""
    recorded: bool = False
    """True for a recording (a file): it starts once the session is live, so none of it is lost. A live
    microphone streams from the start; what it hears before then is not sent."""
    latency: float = 0.0
    """Seconds from sound reaching the device to its block being handed out (as the device reports it)."""

    @abstractmethod
    async def open(self) -> None:
        """Start capturing.

        Raises:
            AudioUnavailable: the source cannot be used (one line saying why).
        """

    @abstractmethod
    async def read(self) -> bytes | None:
        """The next block, waiting for it; None once the source has ended."""

    async def close(self) -> None:
        """Stop capturing and release the device or file (safe to call twice)."""
        return None


class FileSource(AudioSource):
    """A WAV or raw PCM16 file played as if spoken into a microphone: block by block, in real time.

    It is `recorded`: its first block is read once the session is live.

    A ``.wav`` file may have any integer format, rate and channel count (it is mixed down and resampled);
    any other file is read as raw PCM16 mono at `rate`. Block ``n`` is handed out when it would have been
    captured: ``n + 1`` blocks after the beat (`on_beat`) of the first read, so timing drifts never
    accumulate and the file wakes the process together with a clocked sink of the same period.
    """

    recorded = True

    def __init__(
        self,
        path: Path,
        *,
        loop: bool = False,
        rate: int = MIC_RATE,
        realtime: bool = True,
        block_seconds: float = MIC_BLOCK_SECONDS,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.path = path
        """The file."""
        self.loop = loop
        """Start again from the beginning at the end, forever."""
        self.realtime = realtime
        """Pace blocks in real time (False hands them out as fast as they are read, for tests)."""
        self.rate = rate
        """The rate the file is resampled to, and its blocks handed out at."""
        self.block_bytes = frames_in(block_seconds, rate) * SAMPLE_BYTES
        """Bytes per block."""
        self.name = f"file {path.name}"
        self.blocks_read = 0
        """Blocks handed out so far."""
        self._block_seconds = block_seconds
        self._clock = clock
        self._sleep = sleep
        self._pcm = b""
        self._position = 0
        self._started: float | None = None

    async def open(self) -> None:
        """Read the whole file (off the event loop) and rewind."""
        try:
            self._pcm = await asyncio.to_thread(read_audio, self.path, self.rate)
        except AudioFileError as error:
            raise AudioUnavailable(f"microphone file {error}") from None
        if not self._pcm:
            raise AudioUnavailable(f"microphone file {self.path}: it holds no audio")
        self._position = 0
        self._started = None

    @property
    def seconds_read(self) -> float:
        """Audio handed out so far, in seconds (across loops)."""
        return self.blocks_read * self._block_seconds

    async def read(self) -> bytes | None:
        """The next block, when its time comes; None at the end (unless looping)."""
        if self._position >= len(self._pcm):
            if not self.loop or not self._pcm:
                return None
            self._position = 0
        block = self._pcm[self._position : self._position + self.block_bytes]
        self._position += len(block)
        if self.realtime:
            if self._started is None:
                self._started = on_beat(self._clock(), self._block_seconds)
            due = self._started + (self.blocks_read + 1) * self._block_seconds
            delay = due - self._clock()
            if delay > 0:
                await self._sleep(delay)
        self.blocks_read += 1
        return block


class FakeSource(AudioSource):
    """A source a test feeds by hand: `push` blocks, `end` to finish."""

    def __init__(self, name: str = "fake microphone", *, rate: int = MIC_RATE) -> None:
        self.name = name
        self.rate = rate
        self.opened = False
        """True between `open` and `close`."""
        self._queue: asyncio.Queue[bytes | None] = asyncio.Queue()

    async def open(self) -> None:
        """Nothing to open."""
        self.opened = True

    def push(
        self, pcm: bytes, *, block_bytes: int = frames_in(MIC_BLOCK_SECONDS, MIC_RATE) * SAMPLE_BYTES
    ) -> None:
        """Queue `pcm`, cut into blocks of `block_bytes`."""
        for start in range(0, len(pcm), block_bytes):
            self._queue.put_nowait(pcm[start : start + block_bytes])

    def end(self) -> None:
        """No more audio: `read` returns None after what was pushed."""
        self._queue.put_nowait(None)

    async def read(self) -> bytes | None:
        """The next pushed block, waiting for one."""
        return await self._queue.get()

    async def close(self) -> None:
        """Mark the source closed."""
        self.opened = False
