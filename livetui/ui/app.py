"""The app: settings, the keymap, and the one worker that holds the live session's runtime.

`make_app(settings, connector)` builds it (the CLI and the tests share it). The app holds one `Runtime`
per session, and nothing else of it: on mount it applies the user's keymap and starts the ``session``
worker, which runs the runtime (the engine, the voice, the tool calls, the camera and the journal, all in
one task group). The runtime journals every event, then hands it to the app, which gives it to the main
screen, which routes it to the panes. The user's inputs (Enter in the composer, the interrupt key, the media
keys, a decision in the tools pane) call the runtime's methods directly, on the event loop, so their effect
does not wait for the network; the marks only the chat log sees (first text painted, interrupted text
final) come as `ModelTurn.Painted` messages, which the app hands to the turn's runtime. The export key
writes the session's Markdown transcript next to its journal. The camera and microphone keys are in
`MediaKeys` (`media_keys.py`), and the keys that bring an ended session back in `SessionKeys`
(`session_keys.py`), which the app builds on: once its session has ended for good, the runtime waits for
Reconnect instead of ending, so the connection's server (a local child) and journal are still there.

The chosen theme is remembered in the state file (`livetui.state`) and applied at the next start; the
palette's screenshot is written into the session's directory (or `screenshots/` in the data directory
when the session is not recorded), and the chat log says where.

Failures never reach the screen as a traceback: the engine reports its own as `SessionError` events, and
anything the connector raises (a local server that cannot start, a bad script...) is turned into one
in the single `Worker.StateChanged` handler.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import SystemCommand
from textual.binding import ActiveBinding, Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from livetui import events as ev
from livetui.config import Settings, data_dir
from livetui.providers.registry import filter_example
from livetui.record.export import ExportError, export_session
from livetui.session.connect import Connector, LocalPlanner, Target
from livetui.session.local_server import LocalServerError
from livetui.session.runtime import CameraStream, JournalKeeper, LiveSession, Runtime, Voice, VoiceFactory
from livetui.state import remember, remembered_theme
from livetui.tools.registry import ToolRegistry
from livetui.ui.history_keys import HistoryKeys
from livetui.ui.quitting import QuitSignals, settle
from livetui.ui.screens.help import HelpScreen, binding_rows
from livetui.ui.screens.main import MainScreen
from livetui.ui.screens.system_prompt import SystemPromptScreen
from livetui.ui.widgets.composer import Composer
from livetui.ui.widgets.model_turn import ModelTurn
from livetui.ui.widgets.tools_pane import ToolsPane

STYLES = Path(__file__).parent / "styles"
"""The app's stylesheets, shipped inside the package."""


NOT_RECORDED = "nothing to export: this session is not recorded (--no-record, or its journal failed)"
"""The notice for the export key when there is no journal."""
NO_LIVE_SESSION = "no live session: the system prompt can be changed once the session is connected"
"""The notice for the system prompt command before the session is live."""


def describe_failure(error: BaseException) -> str:
    """One line for a session that could not be opened (or whose runtime failed: the one error inside
    its task group is the one told)."""
    while isinstance(error, BaseExceptionGroup) and len(error.exceptions) == 1:
        error = error.exceptions[0]
    if isinstance(error, LocalServerError):
        return str(error)
    detail = " ".join(str(error).split()) or type(error).__name__
    return f"could not start the session: {detail}"


