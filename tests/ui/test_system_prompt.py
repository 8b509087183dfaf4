"""The System prompt command: the session's instructions edited in a dialog and sent to the model as the
session goes on."""

from __future__ import annotations

import json

from textual.widgets import TextArea

from livetui.config import Settings
from livetui.server.app import LiveServer
from livetui.session.connect import connect_to
from livetui.ui.app import make_app
from livetui.ui.screens.system_prompt import SystemPromptScreen
from livetui.ui.widgets.entries import NoticeEntry
from livetui.ui.widgets.events_pane import EventsPane
from tests.ui.waiting import send, until, until_live


async def test_the_edited_prompt_is_sent_as_a_context_update_and_kept(live_server: LiveServer) -> None:
    settings = Settings(text_only=True, system_prompt="be terse")
    app = make_app(settings, connect_to(live_server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        assert "System prompt" in [command.title for command in app.get_system_commands(app.main)]
        app.action_system_prompt()
        await until(pilot, lambda: bool(app.screen.query("#system-prompt-text")), "the editor")
        editor = app.screen.query_one("#system-prompt-text", TextArea)
        assert editor.text == "be terse" and editor.has_focus
        editor.text = "answer in three words"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, SystemPromptScreen), "the editor to close")
        notices = [entry.text for entry in app.main.chat.query(NoticeEntry)]
        assert "the session's system prompt was updated" in notices
        frames = app.main.query_one(EventsPane).frames
        sent = [json.loads(f.text) for f in frames if f.summary == "contextUpdate"]
        instruction = {"role": "user", "parts": [{"text": "answer in three words"}]}
        assert sent == [{"contextUpdate": {"systemInstruction": instruction}}]
        session = app.session
        assert session is not None and session.config.system_prompt == "answer in three words"
        await send(pilot, "hi")
        await until(pilot, lambda: (t := app.main.chat.turn(1)) is not None and t.complete, "the reply")


async def test_escape_closes_the_editor_and_sends_nothing(live_server: LiveServer) -> None:
    settings = Settings(text_only=True)
    app = make_app(settings, connect_to(live_server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        app.action_system_prompt()
        await until(pilot, lambda: isinstance(app.screen, SystemPromptScreen), "the editor")
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, SystemPromptScreen), "the editor to close")
        frames = app.main.query_one(EventsPane).frames
        assert not [f for f in frames if f.summary == "contextUpdate"]
