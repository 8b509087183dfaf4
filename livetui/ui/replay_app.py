"""The app replaying a recorded session: the chat, the panes, the latency figures and the model's speech,
as they happened, and no connection.

`ReplayApp` is the live app with its session worker replaced by a `Playback` of the journal: each event
goes to the main screen as the engine's would (latency marks into a tracker the latency pane reads, the
model's speech through a `Voice` with no microphone, to the speaker or `--speaker-file`), and nothing is
journaled or sent. Space pauses and goes on, Right and Left move to the next or previous turn, and the
status bar names the session after "replay".
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import ClassVar

from textual import work
from textual.binding import Binding, BindingType

from livetui import events as ev
from livetui.config import Settings
from livetui.providers import registry
from livetui.session.audio_io import sink_for
from livetui.session.connect import Target
from livetui.session.engine import LiveSession
from livetui.session.latency import LatencyTracker
from livetui.session.playback import Playback
from livetui.session.setup import build_config
from livetui.session.voice import Voice
from livetui.ui.app import LiveApp


def dormant_session(settings: Settings) -> LiveSession:
    """A session that is never run: its latency tracker and clock serve the panes and the voice."""
    endpoint = registry.local_endpoint("ws://127.0.0.1:9", dialect="gemini")
    return LiveSession(endpoint, registry.provider("gemini", settings), build_config(settings))


class ReplayApp(LiveApp):
    """Plays a recorded session back (see the module docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "right", "next_turn", "Next turn", id="next_turn", tooltip="Jump to the next turn.", priority=True
        ),
        Binding(
            "left",
            "previous_turn",
            "Previous turn",
            id="previous_turn",
            tooltip="Jump back a turn.",
            priority=True,
        ),
    ]
    """The replay's keys (the live app's others still apply)."""

    def __init__(self, settings: Settings, playback: Playback, name: str) -> None:
        super().__init__(settings, _no_connection, target=Target("replay", name), voice=None)
        self.playback = playback
        """What is played."""
        self.replay_session = dormant_session(settings)
        """The panes' session: its latency tracker holds the recorded marks."""
        self.sink = sink_for(settings)
        """Where the model's speech goes (None: nowhere, `--text-only`)."""
        self.space_talks = True  # the message box leaves Space to the app: it pauses

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The session keys (and Continue, from the past sessions) have nothing to act on in a replay."""
        if action == "talk_key":
            return True  # Space pauses
        if action in ("reconnect", "new_session", "use_local", "interrupt", "past_sessions"):
            return False
        return super().check_action(action, parameters)

    @work(name="session", group="session", exclusive=True, exit_on_error=False, description="replay")
    async def run_session(self) -> None:
        """Play the recording to the main screen (and its speech to the speaker) until the app quits."""
        session = self.replay_session
        voice = self.voice = Voice(session, sink=self.sink) if self.sink is not None else None

        def show(event: ev.AnyEvent) -> None:
            if isinstance(event, ev.LatencyMark):
                session.latency.mark(event.turn, event.mark, event.at)
            self.main.deliver(event, session)

        speaking = asyncio.create_task(voice.run(), name="voice") if voice is not None else None
        try:
            await self.playback.play(voice.tap(show) if voice is not None else show, self._rewind)
        finally:
            if speaking is not None:
                speaking.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await speaking

    async def _rewind(self) -> None:
        self.replay_session.latency = LatencyTracker()
        await self.main.chat.clear()

    def action_talk_key(self) -> None:
        """Space (the live app's talk key): pause, or go on."""
        self.action_toggle_pause()

    def action_toggle_pause(self) -> None:
        """Pause, or go on."""
        paused = self.playback.toggle_pause()
        self.main.status.detail = "paused (Space goes on)" if paused else ""

    def action_next_turn(self) -> None:
        """Jump to the next turn."""
        self.playback.next_turn()

    def action_previous_turn(self) -> None:
        """Jump back a turn."""
        self.playback.previous_turn()


@contextlib.asynccontextmanager
async def _no_connection() -> AsyncIterator[LiveSession]:
    """The replay's connector: never called (the replay has its own worker), and opens nothing."""
    raise RuntimeError("a replay opens no connection")
    yield  # pragma: no cover - an async generator needs a yield
