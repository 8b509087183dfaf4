"""The composer: the message box at the bottom. Enter sends; Ctrl+J (or Shift+Enter) starts a new line.

It is a `TextArea`, so a pasted block keeps every line (the terminal's bracketed paste arrives as one
`Paste` event) and the box grows with its text up to a few lines, then scrolls (its height is in
``app.tcss``). Up and Down walk the messages sent before, as a shell does, while the message is empty or
one line; in a longer message they move the cursor. PageUp and PageDown scroll the chat log instead of the
box, as do Home and End while the box is empty, and Ctrl+Home / Ctrl+End always: the composer posts
:class:`Composer.ScrollChat` and the screen scrolls the log.

The cursor blinks while the user types, and holds still, shown, after :data:`BLINK_IDLE_SECONDS` without
a key (as GTK's text fields do): a blink repaints the screen twice a second, which is most of what an idle
voice session draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.timer import Timer
from textual.widgets import TextArea

from livetui.ui.widgets.history import History

PLACEHOLDER = "Message… Enter sends · Ctrl+J new line · ↑ history"
"""What the empty composer shows."""

BLINK_IDLE_SECONDS = 10.0
"""The cursor stops blinking (and stays shown) this long after the last key, paste or focus."""

ChatScroll = Literal["page_up", "page_down", "home", "end"]
"""A scroll of the chat log asked for from the composer."""


class Composer(TextArea):
    """The message box. Enter posts :class:`Composer.Sent`; the app sends it and then clears the box."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+j,shift+enter",
            "newline",
            "New line",
            id="newline",
            tooltip="Start a new line in the message (Enter sends it).",
            show=False,
        ),
        Binding("ctrl+home", "scroll_chat('home')", "Chat top", show=False),
        Binding("ctrl+end", "scroll_chat('end')", "Chat end", show=False),
    ]
    """The composer's own keys (the rest are `TextArea`'s)."""

    @dataclass
    class Sent(Message):
        """The user pressed Enter on a message that is not blank."""

        composer: Composer
        """The composer it came from (cleared by whoever sends the text, so unsent text is kept)."""
        text: str
        """The message, stripped of surrounding whitespace (its inner lines and line breaks are kept)."""

        @property
        def control(self) -> Composer:
            """The composer, for `@on(Composer.Sent, "#id")` selectors."""
            return self.composer

    @dataclass
    class ScrollChat(Message):
        """A scroll key pressed in the composer that belongs to the chat log."""

        composer: Composer
        """The composer the key was pressed in."""
        scroll: ChatScroll
        """Which way to scroll."""

        @property
        def control(self) -> Composer:
            """The composer, for `@on(Composer.ScrollChat, "#id")` selectors."""
            return self.composer

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, placeholder=PLACEHOLDER, soft_wrap=True, highlight_cursor_line=False)
        self.sent = History()
        """The messages sent from this box, for Up and Down (`history` is TextArea's undo history)."""
        self._recalled: str | None = None
        self._idle: Timer | None = None

    def on_mount(self) -> None:
        """The cursor blinks for a while after the app starts, then holds still until a key."""
        self._wake_cursor()

    def on_focus(self) -> None:
        """A focused box blinks again (TextArea restarts the blink), for a while."""
        self._wake_cursor()

    def on_paste(self) -> None:
        """A paste is typing too: the cursor blinks for a while."""
        self._wake_cursor()

    def on_mouse_up(self) -> None:
        """A click is too: the cursor blinks for a while."""
        self._wake_cursor()

    def _wake_cursor(self) -> None:
        """Count :data:`BLINK_IDLE_SECONDS` from now before the cursor holds still."""
        if self._idle is not None:
            self._idle.stop()
        self._idle = self.set_timer(BLINK_IDLE_SECONDS, self._hold_cursor, name="cursor idle")

    def _hold_cursor(self) -> None:
        """No key for a while: stop the blink with the cursor shown (TextArea's next key, click or focus
        resets its blink timer, which starts the blink again)."""
        self._idle = None
        if self.has_focus and self.cursor_blink:
            # TextArea's own pause keeps its line cache consistent (the cursor stays "visible" in its
            # cache key); a private method, and Textual is pinned exactly (8.2.8).
            self._pause_blink(visible=True)

    @property
    def value(self) -> str:
        """The message as typed."""
        return self.text

    @value.setter
    def value(self, text: str) -> None:
        self.load_text(text)
        self.move_cursor(self.document.end)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """TextArea's F6 (select line) and F7 (select all) are off: those keys are the app's camera keys."""
        if action in ("select_line", "select_all"):
            return False
        return super().check_action(action, parameters)

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        """Printable keys are text, except Space in an empty composer when the app makes it the talk key
        (its ``space_talks`` attribute is true: push-to-talk)."""
        if key == "space" and not self.text and getattr(self.app, "space_talks", False):
            return False
        return super().check_consume_key(key, character)

    async def _on_key(self, event: events.Key) -> None:
        """Enter sends the message (TextArea would start a new line: Ctrl+J does that here); any key
        makes the cursor blink again."""
        self._wake_cursor()
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self._send()

    def _send(self) -> None:
        text = self.text.strip()
        if text:
            self.sent.add(text)
            self._recalled = None
            self.post_message(self.Sent(self, text))

    def action_newline(self) -> None:
        """Insert a line break at the cursor (replacing any selection)."""
        self.replace("\n", *self.selection, maintain_selection_offset=False)

    def action_scroll_chat(self, scroll: ChatScroll) -> None:
        """Ask the screen to scroll the chat log."""
        self.post_message(self.ScrollChat(self, scroll))

    def action_cursor_up(self, select: bool = False) -> None:
        """Up: the previous sent message in an empty or one-line box, else the line above."""
        if select or not self._walks_history():
            super().action_cursor_up(select)
            return
        self._show(self.sent.older(self.text))

    def action_cursor_down(self, select: bool = False) -> None:
        """Down: the next sent message (then what was being typed) during a walk, else the line below."""
        if select or not self._walks_history():
            super().action_cursor_down(select)
            return
        self._show(self.sent.newer())

    def action_cursor_page_up(self) -> None:
        """PageUp scrolls the chat log (the box itself is a few lines at most)."""
        self.action_scroll_chat("page_up")

    def action_cursor_page_down(self) -> None:
        """PageDown scrolls the chat log."""
        self.action_scroll_chat("page_down")

    def action_cursor_line_start(self, select: bool = False) -> None:
        """Home: the chat log's top while the box is empty, else the start of the line."""
        if self.text or select:
            super().action_cursor_line_start(select)
        else:
            self.action_scroll_chat("home")

    def action_cursor_line_end(self, select: bool = False) -> None:
        """End: the chat log's newest text while the box is empty, else the end of the line."""
        if self.text or select:
            super().action_cursor_line_end(select)
        else:
            self.action_scroll_chat("end")

    def _walks_history(self) -> bool:
        """Up and Down walk the history in a box of one line at most, and through recalled messages of
        any length; editing a recalled message ends the walk (the edited text is the new draft)."""
        if self._recalled is not None and self.text != self._recalled:
            self.sent.stop()
            self._recalled = None
        return self._recalled is not None or self.document.line_count <= 1

    def _show(self, text: str | None) -> None:
        if text is None:
            return
        self._recalled = text if self.sent.walking else None
        self.value = text
