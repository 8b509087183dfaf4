"""Function calls in the app: the Tools tab shows each call whole, the chat log shows it inline, and the
confirm and manual modes ask the user."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Label, Static, TabbedContent, TextArea

from livetui.config import Settings
from livetui.server.app import LiveServer, ServerConfig
from livetui.session.connect import connect_to
from livetui.tools.registry import ToolRegistry
from livetui.ui.app import LiveApp, make_app
from livetui.ui.screens.tool_dialogs import AnswerToolScreen, ConfirmToolScreen
from livetui.ui.widgets.tool_entry import ToolEntry
from livetui.ui.widgets.tools_pane import ToolsPane
from tests.conftest import ScriptWriter, ServerStarter, both_dialects
from tests.ui.waiting import send, until, until_live

pytestmark = both_dialects

USER_TOOLS = Path(__file__).parents[1] / "session" / "runner_tools.py"
"""A user's tools file (its `add` adds two integers)."""

SCRIPT = {
    "rules": [
        {
            "match": "times",
            "tool_calls": [{"name": "calculator", "args": {"expression": "6 * 7"}}],
            "reply": "6 times 7 is {output}.",
        },
        {"match": "add", "tool_calls": [{"name": "add", "args": {"a": 40, "b": 2}}], "reply": "{output}"},
    ]
}


@pytest.fixture
async def tool_server(start_live_server: ServerStarter, write_script: ScriptWriter) -> LiveServer:
    """A scripted server whose rules call the calculator and a user's `add`."""
    return await start_live_server(ServerConfig(script=write_script(SCRIPT)))


ToolMode = Literal["auto", "confirm", "manual"]
"""Who answers the model's function calls (the `tool_mode` setting)."""


def tools_app(server: LiveServer, settings: Settings, *, mode: ToolMode = "auto") -> LiveApp:
    """The app, declaring the built-in tools and the user's tools file, answering calls in `mode`."""
    settings = settings.model_copy(update={"tool_mode": mode})
    tools = ToolRegistry.load(USER_TOOLS)
    return make_app(settings, connect_to(server.url, settings, tools=tools), tools=tools)


async def reply_of(pilot: Pilot[Any], app: LiveApp, turn: int) -> str:
    """Wait for a turn's reply to complete; its text."""
    chat = app.main.chat
    await until(pilot, lambda: (t := chat.turn(turn)) is not None and t.complete, f"reply {turn}")
    model_turn = chat.turn(turn)
    assert model_turn is not None
    return model_turn.text


def statuses(app: LiveApp) -> list[str]:
    """The statuses of the calls in the tools pane."""
    return [view.status for view in pane(app).calls.values()]


def pane(app: LiveApp) -> ToolsPane:
    """The tools pane."""
    return app.main.query_one("#tools", ToolsPane)


async def test_a_call_shows_done_with_its_result_in_the_tools_tab_and_the_chat(
    tool_server: LiveServer, settings: Settings
) -> None:
    app = tools_app(tool_server, settings)
    async with app.run_test(size=(140, 45)) as pilot:
        await until_live(pilot)
        await send(pilot, "what is 6 times 7")
        assert await reply_of(pilot, app, 1) == "6 times 7 is 42."
        tools = pane(app)
        (view,) = tools.calls.values()
        await until(pilot, lambda: view.status == "done", "the call's status")
        assert (view.call.name, view.call.args, view.result) == (
            "calculator",
            {"expression": "6 * 7"},
            {"output": 42},
        )

        app.main.query_one("#side", TabbedContent).active = "tools-tab"
        await pilot.pause()
        table = tools.query_one("#tools-table", DataTable)
        assert table.row_count == 1
        assert [str(cell) for cell in table.get_row_at(0)][:2] == ["calculator", "done"]
        detail = str(tools.query_one("#tools-detail-text", Static).render())
        assert '"expression": "6 * 7"' in detail and '"output": 42' in detail and view.call.call_id in detail

        (entry,) = app.main.chat.query(ToolEntry)
        text = str(entry.render())
        assert 'calculator(expression="6 * 7")' in text and "→ 42" in text and "done" in text

        # A user's own tools file works the same way.
        await send(pilot, "add")
        assert await reply_of(pilot, app, 2) == "42"
        assert [v.status for v in tools.calls.values()] == ["done", "done"]


