"""The speakers through sounddevice (PortAudio).

The output stream's callback runs on PortAudio's thread and pulls exactly the frames it needs from the
player, so an interruption that empties the player is heard within one device buffer. Mono is copied to
every channel (a stereo device would otherwise play in one ear), and a device that cannot play 24 kHz is
opened at its own rate (the player resamples).
"""

from __future__ import annotations

import contextlib
from typing import Any

import numpy as np

from livetui.media.audio.devices import (
    AudioUnavailable,
    describe_portaudio_error,
    find_device,
    load_sounddevice,
)
from livetui.media.audio.pcm import BLOCK_SECONDS, SPEAKER_RATE, frames_in, samples
from livetui.media.audio.sink import AudioSink, Pull


class DeviceSink(AudioSink):
    """A speaker: the default output device, or the one `device` names (an index or part of a name)."""

    def __init__(self, device: str | int | None = None, *, block_seconds: float = BLOCK_SECONDS) -> None:
        self.device = device
        """What the user asked for (None: the default output)."""
        self.name = "default speaker" if device in (None, "") else f"speaker {device}"
        self.underflows = 0
        """Times PortAudio reported that it ran out of audio to play (the callback was late)."""
        self._block_seconds = block_seconds
        self._stream: Any = None

    async def open(self, pull: Pull) -> None:
        """Open and start the output stream; the callback pulls from `pull`."""
        sd = load_sounddevice()
        info = find_device(self.device, "output")
        self.name = f"speaker {info.name}"
        channels = min(2, info.outputs)
        rate = SPEAKER_RATE
        try:
            sd.check_output_settings(
                device=info.index, samplerate=SPEAKER_RATE, channels=channels, dtype="int16"
            )
        except Exception:  # PortAudioError or ValueError: the device has its own rate
            rate = round(info.rate)
        self.rate = rate

        def callback(outdata: Any, frames: int, time: Any, status: Any) -> None:
            if status.output_underflow:
                self.underflows += 1
            data = samples(pull(frames))
            count = len(data)
            outdata[:count] = data[:, np.newaxis]
            outdata[count:] = 0

        try:
            self._stream = sd.OutputStream(
                device=info.index,
                samplerate=rate,
                channels=channels,
                dtype="int16",
                blocksize=frames_in(self._block_seconds, rate),
                latency="low",
                callback=callback,
            )
            self._stream.start()
            self.latency = float(self._stream.latency)
        except Exception as error:  # PortAudioError: busy, unplugged, unsupported
            self._stream = None
            raise AudioUnavailable(
                f"cannot open the speaker {info.name!r}: {describe_portaudio_error(error)}"
            ) from None

    async def close(self) -> None:
        """Stop and close the stream."""
        stream, self._stream = self._stream, None
        if stream is not None:
            with contextlib.suppress(Exception):
                stream.abort()  # stop at once: what is queued in the device is not played out
                stream.close()
