"""The camera stream: frames from a source, captured on a thread, sent to the model as they come.

`CameraStream.run(target, emit)` holds the stream until cancelled. While the camera is on, a
`CaptureLoop` runs on a worker thread and leaves each encoded frame in a `LatestSlot` (a frame not yet sent
is replaced by a newer one); this task takes frames from the slot and sends them with the session's
`send_video` as ``realtimeInput.video``, then emits a `CameraFrame` event with the JPEG exactly as sent.
Frames arriving while the session is not live are dropped. `toggle()` switches the camera off (the device is
released) and on again; `snapshot()` sends a frame now, even with the camera off.

A source that cannot be opened, or stops giving pictures, becomes one non-fatal `SessionError` line and a
`CameraState` of ``unavailable``; the session goes on without the camera.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Protocol

from livetui import events as ev
from livetui.media.video.capture import CaptureLoop, CaptureOptions, EncodedFrame, LatestSlot
from livetui.media.video.sources import CameraUnavailable, FrameSource

Emit = Callable[[ev.AnyEvent], None]
"""Where the stream hands its events (on the event loop)."""


class VideoTarget(Protocol):
    """What frames are sent to: a `LiveSession`."""

    @property
    def ready(self) -> bool:
        """True while the session is live."""
        ...

    def send_video(self, jpeg: bytes, *, now: bool = False) -> None:
        """Send one JPEG frame (`now`: a snapshot the user asked for)."""
        ...


class CameraStream:
    """Streams one frame source to the session (see the module docstring)."""

    def __init__(
        self,
        source: FrameSource,
        options: CaptureOptions | None = None,
        *,
        on: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.source = source
        """Where pictures come from."""
        self.options = options or CaptureOptions()
        """Rate, size and quality."""
        self.sent = 0
        """Frames sent to the session so far."""
        self.dropped = 0
        """Frames captured while the session was not live, or replaced by a newer one before sending."""
        self._on = on
        self._clock = clock
        self._state: ev.CameraStatus = "off"
        self._capture: CaptureLoop | None = None
        self._wake = asyncio.Event()
        self._snapshot_wanted = False
        self._target: Callable[[], VideoTarget | None] = lambda: None
        self._emit: Emit = lambda event: None

    @property
    def on(self) -> bool:
        """True while the camera is meant to stream."""
        return self._on

    @property
    def state(self) -> ev.CameraStatus:
        """What the status bar shows: ``on``, ``off`` or ``unavailable``."""
        return self._state

    def toggle(self) -> bool:
        """Switch the camera off, or on again (also after it was unavailable); returns the new setting."""
        self._on = not self._on
        if not self._on and self._capture is not None:
            self._capture.stop()
        self._wake.set()
        return self._on

    def snapshot(self) -> None:
        """Send a frame now, whatever the rate; with the camera off, open it for that one frame."""
        if self._capture is not None:
            self._capture.snapshot()
        else:
            self._snapshot_wanted = True
            self._wake.set()

    async def run(self, target: Callable[[], VideoTarget | None], emit: Emit) -> None:
        """Stream until cancelled; `target()` is the session to send to (None while there is none)."""
        self._target, self._emit = target, emit
        if not self._on:
            self._set_state("off")
        while True:
            self._wake.clear()
            if self._on:
                await self._stream(once=False)
            elif self._snapshot_wanted:
                self._snapshot_wanted = False
                await self._stream(once=True)
            else:
                await self._wake.wait()

    async def _stream(self, *, once: bool) -> None:
        slot: LatestSlot[EncodedFrame] = LatestSlot()
        capture = CaptureLoop(self.source, self.options, slot.put_threadsafe, clock=self._clock)
        if not once:
            self._capture = capture
            self._set_state("on")
            if self._snapshot_wanted:
                self._snapshot_wanted = False
                capture.snapshot()
        runner = asyncio.create_task(asyncio.to_thread(self._capture_thread, capture, once))
        getter: asyncio.Future[EncodedFrame] | None = None
        try:
            while True:
                getter = asyncio.ensure_future(slot.get())
                done, _ = await asyncio.wait({getter, runner}, return_when=asyncio.FIRST_COMPLETED)
                if getter in done:
                    self._send(getter.result())
                    continue
                getter.cancel()
                # The thread's last frame was handed to the loop before the thread ended: send it too.
                if (frame := slot.take_nowait()) is not None:
                    self._send(frame)
                self._ended(runner.result(), once, stopped=capture.stopped)
                return
        finally:
            if getter is not None:
                getter.cancel()
            capture.stop()
            self._capture = None
            self.dropped += slot.replaced
            with contextlib.suppress(Exception):
                await asyncio.shield(runner)

    @staticmethod
    def _capture_thread(capture: CaptureLoop, once: bool) -> str | None:
        """Run the capture loop; the line to show if it failed, else None."""
        try:
            capture.run(once=once)
        except CameraUnavailable as error:
            return str(error)
        except Exception as error:  # any failure is one line for the user, never a traceback
            detail = " ".join(str(error).split()) or type(error).__name__
            return f"{capture.source.name} failed: {detail}"
        return None

    def _ended(self, error: str | None, once: bool, *, stopped: bool) -> None:
        if error is not None:
            self._on = False
            self._emit(ev.SessionError(message=f"{error}; the session goes on without the camera"))
            self._set_state("unavailable")
        elif once:
            return
        elif stopped:  # the user switched it off (and maybe on again: `run` starts it afresh)
            self._set_state("off")
        else:
            self._on = False
            self._emit(ev.Notice(message=f"{self.source.name} has no more pictures: the camera is off"))
            self._set_state("off")

    def _send(self, frame: EncodedFrame) -> None:
        target = self._target()
        if target is None or not target.ready:
            self.dropped += 1
            return
        target.send_video(frame.jpeg, now=frame.snapshot)
        self.sent += 1
        self._emit(
            ev.CameraFrame(
                number=self.sent,
                jpeg=frame.jpeg,
                width=frame.width,
                height=frame.height,
                snapshot=frame.snapshot,
            )
        )

    def _set_state(self, state: ev.CameraStatus) -> None:
        self._state = state
        self._emit(ev.CameraState(state=state, source=self.source.name, fps=self.options.fps))
