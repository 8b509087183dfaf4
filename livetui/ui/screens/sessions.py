"""The past sessions: a list of the recorded sessions, newest first, with a search box.

The journals are read on a worker thread (a long history takes a moment); typing in the search box keeps
the sessions that mention every word typed (in their name, provider, model or conversation). Enter opens
one read-only (`SessionView`), from where it can be exported, deleted or continued.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from livetui.record.catalog import SessionSummary, session_summaries
from livetui.record.listing import columns
from livetui.ui.screens.session_view import SessionView


def option_text(summary: SessionSummary) -> str:
    """One line of the list: start, provider · model, turns, duration and first words."""
    words = f"  {summary.first_words}" if summary.first_words else ""
    return "  ".join(columns(summary)) + words


class SessionsScreen(Screen[None]):
    """The recorded sessions, searchable; Enter opens one, Esc goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", tooltip="Back to the session."),
        Binding("down", "focus_list", "List", show=False),
    ]
    """Keys of the screen."""

    AUTO_FOCUS = "#sessions-search"
    """The search box has the focus: typing filters the list."""

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[SessionSummary] | None = None
        """Every recorded session (None until read)."""
        self.shown: list[SessionSummary] = []
        """The sessions the list shows, in its order."""

    def compose(self) -> ComposeResult:
        """A title, the search box, the list, and a line of help."""
        with Vertical(id="sessions-dialog"):
            yield Label("Past sessions", id="sessions-title")
            yield Input(placeholder="search: words the session mentions", id="sessions-search")
            yield OptionList(id="sessions-list", markup=False)  # what was said is data, never markup
            yield Label("reading the sessions…", id="sessions-note")

    def on_mount(self) -> None:
        """Read the sessions."""
        self.read_sessions()

    @work(name="sessions", group="sessions", exclusive=True, thread=True, exit_on_error=False)
    def read_sessions(self) -> None:
        """Read every journal's summary off the event loop, then show them."""
        summaries = list(session_summaries())
        self.app.call_from_thread(self._show_all, summaries)

    def _show_all(self, summaries: list[SessionSummary]) -> None:
        self.summaries = summaries
        self._filter(self.query_one("#sessions-search", Input).value)

    @on(Input.Changed, "#sessions-search")
    def _on_search(self, message: Input.Changed) -> None:
        self._filter(message.value)

    @on(Input.Submitted, "#sessions-search")
    def action_focus_list(self) -> None:
        """Move to the list."""
        self.query_one("#sessions-list", OptionList).focus()

    def _filter(self, query: str) -> None:
        if self.summaries is None:
            return
        self.shown = [summary for summary in self.summaries if summary.matches(query)]
        options = self.query_one("#sessions-list", OptionList)
        options.clear_options()
        options.add_options(Option(option_text(summary), id=summary.name) for summary in self.shown)
        if self.shown:
            options.highlighted = 0
        count = len(self.shown)
        note = f"{count} of {len(self.summaries)} sessions" if query.strip() else f"{count} sessions"
        if not self.summaries:
            note = "no recorded sessions yet"
        self.query_one("#sessions-note", Label).update(f"{note} · Enter opens one · Esc goes back")

    @on(OptionList.OptionSelected, "#sessions-list")
    def _on_open(self, message: OptionList.OptionSelected) -> None:
        summary = self.shown[message.option_index]
        self.app.push_screen(SessionView(summary), self._after_view)

    def _after_view(self, deleted: bool | None) -> None:
        if deleted:
            self.read_sessions()

    def action_close(self) -> None:
        """Back to the session."""
        self.dismiss(None)
