"""Selecting chat entries from the keyboard: step → painted, and entries drawn afresh, live and archived.

A chat log alone (headless, 120×40, the app's chat stylesheet) is filled with scripted turns (a user line and
a Markdown reply with a code block each) delivered as session events, to 10, 100 and 1,000 turns (the log
keeps its newest 200 entries; `BENCH_SELECTION_TURNS` sets the lengths). At each length the selection moves
back and forth between two live entries and between two archived ones, in interleaved rounds, and each step
is timed from the call to the first screen update after it. Printed per length: median and p95 of a live
step and of an archived step, their ratio, and the entries drawn afresh per archived step (the block keeps
every other entry's lines).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from rich.console import RenderableType
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen

from livetui import events as ev
from livetui.session.latency import percentile
from livetui.ui.app import STYLES
from livetui.ui.messages import SessionEvent
from livetui.ui.widgets import archive
from livetui.ui.widgets.archive import ArchivedEntry, Barred, Palette
from livetui.ui.widgets.chat import ChatLog

LENGTHS = tuple(int(n) for n in os.environ.get("BENCH_SELECTION_TURNS", "10,100,1000").split(","))
ROUNDS = int(os.environ.get("BENCH_SELECTION_ROUNDS", "10"))
"""Rounds at each length; a round times four live steps, then four archived ones."""
REPLY = "The **answer** to {turn}:\n\n```python\nprint({turn})\n```\n"
TIMEOUT = 30.0


class LogApp(App[None]):
    """A chat log alone, whose screen updates are timestamped."""

    CSS_PATH = [STYLES / "chat.tcss"]

    def __init__(self) -> None:
        super().__init__()
        self.painted: list[float] = []
        """When each screen update was written."""

    def compose(self) -> ComposeResult:
        """The log."""
        yield ChatLog()

    def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
        super()._display(screen, renderable)
        if renderable is not None:
            self.painted.append(time.monotonic())


async def _until(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await pilot.pause()


async def _fill(pilot: Pilot[Any], log: ChatLog, turns: int) -> None:
    for turn in range(1, turns + 1):
        for event in (
            ev.UserText(turn=turn, text=f"question {turn}"),
            ev.TextDelta(turn=turn, text=REPLY.format(turn=turn)),
            ev.TurnComplete(turn=turn, reason="complete"),
        ):
            log.post_message(SessionEvent(event, None))
        if turn % 25 == 0 or turn == turns:
            await _until(pilot, _complete(log, turn), f"turn {turn}")
    await pilot.pause()


def _complete(log: ChatLog, turn: int) -> Callable[[], bool]:
    """A check that the log's reply to `turn` is complete."""
    return lambda: (reply := log.turn(turn)) is not None and reply.complete


async def _step(app: LogApp, log: ChatLog, step: int) -> float:
    """Move the selection by `step`; seconds until the next screen update."""
    count, start = len(app.painted), time.monotonic()
    log.action_select(step)
    while len(app.painted) == count:
        await asyncio.sleep(0.0005)
    return app.painted[-1] - start


async def _walk(pilot: Pilot[Any], log: ChatLog, steps: int) -> None:
    """Move the selection `steps` entries up from the newest, untimed."""
    log.action_select(-1)  # (from no selection, or the newest: the newest)
    for _ in range(steps):
        log.action_select(-1)
    await pilot.pause()
    await pilot.pause()


async def _measure(turns: int) -> str:
    app = LogApp()
    drawn: list[ArchivedEntry] = []
    draw = archive.draw

    def counted(entry: ArchivedEntry, palette: Palette, *, selected: bool = False) -> Barred:
        drawn.append(entry)
        return draw(entry, palette, selected=selected)

    live: list[float] = []
    archived: list[float] = []
    draws: list[int] = []
    async with app.run_test(size=(120, 40)) as pilot:
        log = app.query_one(ChatLog)
        await _fill(pilot, log, turns)
        entries, kept = log.entry_count, len(log.archived)
        depth = entries - kept // 2  # from the newest into the archive's middle
        archive.draw = counted
        try:
            for _ in range(ROUNDS):
                await _walk(pilot, log, 1)
                for step in (-1, 1, -1, 1):
                    live.append(await _step(app, log, step))
                await _walk(pilot, log, depth)
                if not isinstance(log.selected, ArchivedEntry):
                    raise RuntimeError("the walk did not reach the archive")
                for step in (-1, 1, -1, 1):
                    drawn.clear()
                    archived.append(await _step(app, log, step))
                    draws.append(len(drawn))
                log.on_blur()  # no selection: the next walk starts from the newest
                await pilot.pause()
        finally:
            archive.draw = draw
    ms = 1000.0
    return (
        f"turns {turns:>5} ({entries} entries, {kept} archived): "
        f"live step {statistics.median(live) * ms:.1f} / {percentile(live, 95) * ms:.1f} ms, "
        f"archived step {statistics.median(archived) * ms:.1f} / {percentile(archived, 95) * ms:.1f} ms, "
        f"archived/live {statistics.median(archived) / statistics.median(live):.2f}×, "
        f"entries drawn per archived step {statistics.median(draws):.0f} (max {max(draws)})"
    )


async def main() -> None:
    """Measure each length in turn and print a line for each (median / p95)."""
    for turns in LENGTHS:
        print(await _measure(turns), flush=True)
