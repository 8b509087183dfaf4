"""The live session engine: a session over WebSocket connections, each driven by a provider's codec.

The engine knows no provider: it is given a `livetui.live.provider.Provider`, which makes one sans-I/O
codec per connection from the neutral `SessionConfig`, and asks the provider's `Capabilities` where
providers differ.

`LiveSession.run(emit)` connects, sends the codec's opening frames, waits until the server accepted the
configuration, then runs a reader (frames → domain events → `emit`) and a writer (queued frames → socket)
until the session ends or the task is cancelled. A session outlives its connections
(`livetui.session.reconnect`): it moves to a new connection when the server announces `goAway`, and
reconnects with backoff after an abnormal close; turn numbers carry on across connections. A provider that
resumes by handle gets the latest one; for one that cannot, the engine keeps the conversation so far and
the new connection replays it (`livetui.session.continuity`).

Inputs are plain methods (`send_text`, `interrupt`, `send_audio`, ...) called on the same event loop; they
update the protocol state at once, so a keystroke's effect (for example dropping the rest of an interrupted
reply) does not wait for the network. Their frames are written to the socket at once when nothing waits
before them (the session live, the queue empty, nothing held back by the connection), and queued for the
writer otherwise: most microphone blocks go out without a second task waking for each.

Every failure becomes events: `Disconnected` with the close code (and whether a reconnect follows), and a
one-line `SessionError` when the session cannot go on (a refused connection, a bad key, an invalid setup,
or too many failed reconnects). A handle the server no longer knows is one `Notice`: a new session opens
at once and the conversation is replayed into it. A frame that cannot be read or handled is one non-fatal
`SessionError`, and the connection reads on; so is an event its consumer fails on, and the events after
it (of the same frame too) are still delivered. A reply cut off by a lost connection is closed locally
with ``TurnComplete(reason="disconnected")``.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI
from websockets.frames import CloseCode
from websockets.protocol import State

from livetui import events as ev
from livetui.live.codec import Codec, Exchange
from livetui.live.config import SessionConfig
from livetui.live.endpoint import Endpoint
from livetui.live.provider import Provider
from livetui.live.tools import ToolAnswer
from livetui.session.continuity import Continuity
from livetui.session.delivery import guarded, one_line
from livetui.session.ending import Ending, close_of
from livetui.session.latency import LatencyTracker
from livetui.session.reconnect import ERRORS, Backoff, is_retryable
from livetui.session.unreachable import describe_unreachable

Emit = Callable[[ev.AnyEvent], None]
"""Where the engine hands its events (called on the event loop, never from a thread)."""

Clock = Callable[[], float]

MAX_INCOMING = 16 << 20
"""Largest frame accepted from a server (Google's audio frames are far smaller)."""

MOVING_REASON = "moving the session to a new connection, as the server asked"
"""The reason given for closing a connection after `goAway`."""

READ_SLICE = 0.002
"""Seconds the reader may work through frames already received before it lets the rest of the loop run.

A socket's buffer can hold thousands of frames (a fast server, or a burst after a stall), and `recv` hands
over a buffered frame without suspending: without a pause the reader would handle them all before the chat
could lay out or paint any of them."""

WAITED = 0.0005
"""A `recv` that took this long waited for its frame (one already buffered is handed over in microseconds):
the rest of the loop ran meanwhile, so a new slice starts with it. Without this, a frame arriving after a
wait would pause the reader once more for nothing, an extra turn of the loop for most frames of a voice
session. (A buffered frame so large that `recv` takes this long to decode it takes longer than a whole
slice to handle, so the reader still pauses after it.)"""


async def let_the_loop_run() -> None:
    """Pause the reader between slices: one turn of the event loop."""
    await asyncio.sleep(0)


class LiveSession:
    """One live session with a provider (see the module docstring)."""

    def __init__(
        self,
        endpoint: Endpoint,
        provider: Provider,
        config: SessionConfig,
        *,
        clock: Clock = time.monotonic,
        open_timeout: float = 10.0,
        ping_interval: float = 5.0,
        backoff: Backoff | None = None,
        handle: str | None = None,
        history: Sequence[Exchange] = (),
    ) -> None:
        self.endpoint = endpoint
        """Where to connect."""
        self.provider = provider
        """Who is at the other end: it makes each connection's codec and explains its closes."""
        self.config = config
        """What the user asked of the session."""
        self.backoff = backoff or Backoff()
        """How reconnects after an abnormal close are paced."""
        self.on_audio: Callable[[bytes, int], None] | None = None
        """Called with each block of microphone audio sent, and its rate (the journal records them)."""
        self.clock = clock
        """The monotonic clock every latency mark uses."""
        self.latency = LatencyTracker()
        """Marks of every turn, for the latency pane and benchmarks."""
        self.open_timeout = open_timeout
        """Seconds allowed for the handshake and for the server to accept the configuration."""
        self.ping_interval = ping_interval
        """Seconds between round-trip pings (no ping ever closes the session: Gemini pongs can be slow)."""
        self._continuity = Continuity(provider, handle=handle, history=history)
        self._resumption = self._continuity.resumption
        self._protocol: Codec = self._continuity.codec(config, first_turn=1)
        self._outbox: asyncio.Queue[str] = asyncio.Queue()
        self._ready = asyncio.Event()
        self._changed = asyncio.Event()
        self._go_away = asyncio.Event()
        self._emit: Emit = lambda event: None
        self._ws: ClientConnection | None = None
        self._attempt = 0
        self._moving = False
        self._ever_live = False
        self._turns_done = 0
        self._fallback: tuple[SessionConfig, str] | None = None

    # -- inputs -------------------------------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        """True while connected and the server accepted the session's configuration."""
        return self._ready.is_set()

    async def wait_ready(self) -> None:
        """Wait until the session is live (its configuration accepted)."""
        await self._ready.wait()

    @property
    def replying(self) -> bool:
        """True while the model is replying (or about to) to a turn that was not interrupted."""
        return self._protocol.replying

    @property
    def send_queue_depth(self) -> int:
        """Frames waiting to be written."""
        return self._outbox.qsize()

    @property
    def resumption_handle(self) -> str | None:
        """The latest resumable handle (the session can be resumed with it)."""
        return self._resumption.handle

    @property
    def move_by(self) -> float | None:
        """After a `goAway`: the event-loop time by which the session moves to a new connection."""
        return self._resumption.move_by

    def send_text(self, text: str, *, at: float | None = None) -> int:
        """Send a typed turn (interrupting a reply in progress); returns the turn number."""
        turn = self._protocol.send_text(text, at=self.clock() if at is None else at)
        self._flush()
        return turn

    def interrupt(
        self, *, at: float | None = None, heard_ms: int | None = None, playing: int | None = None
    ) -> int | None:
        """Interrupt the reply in progress; returns the interrupted turn, or None if nothing was replying.
        `heard_ms` is how much of turn `playing`'s audio was played (None: the turn interrupted), for a
        provider that truncates; speech of a finished reply still playing is cut there too."""
        at = self.clock() if at is None else at
        turn = self._protocol.interrupt(at=at, heard_ms=heard_ms, playing=playing)
        self._flush()
        if heard_ms is not None:
            cut = turn if playing is None else playing
            if cut is not None:
                self._heard(cut, heard_ms)
            if turn is not None and turn != cut:
                self._heard(turn, 0)  # interrupted while an older turn still played: none of it was heard
        return turn

    def _heard(self, turn: int, ms: int) -> None:
        heard = ev.Heard(turn=turn, ms=ms)
        self._emit(heard)
        self._follow(heard)

    def send_audio(self, pcm: bytes, *, rate: int | None = None) -> None:
        """Stream a block of microphone audio (at the provider's input rate unless `rate` says otherwise)."""
        rate = self.provider.capabilities.audio_in_rate if rate is None else rate
        self._protocol.send_audio(pcm, rate=rate)
        self._flush()
        if self.on_audio is not None:
            self.on_audio(pcm, rate)

    def activity_start(self, *, at: float | None = None) -> None:
        """Push-to-talk: the user starts talking; interrupts a reply in progress."""
        self._protocol.activity_start(at=self.clock() if at is None else at)
        self._flush()

    def activity_end(self, *, at: float | None = None) -> int:
        """Push-to-talk: the user stops talking (mark t0); returns the turn it ends."""
        turn = self._protocol.activity_end(at=self.clock() if at is None else at)
        self._flush()
        return turn

    def audio_stream_end(self) -> None:
        """The microphone was turned off: the server finishes what it heard."""
        self._protocol.audio_stream_end()
        self._flush()

    def send_video(self, jpeg: bytes, *, now: bool = False) -> None:
        """A camera frame (streamed, or sent with the next turn: see `Capabilities.video`); `now`: a
        snapshot the user asked for, sent at once."""
        self._protocol.send_video(jpeg, now=now)
        self._flush()

    def answer_tool_calls(self, answers: list[ToolAnswer]) -> None:
        """Send the results of function calls."""
        self._protocol.answer_tools(answers)
        self._flush()

    def update_instructions(self, text: str) -> None:
        """Give the session in progress a new system prompt; later connections open with it too."""
        self.config = replace(self.config, system_prompt=text or None)
        self._protocol.update_instructions(text)
        self._flush()

    def mark(self, turn: int, mark: ev.Mark, *, at: float | None = None) -> None:
        """Record a mark only the caller can see (t2 painted, t3 audio out, k1 silent); first one wins."""
        at = self.clock() if at is None else at
        if self.latency.mark(turn, mark, at):
            self._emit(ev.LatencyMark(turn=turn, mark=mark, at=at))

    def prefer(self, config: SessionConfig, *, otherwise: str) -> None:
        """Open the session with `config` instead of the one it was made with (call it before `run`).

        If the server refuses it on the first connection, before accepting it (with a code the provider
        `refuses_config` with), the session goes back to its own configuration at once, with no backoff,
        and says so in a `Notice`: `otherwise`, then the server's words.
        """
        self._fallback = (self.config, otherwise)
        self.config = config
        self._protocol = self._new_codec()

    def carry(self, history: Sequence[Exchange]) -> None:
        """Open with an earlier conversation as context (before `run`): the codec replays `history` as
        turns not answered; a reconnect that cannot resume replays it again, with what followed."""
        self._continuity.carry(history)
        self._protocol = self._new_codec()

    def _flush(self) -> None:
        for frame in self._protocol.data_to_send():
            if not self._write_now(frame):
                self._outbox.put_nowait(frame)
        for event in self._protocol.events_received():
            if isinstance(event, ev.LatencyMark) and not self.latency.mark(event.turn, event.mark, event.at):
                continue
            self._emit(event)
            self._follow(event)
        self._changed.set()

    def _follow(self, event: ev.AnyEvent) -> None:
        """Keep the resumption state (or the conversation to replay) up to date, and explain a `goAway`."""
        self._continuity.observe(event)
        if isinstance(event, ev.TurnComplete) and event.reason != "disconnected":
            self._turns_done += 1
        elif isinstance(event, ev.GoAway):
            self._resumption.go_away(asyncio.get_running_loop().time(), event.time_left)
            self._go_away.set()
            self._emit(
                ev.Notice(
                    message=f"the server will close this connection in {event.time_left:g} s: the session "
                    "moves to a new one as soon as the reply is over"
                )
            )

    # -- running ------------------------------------------------------------------------------------------

    async def run(self, emit: Emit) -> None:
        """Hold the session until it ends or the task is cancelled. Never raises on I/O errors.

        Connections come and go under it (see the module docstring). It returns after a fatal
        `SessionError`, or when the server closed the session normally.
        """
        self._emit = emit = guarded(emit)
        failures = 0
        while True:
            self._attempt += 1
            if self._attempt > 1:
                self._next_connection()
            ending = await self._connect_once()
            self._protocol.abandon()
            self._flush()
            if self._fall_back(ending) or self._forget_handle(ending):
                continue
            if ending.healthy:
                failures = 0
            if ending.moving:
                emit(ev.Disconnected(code=ending.code, reason=MOVING_REASON, will_retry=True))
                continue
            message = ending.error or self.provider.explain_close(
                ending.code, ending.reason, resuming=self._continuity.resuming_with is not None
            )
            retryable = self._ever_live if ending.error else is_retryable(ending.code)
            will_retry = retryable and failures < self.backoff.attempts
            if ending.opened:
                emit(ev.Disconnected(code=ending.code, reason=message, will_retry=will_retry))
            if not will_retry:
                if retryable:
                    message = f"gave up after {failures} reconnect attempts: {message}"
                if retryable or ending.error or ending.code in ERRORS:
                    emit(ev.SessionError(message=message, fatal=True))
                return
            failures += 1
            delay = self.backoff.delay(failures)
            emit(
                ev.Notice(
                    message=f"{message}: reconnecting in {delay:g} s "
                    f"(attempt {failures} of {self.backoff.attempts})"
                )
            )
            await asyncio.sleep(delay)

    def _fall_back(self, ending: Ending) -> bool:
        """After the first connection that opened with a preferred configuration: True, with the
        session's own back in force, if the server refused the preferred one."""
        if self._fallback is None or not ending.opened:
            return False
        (config, otherwise), self._fallback = self._fallback, None
        if ending.live or ending.error is not None or not self.provider.refuses_config(ending.code):
            return False
        self.config = config
        self._next_connection()
        self._attempt = 0  # the refused connection does not count: the next one is the session's first
        explained = self.provider.explain_close(ending.code, ending.reason)
        self._emit(ev.Notice(message=f"{otherwise} ({explained})"))
        return True

    def _forget_handle(self, ending: Ending) -> bool:
        """After a connection that tried to resume by handle: True, with the handle dropped, if the server
        no longer knows it; the next connection, at once, opens a new session replaying the conversation."""
        resuming, code, reason = self._continuity.resuming_with, ending.code, ending.reason
        if (
            resuming is None
            or not ending.opened
            or ending.live
            or not self.provider.forgot_handle(code, reason)
        ):
            return False
        replaying = self._continuity.forget()
        explained = self.provider.explain_close(code, reason, resuming=True)
        self._emit(ev.Notice(message=f"{explained}: it goes on as a new session, {replaying}"))
        return True

    def _new_codec(self) -> Codec:
        """The next connection's codec (see `Continuity.codec`), turn numbers carrying on."""
        return self._continuity.codec(self.config, first_turn=self._protocol.next_turn)

    def _next_connection(self) -> None:
        """Prepare a new connection: a fresh codec that resumes the session and carries on the turn
        numbers; frames queued for the old connection are dropped."""
        self._continuity.next_connection()
        self._protocol = self._new_codec()
        self._resumption.new_connection()
        self._go_away.clear()
        while not self._outbox.empty():
            self._outbox.get_nowait()

    async def _connect_once(self) -> Ending:
        """Open one connection and serve it until it ends."""
        self._emit(ev.Connecting(url=self.endpoint.safe_url, attempt=self._attempt))
        try:
            async with asyncio.timeout(self.open_timeout):
                ws = await self._connect()
        except (OSError, TimeoutError, InvalidHandshake, InvalidURI) as error:
            return Ending(CloseCode.ABNORMAL_CLOSURE, "", error=self._connect_error(error), opened=False)
        self._ws = ws
        self._emit(ev.Connected(url=self.endpoint.safe_url))
        try:
            return await self._serve(ws)
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
            # No permessage-deflate: base64 audio and JPEG hardly compress, and deflating every microphone
            # block (websockets cannot skip it per message) cost more CPU than the rest of sending it.
            compression=None,
        )

    def _connect_error(self, error: BaseException) -> str:
        return describe_unreachable(self.endpoint.url, error, self.open_timeout)

    async def _serve(self, ws: ClientConnection) -> Ending:
        self._moving = False
        self._turns_done = 0
        started = asyncio.get_running_loop().time()
        self._protocol.start()
        timed_out = False
        try:
            for frame in self._protocol.data_to_send():
                await ws.send(frame)
            self._flush()
            async with asyncio.TaskGroup() as tasks:
                reader = tasks.create_task(self._read(ws))
                helpers = [
                    tasks.create_task(self._write(ws)),
                    tasks.create_task(self._ping(ws)),
                    tasks.create_task(self._follow_go_away(ws)),
                ]
                timed_out = await reader
                for helper in helpers:
                    helper.cancel()
        except* ConnectionClosed:
            pass
        code, reason = close_of(ws)
        error = "the server did not answer setup in time" if timed_out else None
        lasted = asyncio.get_running_loop().time() - started
        healthy = self._turns_done > 0 or lasted >= self.backoff.healthy_after
        live = self._ready.is_set()
        return Ending(code, reason, live=live, healthy=healthy, moving=self._moving, error=error)

    async def _read(self, ws: ClientConnection) -> bool:
        """Read frames until the connection closes; True if the server did not answer setup in time."""
        loop = asyncio.get_running_loop()
        setup_deadline = loop.time() + self.open_timeout
        slice_started: float | None = None
        with contextlib.suppress(ConnectionClosed):
            while True:
                asked = loop.time()
                if self._ready.is_set():
                    frame = await ws.recv()
                else:  # the server has until the deadline to answer setup
                    try:
                        async with asyncio.timeout(max(0.0, setup_deadline - asked)):
                            frame = await ws.recv()
                    except TimeoutError:
                        return True
                arrived = loop.time()
                if slice_started is None or arrived - asked >= WAITED:
                    slice_started = arrived  # the reader waited for it: the loop ran in the meantime
                self._receive(frame)
                if self._protocol.ready and not self._ready.is_set():
                    self._went_live()
                # After a frame, never before one: a frame that ends a wait is handled at once.
                if loop.time() - slice_started >= READ_SLICE:
                    await let_the_loop_run()  # the frames' consumers run (and the chat paints) between slices
                    slice_started = None
        return False

    def _receive(self, frame: str | bytes) -> None:
        """Hand one frame to the protocol and its events on. Whatever one frame does wrong becomes an
        error event: it never ends the connection or the session."""
        try:
            self._protocol.receive(frame, at=self.clock())
            self._flush()
        except Exception as error:  # one bad frame must not end the session
            message = f"could not handle a frame from the server: {one_line(error)}"
            self._emit(ev.SessionError(message=message))
            self._flush()

    def _went_live(self) -> None:
        self._ready.set()
        self._ever_live = True
        for event in self._continuity.resumed(self._attempt):
            self._emit(event)

    async def _follow_go_away(self, ws: ClientConnection) -> None:
        """After a `goAway`, close this connection as soon as moving loses nothing, or at the deadline."""
        await self._go_away.wait()
        loop = asyncio.get_running_loop()
        while not self._resumption.ready_to_move(self.replying):
            move_by = self._resumption.move_by
            remaining = 0.0 if move_by is None else move_by - loop.time()
            if remaining <= 0:
                break
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(remaining):
                    await self._changed.wait()
        self._moving = True
        await ws.close(CloseCode.NORMAL_CLOSURE, "moving to a new connection")

    def _write_now(self, frame: str) -> bool:
        """Write `frame` to the socket without waiting, if it overtakes nothing and nothing is backed up:
        the session is live, no frame is queued, and the connection's transport holds nothing back (over
        TLS: nothing it has not handed on to the TCP socket, which buffers up to 64 KiB before TLS waits).
        False: the frame is for the writer, which waits while the socket drains."""
        ws = self._ws
        if ws is None or not self._ready.is_set() or not self._outbox.empty():
            return False
        transport = ws.transport
        if ws.protocol.state is not State.OPEN or transport.is_closing() or transport.get_write_buffer_size():
            return False
        ws.protocol.send_text(frame.encode())
        ws.send_data()  # what `ws.send` does once the frame is framed, short of waiting for a drain
        return True

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
                # Not wait_for: on Python 3.11 it can swallow a cancellation that comes with the pong, and
                # this loop would then outlive the cancelled session.
                async with asyncio.timeout(30):
                    rtt = await waiter
                self._emit(ev.RoundTrip(seconds=rtt))
            await asyncio.sleep(self.ping_interval)
