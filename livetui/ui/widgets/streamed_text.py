"""Plain text that grows at its end, wrapped in time that does not grow with it (a spoken reply's transcript).

A transcript is shown whole after every word the model speaks. One `Static` holding it would wrap all of it
again for every word, so a long story costs more and more per word. `StreamedText` keeps two parts: the
*settled* lines, which can no longer change, and the *tail*, the last few lines, where the words arrive.
Only the tail is wrapped for a word; every few lines, its finished lines move to the settled part.

Text wrapped greedily from the left keeps a line's break once the word after it has arrived (the break
depends only on that line's words and the next word), so the settled part, cut at the start of one of the
tail's lines, wraps to the lines the whole text would: the two parts read as one text. (One difference:
after a word longer than a line, which is folded, the whole text would start the next line with the
space that follows the word; here that line starts with the next word.) A new width, a text that does
not extend the one shown, or one with a character that is not printable (a newline, a tab) puts
everything back in the tail, which settles again as words arrive.
"""

from __future__ import annotations

from rich._wrap import divide_line  # what Textual wraps Content with; Textual is pinned exactly (8.2.8)
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Resize

from livetui.ui.widgets.growing import GrowingStatic, LaidOutOnce

SETTLE_AT_LINES = 4
"""When the tail wraps to this many lines, all but its last move to the settled part."""


class StreamedText(Vertical, LaidOutOnce):
    """Text shown as it grows: `show` it whole each time (see the module docstring)."""

    def __init__(self, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.text = ""
        """The text shown."""
        self.settled = GrowingStatic("", classes="settled")
        """The lines that no longer change."""
        self.tail = GrowingStatic("", classes="tail")
        """The last lines, where new words arrive."""
        self._split = 0
        self._width = 0

    def compose(self) -> ComposeResult:
        """The settled lines, then the tail."""
        yield self.settled
        yield self.tail

    def show(self, text: str) -> None:
        """Show `text`: usually the text shown before with more at its end (anything else is shown whole)."""
        width = self.tail.size.width
        if not text.startswith(self.text) or width != self._width:
            self._unsettle()
        self._width = width
        self.text = text
        tail = text[self._split :]
        if not tail.isprintable():
            # Only one paragraph of printable text is split: Textual's Content drops control characters or
            # breaks at them before it wraps, and expands a tab from where its paragraph starts.
            self._unsettle()
            tail = text
        elif width > 0 and len(starts := divide_line(tail, width, fold=True)) + 1 >= SETTLE_AT_LINES:
            self._split += starts[-1]
            self.settled.update(text[: self._split].rstrip())
            self.settled.display = True
            tail = text[self._split :]
        self.tail.update(tail)

    def _unsettle(self) -> None:
        """Put everything back in the tail (the text was replaced, the width changed, or the tail holds a
        character that is not printable)."""
        if self._split:
            self._split = 0
            self.settled.update("")
            self.settled.display = False  # an empty Static is still a line high

    def on_resize(self, event: Resize) -> None:
        """A new width wraps differently: show the text again from one part."""
        if self.text and self.tail.size.width != self._width:
            self.show(self.text)
