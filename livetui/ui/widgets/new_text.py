"""The "↓ new text" marker: shown over the bottom of the chat log while the user has scrolled up and more
text has arrived below; clicking it (or End) goes back to the newest text."""

from __future__ import annotations

from textual import events
from textual.widgets import Static

from livetui.ui.widgets.chat_nav import NavigableLog

LABEL = "↓ new text (End)"
"""What the marker says."""


class NewTextMarker(Static):
    """Follows the log's ``unseen`` flag: visible while there is text below the view."""

    def __init__(self, log: NavigableLog, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(LABEL, markup=False, id=id)
        self.chat_log = log
        """The chat log it watches and scrolls."""
        self.display = False

    def on_mount(self) -> None:
        """Show and hide with the log's ``unseen`` flag."""
        self.watch(self.chat_log, "unseen", self._show)

    def _show(self, unseen: bool) -> None:
        self.display = unseen

    async def _on_click(self, event: events.Click) -> None:
        event.stop()
        self.chat_log.scroll_to_newest()
