"""The main screen: the chat log and composer on the left, latency and events panes on the right, and the
status bar along the bottom.

The screen composes the panes and routes each session event to the panes that declare its type in their
``CONSUMES`` (see `livetui.ui.messages`); the panes handle their own messages. Its own bindings change
only its layout: hide the side panes, clear the log, focus the composer.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import ClassVar

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import TabbedContent, TabPane

from livetui import events as ev
from livetui.session.engine import LiveSession
from livetui.ui.messages import EventConsumer, wrap
from livetui.ui.widgets.camera import CameraPreview
from livetui.ui.widgets.chat import ChatLog
from livetui.ui.widgets.composer import Composer
from livetui.ui.widgets.events_pane import EventsPane
from livetui.ui.widgets.latency_pane import LatencyPane
from livetui.ui.widgets.status import StatusBar
from livetui.ui.widgets.tools_pane import ToolsPane

HINTS = (("interrupt", "interrupt"), ("help", "help"), ("toggle_panes", "panes"))
"""Bindings named in the status bar's key hints: (binding id, label)."""


class MainScreen(Screen[None]):
    """Chat log, composer, side panes and status bar."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+b",
            "toggle_panes",
            "Panes",
            id="toggle_panes",
            tooltip="Hide or show the latency and events panes.",
        ),
        Binding(
            "ctrl+t",
            "focus_composer",
            "Compose",
            id="focus_composer",
            tooltip="Move the focus to the message input.",
            show=False,
        ),
        Binding("ctrl+l", "clear_log", "Clear", id="clear_log", tooltip="Clear the chat log."),
    ]
    """Layout keys; each has an id the `[keymap]` setting can rebind."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    """Below 100 columns the side panes start hidden."""

    AUTO_FOCUS = "#composer"
    """The composer has the focus unless the user moves it."""

    chat = getters.query_one("#chat", ChatLog)
    """The chat log."""
    composer = getters.query_one("#composer", Composer)
    """The message input."""
    status = getters.query_one("#status", StatusBar)
    """The status bar."""

    def __init__(
        self, *, provider: str, model: str, notices: Sequence[str] = (), camera: bool = False
    ) -> None:
        super().__init__()
        self._camera = CameraPreview(id="camera") if camera else None
        self._chat = ChatLog(notices, id="chat")
        self._status = StatusBar(provider=provider, model=model, id="status")
        self._latency = LatencyPane(id="latency")
        self._events = EventsPane(id="events")
        self._tools = ToolsPane(id="tools")
        consumers: tuple[EventConsumer, ...] = (
            self._chat,
            self._status,
            self._latency,
            self._events,
            self._tools,
        )
        if self._camera is not None:
            consumers += (self._camera,)
        self._routes: dict[type[ev.Event], list[EventConsumer]] = {}
        for consumer in consumers:
            for kind in consumer.CONSUMES:
                self._routes.setdefault(kind, []).append(consumer)

    def compose(self) -> ComposeResult:
        """Conversation on the left, tabs on the right, the status bar at the bottom."""
        with Horizontal(id="body"):
            with Vertical(id="conversation"):
                yield self._chat
                yield Composer(id="composer")
            # With a camera, its preview sits above the side panes (and stays when they are hidden).
            with Vertical(id="side-column") if self._camera is not None else contextlib.nullcontext():
                if self._camera is not None:
                    yield self._camera
                with TabbedContent(id="side", initial="latency-tab"):
                    with TabPane("Latency", id="latency-tab"):
                        yield self._latency
                    with TabPane("Events", id="events-tab"):
                        yield self._events
                    with TabPane("Tools", id="tools-tab"):
                        yield self._tools
        yield self._status

    def on_mount(self) -> None:
        """Name the main keys in the status bar, as the keymap binds them."""
        keys: dict[str, str] = {}
        for item in self.active_bindings.values():
            binding_id = item.binding.id
            if binding_id is not None and binding_id not in keys:
                keys[binding_id] = self.app.get_key_display(item.binding)
        self._status.hints = " · ".join(f"{keys[i]} {label}" for i, label in HINTS if i in keys)

    def deliver(self, event: ev.AnyEvent, session: LiveSession | None) -> None:
        """Post an event to every pane that shows its type (each gets its own message); a wire frame is
        handed to the events pane as it is (fifty a second or more: no message each)."""
        if isinstance(event, ev.WireFrame):
            self._events.record(event)
            return
        for consumer in self._routes.get(type(event), ()):
            consumer.post_message(wrap(event, session))

    def action_toggle_panes(self) -> None:
        """Hide the side panes if they show, else show them (whatever the screen's width made them)."""
        shown = self.query_one("#side").display
        self.set_class(shown, "-panes-hidden")
        self.set_class(not shown, "-panes-shown")

    def action_focus_composer(self) -> None:
        """Focus the message input."""
        self.composer.focus()

    async def action_clear_log(self) -> None:
        """Remove every entry from the chat log."""
        await self.chat.clear()
