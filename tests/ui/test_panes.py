"""The side panes and the layout: raw frames and their filter, the screen at a small size, long sessions."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label, TabbedContent

from livetui import events as ev
from livetui.config import CameraSettings, Settings
from livetui.server.app import LiveServer
from livetui.session.connect import connect_to
from livetui.ui.app import LiveApp, make_app
from livetui.ui.screens.help import HelpScreen
from livetui.ui.screens.main import NARROW_BELOW
from livetui.ui.widgets.camera import CameraPreview
from livetui.ui.widgets.chat import MAX_ENTRIES
from livetui.ui.widgets.events_pane import EventsPane
from tests.conftest import Dialect, both_dialects
from tests.ui.waiting import send, until, until_live


async def one_reply(pilot: Pilot[None], app: LiveApp) -> EventsPane:
    """Say "hi" once the session is live and wait for the reply; the events pane, with the frames."""
    await until_live(pilot)
    await send(pilot, "hi")
    await until(pilot, lambda: (t := app.main.chat.turn(1)) is not None and t.complete, "the reply")
    return app.main.query_one("#events", EventsPane)


async def test_the_events_pane_lists_frames_both_ways_and_filters_them(
    live_server: LiveServer, settings: Settings
) -> None:
    app = make_app(settings, connect_to(live_server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await one_reply(pilot, app)
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


@pytest.mark.parametrize("camera", [False, True], ids=["no camera", "camera"])
@pytest.mark.parametrize("width", [80, NARROW_BELOW - 1, NARROW_BELOW, 120, 200])
async def test_the_chat_keeps_at_least_60_percent_of_the_width(
    live_server: LiveServer, tmp_path: Path, width: int, camera: bool
) -> None:
    settings = Settings(text_only=True, camera=CameraSettings(device="test" if camera else None, fps=20))
    app = make_app(settings, connect_to(live_server.url, settings))
    async with app.run_test(size=(width, 30)) as pilot:
        await until_live(pilot)
        main = app.main
        if camera:
            await until(pilot, lambda: main.query_one(CameraPreview).frame is not None, "a frame")
            assert "cam 20 fps" in str(main.status.query_one("#camera", Label).render())
        await pilot.pause()
        chat = main.chat
        assert chat.region.width >= 0.6 * width
        side = main.query_one("#side-column")
        preview = main.query(CameraPreview)
        if width < NARROW_BELOW:
            assert side.region.width == 0 and chat.region.width == width
            assert all(p.region.width == 0 for p in preview), "the camera is in the status bar only"
        else:
            assert side.region.width > 0 and side.region.right == width
            assert all(p.region.width > 0 for p in preview)


async def test_on_a_narrow_screen_the_panes_show_over_the_chat_until_esc(
    live_server: LiveServer, settings: Settings
) -> None:
    app = make_app(settings, connect_to(live_server.url, settings))
    async with app.run_test(size=(80, 24)) as pilot:
        await until_live(pilot)
        main = app.main
        side = main.query_one("#side")
        for hide in ("ctrl+b", "escape"):
            await pilot.press("ctrl+b")
            await until(pilot, lambda: side.region.width > 0, "the panes over the chat")
            assert main.panes_over_chat
            assert side.region.right == 80 and side.region.width >= 44
            assert main.chat.region.width == 80, "the chat is not squeezed: the panes cover it"
            await pilot.press(hide)
            await until(pilot, lambda: side.region.width == 0, f"{hide} to hide the panes")
        session = app.session
        assert session is not None and session.ready, "Esc only hid the panes"


async def test_on_a_wide_screen_ctrl_b_hides_the_panes_beside_the_chat(
    live_server: LiveServer, settings: Settings
) -> None:
    app = make_app(settings, connect_to(live_server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        main = app.main
        assert main.chat.region.width < 120
        await pilot.press("ctrl+b")
        await until(pilot, lambda: main.chat.region.width == 120, "the chat to take the whole width")
        await pilot.press("ctrl+b")
        await until(pilot, lambda: main.chat.region.width < 120, "the panes back")


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
        chat = app.main.chat

        def complete(turn: int) -> bool:
            return (t := chat.turn(turn)) is not None and t.complete

        # 220 entries, more than the cap, ten turns at a time: all at once, a loaded machine takes longer
        # to handle them than Pilot waits for the screen's messages.
        for first in range(100, 210, 10):
            for turn in range(first, first + 10):
                app.main.deliver(ev.UserText(turn=turn, text=f"message {turn}"), app.runtime)
                app.main.deliver(ev.TextDelta(turn=turn, text=f"reply {turn}"), app.runtime)
                app.main.deliver(ev.TurnComplete(turn=turn), app.runtime)
            await until(pilot, functools.partial(complete, first + 9), f"the reply to turn {first + 9}")
        await pilot.pause()
        assert chat.entry_count == MAX_ENTRIES
        assert chat.turn(100) is None and chat.turn(209) is not None
        assert chat.is_anchored and chat.scroll_y == chat.max_scroll_y > 0


async def test_at_80x24_the_help_screen_fits_and_its_table_scrolls(
    live_server: LiveServer, settings: Settings
) -> None:
    app = make_app(settings, connect_to(live_server.url, settings))
    async with app.run_test(size=(80, 24)) as pilot:
        await until_live(pilot)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")
        await pilot.pause()
        screen = app.screen
        dialog, table = screen.query_one("#help-dialog"), screen.query_one("#help-table", DataTable)
        for line in ("#help-title", "#help-table", "#help-hint", "#help-close"):
            region = screen.query_one(line).region
            assert region.height > 0 and dialog.region.contains_region(region), line
        assert screen.region.contains_region(dialog.region), "the dialog fits the screen"
        assert table.max_scroll_x == 0, "descriptions wrap: nothing is cut off at the side"
        assert table.max_scroll_y > 0
        await pilot.press("pagedown")
        await until(pilot, lambda: table.scroll_y > 0, "the table to scroll")


FILTER_EXAMPLES = {"gemini": "serverContent", "openai": "response."}
"""What the events filter offers as an example in each dialect: a part of that protocol's summaries."""


@both_dialects
async def test_the_events_filter_gives_an_example_from_the_protocol_spoken(
    live_server: LiveServer, settings: Settings, dialect: Dialect
) -> None:
    app = make_app(settings, connect_to(live_server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await one_reply(pilot, app)
        placeholder = pane.query_one("#events-filter", Input).placeholder
        example = FILTER_EXAMPLES[dialect]
        received = [frame.summary for frame in pane.frames if frame.direction == "in"]
    assert placeholder == f"filter by summary (e.g. {example})"
    assert any(example in summary for summary in received), "the example matches frames of the reply"
