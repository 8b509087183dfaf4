"""A screen that paints in the same wake-up as the change that needs it, at most `UPDATE_PERIOD` apart.

Textual (pinned at 8.2.8) paints a screen from a 60 Hz timer that it resumes when the screen goes idle
with something to paint, and pauses again after the paint. After each paint that timer's task sleeps out
the rest of its period before it waits to be resumed, so every paint wakes the process once more, a
sixtieth of a second later, for nothing; and a change that comes within that sixtieth waits for it.
While the model speaks, a transcript word, the clock and the meter are painted some six times a second:
six wake-ups a second of an otherwise idle process (on a laptop, each keeps the CPU from sleeping).

`PromptPaint` repaints at once when its screen goes idle with something to repaint and the last paint is
at least `UPDATE_PERIOD` old; otherwise it schedules one paint for when that period is up. A change that
needs a layout (a widget's new size, a scroll, a recompose) is painted no sooner than `UPDATE_PERIOD` after
it was asked for, as Textual's timer would: widgets that fill in their content in the steps after they
mount (a hint that learns its key names) are then laid out once, with all of it, where a layout between
those steps can leave a widget the height of its first content (Textual's size cache; see
`livetui.ui.widgets.growing`). Textual's timer is never resumed. What a paint does is Textual's own
(`Screen._on_timer_update`).
"""

from __future__ import annotations

import asyncio
import math

from textual import events
from textual.screen import UPDATE_PERIOD, Screen


class PromptPaint(Screen[None]):
    """A `Screen` that paints in the wake-up that dirtied it (see the module docstring)."""

    def __init__(self, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self._painted_at = -math.inf
        self._paint_due: asyncio.TimerHandle | None = None

    @property
    def _needs_paint(self) -> bool:
        return bool(
            self._layout_required
            or self._scroll_required
            or self._repaint_required
            or self._recompose_required
            or self._dirty_widgets
        )

    async def _on_idle(self, event: events.Idle) -> None:
        """Paint now, or once the last paint is `UPDATE_PERIOD` old (Textual would resume its timer)."""
        event.prevent_default()
        if not self.app._batch_count and self.is_current and self._needs_paint:
            self._paint_soon()
            return
        await self._invoke_and_clear_callbacks()

    def _paint_soon(self) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        due = self._painted_at + UPDATE_PERIOD
        if self._layout_required or self._scroll_required or self._recompose_required:
            due = max(due, now + UPDATE_PERIOD)  # Textual's pace: see the module docstring
        scheduled = self._paint_due
        if scheduled is not None:
            if scheduled.when() >= due:
                return  # the paint already scheduled takes this change too
            scheduled.cancel()
        if now >= due:
            self._paint()
        else:
            self._paint_due = loop.call_at(due, self._paint)

    def _paint(self) -> None:
        self._paint_due = None
        self._painted_at = asyncio.get_running_loop().time()
        try:
            self._on_timer_update()
        except Exception as error:  # as Textual's timer does: the app shows it and exits
            self.app._handle_exception(error)

    def _on_unmount(self) -> None:
        if self._paint_due is not None:
            self._paint_due.cancel()
            self._paint_due = None
