"""Text that grows in place is shown whole, even when Textual's size cache raced its last update.

Textual 8.2.8 caches a widget's size under a counter that `refresh(layout=True)` bumps only when no layout
is pending for the widget. In the app this race is lost about once a hundred turns; these tests lose it on
purpose, step by step (`lose_the_race`), then grow the text.
"""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.content import Content
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static
from textual.widgets.markdown import MarkdownBlock

from livetui import events as ev
from livetui.ui.app import STYLES
from livetui.ui.widgets.entries import HeardEntry
from livetui.ui.widgets.growing import StreamedParagraph
from livetui.ui.widgets.model_turn import ModelTurn
from livetui.ui.widgets.streamed_text import StreamedText
from tests.ui.waiting import until

SHORT = "Seen: a QR code."
LONG = " It says hello from the terminal, and the picture is bright and mostly blue."


class ChatApp(App[None]):
    """A model turn and a heard entry, 40 columns wide, so a long line wraps."""

    CSS_PATH = [STYLES / "chat.tcss"]
    CSS = "ModelTurn, HeardEntry { width: 40; }"

    def compose(self) -> ComposeResult:
        yield ModelTurn(1, None)
        yield HeardEntry(1)


def lose_the_race(pilot: Pilot[None], widget: Widget) -> None:
    """A layout refresh of `widget` is pending (its size counter bumped) when a layout pass measures it
    and caches its size under that counter. (In the app the pass comes from other panes' updates.)"""
    for node in widget.ancestors_with_self:
        if isinstance(node, Widget):
            if node is not pilot.app.screen:
                node.refresh(layout=True)
            node._clear_arrangement_cache()
    pilot.app.screen._refresh_layout()


def lines(text: str, width: int) -> int:
    """The lines `text` takes at `width` columns."""
    return len(Content(text).wrap(width))


async def first_paragraph(pilot: Pilot[None]) -> tuple[ModelTurn, MarkdownBlock]:
    """The app's model turn, once the first paragraph of its reply is on screen, one line high."""
    turn = pilot.app.query_one(ModelTurn)
    await turn.add_text(SHORT)
    await until(pilot, lambda: len(turn.markdown.children) == 1, "the first paragraph")
    await pilot.pause()
    paragraph = turn.markdown.children[0]
    assert isinstance(paragraph, MarkdownBlock) and paragraph.size.height == 1
    return turn, paragraph


@pytest.mark.parametrize("end", ["complete", "interrupted by the user"])
async def test_an_ended_reply_shows_every_line_of_its_last_paragraph(end: str) -> None:
    async with ChatApp().run_test(size=(60, 20)) as pilot:
        turn, paragraph = await first_paragraph(pilot)

        # A block grows in place just after the pass (as Textual's own blocks do; a reply's paragraphs
        # measure themselves, see the next test): later passes reuse the short size.
        lose_the_race(pilot, paragraph)
        Static.update(paragraph, Content(SHORT + LONG))
        await pilot.pause()
        wanted = lines(SHORT + LONG, paragraph.size.width)
        assert wanted > 1, "the whole reply wraps at 40 columns"
        assert paragraph.size.height == 1, "the race left the grown paragraph one line high"

        if end == "complete":
            await turn.finish("complete")
        else:
            await turn.interrupt("user")
        await pilot.pause()
        assert paragraph.size.height == wanted
        marker = 0 if end == "complete" else 1
        assert turn.size.height == 1 + wanted + marker, "the header, every line of the reply (and the marker)"


async def test_a_streamed_paragraph_that_grows_after_the_race_shows_every_line_at_once() -> None:
    async with ChatApp().run_test(size=(60, 20)) as pilot:
        _, paragraph = await first_paragraph(pilot)
        assert isinstance(paragraph, StreamedParagraph)

        lose_the_race(pilot, paragraph)
        paragraph.set_content(Content(SHORT + LONG))
        await pilot.pause()
        wanted = lines(SHORT + LONG, paragraph.size.width)
        assert wanted > 1 and paragraph.size.height == wanted, "measured afresh while the turn still streams"


async def test_a_transcript_that_grows_after_the_race_shows_every_line() -> None:
    async with ChatApp().run_test(size=(60, 20)) as pilot:
        heard = pilot.app.query_one(HeardEntry)
        heard.add(ev.InputTranscript(turn=1, text=SHORT))
        await pilot.pause()
        assert heard.content_size.height == 1

        lose_the_race(pilot, heard)
        heard.add(ev.InputTranscript(turn=1, text=LONG))
        await pilot.pause()
        wanted = lines(SHORT + LONG, heard.content_size.width)
        assert wanted > 1, "the whole transcript wraps at 40 columns"
        assert heard.content_size.height == wanted


