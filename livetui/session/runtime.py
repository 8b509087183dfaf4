"""One live session, assembled: the engine, its voice, the tool calls, the camera and the journal.

The UI holds a `Runtime` per session and nothing else of it: it calls the runtime's methods (`send_text`,
`interrupt`, `toggle_mute`, `push_to_talk`, `toggle_camera`, `snapshot`, `decide_tool`, `answer_tool`,
`mark`, ...) and gets every event through the one `deliver` callback it gave, each event journaled
before it is delivered.

:meth:`Runtime.run` opens the session with the connector and starts its journal, then holds the session:
the engine, the voice (microphone and speaker), the camera stream and every function call's task run in
one `asyncio.TaskGroup`. When the session ends for good (a fatal `SessionError`, or the server closed it)
the group ends with it, so no task it started is left, and the runtime calls `ended` and waits, with the
journal and the connection's server still there, until :meth:`Runtime.reconnect` holds the same session
again (the same journal, its resumption handle, its turn numbers). Cancelling `run` stops everything;
the journal is closed last, with every event received.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence

from livetui import events as ev
from livetui.config import Settings
from livetui.live.codec import Exchange, VideoInput
from livetui.media.audio.devices import Direction
from livetui.media.video.capture import CaptureOptions
from livetui.media.video.sources import open_source
from livetui.record.keeper import JournalKeeper
from livetui.session.camera_stream import CameraStream
from livetui.session.connect import Connector
from livetui.session.engine import LiveSession
from livetui.session.latency import LatencyTracker
from livetui.session.replies import choose_replies
from livetui.session.tools_runner import ToolRunner
from livetui.session.voice import Voice, VoiceFactory
from livetui.tools.invoke import Response
from livetui.tools.registry import ToolRegistry

__all__ = [
    "CameraStream",
    "Deliver",
    "JournalKeeper",
    "LiveSession",
    "Runtime",
    "Voice",
    "VoiceFactory",
    "camera_stream",
]

Deliver = Callable[[ev.AnyEvent], None]
"""Where the runtime hands each event, once journaled (on the event loop)."""


def camera_stream(settings: Settings) -> CameraStream | None:
    """The camera stream the settings configure (on from the start), or None."""
    camera = settings.camera
    source = open_source(camera.device, camera.file)
    if source is None:
        return None
    options = CaptureOptions(fps=camera.fps, max_side=camera.size, quality=camera.quality)
    return CameraStream(source, options)


class Runtime:
    """One live session and everything that runs with it (see the module docstring)."""

    def __init__(
        self,
        connector: Connector,
        settings: Settings,
        deliver: Deliver,
        *,
        tools: ToolRegistry | None = None,
        voice: VoiceFactory | None = None,
        ended: Callable[[str], None] | None = None,
        info: ev.SessionInfo | None = None,
        carried: Sequence[Exchange] = (),
    ) -> None:
        self.connector = connector
        """Opens the session (and the local server it needs, stopped when the runtime ends)."""
        self.settings = settings
        """The user's settings: recording, the tool mode and timeout, the camera."""
        self.tools = tools if tools is not None else ToolRegistry()
        """The functions the model may call."""
        self.voice_factory = voice
        """Makes the session's microphone and speaker each time it is held (None: no audio)."""
        self.camera = camera_stream(settings)
        """Streams the configured camera while the session is held; None without a camera."""
        self.session: LiveSession | None = None
        """The session while it is held; None before it opens, and once it has ended."""
        self.voice: Voice | None = None
        """The session's microphone and speaker while it is held."""
        self.keeper: JournalKeeper | None = None
        """The session's journal (kept after the runtime ends, for exports); None when not recording."""
        self.tool_runner: ToolRunner | None = None
        """Answers the session's function calls while it is held."""
        self.ended = False
        """The session has ended for good, and the runtime waits for :meth:`reconnect`."""
        self.info = info
        """What the session talks to, journaled first (None: not journaled)."""
        self.carried = tuple(carried)
        """The conversation of a past session this one continues (its first request carries it)."""
        self._deliver = deliver
        self._on_ended = ended
        self._engine: LiveSession | None = None
        self._reconnect = asyncio.Event()

    @classmethod
    def idle(cls, session: LiveSession, settings: Settings, connector: Connector) -> Runtime:
        """A runtime that is never run: `session`'s latency tracker and clock serve the panes (a replay
        shows a recording through it, and opens no connection)."""
        runtime = cls(connector, settings, lambda event: None)
        runtime._engine = session
        return runtime

    # -- running ------------------------------------------------------------------------------------------

    async def run(self) -> None:
        """Open the session and hold it until cancelled (see the module docstring).

        Raises what the connector raises when the session cannot be opened (a local server that does not
        start, a missing key); the session's own failures are `SessionError` events.
        """
        async with self.connector() as session:
            self._engine = session
            keeper = self.keeper = JournalKeeper(self._notice) if self.settings.record else None
            if self.carried:
                session.carry(self.carried)
            if keeper is not None and self.info is not None:
                keeper.event(self.info)
            session.on_audio = keeper.mic if keeper is not None else None
            try:
                while True:
                    await self._hold(session)
                    self.ended = True
                    if self._on_ended is not None:
                        self._on_ended(session.endpoint.provider)
                    self._reconnect.clear()
                    await self._reconnect.wait()
                    self.ended = False
            finally:
                self.ended = False
                if keeper is not None:
                    keeper.close()  # last: every event delivered so far is in it

    async def _hold(self, session: LiveSession) -> None:
        """Run the session once, until it ends, with its voice, camera and tool calls in one group."""
        settings = self.settings
        voice = self.voice_factory(session) if self.voice_factory is not None else None
        async with asyncio.TaskGroup() as tasks:
            runner = ToolRunner(
                session, self.tools, mode=settings.tool_mode, timeout=settings.tool_timeout, tasks=tasks
            )
            emit = runner.wrap(self._journaled)
            if (replies := await choose_replies(session, voice)) is not None:
                emit(ev.Notice(message=replies))
            self.session, self.voice, self.tool_runner = session, voice, runner
            helpers: list[asyncio.Task[None]] = []
            try:
                if voice is not None:
                    helpers.append(tasks.create_task(voice.run(), name="voice"))
                    emit = voice.tap(emit)
                if self.camera is not None:
                    camera = self.camera.run(lambda: self.session, self._journaled)
                    helpers.append(tasks.create_task(camera, name="camera"))
                await session.run(emit)
            finally:
                self.session, self.voice, self.tool_runner = None, None, None
                for helper in helpers:
                    helper.cancel()
                runner.cancel_all()

    def reconnect(self) -> bool:
        """Hold the ended session again (a new connection, the same journal); False if it has not ended."""
        if not self.ended:
            return False
        self._reconnect.set()
        return True

    def _journaled(self, event: ev.AnyEvent) -> None:
        """Journal an event, then deliver it: every event of the session and of its camera comes here."""
        if self.keeper is not None:
            self.keeper.event(event)
        self._deliver(event)

    def _notice(self, text: str) -> None:
        """A line about the journal itself: delivered, not journaled."""
        self._deliver(ev.Notice(message=text))

    # -- what the UI reads --------------------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        """True while the session is held and live (its configuration accepted)."""
        return self.session is not None and self.session.ready

    @property
    def provider(self) -> str | None:
        """Who the session talks to (`gemini`, `openai`, `local`), once it has opened."""
        return self._engine.endpoint.provider if self._engine is not None else None

    @property
    def video(self) -> VideoInput | None:
        """How pictures reach the model (a stream, or snapshots with each turn), once the session opened."""
        return self._engine.provider.capabilities.video if self._engine is not None else None

    @property
    def latency(self) -> LatencyTracker | None:
        """The marks of every turn, once the session has opened."""
        return self._engine.latency if self._engine is not None else None

    @property
    def send_queue_depth(self) -> int | None:
        """Frames waiting to be written, while the session is held."""
        return self.session.send_queue_depth if self.session is not None else None

    @property
    def mic_open(self) -> bool:
        """The microphone is capturing."""
        return self.voice is not None and self.voice.mic_open

    @property
    def push_to_talk(self) -> bool:
        """The session has a voice in push-to-talk mode."""
        return self.voice is not None and self.voice.push_to_talk

    def audio_state(self) -> ev.AudioState | None:
        """The voice's devices and state; None in a session without audio."""
        return self.voice.state() if self.voice is not None else None

    def clock(self) -> float:
        """The session's clock, which every latency mark uses."""
        engine = self._engine
        return engine.clock() if engine is not None else time.monotonic()

    # -- what the UI does ---------------------------------------------------------------------------------

    def send_text(self, text: str) -> bool:
        """Send a typed turn (speech still playing is silenced first); False when not connected."""
        session = self.session
        if session is None or not session.ready:
            return False
        if self.voice is not None:
            self.voice.send_text(text, at=session.clock())
        else:
            session.send_text(text, at=session.clock())
        return True

    def interrupt(self) -> None:
        """Interrupt the reply in progress and silence its speech, stamped with the time of the call."""
        session = self.session
        if session is None or not session.ready:
            return
        if self.voice is not None:
            self.voice.interrupt(at=session.clock())  # playback is flushed before this returns
        else:
            session.interrupt(at=session.clock())

    def mark(self, turn: int, mark: ev.Mark, *, at: float) -> None:
        """Record a mark only the UI sees (t2 first text painted, k1 interrupted text final), taken `at`."""
        if self._engine is not None:
            self._engine.mark(turn, mark, at=at)

    def toggle_mute(self) -> None:
        """Mute or unmute the microphone."""
        if self.voice is not None:
            self.voice.toggle_mute()

    def toggle_talk(self) -> None:
        """Push-to-talk: start talking (activityStart) or stop (activityEnd, the model answers)."""
        if self.voice is not None:
            self.voice.toggle_talk()

    async def use_device(self, direction: Direction, device: int | str) -> None:
        """Open the chosen device in place of the current one (a failure is one notice; text goes on)."""
        if self.voice is not None:
            await self.voice.use_device(direction, device)

    def toggle_camera(self) -> None:
        """Switch the camera off (the device is released) or on again."""
        if self.camera is not None:
            self.camera.toggle()

    def snapshot(self) -> None:
        """Send a camera frame now, whatever the rate (with the camera off, it is opened for one frame)."""
        if self.camera is not None:
            self.camera.snapshot()

    def decide_tool(self, call_id: str, approved: bool) -> None:
        """Confirm mode: run the call, or answer it with an error."""
        runner = self.tool_runner
        if runner is not None:
            if approved:
                runner.approve(call_id)
            else:
                runner.deny(call_id)

    def answer_tool(self, call_id: str, response: Response) -> None:
        """Manual mode: send the user's own response to the call."""
        if self.tool_runner is not None:
            self.tool_runner.answer(call_id, response)
