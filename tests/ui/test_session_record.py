"""The app records the session as it goes, exports it with a key, and shows a goAway as it happens."""

from __future__ import annotations

import json
import os
from pathlib import Path

from textual.widgets import Label

from livetui.config import Settings
from livetui.server.app import ServerConfig
from livetui.session.connect import connect_to
from livetui.ui.app import NOT_RECORDED, LiveApp, make_app
from livetui.ui.widgets.entries import NoticeEntry
from livetui.ui.widgets.latency_pane import LatencyPane, format_link
from tests.conftest import ScriptWriter, ServerStarter, both_dialects
from tests.ui.waiting import live_app, send, until, until_live


def notices(app: LiveApp) -> list[str]:
    """The notice lines in the chat log, in order."""
    return [entry.text for entry in app.main.chat.query(NoticeEntry)]


@both_dialects
async def test_the_session_is_journaled_and_the_export_key_writes_its_transcript(
    start_live_server: ServerStarter, settings: Settings
) -> None:
    server = await start_live_server()
    app = make_app(settings, connect_to(server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        await send(pilot, "hi")
        await until(pilot, lambda: (t := app.main.chat.turn(1)) is not None and t.complete, "the reply")
        keeper = app.keeper
        assert keeper is not None and keeper.directory is not None
        journal = keeper.directory / "events.jsonl"
        assert keeper.directory.parent == Path(os.environ["LIVETUI_DATA_DIR"]) / "sessions"
        kinds = [json.loads(line)["event"]["kind"] for line in journal.read_text().splitlines()]
        assert kinds[:2] == ["session_info", "connecting"]  # what it talks to, then the connection
        assert {"user_text", "text_delta", "turn_complete"} <= set(kinds)
        await pilot.press("ctrl+s")
        written = keeper.directory / "transcript.md"
        await until(
            pilot, lambda: any("transcript written to" in line for line in notices(app)), "the notice"
        )
        assert notices(app)[-1] == f"transcript written to {written}"
    text = written.read_text()
    assert "## Turn 1" in text and "hi" in text and "You said: hi" in text


async def test_without_recording_nothing_is_written_and_the_export_key_says_so(
    start_live_server: ServerStarter, settings: Settings
) -> None:
    server = await start_live_server()
    quiet = settings.model_copy(update={"record": False})
    app = make_app(quiet, connect_to(server.url, quiet))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: NOT_RECORDED in notices(app), "the notice")
    assert app.keeper is None
    assert not (Path(os.environ["LIVETUI_DATA_DIR"]) / "sessions").exists()


# Gemini only: OpenAI announces no end (its sessions just close at their time limit).
async def test_a_go_away_shows_a_countdown_then_the_session_carries_on(
    start_live_server: ServerStarter, write_script: ScriptWriter, settings: Settings
) -> None:
    # The goodbye would take minutes: the session waits for it to end (the interrupt key ends it) to move.
    goodbye = {"match": "leave", "reply": "bye " * 20, "chunk_chars": 4, "interval_ms": 60_000}
    rules = [
        {**goodbye, "fault": "go_away", "time_left_ms": 60_000},
        {"match": "count", "reply": "turn {turn}"},
    ]
    server = await start_live_server(ServerConfig(script=write_script({"rules": rules})))
    app = make_app(settings, connect_to(server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        await send(pilot, "leave")
        status = app.main.status
        countdown = status.query_one("#go-away", Label)
        await until(pilot, lambda: status.go_away_at is not None, "the goAway")
        assert countdown.has_class("-shown") and str(countdown.render()).startswith("goAway 0:5")
        await pilot.press("escape")
        await until(pilot, lambda: status.go_away_at is None and status.state == "live", "the move")
        assert not countdown.has_class("-shown")
        await send(pilot, "count")
        await until(pilot, lambda: (t := app.main.chat.turn(2)) is not None and t.complete, "the next turn")
        second = app.main.chat.turn(2)
        assert second is not None and second.text == "turn 2"
        lines = notices(app)
    assert any(line.startswith("the server will close this connection in 60 s") for line in lines)
    assert "the session resumed on a new connection" in lines


@both_dialects
async def test_the_latency_pane_shows_the_marks_and_the_link(
    start_live_server: ServerStarter, settings: Settings
) -> None:
    server = await start_live_server()
    app = make_app(settings, connect_to(server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        pane = app.main.query_one("#latency", LatencyPane)
        await send(pilot, "hello")
        session = live_app(pilot).session
        assert session is not None
        marks = pane.query_one("#latency-marks", Label)
        await until(pilot, lambda: "t4 +" in str(marks.render()), "the marks shown")
        await until(pilot, lambda: pane.round_trip is not None, "a round trip")
        shown = str(marks.render())
        interrupt_marks = str(pane.query_one("#latency-interrupt-marks", Label).render())
        link = str(pane.query_one("#latency-link", Label).render())
    assert shown.startswith("t0 0 · t1 +") and " · t3 — · " in shown and shown.endswith(" ms")
    assert interrupt_marks == "k0 — · k1 — · k2 — ms"
    assert link.startswith("rtt ") and link.endswith(" · send queue 0 · underruns –")


def test_the_link_line_says_what_is_not_known_yet() -> None:
    assert format_link(None, None, None) == "rtt – · send queue – · underruns –"
    assert format_link(0.0123, 3, 2) == "rtt 12 ms · send queue 3 · underruns 2"