def count_layouts(pilot: Pilot[None], monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """A list that gets an item for every layout of the screen from now on."""
    screen = pilot.app.screen
    layouts: list[bool] = []
    refresh_layout = screen._refresh_layout

    def counted(*args: object, **kwargs: object) -> None:
        layouts.append(True)
        refresh_layout(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(screen, "_refresh_layout", counted)
    return layouts


def first_line(widget: Widget) -> str:
    """The text of the widget's first line as it paints it now."""
    return "".join(segment.text for segment in widget.render_line(0))


async def spoken(pilot: Pilot[None], said: str) -> tuple[ModelTurn, Static]:
    """The app's model turn once `said` is painted as its transcript, and the transcript's last lines."""
    turn = pilot.app.query_one(ModelTurn)
    turn.add_transcript(said)
    await pilot.pause()
    return turn, turn.query_one(StreamedText).tail


async def test_a_spoken_word_on_the_transcript_s_last_line_repaints_it_without_a_layout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with ChatApp().run_test(size=(60, 20)) as pilot:
        turn, transcript = await spoken(pilot, "Once upon")
        assert transcript.content_size.height == 1 and first_line(transcript).startswith("Once upon")
        layouts = count_layouts(pilot, monkeypatch)

        turn.add_transcript(" a time")
        await pilot.pause()
        assert layouts == [], "the same height: no layout of the screen"
        assert first_line(transcript).startswith("Once upon a time"), "but the new words are painted"

        turn.add_transcript(LONG)
        await pilot.pause()
        assert layouts, "a new line: the screen is laid out again"
        assert transcript.content_size.height == lines(
            "Once upon a time" + LONG, transcript.content_size.width
        )


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


def shown(widget: Widget) -> list[str]:
    """The widget's content lines, as it paints them now."""
    return [line.text.rstrip() for line in (widget.render_line(y) for y in range(widget.size.height))]


async def test_a_word_on_a_long_transcript_s_last_line_repaints_that_line_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    said = SHORT + LONG + " The"
    async with ChatApp().run_test(size=(60, 20)) as pilot:
        turn, transcript = await spoken(pilot, said)
        height = transcript.size.height
        assert height > 2, "the transcript wraps over several lines"
        last = Content(said).wrap(transcript.size.width)[-1]
        assert len(last.plain) + len(" end") < transcript.size.width, "room for a word on the last line"
        updates = watch_updates(pilot, monkeypatch)

        turn.add_transcript(" end")
        await pilot.pause()
        assert transcript.size.height == height, "the word fits on the last line"
        last_row = transcript.content_region.y + height - 1
        assert [{(region.y, region.height) for region in regions} for regions in updates] == [{(last_row, 1)}]
        wrapped = [line.plain.rstrip() for line in Content(said + " end").wrap(transcript.size.width)]
        assert shown(transcript) == wrapped, "every line as a fresh render wraps it"


async def test_a_heard_word_on_the_entry_s_last_line_repaints_it_without_a_layout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with ChatApp().run_test(size=(60, 20)) as pilot:
        heard = pilot.app.query_one(HeardEntry)
        heard.add(ev.InputTranscript(turn=1, text="Tell me"))
        await pilot.pause()
        assert heard.content_size.height == 1 and "Tell me" in first_line(heard)
        layouts = count_layouts(pilot, monkeypatch)

        heard.add(ev.InputTranscript(turn=1, text=" a story"))
        await pilot.pause()
        assert layouts == [], "the same height: no layout of the screen"
        assert "Tell me a story" in first_line(heard), "but the new words are painted"

        heard.add(ev.InputTranscript(turn=1, text=LONG))
        await pilot.pause()
        assert layouts, "a new line: the screen is laid out again"
        assert heard.content_size.height == lines("Tell me a story" + LONG, heard.content_size.width)


async def test_a_reply_that_grew_a_line_asks_for_no_second_layout_while_it_is_laid_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with ChatApp().run_test(size=(60, 20)) as pilot:
        turn, paragraph = await first_paragraph(pilot)
        screen = pilot.app.screen
        asked: list[str] = []
        laying_out = False
        refresh_layout = screen._refresh_layout

        def pass_(*args: object, **kwargs: object) -> None:
            nonlocal laying_out
            laying_out = True
            try:
                refresh_layout(*args, **kwargs)  # type: ignore[arg-type]
            finally:
                laying_out = False

        def spy(widget: Widget) -> None:
            refresh = widget.refresh

            def spied(*regions: Region, repaint: bool = True, layout: bool = False, **kw: bool) -> Widget:
                if layout and laying_out:
                    asked.append(type(widget).__name__)
                return refresh(*regions, repaint=repaint, layout=layout, **kw)

            monkeypatch.setattr(widget, "refresh", spied)

        monkeypatch.setattr(screen, "_refresh_layout", pass_)
        for widget in (turn, turn.markdown, paragraph):
            spy(widget)

        await turn.add_text(LONG)
        wanted = lines(SHORT + LONG, paragraph.size.width)
        await until(pilot, lambda: paragraph.size.height == wanted, "the paragraph's new lines")
        assert wanted > 1 and turn.size.height == 1 + wanted, "the turn grew with its paragraph"
        assert asked == [], "the pass that found the new sizes asked for no other pass"
