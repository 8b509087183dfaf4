"""Textual's compositor, rendering only the screen rows an update repaints.

For a partial update Textual (pinned at 8.2.8) takes every widget whose clip overlaps the rows to repaint,
and asks each for *all* of its visible lines, keeping only the rows in the update. Its clip is its
parent's, so that is nearly every widget on the screen: a transcript word that changes one line of the
chat had the screen, its containers and the chat log render some 250 lines from their caches, several
times a second while the model speaks, which was most of a voice session's CPU.

`RowCompositor` asks only the widgets that show within the update, front to back, for the update's rows
only (still their whole width, as the compositor's cuts need), and stops at the first widget that covers
the whole update: what lies behind it cannot show there (the compositor takes each cell from the front-most
widget; backgrounds are blended when a widget renders, not here). The lines it paints are the same.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual._compositor import Compositor  # not exported; Textual is pinned exactly (8.2.8)
from textual.geometry import Region
from textual.strip import Strip

_WIDE = 1 << 20
"""Wider than any screen: a band of rows is cropped in height only."""


class RowCompositor(Compositor):
    """A `Compositor` whose renders for an update are cropped to the update's rows."""

    def _get_renders(self, crop: Region | None = None) -> Iterable[tuple[Region, Region, list[Strip]]]:
        """Each visible widget's lines within `crop`'s rows, with its region and its clip cut to them
        (`_render_chops` reads a render's rows from the clipped region)."""
        if crop is None:
            yield from super()._get_renders(crop)
            return
        rows = Region(-_WIDE, crop.y, 2 * _WIDE, crop.height)
        for widget, (region, clip) in self.visible_widgets.items():  # front to back
            visible = region.intersection(clip)
            if not crop.overlaps(visible):
                continue
            clip = clip.intersection(rows)
            x, y, width, height = visible.intersection(rows)
            yield region, clip, widget.render_lines(Region(x - region.x, y - region.y, width, height))
            if visible.contains_region(crop):
                return  # it covers every cell of the update: nothing behind it shows there
