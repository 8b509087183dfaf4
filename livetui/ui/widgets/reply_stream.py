"""A reply's text on its way into its `Markdown`: appended in order, one append at a time, text that comes
while an append is under way joined into the next, and the first text painted as soon as it is appended.

Textual's `MarkdownStream` does the first three; the last is why the chat has its own. Textual paints what
changed at the ticks of a frame timer (60 a second), so a reply's first words would wait up to a frame
after they were appended; here they are painted at once (`paint_now`), and later text is painted at the
next tick with whatever else arrived by then. The stream can also drop the text it holds but has not
appended (an interrupted reply keeps exactly what was on screen), which `MarkdownStream` has no public way
to do.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Markdown


def paint_now(screen: Screen[object], *changed: Widget) -> bool:
    """Lay out and paint `screen` now, with the `changed` widgets drawn afresh, rather than at the next
    tick of its frame timer (up to a frame away).

    Textual has no public way to do this; it is pinned exactly (8.2.8), where `Screen._on_timer_update` is
    what the frame timer calls. The widgets' own requests (an `Update` or `Layout` message to the screen)
    may still be queued, so the layout and the widgets are asked for here; when those messages come the
    next tick lays out once more, finding nothing new. Inside `App.batch_update` nothing is painted (the
    batch's end paints), nor on a screen hidden under another: returns False then, True when it painted.
    """
    if screen.app._batch_count or not screen.is_current:
        return False
    screen._dirty_widgets.update(changed)
    screen._layout_required = True
    screen._on_timer_update()
    return True


class ReplyStream:
    """Feeds text to a `Markdown` by `Markdown.append`, one append at a time, from a task of its own."""

    def __init__(self, markdown: Markdown, painted: Callable[[], None]) -> None:
        self.markdown = markdown
        """The widget the text goes into."""
        self.painted = painted
        """Called once, as soon as the first text is on screen."""
        self._pending: list[str] = []
        self._wake = asyncio.Event()
        self._stopping = False
        self._painted = False
        self._task = asyncio.create_task(self._run(), name="reply stream")

    async def write(self, text: str) -> None:
        """Queue text to append after everything written before it."""
        if self._stopping:
            raise RuntimeError("the reply stream has stopped")
        if text:
            self._pending.append(text)
            self._wake.set()
            await asyncio.sleep(0)  # the append may start now

    def discard(self) -> None:
        """Drop the text written but not appended yet (an append under way finishes)."""
        self._pending.clear()

    async def stop(self) -> None:
        """Append what is still queued, then end the stream's task."""
        self._stopping = True
        self._wake.set()
        await self._task

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            if self._pending:
                text = "".join(self._pending)
                self._pending.clear()
                try:
                    await self.markdown.append(text)
                except Exception:
                    if self.markdown.is_attached:
                        raise
                    return  # the turn left the chat (the entry cap) while its text was on its way
                if not self._painted and self.markdown.is_attached:
                    self._painted = True
                    if paint_now(self.markdown.screen, *self.markdown.children):
                        self.painted()
                    else:
                        self.markdown.call_after_refresh(self.painted)
            if self._stopping and not self._pending:
                return