async def test_confirm_mode_asks_and_runs_an_approved_call(
    tool_server: LiveServer, settings: Settings
) -> None:
    app = tools_app(tool_server, settings, mode="confirm")
    async with app.run_test(size=(140, 45)) as pilot:
        await until_live(pilot)
        await send(pilot, "what is 6 times 7")
        await until(pilot, lambda: isinstance(app.screen, ConfirmToolScreen), "the confirm dialog")
        (view,) = pane(app).calls.values()
        assert view.status == "pending" and view.awaiting == "approval"
        await pilot.press("a")
        assert await reply_of(pilot, app, 1) == "6 times 7 is 42."
        assert app.screen is app.main
        assert statuses(app) == ["done"]


async def test_confirm_mode_denies_a_call_with_an_error(tool_server: LiveServer, settings: Settings) -> None:
    app = tools_app(tool_server, settings, mode="confirm")
    async with app.run_test(size=(140, 45)) as pilot:
        await until_live(pilot)
        await send(pilot, "what is 6 times 7")
        await until(pilot, lambda: isinstance(app.screen, ConfirmToolScreen), "the confirm dialog")
        await pilot.press("d")
        assert await reply_of(pilot, app, 1) == "6 times 7 is denied by the user."
        (view,) = pane(app).calls.values()
        assert (view.status, view.result) == ("denied", {"error": "denied by the user"})
        (entry,) = app.main.chat.query(ToolEntry)
        assert entry.has_class("-failed")


async def test_manual_mode_sends_the_typed_result_and_refuses_bad_json(
    tool_server: LiveServer, settings: Settings
) -> None:
    app = tools_app(tool_server, settings, mode="manual")
    async with app.run_test(size=(140, 45)) as pilot:
        await until_live(pilot)
        await send(pilot, "what is 6 times 7")
        await until(pilot, lambda: isinstance(app.screen, AnswerToolScreen), "the answer dialog")
        dialog = app.screen
        editor = dialog.query_one("#tool-answer", TextArea)
        editor.text = ""
        await pilot.press(*"{4")
        await pilot.press("ctrl+s")
        error = dialog.query_one("#tool-answer-error", Label)
        await until(pilot, lambda: error.has_class("-shown"), "the JSON error")
        assert str(error.render()).startswith("not valid JSON: ")
        assert app.screen is dialog, "the dialog stays open"

        editor.text = ""
        await pilot.press("4", "2")
        await pilot.press("ctrl+s")
        assert await reply_of(pilot, app, 1) == "6 times 7 is 42."
        (view,) = pane(app).calls.values()
        assert (view.status, view.result) == ("done", {"output": 42})


async def test_interrupting_cancels_a_call_waiting_for_its_answer(
    tool_server: LiveServer, settings: Settings
) -> None:
    app = tools_app(tool_server, settings, mode="manual")
    async with app.run_test(size=(140, 45)) as pilot:
        await until_live(pilot)
        await send(pilot, "what is 6 times 7")
        await until(pilot, lambda: isinstance(app.screen, AnswerToolScreen), "the answer dialog")
        await pilot.press("escape")  # "later": the call still waits
        await until(pilot, lambda: app.screen is app.main, "the dialog to close")
        (view,) = pane(app).calls.values()
        assert view.status == "pending"
        await pilot.press("escape")  # now the interrupt key
        await until(pilot, lambda: view.status == "cancelled", "the call to be cancelled")
        chat = app.main.chat
        await until(pilot, lambda: (t := chat.turn(1)) is not None and t.complete, "the turn to end")
        turn = chat.turn(1)
        assert turn is not None and turn.interrupted
