"""One recorded session, read-only: its Markdown transcript, with keys to export it, delete it (after
asking; it goes to the trash folder) or continue it in a new live session.

The transcript is shown as plain text in a read-only editor: what the model or the user said is data,
never markup. Continue posts `SessionView.Continue`, which the app answers by starting a new session with
the old conversation as its context; the view dismisses itself with True after a delete, so the list reads
the sessions again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Label, TextArea

from livetui.record.catalog import SessionSummary, move_to_trash
from livetui.record.export import ExportError, export_session
from livetui.record.export.markdown import to_markdown
from livetui.record.reader import read_recording
from livetui.record.transcript import build_transcript


class ConfirmDelete(ModalScreen[bool]):
    """Asks before a session is moved to the trash: True to move it."""

    AUTO_FOCUS = "#keep"
    """Keep has the focus: Enter deletes nothing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "delete", "Delete", tooltip="Move the session to the trash folder."),
        Binding("n,escape", "keep", "Keep", tooltip="Keep the session."),
    ]
    """Keys of the dialog."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.session_name = name
        """The session asked about."""

    def compose(self) -> ComposeResult:
        """The question and two buttons."""
        with Vertical(id="confirm-delete", classes="tool-dialog"):
            yield Label(f"Move {self.session_name} to the trash folder?", classes="tool-dialog-title")
            with Horizontal(classes="tool-dialog-buttons"):
                yield Button("Delete (y)", id="delete", variant="error")
                yield Button("Keep (n)", id="keep")

    @on(Button.Pressed, "#delete")
    def action_delete(self) -> None:
        """Move it."""
        self.dismiss(True)

    @on(Button.Pressed, "#keep")
    def action_keep(self) -> None:
        """Keep it."""
        self.dismiss(False)


class SessionView(Screen[bool]):
    """A recorded session's transcript; returns True when the session was deleted."""

    @dataclass
    class Continue(Message):
        """The user asked to continue this session in a new live session."""

        directory: Path
        """The session directory to continue."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", tooltip="Back to the list."),
        Binding(
            "ctrl+s,e", "export", "Export", tooltip="Write the transcript (Markdown) next to the journal."
        ),
        Binding("delete,d", "delete", "Delete", tooltip="Move the session to the trash folder (asks first)."),
        Binding("c", "continue", "Continue", tooltip="A new live session with this conversation as context."),
    ]
    """Keys of the view."""

    def __init__(self, summary: SessionSummary) -> None:
        super().__init__()
        self.summary = summary
        """The session shown."""

    def compose(self) -> ComposeResult:
        """A title, the transcript, a status line and the keys."""
        with Vertical(id="session-view"):
            yield Label(self.summary.name, id="session-view-title", markup=False)
            yield TextArea(id="session-transcript", read_only=True, soft_wrap=True)
            yield Label("e exports · d deletes · c continues · Esc goes back", id="session-view-note")

    def on_mount(self) -> None:
        """Read the transcript."""
        self.read_transcript()

    @work(name="transcript", group="session-view", exclusive=True, thread=True, exit_on_error=False)
    def read_transcript(self) -> None:
        """Read the journal off the event loop and show it as Markdown text."""
        try:
            text = to_markdown(build_transcript(read_recording(self.summary.directory)))
        except OSError as error:
            text = f"could not read the journal: {error.strerror or error}"
        self.app.call_from_thread(self.query_one("#session-transcript", TextArea).load_text, text)

    def say(self, line: str) -> None:
        """Show one line under the transcript."""
        self.query_one("#session-view-note", Label).update(line)

    def action_export(self) -> None:
        """Write the Markdown transcript next to the journal."""
        self.export_transcript()

    @work(name="view-export", group="session-view", thread=True, exit_on_error=False)
    def export_transcript(self) -> None:
        """Export off the event loop; the status line says where it went."""
        try:
            exported = export_session(self.summary.directory, "md")
        except ExportError as error:
            line = f"could not export the transcript: {error}"
        else:
            line = f"transcript written to {exported.path}"
        self.app.call_from_thread(self.say, line)

    def action_delete(self) -> None:
        """Ask, then move the session to the trash folder."""
        self.app.push_screen(ConfirmDelete(self.summary.name), self._delete)

    def _delete(self, confirmed: bool | None) -> None:
        if not confirmed:
            return
        try:
            move_to_trash(self.summary.directory)
        except OSError as error:
            self.say(f"could not move the session to the trash: {error.strerror or error}")
            return
        self.dismiss(True)

    def action_continue(self) -> None:
        """Ask the app for a new live session carrying this conversation."""
        self.post_message(self.Continue(self.summary.directory))

    def action_close(self) -> None:
        """Back to the list."""
        self.dismiss(False)
