"""A `Static` updated in place, measured again on every update (a guard against a Textual size-cache race).

Textual (pinned at 8.2.8) caches a widget's size under a counter that `refresh(layout=True)` bumps only
when no layout is already pending for the widget. If a layout pass lands while one is pending, the size it
caches is reused after the next update too, and a widget that grew from one line to three keeps one line
until something else changes. Chat entries that grow as events arrive (transcripts, tool calls) use
`GrowingStatic`, which drops that cache on every update. A streamed reply's paragraphs
(`StreamedParagraph`) drop it whenever their height changes, and otherwise only repaint.
"""

from __future__ import annotations

from textual.content import Content
from textual.visual import VisualType
from textual.widgets import Markdown, Static
from textual.widgets._markdown import MarkdownParagraph  # not exported; Textual is pinned exactly (8.2.8)
from textual.widgets.markdown import MarkdownBlock


class GrowingStatic(Static):
    """A `Static` whose size is worked out afresh after every `update`."""

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        """Show new content; a size cached for the old content is never reused."""
        self._box_model_cache.clear()
        super().update(content, layout=layout)


class StreamedParagraph(MarkdownParagraph):
    """A Markdown paragraph that lays the screen out again only when a streamed append changes its height.

    Textual lays out the whole screen for every `refresh(layout=True)`, and a streamed reply grows its last
    paragraph with every append, most of which only add words to its last line. Measuring the new text at
    the paragraph's width (the work of one paragraph, not of the reply or the log) tells whether the height
    changed; when it did, the cached size is dropped too (the race described above).
    """

    _measured: tuple[int, int] | None = None
    """(width, height) of the content last shown, as measured at that width."""

    def set_content(self, content: Content) -> None:
        """Show the paragraph's new text; relayout only for a new height (or an unknown width)."""
        width = self.content_size.width
        height = content.get_height(self.styles, width) if width > 0 else None  # type: ignore[arg-type]
        same = height is not None and self._measured == (width, height) and self.size.height > 0
        self._measured = None if height is None else (width, height)
        self._content = content
        if not same:
            self._box_model_cache.clear()
        self.update(content, layout=not same)


class ReplyMarkdown(Markdown):
    """The `Markdown` a reply streams into: its paragraphs are :class:`StreamedParagraph`."""

    BLOCKS: dict[str, type[MarkdownBlock]] = {**Markdown.BLOCKS, "paragraph_open": StreamedParagraph}
    """Textual's block classes, with the paragraph that knows when it grew."""
