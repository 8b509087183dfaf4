"""The side panes and the layout: raw frames and their filter, the screen at a small size, long sessions."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Label, TabbedContent

from livetui import events as ev
from livetui.config import Settings
from livetui.server.app import LiveServer
from livetui.session.connect import connect_to
from livetui.ui.app import LiveApp, make_app
from livetui.ui.widgets.chat import MAX_ENTRIES
from livetui.ui.widgets.events_pane import EventsPane
from tests.ui.waiting import send, until, until_live


async def test_the_events_pane_lists_frames_both_ways_and_filters_them(
    live_server: LiveServer, settings: Settings
) -> None:
    app = make_app(settings, connect_to(live_server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        await send(pilot, "hi")
        await until(pilot, lambda: (t := app.main.chat.turn(1)) is not None and t.complete, "the reply")
        pane = app.main.query_one("#events", EventsPane)
        assert not pane.frame_log.lines, "the log is not written before it is first shown"
        app.main.query_one("#side", TabbedContent).active = "events-tab"
        await until(pilot, lambda: len(pane.frame_log.lines) >= 2 * len(pane.frames), "the log to fill")
        headers = [line.text for line in pane.frame_log.lines if line.text.startswith(("↑", "↓"))]
        assert headers[0].startswith("↑ setup  ") and headers[0].endswith(" B")
        assert headers[1] == "↓ setupComplete  20 B"
        summaries = [frame.summary for frame in pane.frames]
        assert summaries[:2] == ["setup", "setupComplete"]
        assert "clientContent" in summaries
        assert {frame.direction for frame in pane.frames} == {"in", "out"}
        assert pane.shown == len(pane.frames)

        filter_input = pane.query_one("#events-filter")
        filter_input.focus()
        await pilot.press(*"turncomplete")
        await until(pilot, lambda: pane.filter_text == "turncomplete", "the filter")
        assert pane.shown == sum("turnComplete" in s for s in summaries) == 1
        await until(pilot, lambda: "turnComplete" in pane.frame_log.lines[0].text, "the filtered log")
        headers = [line.text for line in pane.frame_log.lines if line.text.startswith(("↑", "↓"))]
        assert len(headers) == 1 and headers[0].startswith("↓ serverContent.turnComplete")


async def test_a_hidden_events_pane_writes_nothing_and_catches_up_when_shown(
    live_server: LiveServer, settings: Settings
) -> None:
    app = make_app(settings, connect_to(live_server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        pane = app.main.query_one("#events", EventsPane)
        side = app.main.query_one("#side", TabbedContent)
        side.active = "events-tab"
        await until(
            pilot, lambda: bool(pane.frame_log.lines) and pane.recorded == len(pane.frames), "the log"
        )
        side.active = "latency-tab"
        await until(pilot, lambda: not pane.display or not pane.is_on_screen, "the pane to hide")
        written, count = len(pane.frame_log.lines), str(pane.query_one("#events-count", Label).render())
        before = pane.recorded
        await send(pilot, "hi")
        await until(pilot, lambda: (t := app.main.chat.turn(1)) is not None and t.complete, "the reply")
        assert pane.recorded > before, "frames are recorded while hidden"
        assert len(pane.frame_log.lines) == written, "but not written"
        assert str(pane.query_one("#events-count", Label).render()) == count, "nor counted on screen"
        side.active = "events-tab"
        await until(pilot, lambda: len(pane.frame_log.lines) >= 2 * len(pane.frames), "the log to catch up")
        headers = [line.text for line in pane.frame_log.lines if line.text.startswith(("↑", "↓"))]
        assert len(headers) == len(pane.frames) and any("turnComplete" in h for h in headers)
        assert f"↑ {sum(f.direction == 'out' for f in pane.frames)} sent" in str(
            pane.query_one("#events-count", Label).render()
        )


async def test_the_screen_still_works_at_80x24(live_server: LiveServer, settings: Settings) -> None:
    app = make_app(settings, connect_to(live_server.url, settings))
    async with app.run_test(size=(80, 24)) as pilot:
        await until_live(pilot)
        await send(pilot, "hi")
        await until(pilot, lambda: (t := app.main.chat.turn(1)) is not None and t.complete, "the reply")
        main = app.main
        assert main.has_class("-narrow")
        chat, composer, side, status = main.chat, main.composer, main.query_one("#side"), main.status
        assert side.region.width == 0, "narrow screens start with the side panes hidden"
        assert chat.region.width == 80 and chat.region.height >= 15
        assert composer.region.height == 3 and composer.region.bottom <= status.region.y
        assert status.region.height == 1 and status.region.bottom == 24
        turn = chat.turn(1)
        assert turn is not None and turn.region.height > 0

        await pilot.press("ctrl+b")
        await pilot.pause()
        assert side.region.width >= 30 and side.region.right <= 80
        assert chat.region.width >= 30


def test_the_stylesheets_ship_inside_the_package() -> None:
    for path in LiveApp.CSS_PATH:
        assert Path(path).is_file(), path
        assert Path(path).suffix == ".tcss"


async def test_a_long_session_keeps_the_newest_entries_and_follows_the_bottom(
    live_server: LiveServer, settings: Settings
) -> None:
    app = make_app(settings, connect_to(live_server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        session = app.session
        assert session is not None
        for turn in range(100, 210):  # 220 entries: more than the cap
            app.main.deliver(ev.UserText(turn=turn, text=f"message {turn}"), session)
            app.main.deliver(ev.TextDelta(turn=turn, text=f"reply {turn}"), session)
            app.main.deliver(ev.TurnComplete(turn=turn), session)
        chat = app.main.chat
        await until(pilot, lambda: (t := chat.turn(209)) is not None and t.complete, "the last reply")
        await pilot.pause()
        assert len(chat.children) == MAX_ENTRIES
        assert chat.turn(100) is None and chat.turn(209) is not None
        assert chat.is_anchored and chat.scroll_y == chat.max_scroll_y > 0
