"""A function call in the chat log: one compact line that follows the call's status."""

from __future__ import annotations

from rich.text import Text

from livetui.ui.widgets.archive import ArchivedEntry
from livetui.ui.widgets.growing import GrowingStatic
from livetui.ui.widgets.tool_calls import CallView


class ToolEntry(GrowingStatic):
    """``⚙ calculator(expression="6 * 7") → 42 · done · 1.2 ms``, updated as the call goes on."""

    def __init__(self, view: CallView) -> None:
        super().__init__("")
        self.view = view
        """The call shown (shared with the tools pane's record of it)."""
        self.border_title = "tool"
        self.line = Text()
        """The line shown."""
        self.refresh_view()

    @property
    def call_id(self) -> str:
        """The id of the call shown."""
        return self.view.call.call_id

    def refresh_view(self) -> None:
        """Redraw from the call's current state."""
        line = Text(overflow="fold")
        line.append("⚙ ", style="bold")
        line.append(self.view.signature())
        if self.view.outcome:
            line.append("  → ", style="dim")
            line.append(self.view.outcome, style="bold red" if self.view.status == "error" else "bold")
        line.append("  · ", style="dim")
        line.append_text(self.view.status_text)
        if self.view.duration is not None:
            line.append(f" · {self.view.duration_text}", style="dim")
        self.line = line
        self.update(line)
        self.set_class(self.view.status in ("error", "denied"), "-failed")
        self.set_class(self.view.status == "cancelled", "-cancelled")

    @property
    def settled(self) -> bool:
        """True once the call can change no more (answered, failed, cancelled or denied)."""
        return self.view.status in ("done", "error", "cancelled", "denied")

    def archived(self) -> ArchivedEntry:
        """The entry as the log's archive keeps it."""
        failed = self.view.status in ("error", "denied")
        return ArchivedEntry("tool", self.line.plain, styled=self.line, warn=failed)
