"""The microphone through sounddevice (PortAudio).

PortAudio calls the stream's callback on its own thread; the callback only copies the block and schedules
it onto the event loop with ``call_soon_threadsafe`` into a bounded drop-oldest queue. Devices that cannot
capture at 16 kHz (a JACK server runs at its own rate) are opened at their default rate and resampled, and
whatever block size the device delivers is cut again into 20 ms blocks.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from livetui.media.audio.bridge import DropOldestQueue
from livetui.media.audio.devices import (
    AudioUnavailable,
    describe_portaudio_error,
    find_device,
    load_sounddevice,
)
from livetui.media.audio.pcm import BLOCK_SECONDS, MIC_RATE, SAMPLE_BYTES, Resampler, frames_in
from livetui.media.audio.source import AudioSource

QUEUE_BLOCKS = 50
"""Blocks held while the consumer is busy (one second); older ones are dropped beyond that."""


class DeviceSource(AudioSource):
    """A microphone: the default input device, or the one `device` names (an index or part of a name)."""

    def __init__(self, device: str | int | None = None, *, block_seconds: float = BLOCK_SECONDS) -> None:
        self.device = device
        """What the user asked for (None: the default input)."""
        self.name = "default microphone" if device in (None, "") else f"microphone {device}"
        self.device_rate = MIC_RATE
        """The rate the device was opened at."""
        self.overflows = 0
        """Times PortAudio reported lost input (the callback thread was starved)."""
        self._block_seconds = block_seconds
        self._queue: DropOldestQueue[bytes] = DropOldestQueue(QUEUE_BLOCKS)
        self._resampler = Resampler(MIC_RATE, MIC_RATE)
        self._stream: Any = None
        self._pending = bytearray()
        self._block_bytes = frames_in(block_seconds, MIC_RATE) * SAMPLE_BYTES

    @property
    def dropped(self) -> int:
        """Blocks dropped because the consumer fell behind."""
        return self._queue.dropped

    async def open(self) -> None:
        """Open and start the input stream."""
        sd = load_sounddevice()
        info = find_device(self.device, "input")
        self.name = f"microphone {info.name}"
        rate = MIC_RATE
        try:
            sd.check_input_settings(device=info.index, samplerate=MIC_RATE, channels=1, dtype="int16")
        except Exception:  # PortAudioError or ValueError: the device has its own rate
            rate = round(info.rate)
        self.device_rate = rate
        self._resampler = Resampler(rate, MIC_RATE)
        loop = asyncio.get_running_loop()
        queue = self._queue

        def callback(indata: Any, frames: int, time: Any, status: Any) -> None:
            if status.input_overflow:
                self.overflows += 1
            with contextlib.suppress(RuntimeError):  # the loop is closing
                loop.call_soon_threadsafe(queue.offer, bytes(indata))

        def finished() -> None:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(queue.close)

        try:
            self._stream = sd.RawInputStream(
                device=info.index,
                samplerate=rate,
                channels=1,
                dtype="int16",
                blocksize=frames_in(self._block_seconds, rate),
                latency="low",
                callback=callback,
                finished_callback=finished,
            )
            self._stream.start()
        except Exception as error:  # PortAudioError: busy, unplugged, unsupported
            self._stream = None
            raise AudioUnavailable(
                f"cannot open the microphone {info.name!r}: {describe_portaudio_error(error)}"
            ) from None

    async def read(self) -> bytes | None:
        """The next 20 ms block at 16 kHz (re-cut: devices deliver what size they like); None at the end."""
        while len(self._pending) < self._block_bytes:
            block = await self._queue.get()
            if block is None:
                return None
            self._pending += self._resampler.process(block)
        out = bytes(self._pending[: self._block_bytes])
        del self._pending[: self._block_bytes]
        return out

    async def close(self) -> None:
        """Stop and close the stream."""
        stream, self._stream = self._stream, None
        if stream is not None:
            with contextlib.suppress(Exception):
                stream.stop()
                stream.close()
        self._queue.close()
