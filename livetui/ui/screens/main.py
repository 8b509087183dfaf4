"""The main screen: the chat log and composer on the left, latency and events panes on the right, and the
status bar along the bottom. On a narrow screen the side panes are shown over the chat when asked for,
and the camera is a status-bar indicator.

The screen composes the panes and routes each session event to the panes that declare its type in their
``CONSUMES`` (see `livetui.ui.messages`); the panes handle their own messages. Its own bindings change
only its layout: hide the side panes, clear the log, focus the composer or the chat log (the composer's
scroll keys are passed to the log).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual import getters, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import TabbedContent, TabPane

from livetui import events as ev
from livetui.config import DEFAULT_PRICES, Price
from livetui.session.runtime import Runtime
from livetui.ui.compositor import RowCompositor
from livetui.ui.key_names import bound_keys
from livetui.ui.messages import EventConsumer, wrap
from livetui.ui.widgets.camera import CameraPreview
from livetui.ui.widgets.chat import ChatLog
from livetui.ui.widgets.composer import Composer
from livetui.ui.widgets.events_pane import EventsPane
from livetui.ui.widgets.latency_pane import LatencyPane
from livetui.ui.widgets.new_text import NewTextMarker
from livetui.ui.widgets.status import StatusBar
from livetui.ui.widgets.tools_pane import ToolsPane

NARROW_BELOW = 110
"""Screens narrower than this (columns) show the side panes over the chat, on request, and the camera in
the status bar only: beside the chat they would leave it less than 60 % of the width."""

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
        Binding(
            "f2",
            "focus_chat",
            "Chat",
            id="focus_chat",
            tooltip="Move the focus to the chat log: Up/Down select an entry, c copies it, b its code.",
            show=False,
        ),
        Binding("ctrl+l", "clear_log", "Clear", id="clear_log", tooltip="Clear the chat log."),
        Binding("escape", "hide_panes", "Hide panes", show=False),
    ]
    """Layout keys; each has an id the `[keymap]` setting can rebind."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_BELOW, "-wide")]
    """Below :data:`NARROW_BELOW` columns the side panes are an overlay, hidden until asked for."""

    AUTO_FOCUS = "#composer"
    """The composer has the focus unless the user moves it."""

    chat = getters.query_one("#chat", ChatLog)
    """The chat log."""
    events = getters.query_one("#events", EventsPane)
    """The events pane."""
    composer = getters.query_one("#composer", Composer)
    """The message input."""
    status = getters.query_one("#status", StatusBar)
    """The status bar."""

    def __init__(
        self,
        *,
        provider: str,
        model: str,
        notices: Sequence[str] = (),
        camera: bool = False,
        prices: Mapping[str, Price] = DEFAULT_PRICES,
        filter_example: str = "",
    ) -> None:
        super().__init__(classes="-camera" if camera else "")
        self._compositor = RowCompositor()  # a streamed word repaints its rows, not every widget's lines
        self._camera = CameraPreview(id="camera") if camera else None
        self._chat = ChatLog(notices, id="chat")
        self._status = StatusBar(provider=provider, model=model, prices=prices, id="status")
        self._latency = LatencyPane(id="latency")
        self._events = EventsPane(example=filter_example, id="events")
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
                with Vertical(id="chat-column"):
                    yield self._chat
                    yield NewTextMarker(self._chat, id="new-text")
                yield Composer(id="composer")
            # With a camera, its preview sits above the side panes (and stays when they are hidden).
            with Vertical(id="side-column"):
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
        keys = bound_keys(self)
        self._status.hints = " · ".join(f"{keys[i]} {label}" for i, label in HINTS if i in keys)

    def deliver(self, event: ev.AnyEvent, runtime: Runtime | None) -> None:
        """Post an event to every pane that shows its type (each gets its own message); a wire frame is
        handed to the events pane as it is (fifty a second or more: no message each)."""
        if isinstance(event, ev.WireFrame):
            self._events.record(event)
            return
        for consumer in self._routes.get(type(event), ()):
            consumer.post_message(wrap(event, runtime))

    @property
    def panes_over_chat(self) -> bool:
        """True while the side panes are shown over the chat (a narrow screen, after the panes key)."""
        return self.has_class("-narrow", "-panes-over")

    def action_toggle_panes(self) -> None:
        """Hide the side panes if they show, else show them: beside the chat on a wide screen, over it on
        a narrow one."""
        if self.has_class("-narrow"):
            self.toggle_class("-panes-over")
        else:
            self.toggle_class("-panes-hidden")

    def action_hide_panes(self) -> None:
        """Hide the side panes shown over the chat (Esc interrupts otherwise: see `LiveApp.check_action`)."""
        if not self.panes_over_chat:
            raise SkipAction()
        self.remove_class("-panes-over")

    def action_focus_composer(self) -> None:
        """Focus the message input."""
        self.composer.focus()

    def action_focus_chat(self) -> None:
        """Focus the chat log, to select and copy its entries."""
        self.chat.focus(scroll_visible=False)

    @on(Composer.ScrollChat)
    def _scroll_chat(self, message: Composer.ScrollChat) -> None:
        self.chat.scroll_chat(message.scroll)

    async def action_clear_log(self) -> None:
        """Remove every entry from the chat log."""
        await self.chat.clear()
