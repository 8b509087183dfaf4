"""A transcript streamed word by word reads as the whole text would, and only its tail is wrapped again."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.content import Content
from textual.pilot import Pilot

from livetui.ui.app import STYLES
from livetui.ui.widgets.growing import GrowingStatic
from livetui.ui.widgets.streamed_text import SETTLE_AT_LINES, StreamedText

STORY = (
    "Once upon a time, in a quiet village by the sea, there lived an old sailor who told long stories "
    "about storms, whales, and islands that no map had ever shown; children gathered every evening. "
) * 4


class TextApp(App[None]):
    """One streamed text, 40 columns wide."""

    CSS_PATH = [STYLES / "chat.tcss"]
    CSS = "StreamedText { width: 40; }"

    def compose(self) -> ComposeResult:
        yield StreamedText()


def lines_of(widget: GrowingStatic) -> list[str]:
    """The lines the widget paints, as text (none when hidden)."""
    if not widget.display:
        return []
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


def wrapped(text: str, width: int) -> list[str]:
    """The lines one Static would show `text` in."""
    return [line.plain.rstrip() for line in Content(text).wrap(width)]


async def stream(pilot: Pilot[None], text: StreamedText, words: list[str], *, settles: bool = True) -> str:
    """Show the words one at a time, painting after each; the text shown in the end. `settles`: the tail
    must stay a few lines long."""
    said = ""
    for word in words:
        said += word
        text.show(said.strip())
        await pilot.pause()
        shown = lines_of(text.settled) + lines_of(text.tail)
        assert shown == wrapped(said.strip(), text.tail.size.width), f"after {said[-30:]!r}"
        assert not settles or len(lines_of(text.tail)) < SETTLE_AT_LINES + 1, (
            "the tail stays a few lines long"
        )
    return said.strip()


def words(text: str) -> list[str]:
    """`text` cut before each space, as a transcript arrives."""
    pieces = text.split(" ")
    return [pieces[0]] + [" " + piece for piece in pieces[1:]]


async def test_a_story_streamed_word_by_word_reads_as_the_whole_text() -> None:
    async with TextApp().run_test(size=(60, 40)) as pilot:
        text = pilot.app.query_one(StreamedText)
        said = await stream(pilot, text, words(STORY))
        assert len(wrapped(said, 40)) > 3 * SETTLE_AT_LINES, "long enough to settle several times"
        assert len(lines_of(text.settled)) > 2 * SETTLE_AT_LINES, "most of it settled: not wrapped per word"


async def test_words_cut_inside_a_word_or_longer_than_a_line_read_as_the_whole_text() -> None:
    async with TextApp().run_test(size=(60, 40)) as pilot:
        text = pilot.app.query_one(StreamedText)
        long_word = "x" * 95  # folded over three lines
        pieces = [STORY[index : index + 7] for index in range(0, 300, 7)] + [" ", long_word, " and", " more"]
        await stream(pilot, text, pieces)


async def test_a_new_width_reads_as_the_whole_text_again() -> None:
    async with TextApp().run_test(size=(60, 40)) as pilot:
        text = pilot.app.query_one(StreamedText)
        said = await stream(pilot, text, words(STORY[:400]))
        text.styles.width = 25
        await pilot.pause()
        await pilot.pause()
        assert text.tail.size.width == 25
        assert lines_of(text.settled) + lines_of(text.tail) == wrapped(said, 25)
        await stream(pilot, text, [said, " The", " end."])


async def test_text_that_is_not_an_append_is_shown_whole() -> None:
    async with TextApp().run_test(size=(60, 40)) as pilot:
        text = pilot.app.query_one(StreamedText)
        await stream(pilot, text, words(STORY[:300]))
        text.show("Something else entirely.")
        await pilot.pause()
        assert lines_of(text.settled) + lines_of(text.tail) == ["Something else entirely."]


async def test_words_that_arrive_before_a_paint_are_all_painted() -> None:
    async with TextApp().run_test(size=(60, 40)) as pilot:
        text = pilot.app.query_one(StreamedText)
        said = await stream(pilot, text, words(STORY[:300]))
        for word in (" The", " end", " came."):  # three updates, one paint
            said += word
            text.show(said)
        await pilot.pause()
        assert lines_of(text.settled) + lines_of(text.tail) == wrapped(said, text.tail.size.width)


async def test_characters_the_wrap_drops_or_breaks_at_read_as_the_whole_text() -> None:
    async with TextApp().run_test(size=(60, 40)) as pilot:
        text = pilot.app.query_one(StreamedText)
        odd = STORY[:240] + "a\rb c\x0bd e\x0cf g\u00a0h\t" + STORY[:200]  # Content drops or breaks at these
        await stream(pilot, text, words(odd), settles=False)  # from the first of them on: one part
        assert not text.settled.display, "shown whole, as one Static"
