"""`PromptPaint`: a change is painted in the wake-up that made it (Textual's update timer is never
resumed), changes closer together than `UPDATE_PERIOD` are painted together once it is up, and a paint
still due when the screen goes is cancelled. (A change of size is laid out no sooner than a period after
it was asked for, at Textual's own pace: `test_snapshots`' help screen, whose getting-started hint is
written after the first paint, is laid out wrong when it is sooner.)

The app is waited on through the screen's own paints (an event each paint sets), not Pilot's `pause`,
which paints the screen itself."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable

from textual.app import App, ComposeResult
from textual.screen import UPDATE_PERIOD
from textual.widgets import Static

from livetui.ui.screens.prompt_paint import PromptPaint


class Board(PromptPaint):
    """One line of text, and a record of when the screen was painted."""

    def __init__(self) -> None:
        super().__init__()
        self.text = Static("0")
        self.paints: list[float] = []
        self.painted = asyncio.Event()

    def compose(self) -> ComposeResult:
        yield self.text

    def _on_timer_update(self) -> None:
        super()._on_timer_update()
        self.paints.append(asyncio.get_running_loop().time())
        self.painted.set()

    async def next_paint(self) -> float:
        """Wait for the next paint; when it happened."""
        self.painted.clear()
        await asyncio.wait_for(self.painted.wait(), timeout=30)
        return self.paints[-1]

    def shown(self) -> str:
        """The text's first line as the screen last rendered it."""
        lines = self.text._render_cache.lines
        return lines[0].text.rstrip() if lines else ""

    def timer_resumed(self) -> bool:
        """True if Textual's own update timer was ever started."""
        timer = self._Screen__update_timer  # type: ignore[attr-defined]
        return timer is not None and timer._active.is_set()


class BoardApp(App[None]):
    def get_default_screen(self) -> Board:
        return Board()


async def board_of(app: BoardApp) -> Board:
    board = app.screen
    assert isinstance(board, Board)
    while not board.paints:  # the first paint, after mounting
        await board.next_paint()
    return board


async def test_a_change_is_painted_in_the_wake_up_that_made_it() -> None:
    app = BoardApp()
    async with app.run_test():
        board = await board_of(app)
        board._painted_at = -math.inf  # the last paint is long past
        board.text.update("1")
        await board.next_paint()
        assert board.shown() == "1"
        assert not board.timer_resumed(), "painted by Textual's timer, a wake-up later"


async def test_changes_closer_than_the_update_period_are_painted_together_once_it_is_up() -> None:
    app = BoardApp()
    async with app.run_test():
        board = await board_of(app)
        board._painted_at = -math.inf
        board.text.update("1")
        first = await board.next_paint()
        painted = len(board.paints)
        board.text.update("2")
        board.text.update("3")
        second = await board.next_paint()
        assert second >= first + UPDATE_PERIOD
        assert board.shown() == "3" and len(board.paints) == painted + 1  # "2" and "3" in one paint


async def settle(condition: Callable[[], bool]) -> None:
    """Let the app run until `condition()` holds (a guard of 30 s against a hang)."""
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0)


async def test_a_paint_still_due_when_the_screen_goes_is_cancelled() -> None:
    app = BoardApp()
    async with app.run_test():
        await board_of(app)
        second = Board()
        await app.push_screen(second)
        await second.next_paint()
        second.text.update("one\ntwo")  # laid out a period later
        await settle(lambda: second._paint_due is not None)
        due = second._paint_due
        assert due is not None
        await app.pop_screen()
        await settle(lambda: not second.is_attached)
        assert due.cancelled() and second._paint_due is None
