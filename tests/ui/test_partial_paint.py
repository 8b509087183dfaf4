"""A change inside one widget repaints only the rows it changed, and paints them exactly as a full repaint.

Two pieces keep a streamed word cheap: `GrowingStatic` marks only the lines that differ from what is
painted, and `RowCompositor` renders only those rows, from the front-most widgets that show there. Both
are checked here against Textual's own full renders.
"""

from __future__ import annotations

import pytest
from rich.console import Console
from textual._compositor import ChopsUpdate, Compositor
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Label, Static

from livetui.ui.app import STYLES
from livetui.ui.compositor import RowCompositor
from livetui.ui.widgets.model_turn import ModelTurn
from livetui.ui.widgets.streamed_text import StreamedText

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


class TurnApp(App[None]):
    """One model turn, 40 columns wide, on a screen whose compositor records what each update covers."""

    CSS_PATH = [STYLES / "chat.tcss"]
    CSS = "ModelTurn { width: 40; }"

    def compose(self) -> ComposeResult:
        yield ModelTurn(1, None)


def watch_updates(pilot: Pilot[None], monkeypatch: pytest.MonkeyPatch) -> list[list[Region]]:
    """A list that gets the dirty regions of every partial update of the screen from now on."""
    compositor = pilot.app.screen._compositor
    updates: list[list[Region]] = []
    render_partial_update = compositor.render_partial_update

    def recorded() -> object:
        updates.append(list(compositor._dirty_regions))
        return render_partial_update()

    monkeypatch.setattr(compositor, "render_partial_update", recorded)
    return updates


def shown(widget: Static) -> list[str]:
    """The widget's content lines, as it paints them now."""
    return [line.text.rstrip() for line in (widget.render_line(y) for y in range(widget.size.height))]


async def test_a_word_on_a_transcript_s_last_line_repaints_that_line_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with TurnApp().run_test(size=(60, 20)) as pilot:
        turn = pilot.app.query_one(ModelTurn)
        transcript = turn.query_one(StreamedText).tail
        said = STORY + "The"
        turn.add_transcript(said)
        await pilot.pause()
        height = transcript.size.height
        assert height > 2, "the transcript wraps over several lines"
        last = Content(said.strip()).wrap(transcript.size.width)[-1]
        assert len(last.plain) + len(" end") < transcript.size.width, "room for a word on the last line"
        updates = watch_updates(pilot, monkeypatch)

        turn.add_transcript(" end")
        said += " end"
        await pilot.pause()
        assert transcript.size.height == height, "the word fits on the last line"
        last_row = transcript.content_region.y + height - 1
        assert [{(region.y, region.height) for region in regions} for regions in updates] == [{(last_row, 1)}]
        wrapped = [line.plain.rstrip() for line in Content(said.strip()).wrap(transcript.size.width)]
        assert shown(transcript) == wrapped, "every line as a fresh render wraps it"


async def test_words_that_arrive_before_a_paint_are_all_painted(monkeypatch: pytest.MonkeyPatch) -> None:
    async with TurnApp().run_test(size=(60, 20)) as pilot:
        turn = pilot.app.query_one(ModelTurn)
        transcript = turn.query_one(StreamedText).tail
        said = STORY
        turn.add_transcript(said)
        await pilot.pause()
        for word in (" The", " end", " came."):  # three updates, one paint
            turn.add_transcript(word)
            said += word
        await pilot.pause()
        wrapped = [line.plain.rstrip() for line in Content(said.strip()).wrap(transcript.size.width)]
        assert shown(transcript) == wrapped
