"""Key bindings: the help screen lists them, the keymap remaps them, and each does its job."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from livetui.config import Settings
from livetui.server.app import LiveServer, ServerConfig
from livetui.session.connect import connect_to
from livetui.ui.app import LiveApp, make_app
from livetui.ui.screens.help import HelpScreen
from livetui.ui.widgets.entries import NoticeEntry, UserEntry
from tests.conftest import ScriptWriter, ServerStarter
from tests.ui.waiting import send, until, until_live

SLOW = {"rules": [{"match": "story", "reply": "word " * 600, "chunk_chars": 10, "interval_ms": 20}]}
"""A reply that takes a while."""


def help_rows(app: LiveApp) -> dict[str, list[str]]:
    """The help table's rows by binding id: [key, action, id, what it does]."""
    screen = app.screen
    assert isinstance(screen, HelpScreen)
    table: DataTable[Text] = screen.query_one("#help-table", DataTable)
    rows = [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]
    return {row[2]: row for row in rows}


async def test_f1_opens_the_help_screen_with_every_binding(
    live_server: LiveServer, settings: Settings
) -> None:
    app = make_app(settings, connect_to(live_server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")
        rows = help_rows(app)
        assert rows["interrupt"][:3] == ["esc", "Interrupt", "interrupt"]
        assert "Stop the model's reply" in rows["interrupt"][3]
        assert rows["help"][0] == "f1 / ?"
        assert rows["reconnect"][:3] == ["^r", "Reconnect", "reconnect"]
        assert rows["new_session"][:3] == ["^n", "New session", "new_session"]
        assert rows["use_local"][0] == "^o" and "local server" in rows["use_local"][3]
        assert rows["newline"][0] == "^j / shift+⏎", "the composer's own keys are listed"
        assert rows["focus_chat"][0] == "f2" and rows["select_previous"][0] == "↑ / k"
        assert rows["copy_turn"][0] == "c" and rows["copy_code"][0] == "b"
        for binding_id in ("toggle_panes", "focus_composer", "clear_log", "quit"):
            assert rows[binding_id][3], f"{binding_id} has a tooltip"
        assert app.focused is not app.main.composer
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is app.main, "the help screen to close")
        assert app.focused is app.main.composer, "the composer keeps the focus"


async def test_question_mark_is_text_in_the_composer_and_help_elsewhere(
    live_server: LiveServer, settings: Settings
) -> None:
    app = make_app(settings, connect_to(live_server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        await pilot.press("question_mark")
        assert app.main.composer.text == "?"
        assert app.screen is app.main
        app.main.chat.focus()
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")


async def test_a_remapped_interrupt_key_shows_in_help_and_works(
    start_live_server: ServerStarter, write_script: ScriptWriter
) -> None:
    settings = Settings(text_only=True, keymap={"interrupt": "ctrl+x"})
    server = await start_live_server(ServerConfig(script=write_script(SLOW)))
    app = make_app(settings, connect_to(server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        assert "^x interrupt" in app.main.status.hints
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")
        assert help_rows(app)["interrupt"][0] == "^x"
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is app.main, "the help screen to close")

        session = app.session
        assert session is not None
        await send(pilot, "story")
        await until(pilot, lambda: session.latency.has(1, "t2"), "the first text on screen")
        await pilot.press("escape")
        turn = app.main.chat.turn(1)
        assert turn is not None and not turn.interrupted, "escape no longer interrupts"
        await pilot.press("ctrl+x")
        await until(pilot, lambda: turn.interrupted, "ctrl+x to interrupt")


async def test_panes_toggle_the_log_clears_and_focus_returns(
    live_server: LiveServer, settings: Settings
) -> None:
    app = make_app(settings, connect_to(live_server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        side = app.main.query_one("#side")
        assert side.display and side.region.width > 0
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert side.region.width == 0 and app.main.chat.region.width > 100
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert side.region.width > 0

        await pilot.press("enter")  # blank: ignored
        await send(pilot, "hi")
        chat = app.main.chat
        await until(pilot, lambda: (t := chat.turn(1)) is not None and t.complete, "the reply")
        assert len(chat.query(UserEntry)) == 1
        assert not chat.query(NoticeEntry)
        await pilot.press("ctrl+l")
        await until(pilot, lambda: not chat.children, "the log to clear")

        chat.focus()
        await pilot.press("ctrl+t")
        assert app.focused is app.main.composer


async def test_the_command_palette_offers_the_actions(live_server: LiveServer, settings: Settings) -> None:
    app = make_app(settings, connect_to(live_server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        titles = [command.title for command in app.get_system_commands(app.main)]
        for title in ("Interrupt", "Key bindings", "Toggle panes", "Focus composer", "Clear log", "Quit"):
            assert title in titles
