"""The capture loop: pictures from a source, at most `fps` a second, shrunk and JPEG-encoded.

`CaptureLoop.run()` blocks, so it runs on its own thread; it hands each encoded frame to `publish` (the
session layer puts it in a `LatestSlot`, so a frame nobody took yet is replaced by a newer one). A paced
source (a camera) is grabbed continuously, which keeps its queue drained, and only the frames the
`Throttle` lets through are decoded and encoded; an unpaced source (a file, the test pattern) is read only
when a frame is due. `snapshot()` makes the next picture go out at once, whatever the rate.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from livetui.media.video.encode import Image, encode_jpeg, shrink
from livetui.media.video.sources import Clock, FrameSource

T = TypeVar("T")


@dataclass(frozen=True)
class CaptureOptions:
    """How frames are paced, sized and encoded."""

    fps: float = 1.0
    """At most this many frames a second (Gemini takes at most 1)."""
    max_side: int = 768
    """The longest side of a sent frame, in pixels (Gemini's native size is 768 × 768)."""
    quality: int = 80
    """JPEG quality, 1–100."""


@dataclass(frozen=True)
class EncodedFrame:
    """One frame ready to send."""

    jpeg: bytes
    """The JPEG bytes, exactly as they go on the wire."""
    width: int
    """Width in pixels, after shrinking."""
    height: int
    """Height in pixels, after shrinking."""
    captured_at: float
    """When the picture was grabbed (capture clock)."""
    encoded_at: float
    """When the JPEG was ready (capture clock)."""
    snapshot: bool = False
    """True for a frame sent at once by `CaptureLoop.snapshot`."""


class Throttle:
    """Lets at most `fps` frames a second through, on a regular grid of due times."""

    def __init__(self, fps: float) -> None:
        if fps <= 0:
            raise ValueError("fps must be positive")
        self.interval = 1.0 / fps
        """Seconds between two frames."""
        self._next: float | None = None

    SLACK = 0.01
    """A frame up to this fraction of the interval early counts as on time (clock jitter, rounding)."""

    def due(self, now: float) -> bool:
        """True (and the next frame scheduled) when a frame may go out at `now`."""
        if self._next is not None and now < self._next - self.SLACK * self.interval:
            return False
        following = now + self.interval if self._next is None else self._next + self.interval
        self._next = following if following > now else now + self.interval
        return True

    def wait_time(self, now: float) -> float:
        """Seconds until the next frame is due (0 when one is due now)."""
        return 0.0 if self._next is None else max(0.0, self._next - now)

    def restart(self, now: float) -> None:
        """A frame went out at `now` outside the grid (a snapshot): the next is due one interval later."""
        self._next = now + self.interval


def encode_frame(image: Image, options: CaptureOptions, captured_at: float, clock: Clock) -> EncodedFrame:
    """Shrink and encode one picture."""
    small = shrink(image, options.max_side)
    jpeg = encode_jpeg(small, options.quality)
    height, width = small.shape[:2]
    return EncodedFrame(jpeg=jpeg, width=width, height=height, captured_at=captured_at, encoded_at=clock())


class CaptureLoop:
    """Reads a source on the calling thread until stopped (see the module docstring)."""

    def __init__(
        self,
        source: FrameSource,
        options: CaptureOptions,
        publish: Callable[[EncodedFrame], None],
        *,
        clock: Clock = time.monotonic,
    ) -> None:
        self.source = source
        """Where pictures come from."""
        self.options = options
        """Rate, size and quality."""
        self.throttle = Throttle(options.fps)
        """Decides which pictures go out."""
        self.frames = 0
        """Frames published so far."""
        self._publish = publish
        self._clock = clock
        self._stop = threading.Event()
        self._snapshot = threading.Event()
        self._wake = threading.Event()

    @property
    def stopped(self) -> bool:
        """True once `stop()` was called."""
        return self._stop.is_set()

    def stop(self) -> None:
        """Ask `run` to return (from any thread); it closes the source on its way out."""
        self._stop.set()
        self._wake.set()

    def snapshot(self) -> None:
        """Publish the next picture at once, whatever the rate (from any thread)."""
        self._snapshot.set()
        self._wake.set()

    def run(self, *, once: bool = False) -> None:
        """Open the source and publish frames until `stop()`, the source ends, or (with `once`) one frame.

        Raises:
            CameraUnavailable: the source cannot be opened, or stopped giving pictures.
        """
        source = self.source
        source.open()
        try:
            while not self._stop.is_set():
                if source.paced:
                    if not source.grab() or self._stop.is_set():
                        return
                elif not once:
                    self._wake.wait(self.throttle.wait_time(self._clock()))
                    self._wake.clear()
                    if self._stop.is_set():
                        return
                now = self._clock()
                snapshot = once or self._snapshot.is_set()
                if snapshot:
                    self._snapshot.clear()
                    self.throttle.restart(now)
                elif not self.throttle.due(now):
                    continue
                if not source.paced and not source.grab():
                    return
                frame = encode_frame(source.retrieve(), self.options, now, self._clock)
                self.frames += 1
                self._publish(replace(frame, snapshot=snapshot))
                if once:
                    return
        finally:
            source.close()


class LatestSlot(Generic[T]):
    """A one-item mailbox on the event loop: a new item replaces one not yet taken (latest wins).

    `put` runs on the event loop; from another thread use `put_threadsafe`.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self._loop = loop or asyncio.get_running_loop()
        self._item: T | None = None
        self._full = asyncio.Event()
        self.replaced = 0
        """Items dropped because a newer one arrived before they were taken."""

    def put(self, item: T) -> None:
        """Leave `item`, replacing any item not yet taken."""
        if self._full.is_set():
            self.replaced += 1
        self._item = item
        self._full.set()

    def put_threadsafe(self, item: T) -> None:
        """`put` from another thread; does nothing once the event loop is closed."""
        try:
            self._loop.call_soon_threadsafe(self.put, item)
        except RuntimeError:  # the loop is closed: nobody will take it
            pass

    def take_nowait(self) -> T | None:
        """Take the item waiting, if there is one."""
        if not self._full.is_set():
            return None
        self._full.clear()
        item, self._item = self._item, None
        return item

    async def get(self) -> T:
        """Wait for an item and take it."""
        await self._full.wait()
        self._full.clear()
        item, self._item = self._item, None
        assert item is not None
        return item
