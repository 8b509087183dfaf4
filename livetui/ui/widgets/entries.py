"""The one-block entries of the chat log that are not model replies: the user's turns, notices, errors."""

from __future__ import annotations

from textual.widgets import Static

from livetui import events as ev
from livetui.ui.widgets.archive import ArchivedEntry
from livetui.ui.widgets.growing import GrowingStatic


class UserEntry(Static):
    """A turn the user typed."""

    def __init__(self, turn: int, text: str) -> None:
        super().__init__(text, markup=False)
        self.turn = turn
        """The turn number the engine gave this message."""
        self.text = text
        """What the user sent."""
        self.border_title = "you"

    def archived(self) -> ArchivedEntry:
        """The entry as the log's archive keeps it."""
        return ArchivedEntry("user", self.text, turn=self.turn)


class HeardEntry(GrowingStatic):
    """What the model heard the user say (the input transcript), delta by delta."""

    def __init__(self, turn: int) -> None:
        super().__init__("")
        self.turn = turn
        """The turn the transcript belongs to."""
        self.text = ""
        """The transcript so far."""
        self.border_title = "you (heard)"

    def add(self, event: ev.InputTranscript) -> None:
        """Apply a transcript event (a final one is the whole utterance and replaces the deltas)."""
        self.text = event.heard_after(self.text)
        self.update(self.text.strip())

    def archived(self) -> ArchivedEntry:
        """The entry as the log's archive keeps it."""
        return ArchivedEntry("heard", self.text.strip(), turn=self.turn)


class NoticeEntry(Static):
    """Information for the user that is not an error (fallbacks, disconnections, hints)."""

    def __init__(self, text: str) -> None:
        super().__init__(text, markup=False)
        self.text = text
        """The notice, one line."""

    def archived(self) -> ArchivedEntry:
        """The entry as the log's archive keeps it."""
        return ArchivedEntry("notice", self.text)


class ErrorEntry(Static):
    """Something went wrong: one line, never a traceback."""

    def __init__(self, text: str) -> None:
        super().__init__(text, markup=False)
        self.text = text
        """The error, one line."""

    def archived(self) -> ArchivedEntry:
        """The entry as the log's archive keeps it."""
        return ArchivedEntry("error", self.text)
