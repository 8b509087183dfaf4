"""Echo cancellation in the microphone path: what the speaker plays is taken out of what the mic hears.

The far end is exactly what the player hands to the output device: the sink's pull is tapped
(:meth:`EchoCanceller.render`, on the device's thread), each block stamped with the time it was pulled,
into a bounded queue (:data:`FAR_SECONDS`; the oldest audio goes first). The near end is each microphone
block (:meth:`EchoCanceller.capture`, awaited on the event loop), stamped with the time it arrived. Both
are processed on the canceller's own worker thread, in 10 ms frames, in the order they were played and
heard: before each microphone frame, every far-end frame pulled by the time that frame was captured is
given to the processor first. What remains between playing and hearing (the devices' own buffers) is the
`delay` hint: the speaker's reported output latency plus the microphone's input latency. A microphone
block handed over before the sink pulled the far end that played while it was heard (a busy event loop)
waits for it, at most :data:`FAR_WAIT_SECONDS`. Each cleaned frame then goes through a double-talk
detector (:mod:`livetui.media.audio.residual`): residual echo is turned down, the user talking over the
model is sent as heard.

A processor that fails raises :class:`EchoFailed` from `capture`; the caller goes on without it.
"""

from __future__ import annotations

import asyncio
import math
import statistics
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from livetui.media.audio.apm import FRAME_SECONDS, EchoUnavailable, Processor, WebRtcProcessor
from livetui.media.audio.pcm import SAMPLE_BYTES, duration, frames_in, samples
from livetui.media.audio.residual import DoubleTalk, attenuated

FAR_SECONDS = 2.0
"""Far-end audio held for the worker at most; older audio is dropped (nothing is capturing)."""
FAR_WAIT_SECONDS = 0.25
"""How long a microphone block waits, at most, for the far end that played while it was heard: a sink
pulled late (a busy event loop) would otherwise leave the canceller a frame or two short of far end, and
it loses the room for a while (a burst of echo gets through)."""
MOVED_SECONDS = 0.02
"""A timeline moved more than this (two frames) changes the echo's delay as the streams' clocks see it."""
GAP_SECONDS = 0.5
"""A stream handed over this much later than its previous block ended has paused: its timeline restarts."""
LEARN_SECONDS = 4.0
"""Seconds of the speaker's sound the canceller hears before it may be trusted: WebRTC's canceller starts
by suppressing hard, then lets echo through for a second or two while its filter learns the room (in the
simulated room it holds 30 dB from 1.5-2 s of speech on)."""
TRUST_DB = 30.0
"""After that, it is trusted once the echo it removes (the median over the last `TRUST_FRAMES` frames
heard while the speaker played) is this many dB."""
TRUST_FRAMES = 100
"""Frames (a second) the trust is judged over."""
QUIET = 1e4
"""A microphone frame below this mean square (-50 dBFS) while the speaker plays holds no echo worth the
name (headphones, or a quiet speaker): it counts as cancelled."""

Loader = Callable[[bool, bool], Processor]
"""Starts a processor: ``load(echo_cancellation, noise_suppression)``; raises `EchoUnavailable`."""


def power(frame: bytes | bytearray) -> float:
    """Mean square of a PCM16 frame."""
    values = samples(bytes(frame)).astype(np.float64)
    return float(np.dot(values, values)) / max(1, values.size)


def load_webrtc(echo_cancellation: bool, noise_suppression: bool) -> Processor:
    """WebRTC's processing module (raises `EchoUnavailable` when it cannot run)."""
    return WebRtcProcessor(echo_cancellation=echo_cancellation, noise_suppression=noise_suppression)