class LiveApp(HistoryKeys):
    """A terminal client for one live model session."""

    CSS_PATH = [
        STYLES / name
        for name in (
            "app.tcss",
            "chat.tcss",
            "panes.tcss",
            "status.tcss",
            "help.tcss",
            "camera.tcss",
            "tools.tcss",
            "devices.tcss",
            "sessions.tcss",
            "system_prompt.tcss",
        )
    ]
    """One stylesheet per area."""
    TITLE = "livetui"
    """The terminal's title."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "interrupt",
            "Interrupt",
            id="interrupt",
            tooltip="Stop the model's reply now and tell the server.",
            priority=True,
        ),
        Binding("f1,question_mark", "help", "Help", id="help", tooltip="List every key binding."),
        Binding("ctrl+q", "quit", "Quit", id="quit", tooltip="Close the session and quit.", priority=True),
        Binding("f6", "toggle_camera", "Camera", id="toggle_camera", tooltip="Switch the camera off or on."),
        Binding("f7", "snapshot", "Snapshot", id="snapshot", tooltip="Send a camera frame to the model now."),
        Binding("f4", "mute", "Mute", id="mute", tooltip="Mute or unmute the microphone."),
        Binding(
            "f5",
            "push_to_talk",
            "Talk",
            id="push_to_talk",
            tooltip="Push-to-talk: start or stop talking (Space does it too while the message box is empty).",
        ),
        Binding("space", "talk_key", "Talk", show=False, priority=True),
        Binding(
            "f8", "audio_devices", "Devices", id="audio_devices", tooltip="Choose the microphone and speaker."
        ),
        Binding(
            "ctrl+s",
            "export",
            "Export",
            id="export",
            tooltip="Write the session's transcript (Markdown) next to its journal.",
        ),
        Binding(
            "f3",
            "past_sessions",
            "Sessions",
            id="past_sessions",
            tooltip="Browse the recorded sessions: search, read, export, delete or continue one.",
        ),
        Binding(
            "ctrl+r",
            "reconnect",
            "Reconnect",
            id="reconnect",
            tooltip="Reconnect a session that has ended (same journal; resumed when the server knows it).",
        ),
        Binding(
            "ctrl+n",
            "new_session",
            "New session",
            id="new_session",
            tooltip="Start a new session with the same settings (a new journal; the chat log is cleared).",
        ),
        Binding(
            "ctrl+o",
            "use_local",
            "Go local",
            id="use_local",
            tooltip=(
                "Continue on the embedded local server in a new session (when the provider cannot be "
                "reached)."
            ),
        ),
    ]
    """The app-wide keys; each has an id the `[keymap]` setting can rebind."""

    def __init__(
        self,
        settings: Settings,
        connector: Connector,
        *,
        notices: Sequence[str] = (),
        tools: ToolRegistry | None = None,
        voice: VoiceFactory | None = None,
        target: Target | None = None,
        local: LocalPlanner | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        """The user's settings."""
        self.connector = connector
        """Opens the session (an async context manager yielding a `LiveSession`)."""
        self.tools = tools if tools is not None else ToolRegistry()
        """The functions the model may call (the connector declares the same ones in `setup`)."""
        self.voice_factory = voice
        """Makes each session's microphone and speaker (None: a session without audio)."""
        self._quit_signals = QuitSignals(self._quit_now)
        self._quitting = False
        self.target = target if target is not None else Target.of(settings)
        """What the session talks to, as the status bar names it from the start."""
        self.runtime = self._runtime()
        """The latest session's runtime (kept after it ends, for the export key and Reconnect)."""
        self.local = local
        """Makes the local server's plan, for Continue on the local server (None: not offered)."""
        self.main = MainScreen(
            provider=self.target.provider,
            model=self.target.shown_model,
            notices=notices,
            camera=self.runtime.camera is not None,
            prices=settings.prices,
            filter_example=filter_example(self.target.wire),
        )
        """The main screen (kept while other screens are pushed over it)."""

    def _runtime(self) -> Runtime:
        """A runtime for the next session, from the connector; its events come to :meth:`deliver`."""

        def deliver(event: ev.AnyEvent) -> None:
            self.deliver(event, runtime)

        carried, self.carried = self.carried, None
        target = self.target
        info = ev.SessionInfo(
            provider=target.provider,
            model=target.model,
            continued_from=carried.name if carried is not None else None,
        )
        runtime = Runtime(
            self.connector,
            self.settings,
            deliver,
            tools=self.tools,
            voice=self.voice_factory,
            ended=self.offer_restart,
            info=info,
            carried=carried.history if carried is not None else (),
        )
        return runtime

    def renew(self) -> None:
        """Make a new runtime from the connector, for the next run of the session worker."""
        self.runtime = self._runtime()

    @property
    def session(self) -> LiveSession | None:
        """The session while the runtime holds it; None before it opens and after it ends."""
        return self.runtime.session

    @property
    def voice(self) -> Voice | None:
        """The session's microphone and speaker while it runs."""
        return self.runtime.voice

    @property
    def camera(self) -> CameraStream | None:
        """Streams the configured camera to the session; None without ``--camera``/``--camera-file``."""
        return self.runtime.camera

    @property
    def keeper(self) -> JournalKeeper | None:
        """The journal of the latest session (kept after it ends, for the export key); None when off."""
        return self.runtime.keeper

    @property
    def space_talks(self) -> bool:
        """Push-to-talk: Space in the empty message box is the talk key (the composer leaves it to us)."""
        return self.runtime.push_to_talk

    def get_default_screen(self) -> Screen[None]:
        """The main screen."""
        return self.main

    def on_mount(self) -> None:
        """Apply the keymap and the remembered theme, quit cleanly on SIGHUP and SIGTERM, and open the
        session."""
        self.set_keymap(self.settings.keymap)
        theme = remembered_theme()
        if theme is not None and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self._quit_signals.install()
        self.run_session()

    def on_ready(self) -> None:
        """Set the start-up's objects aside from the garbage collector once the first screen is drawn.

        Modules, the stylesheet and the widgets live as long as the app, yet every full collection walks
        them all again: one could hold up a reply's paint for some 50 ms. Frozen, they are skipped
        (`gc.freeze`); what the session allocates later is collected as before, and they are handed back
        when the app ends (`on_unmount`).
        """
        gc.collect()
        gc.freeze()

    def on_unmount(self) -> None:
        """Give the quit signals and the frozen start-up objects back (a test runs many apps in one
        process)."""
        gc.unfreeze()
        self._quit_signals.remove()

    def _quit_now(self) -> None:
        self._quitting = True
        self.exit()

    async def action_quit(self) -> None:
        """Quit once the messages already on their way to the app are handled: a message sent with Enter
        just before Ctrl+Q (both keys read at once) is journaled and sent before the session closes.

        From the key on, events are journaled but no longer shown: the screen is going away, and a reply
        that starts now must not mount widgets while it is torn down."""
        self._quitting = True
        await settle(self.focused, self)
        self.call_later(self._quit_now)  # behind what reached the app's queue meanwhile

    @work(name="session", group="session", exclusive=True, exit_on_error=False, description="live session")
    async def run_session(self) -> None:
        """Run the runtime: open the session and hold it; events go to the main screen.

        A session that ends for good stays open (with its journal) until the user chooses: Reconnect
        holds it again; New session (or the local server) makes a new runtime and starts this worker
        afresh, which cancels this one.
        """
        await self.runtime.run()

    def deliver(self, event: ev.AnyEvent, runtime: Runtime | None) -> None:
        """Show an event (the runtime journaled it already): every event of the session comes here."""
        if not self._quitting:  # the screen is closing: what arrives now is journaled, not shown
            self.main.deliver(event, runtime)

    def _remember_theme(self, theme: object) -> None:
        try:
            remember(theme=self.theme)
        except OSError as error:
            self._notice(f"the theme could not be remembered: {' '.join(str(error).split())}")

    @on(Worker.StateChanged)
    def _on_worker_state(self, message: Worker.StateChanged) -> None:
        worker = message.worker
        if worker.name != "session" or message.state != WorkerState.ERROR or worker.error is None:
            return
        self.deliver(ev.SessionError(message=describe_failure(worker.error), fatal=True), None)
        self.offer_restart(self.target.provider)

    @on(Composer.Sent)
    def _on_sent(self, message: Composer.Sent) -> None:
        if not self.runtime.send_text(message.text):  # it silences speech still playing
            self._notice("not connected: the message was not sent")
            return
        message.composer.clear()

    @on(ToolsPane.Decided)
    def _on_tool_decided(self, message: ToolsPane.Decided) -> None:
        if message.response is not None:
            self.runtime.answer_tool(message.call_id, message.response)
        elif message.approved is not None:
            self.runtime.decide_tool(message.call_id, message.approved)

    @on(ModelTurn.Painted)
    def _on_painted(self, message: ModelTurn.Painted) -> None:
        runtime = message.control.runtime
        if runtime is not None:
            runtime.mark(message.turn, message.mark, at=message.at)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The interrupt, help and session keys act only on the main screen (Esc closes a dialog above it, or
        the side panes shown over the chat; a session is not replaced behind a dialog)."""
        if action in (
            "interrupt",
            "help",
            "audio_devices",
            "reconnect",
            "new_session",
            "use_local",
            "past_sessions",
        ):
            stack = self.screen_stack
            covered = action == "interrupt" and self.main.panes_over_chat
            return bool(stack) and stack[-1] is self.main and not covered
        if action == "talk_key":
            return self._space_talks()
        return True

    def action_interrupt(self) -> None:
        """Interrupt the reply in progress and silence its speech, stamped with the time of the key."""
        self.call_later(self.main.chat.escape)  # the key also closes the hint and leaves the chat log
        self.runtime.interrupt()  # playback is flushed before this returns

    def action_system_prompt(self) -> None:
        """Edit the session's system prompt; the new one is sent to the model as the session goes on."""
        session = self.session
        if session is None or not session.ready:
            self._notice(NO_LIVE_SESSION)
            return
        self.push_screen(SystemPromptScreen(session.config.system_prompt or ""), self._prompt_edited)

    def _prompt_edited(self, text: str | None) -> None:
        session = self.session
        if text is None or session is None:
            return
        session.update_instructions(text)
        self._notice("the session's system prompt was updated" if text else "the system prompt was cleared")

    def action_export(self) -> None:
        """Write the session's Markdown transcript next to its journal; the chat log says where."""
        keeper = self.keeper
        if keeper is None or keeper.directory is None:
            self._notice(NOT_RECORDED)
        else:
            self.export_transcript(keeper.directory)

    @work(name="export", group="export", exclusive=True, thread=True, exit_on_error=False)
    def export_transcript(self, directory: Path) -> None:
        """Read the journal and write ``transcript.md``, off the event loop (a long session takes a while)."""
        try:
            exported = export_session(directory, "md", prices=self.settings.prices)
        except ExportError as error:
            message = f"could not export the transcript: {error}"
        else:
            message = f"transcript written to {exported.path}"
        self.call_from_thread(self._notice, message)

    def action_help(self) -> None:
        """Show the key bindings as they are now (remapped keys included).

        They are read with nothing focused, when every binding of the screen and the app is active (a
        focused input would hide the printable ones, such as `?`, that it takes as text), then with the
        composer and the chat log focused, for their own keys.
        """
        main = self.main
        focused = main.focused
        active: list[ActiveBinding] = []
        for widget in (None, main.composer, main.chat):
            main.set_focus(widget, scroll_visible=False)
            active.extend(main.active_bindings.values())
        main.set_focus(focused, scroll_visible=False)
        rows = binding_rows(self, active)
        self.push_screen(HelpScreen(rows))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's commands, plus one per livetui action, for the command palette."""
        yield from super().get_system_commands(screen)
        yield SystemCommand("Interrupt", "Stop the model's reply now", self.action_interrupt)
        yield SystemCommand("Key bindings", "List every key binding and its id", self.action_help)
        yield SystemCommand(
            "Toggle panes", "Hide or show the latency and events panes", self.main.action_toggle_panes
        )
        yield SystemCommand(
            "Focus composer", "Move the focus to the message input", self.main.action_focus_composer
        )
        yield SystemCommand("Clear log", "Clear the chat log", self.main.action_clear_log)
        yield SystemCommand("Toggle camera", "Switch the camera off or on", self.action_toggle_camera)
        yield SystemCommand("Snapshot", "Send a camera frame to the model now", self.action_snapshot)
        yield SystemCommand("Mute", "Mute or unmute the microphone", self.action_mute)
        yield SystemCommand("Talk", "Push-to-talk: start or stop talking", self.action_push_to_talk)
        yield SystemCommand("Audio devices", "Choose the microphone and speaker", self.action_audio_devices)
        yield SystemCommand(
            "System prompt", "Edit the instructions of the session in progress", self.action_system_prompt
        )
        yield SystemCommand(
            "Export transcript", "Write the session as Markdown next to its journal", self.action_export
        )
        yield SystemCommand(
            "Past sessions",
            "Browse, search, read, export, delete or continue recorded sessions",
            self.action_past_sessions,
        )
        yield SystemCommand(
            "Reconnect", "Reconnect the session that has ended (same journal)", self.action_reconnect
        )
        yield SystemCommand(
            "New session",
            "Start a new session with the same settings and a new journal",
            self.action_new_session,
        )
        if self.local is not None and self.target.provider != "local":
            yield SystemCommand(
                "Continue on the local server",
                "A new session on the embedded local server",
                self.action_use_local,
            )

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """Save an SVG screenshot (the palette's Save screenshot) into the session's directory, or into
        `screenshots/` in the data directory without a journal; the chat log says where."""
        keeper = self.keeper
        folder = Path(path) if path else None
        if folder is None:
            recorded = keeper.directory if keeper is not None else None
            folder = recorded if recorded is not None else data_dir() / "screenshots"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            written = self.save_screenshot(filename, str(folder), time_format)
        except OSError as error:
            self._notice(f"could not save the screenshot: {' '.join(str(error).split())}")
            return None
        self._notice(f"screenshot written to {written}")
        return written


def make_app(
    settings: Settings,
    connector: Connector,
    *,
    notices: Sequence[str] = (),
    tools: ToolRegistry | None = None,
    voice: VoiceFactory | None = None,
    target: Target | None = None,
    local: LocalPlanner | None = None,
) -> LiveApp:
    """The app for these settings; `connector` opens the session, `notices` are shown in the log at start,
    `tools` answer the model's function calls (give the connector the same registry, so they are declared),
    `target` is what the status bar names (the settings' provider and model when None), and `local` makes
    the local server's plan for Continue on the local server (not offered when None)."""
    return LiveApp(settings, connector, notices=notices, tools=tools, voice=voice, target=target, local=local)
