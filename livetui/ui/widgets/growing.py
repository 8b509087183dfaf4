"""A `Static` updated in place, measured again on every update (a guard against a Textual size-cache race).

Textual (pinned at 8.2.8) caches a widget's size under a counter that `refresh(layout=True)` bumps only
when no layout is already pending for the widget. If a layout pass lands while one is pending, the size it
caches is reused after the next update too, and a widget that grew from one line to three keeps one line
until something else changes. Chat entries that grow as events arrive (transcripts, tool calls) and the
getting-started hint (written after it mounts) use `GrowingStatic`, and a streamed reply's paragraphs use
`StreamedParagraph`: both drop that cache whenever their height changes, and otherwise only repaint.
(Textual lays out the whole screen for every `refresh(layout=True)`: a transcript word that stays on the
entry's last line need not cost a layout.)
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.visual import Visual, VisualType, visualize
from textual.widget import Widget, _RenderCache  # not exported; Textual is pinned exactly
from textual.widgets import Markdown, Static
from textual.widgets._markdown import MarkdownParagraph  # not exported; Textual is pinned exactly (8.2.8)
from textual.widgets.markdown import MarkdownBlock


def _same_height(widget: Widget, visual: Visual) -> bool:
    """True when `visual`, measured at `widget`'s content width, is exactly as high as what is laid out.

    The work of one widget, not of the screen. Compared with the size laid out (not with the last content
    measured), so a size left stale by the race above is never taken for the right one. A widget not laid
    out yet, or hidden, has no width to measure at: it is never the same.
    """
    width, height = widget.content_size
    return width > 0 and visual.get_height(widget.styles, width) == height  # type: ignore[arg-type]


class LaidOutOnce(Widget):
    """A widget whose new size, found by a layout pass, does not ask for a second layout pass.

    Textual (pinned at 8.2.8) stores the virtual size the compositor found for a widget through a reactive
    that relays out the screen when it changes; the compositor has just laid everything out, so the second
    pass finds nothing new, yet it costs as much as the first. For a reply whose last paragraph grew a line
    that was two passes of the whole screen, and a repaint of the whole turn each. Only for widgets that do
    not scroll (their virtual size is their size) and watch no virtual size of their own.

    Listed after the Textual class it changes (``class Turn(Vertical, LaidOutOnce)``): Textual takes a
    widget's CSS type names from its first base, so the widget keeps its own styles.
    """

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """Take the size the layout pass found, without asking for another pass."""
        return super()._size_updated(size, virtual_size, container_size, layout=False)


class GrowingStatic(Static):
    """A `Static` that lays the screen out again only when an update changes its height, and otherwise
    repaints only the lines that changed.

    A transcript grows a word at a time, and a word almost always changes only the entry's last line; a
    whole-entry repaint redraws every line of it across every widget beneath, several times a second
    while the model speaks (most of the app's CPU in a voice session).

    Its content is never read as markup (what comes off the wire is data), so it holds no links: it neither
    restyles each line it wraps for links nor repaints when the mouse passes over it.
    """

    def __init__(self, content: VisualType = "", *, classes: str | None = None) -> None:
        super().__init__(content, markup=False, classes=classes)
        self.set_reactive(GrowingStatic.auto_links, False)

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        """Show new content; relayout for a new height (or an unknown width), on a size measured afresh;
        else repaint only the lines that differ from what is painted. The content is wrapped once."""
        visual = visualize(self, content, markup=self._render_markup)
        width, height = self.size
        fresh = Visual.to_strips(self, visual, width, None, self.visual_style) if width > 0 else []
        if layout and (not fresh or len(fresh) != height):
            super().update(content, layout=False)
            self._box_model_cache.clear()
            self.refresh(layout=True)
            return
        painted = self._painted()
        # Static's own fields (Textual is pinned exactly): set without its refresh of the whole widget.
        self._Static__content = content
        self._Static__visual = visual
        if painted is None or len(fresh) != len(painted):
            self.refresh()
            return
        changed = [y for y, (old, new) in enumerate(zip(painted, fresh, strict=True)) if old != new]
        if not changed:
            self.refresh(repaint=False)  # nothing to paint, but the new content is what a copy takes
            return
        stale = bool(self._dirty_regions)  # a repaint of its own is pending: let Textual render it all
        self.refresh(Region(0, changed[0], width, changed[-1] - changed[0] + 1))
        if not stale:  # what was just wrapped is what Textual would render: it need not wrap it again
            self._render_cache = _RenderCache(self.size, fresh)
            self._dirty_regions.clear()

    def _painted(self) -> list[Strip] | None:
        """The content lines as last rendered, which is what the screen shows of it (None: not rendered
        at the current size). Lines already waiting for a repaint are repainted anyway."""
        cache = self._render_cache
        if cache.size != self.size or len(cache.lines) != self.size.height:
            return None
        return cache.lines


class StreamedParagraph(MarkdownParagraph, LaidOutOnce):
    """A Markdown paragraph that lays the screen out again only when a streamed append changes its height.

    A streamed reply grows its last paragraph with every append, most of which only add words to its last
    line; when the height did change, the cached size is dropped too (the race described above).
    """

    def set_content(self, content: Content) -> None:
        """Show the paragraph's new text; relayout only for a new height (or an unknown width)."""
        same = _same_height(self, content)
        self._content = content
        if not same:
            self._box_model_cache.clear()
        self.update(content, layout=not same)


class ReplyMarkdown(Markdown, LaidOutOnce):
    """The `Markdown` a reply streams into: its paragraphs are :class:`StreamedParagraph`."""

    BLOCKS: dict[str, type[MarkdownBlock]] = {**Markdown.BLOCKS, "paragraph_open": StreamedParagraph}
    """Textual's block classes, with the paragraph that knows when it grew."""
