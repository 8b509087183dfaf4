"""Driving the chat log from the keyboard: scrolling, selecting a turn, copying it, and the new-text flag.

`ChatLog` builds on :class:`NavigableLog`. With the log focused, Up/Down (or k/j) select an entry (the
``-selected`` class highlights it), ``c`` copies its text and ``b`` the code blocks of its Markdown, to the
clipboard (OSC 52) with a toast saying so; Tab or the interrupt key goes back to the composer. The composer
sends PageUp/PageDown/Home/End here (:meth:`NavigableLog.scroll_chat`) so they work while typing.

An entry is selectable when it has a ``text`` string attribute (model replies, the user's turns, what was
heard, notices), and so is every entry an :class:`ArchiveBlock` holds: the selection walks the archived
entries and the live ones in the log's order, and the block draws its selected entry highlighted. What is
copied is read from that attribute (and a spoken reply's ``transcript``), the text the log keeps for the
entry, never from the widgets that show it.

While the user has scrolled up, new text does not move the view: :attr:`NavigableLog.unseen` turns true,
which shows the "↓ new text" marker, until the view is back at the bottom.
"""

from __future__ import annotations

from typing import ClassVar

from markdown_it import MarkdownIt
from textual import on
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.widget import Widget

from livetui import events as ev
from livetui.config import Settings
from livetui.ui.messages import SessionEvent
from livetui.ui.widgets.archive import ArchiveBlock, ArchivedEntry
from livetui.ui.widgets.composer import ChatScroll
from livetui.ui.widgets.first_hint import FirstHint
from livetui.wording import counted

FIRST_TURN = (ev.UserText, ev.InputTranscript, ev.TextDelta, ev.OutputTranscript, ev.ToolCallRequested)
"""Events that start the conversation (the first one removes the hint, as does the session ending)."""

SELECTED = "-selected"
"""The class of the selected entry."""

Selectable = Widget | ArchivedEntry
"""An entry the selection can stop at: a live entry's widget, or an entry an archive block holds."""


def entry_text(entry: Selectable) -> str:
    """The text the log keeps for an entry (a spoken reply's transcript when it has no text)."""
    text = getattr(entry, "text", "")
    if isinstance(text, str) and text.strip():
        return text
    transcript = getattr(entry, "transcript", "")
    return transcript if isinstance(transcript, str) else ""


