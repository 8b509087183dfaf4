"""What the app keeps for the user: the theme across runs (in the state file, never the config), and the
palette's screenshot in the session's directory."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import OptionList

from livetui.config import Settings
from livetui.server.app import LiveServer
from livetui.session.connect import connect_to
from livetui.ui.app import LiveApp, make_app
from livetui.ui.widgets.entries import NoticeEntry
from tests.ui.waiting import until, until_live


@pytest.fixture
def state_dir() -> Path:
    """The test's own state directory (every test has one: `isolated_state`)."""
    return Path(os.environ["LIVETUI_STATE_DIR"])


def notices(app: LiveApp) -> list[str]:
    """The notice lines in the chat log, in order."""
    return [entry.text for entry in app.main.chat.query(NoticeEntry)]


async def test_the_chosen_theme_is_remembered_across_two_runs(
    live_server: LiveServer, settings: Settings, state_dir: Path
) -> None:
    first = make_app(settings, connect_to(live_server.url, settings))
    async with first.run_test(size=(120, 40)) as pilot:
        assert first.theme != "nord"
        first.theme = "nord"  # what the palette's theme picker does
        state = state_dir / "state.json"
        await until(pilot, state.is_file, "the state file")
    assert json.loads(state.read_text())["theme"] == "nord"
    assert state.stat().st_mode & 0o077 == 0, "the state file is the user's alone"
    assert not Path(os.environ["LIVETUI_CONFIG"]).exists(), "the config file is never written"

    second = make_app(settings, connect_to(live_server.url, settings))
    async with second.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert second.theme == "nord"


async def test_an_unreadable_state_file_is_ignored(
    live_server: LiveServer, settings: Settings, state_dir: Path
) -> None:
    state_dir.mkdir()
    (state_dir / "state.json").write_text("{not json", encoding="utf-8")
    app = make_app(settings, connect_to(live_server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        assert app.theme == "textual-dark"


async def test_the_palette_screenshot_is_written_into_the_session_directory(
    live_server: LiveServer, settings: Settings
) -> None:
    app = make_app(settings, connect_to(live_server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        keeper = app.keeper
        assert keeper is not None and keeper.directory is not None
        await pilot.press("ctrl+p")
        await pilot.press(*"screenshot")  # Textual's system command
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        options = palette.query_one(OptionList)
        await until(pilot, lambda: options.highlighted is not None, "the screenshot command")
        await pilot.press("enter")
        await until(pilot, lambda: any("screenshot written to" in line for line in notices(app)), "notice")
        [svg] = keeper.directory.glob("*.svg")
        assert notices(app)[-1] == f"screenshot written to {svg}"
        assert svg.read_text(encoding="utf-8").startswith("<svg")


async def test_without_a_journal_the_screenshot_goes_to_the_data_directory(
    live_server: LiveServer, settings: Settings
) -> None:
    quiet = settings.model_copy(update={"record": False})
    app = make_app(quiet, connect_to(live_server.url, quiet))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        app.deliver_screenshot()  # what the palette's Save screenshot calls
        await until(pilot, lambda: any("screenshot written to" in line for line in notices(app)), "notice")
        [svg] = (Path(os.environ["LIVETUI_DATA_DIR"]) / "screenshots").glob("*.svg")
        assert notices(app)[-1] == f"screenshot written to {svg}"
