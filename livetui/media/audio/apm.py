"""WebRTC's audio processing module (echo cancellation, noise suppression, high-pass filter), through the
`livekit` package's `rtc.AudioProcessingModule`, behind a two-method interface.

The module takes 10 ms frames of PCM16 mono: the far end (what the speaker plays) with `render`, and the
near end (the microphone) with `capture`, which cleans the frame in place. Importing livekit takes a few
tenths of a second and starts its native runtime, so it is imported only when the processing starts, on
the echo canceller's worker thread.
"""

from __future__ import annotations

from typing import Protocol

FRAME_SECONDS = 0.01
"""The length of one processed frame: WebRTC's audio processing takes exactly 10 ms at a time."""
MAX_DELAY_MS = 500
"""The largest delay hint passed on (a device reporting more is clamped)."""


class EchoUnavailable(Exception):
    """The processing cannot run (the package is missing, or it will not start); one line saying why."""


class Processor(Protocol):
    """Audio processing in 10 ms frames: the far end in, the near end cleaned."""

    def render(self, frame: bytes, rate: int) -> None:
        """Take one 10 ms frame of what the speaker plays (PCM16 mono at `rate`)."""

    def capture(self, frame: bytearray, rate: int, delay_ms: int) -> None:
        """Clean one 10 ms microphone frame in place; `delay_ms` estimates how long the device path takes
        from a far-end frame given to `render` to its echo in the microphone."""


class WebRtcProcessor:
    """WebRTC's audio processing module through livekit (use from one thread)."""

    def __init__(self, *, echo_cancellation: bool, noise_suppression: bool) -> None:
        """Start the module.

        Raises:
            EchoUnavailable: livekit is not installed, or the module will not start.
        """
        try:
            from livekit import rtc
        except (ImportError, OSError) as error:
            raise EchoUnavailable(f"echo cancellation needs the livekit package ({error})") from None
        self._rtc = rtc
        self.echo_cancellation = echo_cancellation
        """The far end is cancelled from the near end."""
        try:
            self._module = rtc.AudioProcessingModule(
                echo_cancellation=echo_cancellation,
                noise_suppression=noise_suppression,
                high_pass_filter=True,
            )
        except Exception as error:  # the native library failed to load or refused the configuration
            raise EchoUnavailable(f"echo cancellation cannot start ({error})") from None

    def render(self, frame: bytes, rate: int) -> None:
        """Give the module one far-end frame."""
        if self.echo_cancellation:
            size = len(frame) // 2
            self._module.process_reverse_stream(self._rtc.AudioFrame(frame, rate, 1, size))

    def capture(self, frame: bytearray, rate: int, delay_ms: int) -> None:
        """Clean one near-end frame in place."""
        if self.echo_cancellation:
            self._module.set_stream_delay_ms(max(0, min(MAX_DELAY_MS, delay_ms)))
        self._module.process_stream(self._rtc.AudioFrame(frame, rate, 1, len(frame) // 2))