def code_blocks(markdown: str) -> list[str]:
    """The contents of the Markdown's fenced and indented code blocks, in order."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    return [token.content for token in tokens if token.type in ("fence", "code_block")]


class NavigableLog(VerticalScroll):
    """A scrolling log whose entries can be selected and copied from the keyboard."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "select(-1)", "Previous", id="select_previous", tooltip="Select the entry above."),
        Binding("down,j", "select(1)", "Next", id="select_next", tooltip="Select the entry below."),
        Binding("c", "copy_text", "Copy", id="copy_turn", tooltip="Copy the selected entry's text."),
        Binding(
            "b", "copy_code", "Copy code", id="copy_code", tooltip="Copy the selected reply's code blocks."
        ),
    ]
    """Keys while the log has the focus (PageUp, PageDown, Home and End scroll, as in any scroll view)."""

    unseen: reactive[bool] = reactive(False)
    """True while text has arrived below a view the user scrolled up from."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.selected: Selectable | None = None
        """The selected entry, if any."""
        self.hint: FirstHint | None = None
        """The getting-started hint, until the first turn."""
        self._at_bottom = True

    def on_mount(self) -> None:
        """Follow the scroll position and the content's height; show the hint below the start-up notices."""
        self.watch(self, "scroll_y", self._scrolled, init=False)
        self.watch(self, "virtual_size", self._grown, init=False)
        settings = getattr(self.app, "settings", None)
        if isinstance(settings, Settings):
            self.hint = FirstHint(speech=not settings.text_only, push_to_talk=settings.audio.push_to_talk)
            self.mount(self.hint)

    def _scrolled(self, scroll_y: float) -> None:
        self._at_bottom = scroll_y >= self.max_scroll_y
        if self._at_bottom:
            self.unseen = False

    def _grown(self, old: Size, new: Size) -> None:
        if new.height > old.height and not self._at_bottom:
            self.unseen = True

    @on(SessionEvent)
    async def _first_turn(self, message: SessionEvent) -> None:
        event = message.event
        ended = isinstance(event, ev.SessionError) and event.fatal  # nothing to type to now
        if self.hint is not None and (isinstance(event, FIRST_TURN) or ended):
            await self.dismiss_hint()

    async def dismiss_hint(self) -> None:
        """Remove the getting-started hint (if it is still there)."""
        hint, self.hint = self.hint, None
        if hint is not None and hint.is_attached:
            await hint.remove()

    async def escape(self) -> None:
        """The interrupt key: the hint goes, and from the log the focus goes back to the composer."""
        await self.dismiss_hint()
        if self.has_focus:
            await self.run_action("screen.focus_composer")

    def scroll_chat(self, scroll: ChatScroll) -> None:
        """Scroll by a key pressed elsewhere (the composer)."""
        match scroll:
            case "page_up":
                self.scroll_page_up(animate=False)
            case "page_down":
                self.scroll_page_down(animate=False)
            case "home":
                self.scroll_home(animate=False)
            case "end":
                self.scroll_to_newest()

    def scroll_to_newest(self) -> None:
        """Back to the newest text, following it again as it grows."""
        self.scroll_end(animate=False, immediate=True)
        self.unseen = False

    def _entries(self) -> list[Selectable]:
        """The selectable entries, oldest first: the archived ones, then the live ones."""
        entries: list[Selectable] = []
        for child in self.children:
            if isinstance(child, ArchiveBlock):
                entries.extend(child.entries)
            elif isinstance(getattr(child, "text", None), str):
                entries.append(child)
        return entries

    def action_select(self, step: int) -> None:
        """Select the entry `step` entries below the selected one (Up starts from the newest)."""
        entries = self._entries()
        if not entries:
            return
        # By identity: two archived entries may be equal (the same notice twice).
        index = next((index for index, entry in enumerate(entries) if entry is self.selected), None)
        if index is None:
            index = len(entries) - 1
        else:
            index = max(0, min(len(entries) - 1, index + step))
        self._select(entries[index])

    def reselect(self, entry: ArchivedEntry) -> None:
        """Move the selection to the archived entry its widget became, leaving the view where it is."""
        self._select(entry, scroll=False)

    def _select(self, entry: Selectable | None, *, scroll: bool = True) -> None:
        previous, self.selected = self.selected, entry
        if isinstance(previous, Widget):
            previous.remove_class(SELECTED)
        elif previous is not None and (place := self._archived(previous)) is not None:
            place[0].select(None)
        if isinstance(entry, Widget):
            entry.add_class(SELECTED)
            self.scroll_to_widget(entry, animate=False, top=entry.outer_size.height > self.size.height)
        elif entry is not None and (place := self._archived(entry)) is not None:
            block, index = place
            block.select(index)
            if not scroll:
                return
            top, height = block.lines_of(index)
            area = block.virtual_region
            lines = Region(area.x, area.y + block.gutter.top + top, area.width, max(1, height))
            self.scroll_to_region(lines, animate=False, top=height > self.size.height)

    def _archived(self, entry: ArchivedEntry) -> tuple[ArchiveBlock, int] | None:
        """The block holding this archived entry and its index there; None once it left the log."""
        for block in self.query_children(ArchiveBlock):
            if (index := block.index(entry)) is not None:
                return block, index
        return None

    def on_blur(self) -> None:
        """Leaving the log clears the selection."""
        self._select(None)

    def action_copy_text(self) -> None:
        """Copy the selected entry's text to the clipboard."""
        entry = self._selected_entry()
        if entry is None:
            return
        text = entry_text(entry)
        if not text.strip():
            self.notify("nothing to copy: the entry has no text yet", markup=False)
            return
        self.app.copy_to_clipboard(text)
        self.notify(f"copied the text ({_size(text)}) to the clipboard", markup=False)

    def action_copy_code(self) -> None:
        """Copy the selected entry's code blocks (separated by a blank line) to the clipboard."""
        entry = self._selected_entry()
        if entry is None:
            return
        blocks = code_blocks(entry_text(entry))
        if not blocks:
            self.notify("no code block in this entry", markup=False)
            return
        self.app.copy_to_clipboard("\n".join(blocks))
        what = "the code block" if len(blocks) == 1 else f"{len(blocks)} code blocks"
        self.notify(f"copied {what} to the clipboard", markup=False)

    def _selected_entry(self) -> Selectable | None:
        entry = self.selected
        if isinstance(entry, Widget):
            kept = entry.is_attached
        else:
            kept = entry is not None and self._archived(entry) is not None
        if not kept:
            self.selected = None
            self.notify("select an entry first (↑ or ↓)", markup=False)
        return self.selected


def _size(text: str) -> str:
    lines = text.count("\n") + 1
    return f"{len(text)} characters, {counted(lines, 'line')}"
