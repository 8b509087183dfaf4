"""Status text redraws only what changed: nothing for the same text, no relayout for the same width."""

from __future__ import annotations

from typing import Self

from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import Label

from livetui.ui.widgets.label_text import show_text


class CountingLabel(Label):
    """A label that records every refresh it asks for, and whether it asked for a relayout."""

    def __init__(self) -> None:
        super().__init__("mic ██····")
        self.refreshes: list[bool] = []
        """The `layout` flag of each refresh, in order."""

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        """Record the refresh, then do it."""
        self.refreshes.append(layout)
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)


class LabelApp(App[None]):
    """One counting label."""

    def compose(self) -> ComposeResult:
        yield CountingLabel()


async def test_show_text_skips_the_same_text_and_relayouts_only_for_a_new_width() -> None:
    app = LabelApp()
    async with app.run_test() as pilot:
        label = app.query_one(CountingLabel)
        await pilot.pause()
        label.refreshes.clear()
        assert show_text(label, "mic ██····") is False
        assert label.refreshes == [], "the same text: nothing to redraw"
        assert show_text(label, "mic ███▌··") is True
        assert label.refreshes == [False], "the same width: a repaint, no relayout"
        assert show_text(label, "mic muted") is True
        assert label.refreshes == [False, True], "a new width: a relayout"
        await pilot.pause()
        assert str(label.render()) == "mic muted"