class Timeline:
    """When each block of a continuous stream began. Blocks follow on from each other: one handed over a
    little late (the event loop was busy, a device delivered in a burst) is taken to have followed on
    anyway, one that is early moves the timeline earlier (the first was late), and one after a pause
    longer than `GAP_SECONDS` starts it afresh."""

    def __init__(self) -> None:
        self.end: float | None = None
        """When the last block ended (None before the first)."""
        self.moved = 0.0
        """Seconds the last block moved the timeline (later after a pause, earlier when it was early)."""

    def place(self, start: float, seconds: float) -> float:
        """The start of a block of `seconds` that was handed over as if it began at `start`."""
        end = self.end
        if end is not None and end <= start <= end + GAP_SECONDS:
            start = end
        self.moved = 0.0 if end is None else start - end
        self.end = start + seconds
        return start


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
        self.far_waits = 0
        """Microphone blocks that waited for the far end played while they were heard (the sink was late)."""
        self.far_late = 0
        """Microphone blocks processed before the far end caught up (it was `FAR_WAIT_SECONDS` late)."""
        self.learned = 0.0
        """Seconds of sound (not silence) from the speaker the canceller has learned from."""
        self.converged = False
        """It has learned the room (`LEARN_SECONDS`, then `TRUST_DB` removed): its echo is cancelled."""
        self.double_talk = DoubleTalk()
        """Decides what is sent of each cleaned frame: residual echo is turned down, the user talking over
        the model is sent as heard (see :mod:`livetui.media.audio.residual`)."""
        self._removed: deque[float] = deque(maxlen=TRUST_FRAMES)
        self._load = load
        self._clock = clock
        self._lock = threading.Lock()
        self._handed = threading.Condition(self._lock)
        self._far: deque[tuple[float, bytes, int]] = deque()
        self._far_seconds = 0.0
        self._frames: deque[tuple[float, bytes, int]] = deque()  # the worker's: 10 ms far-end frames
        self._carry = (b"", 0)
        self._far_line = Timeline()
        self._gave_up: float | None = None
        self._near_line = Timeline()
        self._executor: ThreadPoolExecutor | None = None
        self._processor: Processor | None = None

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
            self._handed.notify_all()
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
        size = frames_in(FRAME_SECONDS, rate) * SAMPLE_BYTES
        seconds = duration(block, rate)
        first = self._near_line.place(arrived - seconds, seconds)
        self._moved(self._near_line)
        self._await_far(first + seconds)
        delay_ms = round(self.delay * 1000)
        out = bytearray()
        for index, offset in enumerate(range(0, len(block), size)):
            piece = block[offset : offset + size]
            frame = bytearray(piece) + bytes(size - len(piece))  # a short last block is padded, then cut
            captured = first + (index + 1) * FRAME_SECONDS
            playing = False
            while self._frames and self._frames[0][0] < captured:  # it plays before the frame ends
                at, far, far_rate = self._frames.popleft()
                processor.render(far, far_rate)
                if far.strip(b"\x00"):
                    self.learned += FRAME_SECONDS
                    playing = True
                    self.double_talk.far(at, power(far))
            heard, raw = power(frame), bytes(frame)
            processor.capture(frame, rate, delay_ms)
            left = power(frame)
            if playing and not self.converged:
                self._judge(heard, left)
            if self.echo_cancellation:
                choice = self.double_talk.choose(captured, heard, left)
                if choice == "heard":
                    frame = bytearray(raw)
                elif choice == "residual":
                    frame = attenuated(frame)
            out += frame[: len(piece)]
            self.frames += 1
        while self._frames and self._frames[0][0] < arrived - FAR_SECONDS:
            self._frames.popleft()  # played long before anything heard: stale
        self.cpu_seconds += time.thread_time() - started
        return bytes(out)

    def _judge(self, heard: float, left: float) -> None:
        """One frame heard while the speaker played: how much of it was removed; trusted once enough."""
        self._removed.append(math.inf if heard < QUIET else 10 * math.log10(heard / max(left, 1.0)))
        if self.learned >= LEARN_SECONDS and len(self._removed) == TRUST_FRAMES:
            self.converged = statistics.median(self._removed) >= TRUST_DB

    def _await_far(self, until: float) -> None:
        """Take the far end, waiting (at most `FAR_WAIT_SECONDS`) until it reaches `until`: every frame
        played while the microphone heard its block is given to the processor before that block. A far end
        that has stopped (closed, or behind by more than `GAP_SECONDS`) is not waited for, nor, once one block
        has waited for it in vain, until it plays again."""
        deadline = time.monotonic() + FAR_WAIT_SECONDS
        waited = False
        while True:
            self._take_far()
            end = self._far_line.end
            if end is None or end >= until - 1e-6 or end < until - GAP_SECONDS or end == self._gave_up:
                return
            with self._lock:
                remaining = deadline - time.monotonic()
                if not self._far and remaining <= 0:
                    self.far_late += 1
                    self._gave_up = end  # the sink stopped: not waited for again until it plays
                    return
                if not self._far:
                    self.far_waits += not waited
                    waited = True
                    self._handed.wait(remaining)

    def _moved(self, line: Timeline) -> None:
        """A stream's timeline moved (after a pause, or a stall of the event loop): the delay between
        playing and hearing is not what it was, so the double-talk detector learns the echo path again."""
        if abs(line.moved) > MOVED_SECONDS:
            self.double_talk.path.forget()

    def _take_far(self) -> None:
        """Move the far-end blocks into 10 ms frames, each stamped with when it was played."""
        with self._lock:
            blocks, self._far = self._far, deque()
            self._far_seconds = 0.0
        for at, pcm, rate in blocks:
            carry, carry_rate = self._carry
            if carry_rate != rate:
                carry = b""  # another sink, at another rate
            start = self._far_line.place(at, duration(pcm, rate)) - duration(carry, rate)
            self._moved(self._far_line)
            data = carry + pcm
            size = frames_in(FRAME_SECONDS, rate) * SAMPLE_BYTES
            whole = len(data) - len(data) % size
            for offset in range(0, whole, size):
                self._frames.append(
                    (start + offset / SAMPLE_BYTES / rate, data[offset : offset + size], rate)
                )
            self._carry = (data[whole:], rate)
