"""The microphone through sounddevice (PortAudio).

PortAudio calls the stream's callback on its own thread, once per block of the length sent to the model;
the callback only copies the block and hands it to the event loop (`ThreadHandoff`: one wake-up per batch)
into a bounded drop-oldest queue. Blocks go out at the rate the provider takes (16 kHz by default, 24 kHz
for OpenAI Realtime); devices that cannot capture at it (a JACK server runs at its own rate) are opened
at their default rate and resampled, once per block; whatever block size the device
delivers is cut again into blocks of :data:`~livetui.media.audio.pcm.MIC_BLOCK_SECONDS`, and a block that
already has that size is passed on as it is, without another copy.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from livetui.media.audio.bridge import DropOldestQueue, ThreadHandoff
from livetui.media.audio.devices import (
    AudioUnavailable,
    describe_portaudio_error,
    find_device,
    load_sounddevice,
)
from livetui.media.audio.pcm import MIC_BLOCK_SECONDS, MIC_RATE, SAMPLE_BYTES, Resampler, frames_in
from livetui.media.audio.source import AudioSource

QUEUE_BLOCKS = 50
"""Blocks held while the consumer is busy (one second); older ones are dropped beyond that."""


class DeviceSource(AudioSource):
    """A microphone: the default input device, or the one `device` names (an index or part of a name)."""

    def __init__(
        self,
        device: str | int | None = None,
        *,
        rate: int = MIC_RATE,
        block_seconds: float = MIC_BLOCK_SECONDS,
    ) -> None:
        self.device = device
        """What the user asked for (None: the default input)."""
        self.rate = rate
        """The rate of the blocks `read` returns (the provider's `audio_in_rate`)."""
        self.name = "default microphone" if device in (None, "") else f"microphone {device}"
        self.device_rate = rate
        """The rate the device was opened at."""
        self.overflows = 0
        """Times PortAudio reported lost input (the callback thread was starved)."""
        self._block_seconds = block_seconds
        self._queue: DropOldestQueue[bytes] = DropOldestQueue(QUEUE_BLOCKS)
        self._resampler = Resampler(rate, rate)
        self._stream: Any = None
        self._handoff: ThreadHandoff[bytes] | None = None
        self._pending = bytearray()
        self._block_bytes = frames_in(block_seconds, rate) * SAMPLE_BYTES

    @property
    def dropped(self) -> int:
        """Blocks dropped because the consumer fell behind."""
        return self._queue.dropped

    async def open(self) -> None:
        """Open and start the input stream."""
        sd = load_sounddevice()
        info = find_device(self.device, "input")
        self.name = f"microphone {info.name}"
        rate = self.rate
        try:
            sd.check_input_settings(device=info.index, samplerate=rate, channels=1, dtype="int16")
        except Exception:  # PortAudioError or ValueError: the device has its own rate
            rate = round(info.rate)
        self.device_rate = rate
        self._resampler = Resampler(rate, self.rate)
        handoff = self._handoff = ThreadHandoff(asyncio.get_running_loop(), self._queue)

        def callback(indata: Any, frames: int, time: Any, status: Any) -> None:
            if status.input_overflow:
                self.overflows += 1
            handoff.put(bytes(indata))  # PortAudio reuses its buffer: this is the one copy

        def finished() -> None:
            handoff.close()

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
            self.latency = float(self._stream.latency)
        except Exception as error:  # PortAudioError: busy, unplugged, unsupported
            self._stream = None
            raise AudioUnavailable(
                f"cannot open the microphone {info.name!r}: {describe_portaudio_error(error)}"
            ) from None

    @property
    def wakeups(self) -> int:
        """Times the device thread woke the event loop (fewer than blocks when they crossed in batches)."""
        return 0 if self._handoff is None else self._handoff.wakeups

    async def read(self) -> bytes | None:
        """The next block at `rate` (re-cut: devices deliver what size they like); None at the end."""
        while len(self._pending) < self._block_bytes:
            block = await self._queue.get()
            if block is None:
                return None
            converted = self._resampler.process(block)
            if not self._pending and len(converted) == self._block_bytes:
                return converted  # the usual case: the device's block is the block sent
            self._pending += converted
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
