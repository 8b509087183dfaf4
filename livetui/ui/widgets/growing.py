"""A `Static` updated in place, measured again on every update (a guard against a Textual size-cache race).

Textual (pinned at 8.2.8) caches a widget's size under a counter that `refresh(layout=True)` bumps only
when no layout is already pending for the widget. If a layout pass lands while one is pending, the size it
caches is reused after the next update too, and a widget that grew from one line to three keeps one line
until something else changes. Chat entries that grow as events arrive (transcripts, tool calls) use
`GrowingStatic`, which drops that cache on every update.
"""

from __future__ import annotations

from textual.visual import VisualType
from textual.widgets import Static


class GrowingStatic(Static):
    """A `Static` whose size is worked out afresh after every `update`."""

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        """Show new content; a size cached for the old content is never reused."""
        self._box_model_cache.clear()
        super().update(content, layout=layout)
