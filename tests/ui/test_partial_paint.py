"""A partial update renders only its rows, from the front-most widgets there, and paints what Textual would.

`RowCompositor` is checked against Textual's own compositor on the same layout, for updates of one cell,
one row, rows across borders and columns, the docked bar and the whole screen. (That a transcript word
marks only the row it changed is in ``test_growing_text``.)
"""

from __future__ import annotations

import pytest
from rich.console import Console
from textual._compositor import ChopsUpdate, Compositor
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Region
from textual.screen import Screen
from textual.widgets import Label, Static

from livetui.ui.compositor import RowCompositor

STORY = "Once upon a time, in a quiet village by the sea, there lived an old sailor who told long stories. "


class Busy(Screen[None]):
    """Nested containers with borders, padding and backgrounds, a scrolled log, a side column and a bar."""

    CSS = """
    #body { height: 1fr; }
    #left { width: 2fr; border: round $primary; padding: 0 1; background: $surface; }
    #log { height: 1fr; background: $panel; }
    #log Static { margin: 0 0 1 0; border-left: thick $accent; padding: 0 1; }
    #right { width: 1fr; border: solid $secondary; background: $boost; }
    #bar { dock: bottom; height: 1; background: $primary; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._compositor = RowCompositor()

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            with Vertical(id="left"), VerticalScroll(id="log"):
                for index in range(8):
                    yield Static(f"entry {index}: " + STORY * (index % 3 + 1), id=f"entry{index}")
            with Vertical(id="right"):
                yield Label("latency", id="side-title")
                yield Static(STORY, id="side-text")
        yield Label("status · 00:00", id="bar")


class BusyApp(App[None]):
    """The busy screen, and nothing else."""

    def get_default_screen(self) -> Screen[None]:
        return Busy()


def painted(compositor: Compositor, regions: list[Region], *, as_class: type[Compositor]) -> str:
    """What a partial update of `regions` writes to the terminal, rendered by `as_class`'s method."""
    crop = Region.from_union(regions).intersection(compositor.size.region)
    spans = list(compositor._regions_to_spans(regions))
    rendered = {y for y, _, _ in spans}.__contains__
    own = compositor.__class__
    compositor.__class__ = as_class  # the same layout, rendered by the other class's `_get_renders`
    try:
        chops = compositor._render_chops(crop, rendered)
    finally:
        compositor.__class__ = own
    update = ChopsUpdate(chops, spans, [cuts[1:] for cuts in compositor.cuts])
    return update.render_segments(Console(width=compositor.size.width, color_system="truecolor"))


UPDATES = [
    [Region(4, 3, 30, 1)],  # a word in the log
    [Region(2, 10, 60, 2)],  # two lines across a border
    [Region(0, 0, 100, 1)],  # the top row, across both columns
    [Region(70, 5, 20, 1), Region(3, 20, 10, 1)],  # the side column and the log at once
    [Region(0, 29, 100, 1)],  # the docked bar
    [Region(0, 0, 100, 30)],  # everything
    [Region(1, 1, 1, 1)],  # one cell in the corner of a border
]


@pytest.mark.parametrize("regions", UPDATES, ids=lambda regions: " + ".join(map(repr, regions)))
async def test_a_partial_update_paints_what_textual_s_own_compositor_paints(regions: list[Region]) -> None:
    async with BusyApp().run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        compositor = pilot.app.screen._compositor
        assert isinstance(compositor, RowCompositor)
        pilot.app.query_one("#log", VerticalScroll).scroll_to(y=7, animate=False)  # an entry cut at the top
        await pilot.pause()
        ours = painted(compositor, regions, as_class=RowCompositor)
        assert ours == painted(compositor, regions, as_class=Compositor)
        assert ours.strip(), "the update paints something"


async def test_a_word_renders_only_the_widgets_in_front_on_its_row(monkeypatch: pytest.MonkeyPatch) -> None:
    async with BusyApp().run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        compositor = pilot.app.screen._compositor
        asked: list[tuple[str, int]] = []
        for widget in compositor.visible_widgets:
            render_lines = widget.render_lines

            def counted(crop: Region, widget: object = widget, render_lines: object = render_lines) -> object:
                asked.append((getattr(widget, "id", None) or type(widget).__name__, crop.height))
                return render_lines(crop)  # type: ignore[operator]

            monkeypatch.setattr(widget, "render_lines", counted)
        entry = pilot.app.query_one("#entry0", Static)
        row = entry.content_region.y
        list(compositor._get_renders(Region(entry.content_region.x, row, 10, 1)))
        assert asked == [("entry0", 1)], "one row of the entry, and nothing behind it"
