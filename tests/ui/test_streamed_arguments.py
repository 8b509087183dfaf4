"""The Tools tab shows the arguments of a function call growing while the model streams them, and the call
whole once it is complete."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable, Static

from livetui.config import Settings
from livetui.server.app import LiveServer
from livetui.session.connect import connect_to
from livetui.ui.app import make_app
from livetui.ui.widgets.tools_pane import ToolsPane
from tests.providers.gemini.test_streamed_calls import live_codec, tool_call
from tests.ui.waiting import until, until_live

PIECES: list[dict[str, Any]] = [
    {
        "id": "fc-1",
        "name": "book",
        "partialArgs": [{"jsonPath": "$.city", "stringValue": "Par", "willContinue": True}],
        "willContinue": True,
    },
    {"id": "fc-1", "partialArgs": [{"jsonPath": "$.city", "stringValue": "is"}], "willContinue": True},
    {"id": "fc-1", "partialArgs": [{"jsonPath": "$.nights", "numberValue": 3}]},
]
"""One call's parts, as a model streaming its arguments sends them."""


async def test_the_tools_tab_shows_the_arguments_growing(live_server: LiveServer, settings: Settings) -> None:
    app = make_app(settings, connect_to(live_server.url, settings))
    codec = live_codec()
    async with app.run_test(size=(140, 45)) as pilot:
        await until_live(pilot)
        tools = app.main.query_one(ToolsPane)
        detail = tools.query_one("#tools-detail-text", Static)
        table = tools.query_one("#tools-table", DataTable)
        shown: list[tuple[str, str]] = []
        for piece in PIECES:
            codec.receive(tool_call(piece), at=1.0)
            for event in codec.events_received():
                app.main.deliver(event, None)
            await until(pilot, lambda: "fc-1" in tools.calls, "the call to be listed")
            await pilot.pause()
            shown.append((str(table.get_row_at(0)[1]), str(detail.render())))
        assert table.row_count == 1
        assert shown[0][0] == "streaming" and '"city": "Par"' in shown[0][1]
        assert shown[1][0] == "streaming" and '"city": "Paris"' in shown[1][1] and "nights" not in shown[1][1]
        assert shown[2][0] == "pending" and '"nights": 3' in shown[2][1]
        (view,) = tools.calls.values()
        assert view.call.args == {"city": "Paris", "nights": 3}
