"""The past sessions screen: search, open read-only, export, delete to the trash folder, and continue (the
new session's connection carries the old turns, as the local server's brain sees them)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, TextArea

from livetui.config import Settings
from livetui.record.catalog import trash_dir
from livetui.record.paths import list_sessions
from livetui.session.connect import connect_to
from livetui.ui.app import LiveApp, make_app
from livetui.ui.screens.session_view import ConfirmDelete, SessionView
from livetui.ui.screens.sessions import SessionsScreen
from livetui.ui.widgets.entries import NoticeEntry
from tests.conftest import ServerStarter
from tests.history.sessions import HistoryBrain, record_session, say_and_wait
from tests.ui.waiting import until, until_live


async def open_sessions(pilot: Pilot[Any], app: LiveApp) -> SessionsScreen:
    """Once the session is live, open the past sessions with their key and wait until they are read."""
    await until_live(pilot)
    await pilot.press("f3")
    screen = app.screen
    assert isinstance(screen, SessionsScreen)
    await until(pilot, lambda: screen.summaries is not None, "the sessions read")
    return screen


async def test_search_open_export_and_delete_to_the_trash(
    start_live_server: ServerStarter, settings: Settings
) -> None:
    server = await start_live_server()
    await record_session(server.url, settings, "alpha")
    await record_session(server.url, settings, "beta")
    alpha = list_sessions()[0]
    app = make_app(settings, connect_to(server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_sessions(pilot, app)
        assert len(screen.shown) == 3  # the two, and this app's own (no turns yet)
        await pilot.press(*"alp")
        await until(pilot, lambda: [s.name for s in screen.shown] == [alpha.name], "the search")
        assert screen.query_one(OptionList).option_count == 1
        await pilot.press("enter", "enter")
        await until(pilot, lambda: isinstance(app.screen, SessionView), "the session opened")
        view = app.screen
        transcript = view.query_one("#session-transcript", TextArea)
        await until(pilot, lambda: "## Turn 1" in transcript.text, "the transcript")
        assert "alpha" in transcript.text and "You said: alpha" in transcript.text and transcript.read_only
        await pilot.press("e")
        await until(pilot, lambda: (alpha / "transcript.md").is_file(), "the export")
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDelete), "the question")
        await pilot.press("n")
        await until(pilot, lambda: app.screen is view, "back to the view")
        assert alpha.is_dir()
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDelete), "the question again")
        await pilot.press("y")
        await until(pilot, lambda: app.screen is screen, "back to the list")
        await until(pilot, lambda: alpha.name not in [s.name for s in screen.summaries or []], "relisted")
    assert not alpha.exists()
    trashed = trash_dir() / alpha.name
    assert (trashed / "events.jsonl").is_file() and (trashed / "transcript.md").is_file()


@pytest.mark.parametrize("dialect", ["gemini", "openai"])
async def test_continue_carries_the_old_turns_into_the_new_session(
    start_live_server: ServerStarter, settings: Settings, dialect: str
) -> None:
    settings = settings.model_copy(update={"local": settings.local.model_copy(update={"dialect": dialect})})
    server = await start_live_server()
    await record_session(server.url, settings, "my name is Ada", "what is two and two")
    old = list_sessions()[0]
    brain = HistoryBrain()
    server = await start_live_server(brain=brain)
    app = make_app(settings, connect_to(server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_sessions(pilot, app)
        await pilot.press("down", "down", "enter")  # the newest is this app's own; the old one is next
        await until(pilot, lambda: isinstance(app.screen, SessionView), "the session opened")
        assert isinstance(app.screen, SessionView) and app.screen.summary.directory == old
        await pilot.press("c")
        await until(pilot, lambda: app.screen is app.main, "back to the main screen")
        await until(
            pilot, lambda: app.session is not None and app.session.ready and app.carried is None, "live"
        )
        await say_and_wait(pilot, app, 1, "and me")
        notices = [entry.text for entry in app.main.chat.query(NoticeEntry)]
    assert f"continuing {old.name}: 2 turns of its conversation carried as context" in notices
    assert brain.seen[0] == [
        ("user", "my name is Ada"),
        ("model", "You said: my name is Ada"),
        ("user", "what is two and two"),
        ("model", "You said: what is two and two"),
        ("user", "and me"),
    ]
    newest = list_sessions()[-1]
    assert '"continued_from":"' + old.name + '"' in (newest / "events.jsonl").read_text()
