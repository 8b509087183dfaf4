"""The live session engine: one WebSocket connection driven by the sans-I/O protocol.

`LiveSession.run(emit)` connects, sends `setup`, waits for `setupComplete`, then runs a reader (frames →
domain events → `emit`) and a writer (queued frames → socket) until the connection ends or the task is
cancelled. Inputs are plain methods (`send_text`, `interrupt`, `send_audio`, ...) called on the same event
loop; they update the protocol state at once and queue frames, so a keystroke's effect (for example
dropping the rest of an interrupted reply) does not wait for the network.

Every failure becomes events: `Disconnected` with the close code, and a one-line `SessionError`
(`fatal=True` when the session cannot go on: a refused connection, a bad key, an invalid setup).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI

from livetui import events as ev
from livetui.protocol import close_codes
from livetui.protocol.client import Setup
from livetui.protocol.content import FunctionResponse
from livetui.protocol.session import GeminiSession, TextRoute
from livetui.session.endpoint import Endpoint
from livetui.session.latency import LatencyTracker

Emit = Callable[[ev.AnyEvent], None]
"""Where the engine hands its events (called on the event loop, never from a thread)."""

Clock = Callable[[], float]

MAX_INCOMING = 16 << 20
"""Largest frame accepted from a server (Google's audio frames are far smaller)."""


class LiveSession:
    """One live session with a provider (see the module docstring)."""

    def __init__(
        self,
        endpoint: Endpoint,
        setup: Setup,
        *,
        text_route: TextRoute = "client_content",
        clock: Clock = time.monotonic,
        open_timeout: float = 10.0,
        ping_interval: float = 5.0,
    ) -> None:
        self.endpoint = endpoint
        """Where to connect."""
        self.setup = setup
        """The session configuration sent in `setup`."""
        self.clock = clock
        """The monotonic clock every latency mark uses."""
        self.latency = LatencyTracker()
        """Marks of every turn, for the latency pane and benchmarks."""
        self.open_timeout = open_timeout
        """Seconds allowed for the handshake and for `setupComplete`."""
        self.ping_interval = ping_interval
        """Seconds between round-trip pings (no ping ever closes the session: Gemini pongs can be slow)."""
        self._protocol = GeminiSession(setup=setup, text_route=text_route)
        self._outbox: asyncio.Queue[str] = asyncio.Queue()
        self._ready = asyncio.Event()
        self._emit: Emit = lambda event: None
        self._ws: ClientConnection | None = None

    # -- inputs -------------------------------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        """True while connected and past `setupComplete`."""
        return self._ready.is_set()

    @property
    def replying(self) -> bool:
        """True while the model is replying (or about to) to a turn that was not interrupted."""
        return self._protocol.replying

    @property
    def send_queue_depth(self) -> int:
        """Frames waiting to be written."""
        return self._outbox.qsize()

    def send_text(self, text: str, *, at: float | None = None) -> int:
        """Send a typed turn (interrupting a reply in progress); returns the turn number."""
        turn = self._protocol.send_text(text, at=self.clock() if at is None else at)
        self._flush()
        return turn

    def interrupt(self, *, at: float | None = None) -> int | None:
        """Interrupt the reply in progress; returns the interrupted turn, or None if nothing was replying."""
        turn = self._protocol.interrupt(at=self.clock() if at is None else at)
        self._flush()
        return turn

    def send_audio(self, pcm: bytes, *, rate: int = 16000) -> None:
        """Stream a block of microphone audio."""
        self._protocol.send_audio(pcm, rate=rate)
        self._flush()

    def send_video(self, jpeg: bytes) -> None:
        """Stream a camera frame."""
        self._protocol.send_video(jpeg)
        self._flush()

    def answer_tool_calls(self, responses: list[FunctionResponse]) -> None:
        """Send function responses."""
        self._protocol.send_tool_response(responses)
        self._flush()

    def mark(self, turn: int, mark: ev.Mark, *, at: float | None = None) -> None:
        """Record a mark only the caller can see (t2 painted, t3 audio out, k1 silent); first one wins."""
        at = self.clock() if at is None else at
        if self.latency.mark(turn, mark, at):
            self._emit(ev.LatencyMark(turn=turn, mark=mark, at=at))

    def _flush(self) -> None:
        for frame in self._protocol.data_to_send():
            self._outbox.put_nowait(frame)
        for event in self._protocol.events_received():
            if isinstance(event, ev.LatencyMark) and not self.latency.mark(event.turn, event.mark, event.at):
                continue
            self._emit(event)

    # -- running ------------------------------------------------------------------------------------------

    async def run(self, emit: Emit) -> None:
        """Hold the session until the connection ends or the task is cancelled. Never raises on I/O errors."""
        self._emit = emit
        emit(ev.Connecting(url=self.endpoint.safe_url))
        try:
            ws = await asyncio.wait_for(self._connect(), self.open_timeout)
        except (OSError, TimeoutError, InvalidHandshake, InvalidURI) as error:
            emit(ev.SessionError(message=self._connect_error(error), fatal=True))
            return
        self._ws = ws
        emit(ev.Connected(url=self.endpoint.safe_url))
        try:
            await self._serve(ws)
        finally:
            self._ready.clear()
            self._ws = None
            await ws.close()

    async def _connect(self) -> ClientConnection:
        return await connect(
            self.endpoint.url,
            additional_headers=self.endpoint.headers(),
            max_size=MAX_INCOMING,
            ping_interval=None,
            open_timeout=None,
        )

    def _connect_error(self, error: BaseException) -> str:
        where = self.endpoint.safe_url
        if isinstance(error, InvalidStatus):
            return f"{where} refused the WebSocket: HTTP {error.response.status_code}"
        if isinstance(error, TimeoutError):
            return f"timed out connecting to {where}"
        if isinstance(error, ConnectionRefusedError):
            return f"connection refused by {where}"
        detail = " ".join(str(error).split()) or type(error).__name__
        return f"could not connect to {where}: {detail}"

    async def _serve(self, ws: ClientConnection) -> None:
        self._protocol.start()
        for frame in self._protocol.data_to_send():
            await ws.send(frame)
        self._flush()
        try:
            async with asyncio.TaskGroup() as tasks:
                reader = tasks.create_task(self._read(ws))
                writer = tasks.create_task(self._write(ws))
                pinger = tasks.create_task(self._ping(ws))
                await reader
                writer.cancel()
                pinger.cancel()
        except* ConnectionClosed:
            pass
        code, reason = self._close_info(ws)
        self._disconnected(code, reason)

    async def _read(self, ws: ClientConnection) -> None:
        setup_deadline = self.clock() + self.open_timeout
        with contextlib.suppress(ConnectionClosed):
            while True:
                timeout = None if self._ready.is_set() else max(0.0, setup_deadline - self.clock())
                try:
                    frame = await asyncio.wait_for(ws.recv(), timeout)
                except TimeoutError:
                    self._emit(ev.SessionError(message="the server did not answer setup in time", fatal=True))
                    return
                self._protocol.receive(frame, at=self.clock())
                if self._protocol.ready and not self._ready.is_set():
                    self._ready.set()
                self._flush()

    async def _write(self, ws: ClientConnection) -> None:
        await self._ready.wait()
        while True:
            frame = await self._outbox.get()
            await ws.send(frame)

    async def _ping(self, ws: ClientConnection) -> None:
        await self._ready.wait()
        while True:
            with contextlib.suppress(TimeoutError):
                waiter = await ws.ping()
                rtt = await asyncio.wait_for(waiter, timeout=30)
                self._emit(ev.RoundTrip(seconds=rtt))
            await asyncio.sleep(self.ping_interval)

    def _close_info(self, ws: ClientConnection) -> tuple[int, str]:
        received, sent = ws.protocol.close_rcvd, ws.protocol.close_sent
        if received is not None:
            return received.code, received.reason
        if sent is not None:
            return sent.code, sent.reason
        return close_codes.ABNORMAL, ""

    def _disconnected(self, code: int, reason: str) -> None:
        message = close_codes.explain(code, reason)
        self._emit(ev.Disconnected(code=code, reason=message))
        if code in (close_codes.INVALID, close_codes.POLICY, close_codes.TOO_BIG, close_codes.INTERNAL):
            self._emit(ev.SessionError(message=message, fatal=not close_codes.is_retryable(code)))
