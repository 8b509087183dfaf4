"""Echo cancellation in the microphone path: what the speaker plays is taken out of what the mic hears.

The far end is exactly what the player hands to the output device: the sink's pull is tapped
(:meth:`EchoCanceller.render`, on the device's thread), each block stamped with the time it was pulled,
into a bounded queue (:data:`FAR_SECONDS`; the oldest audio goes first). The near end is each microphone
block (:meth:`EchoCanceller.capture`, awaited on the event loop), stamped with the time it arrived. Both
are processed on the canceller's own worker thread, in 10 ms frames, in the order they were played and
heard: before each microphone frame, every far-end frame pulled by the time that frame was captured is
given to the processor first. What remains between playing and hearing (the devices' own buffers) is the
`delay` hint: the speaker's reported output latency plus the microphone's input latency.

A processor that fails raises :class:`EchoFailed` from `capture`; the caller goes on without it.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from livetui.media.audio.apm import FRAME_SECONDS, EchoUnavailable, Processor, WebRtcProcessor
from livetui.media.audio.pcm import SAMPLE_BYTES, duration, frames_in

FAR_SECONDS = 1.0
"""Far-end audio held for the worker at most; older audio is dropped (nothing is capturing)."""
LEARN_SECONDS = 3.0
"""Seconds of the speaker's sound the canceller needs before it cancels reliably: WebRTC's canceller
starts by suppressing hard, then lets echo through for a second or two while its filter learns the room
(in the simulated room it holds 30 dB from 1.5-2 s of speech on)."""

Loader = Callable[[bool, bool], Processor]
"""Starts a processor: ``load(echo_cancellation, noise_suppression)``; raises `EchoUnavailable`."""


def load_webrtc(echo_cancellation: bool, noise_suppression: bool) -> Processor:
    """WebRTC's processing module (raises `EchoUnavailable` when it cannot run)."""
    return WebRtcProcessor(echo_cancellation=echo_cancellation, noise_suppression=noise_suppression)


class EchoFailed(Exception):
    """The processor raised while cleaning the microphone; one line saying why."""


class EchoCanceller:
    """Far end in from the sink's thread, near end cleaned on a worker thread (see the module docstring)."""

    def __init__(
        self,
        *,
        echo_cancellation: bool = True,
        noise_suppression: bool = False,
        load: Loader = load_webrtc,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.echo_cancellation = echo_cancellation
        """The speaker's echo is cancelled (else only noise suppression runs)."""
        self.noise_suppression = noise_suppression
        """Steady background noise is suppressed."""
        self.delay = 0.0
        """Seconds the devices add between a block pulled and its echo heard (the processor's hint)."""
        self.frames = 0
        """Microphone frames (10 ms) processed."""
        self.cpu_seconds = 0.0
        """CPU time the worker spent processing (far and near)."""
        self.far_dropped = 0
        """Far-end blocks dropped because nothing was capturing."""
        self.learned = 0.0
        """Seconds of sound (not silence) from the speaker the canceller has learned from."""
        self._load = load
        self._clock = clock
        self._lock = threading.Lock()
        self._far: deque[tuple[float, bytes, int]] = deque()
        self._far_seconds = 0.0
        self._frames: deque[tuple[float, bytes, int]] = deque()  # the worker's: 10 ms far-end frames
        self._carry = (0.0, b"", 0)
        self._executor: ThreadPoolExecutor | None = None
        self._processor: Processor | None = None

    @property
    def converged(self) -> bool:
        """It has heard enough of the speaker (`LEARN_SECONDS`) to cancel its echo reliably."""
        return self.learned >= LEARN_SECONDS

    @property
    def running(self) -> bool:
        """Started, and not closed."""
        return self._processor is not None

    async def start(self) -> None:
        """Start the processor on the worker thread.

        Raises:
            EchoUnavailable: it cannot run (one line saying why).
        """
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="echo")
        loop = asyncio.get_running_loop()
        try:
            processor = await loop.run_in_executor(
                executor, self._load, self.echo_cancellation, self.noise_suppression
            )
        except EchoUnavailable:
            executor.shutdown(wait=False)
            raise
        self._executor, self._processor = executor, processor

    def render(self, pcm: bytes, rate: int) -> None:
        """One block exactly as handed to the output device (from any thread); never blocks, never raises."""
        if self._processor is None or not self.echo_cancellation:
            return
        at = self._clock()
        with self._lock:
            self._far.append((at, pcm, rate))
            self._far_seconds += duration(pcm, rate)
            while self._far_seconds > FAR_SECONDS and len(self._far) > 1:
                _, old, old_rate = self._far.popleft()
                self._far_seconds -= duration(old, old_rate)
                self.far_dropped += 1

    async def capture(self, block: bytes, rate: int) -> bytes:
        """The microphone block (PCM16 mono at `rate`) with the echo removed, processed on the worker.

        Raises:
            EchoFailed: the processor raised (one line saying why).
        """
        if self._executor is None:
            return block
        arrived = self._clock()
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor, self._process, block, rate, arrived)
        except Exception as error:  # whatever the native module raises ends the processing, not the session
            raise EchoFailed(" ".join(f"{type(error).__name__}: {error}".split())) from None

    def close(self) -> None:
        """Stop processing (the worker finishes the block in hand)."""
        executor, self._executor = self._executor, None
        self._processor = None
        if executor is not None:
            executor.shutdown(wait=False)

    # -- the worker thread --------------------------------------------------------------------------------

    def _process(self, block: bytes, rate: int, arrived: float) -> bytes:
        processor = self._processor
        if processor is None:
            return block
        started = time.thread_time()
        self._take_far()
        size = frames_in(FRAME_SECONDS, rate) * SAMPLE_BYTES
        first = arrived - duration(block, rate)
        delay_ms = round(self.delay * 1000)
        out = bytearray()
        for index, offset in enumerate(range(0, len(block), size)):
            piece = block[offset : offset + size]
            frame = bytearray(piece) + bytes(size - len(piece))  # a short last block is padded, then cut
            captured = first + (index + 1) * FRAME_SECONDS
            while self._frames and self._frames[0][0] < captured:  # it plays before the frame ends
                _, far, far_rate = self._frames.popleft()
                processor.render(far, far_rate)
                if far.strip(b"\x00"):
                    self.learned += FRAME_SECONDS
            processor.capture(frame, rate, delay_ms)
            out += frame[: len(piece)]
            self.frames += 1
        while self._frames and self._frames[0][0] < arrived - FAR_SECONDS:
            self._frames.popleft()  # played long before anything heard: stale
        self.cpu_seconds += time.thread_time() - started
        return bytes(out)

    def _take_far(self) -> None:
        """Move the far-end blocks into 10 ms frames, each stamped with when it was pulled."""
        with self._lock:
            blocks, self._far = self._far, deque()
            self._far_seconds = 0.0
        for at, pcm, rate in blocks:
            carry_at, carry, carry_rate = self._carry
            if carry_rate != rate or not carry:
                carry, carry_at = b"", at  # a block on a frame boundary (or at another rate) starts afresh
            data = carry + pcm
            size = frames_in(FRAME_SECONDS, rate) * SAMPLE_BYTES
            whole = len(data) - len(data) % size
            for offset in range(0, whole, size):
                self._frames.append(
                    (carry_at + offset / SAMPLE_BYTES / rate, data[offset : offset + size], rate)
                )
            self._carry = (carry_at + whole / SAMPLE_BYTES / rate, data[whole:], rate)
