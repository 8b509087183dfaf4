"""The system prompt editor: change the instructions of the session in progress.

The dialog opens with the session's current system prompt; Ctrl+S dismisses it with the new text (the app
sends it to the model as a context update, the session carrying on where it was), Esc without change.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea


class SystemPromptScreen(ModalScreen[str | None]):
    """A modal editor of the system prompt; Ctrl+S sends it, Esc closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "send", "Send", tooltip="Give the session this system prompt."),
        Binding("escape", "close", "Close", tooltip="Close without changing anything."),
    ]
    """Keys of the dialog."""
    AUTO_FOCUS = "#system-prompt-text"
    """The editor has the focus."""

    def __init__(self, prompt: str) -> None:
        super().__init__()
        self.prompt = prompt
        """The system prompt in force when the dialog opened ("" when none)."""

    def compose(self) -> ComposeResult:
        """Title, the editor, and a note."""
        yield Vertical(
            Label("System prompt", id="system-prompt-title"),
            TextArea(self.prompt, id="system-prompt-text", soft_wrap=True),
            Label("ctrl+s: send to the session · esc: close", id="system-prompt-note"),
            id="system-prompt-dialog",
        )

    def action_send(self) -> None:
        """Dismiss with the edited text."""
        self.dismiss(self.query_one(TextArea).text.strip())

    def action_close(self) -> None:
        """Dismiss without a change."""
        self.dismiss(None)
