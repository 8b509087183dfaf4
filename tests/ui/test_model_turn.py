"""A model reply is laid out with its final text, even when Textual's size cache raced its last update."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.content import Content
from textual.widget import Widget
from textual.widgets.markdown import MarkdownBlock

from livetui.ui.app import STYLES
from livetui.ui.widgets.model_turn import ModelTurn
from tests.ui.waiting import until

SHORT = "Seen: a QR code."
LONG = " It says hello from the terminal, and the picture is bright and mostly blue."


class TurnApp(App[None]):
    """One model turn, 40 columns wide, so a long line wraps."""

    CSS_PATH = [STYLES / "chat.tcss"]
    CSS = "ModelTurn { width: 40; }"

    def compose(self) -> ComposeResult:
        yield ModelTurn(1, None)


@pytest.mark.parametrize("end", ["complete", "interrupted by the user"])
async def test_an_ended_reply_shows_every_line_of_its_last_paragraph(end: str) -> None:
    async with TurnApp().run_test(size=(60, 20)) as pilot:
        turn = pilot.app.query_one(ModelTurn)
        await turn.add_text(SHORT)
        await until(pilot, lambda: len(turn.markdown.children) == 1, "the first paragraph")
        await pilot.pause()
        paragraph = turn.markdown.children[0]
        assert isinstance(paragraph, MarkdownBlock) and paragraph.size.height == 1

        # The race Textual 8.2.8 loses about once a hundred turns in the app, step by step (in the app
        # the layout pass comes from other panes' updates; here it is forced). A layout refresh of the
        # paragraph is pending, its size counter bumped, when a pass measures the reply and caches the
        # paragraph's size under that counter. The stream then grows the paragraph in place; that refresh
        # does not bump the counter again, so later passes reuse the short text's size.
        paragraph.refresh(layout=True)
        turn.markdown.refresh(layout=True)
        turn.refresh(layout=True)
        for node in paragraph.ancestors_with_self:
            if isinstance(node, Widget):
                node._clear_arrangement_cache()
        pilot.app.screen._refresh_layout()
        paragraph.set_content(Content(SHORT + LONG))
        await pilot.pause()
        lines = len(Content(SHORT + LONG).wrap(paragraph.size.width))
        assert lines > 1, "the whole reply wraps at 40 columns"
        assert paragraph.size.height == 1, "the race left the grown paragraph one line high"

        if end == "complete":
            await turn.finish("complete")
        else:
            await turn.interrupt("user")
        await pilot.pause()
        assert paragraph.size.height == lines
        marker = 0 if end == "complete" else 1
        assert turn.size.height == 1 + lines + marker, "the header, every line of the reply (and the marker)"
