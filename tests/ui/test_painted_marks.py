"""The marks only the chat log sees: a model turn posts them with the time of the paint, and the app hands
them to the turn's runtime (the widget never calls the engine)."""

from __future__ import annotations

from textual.message import Message

from livetui.config import Settings
from livetui.server.app import ServerConfig
from livetui.session.connect import connect_to
from livetui.ui.app import make_app
from livetui.ui.widgets.model_turn import ModelTurn
from tests.conftest import ScriptWriter, ServerStarter
from tests.ui.waiting import send, until, until_live

STORY = "Once upon a time there was a very long reply that kept going. " * 40
"""A reply long enough to interrupt."""


def painted(messages: list[Message]) -> list[ModelTurn.Painted]:
    """The marks the model turns posted, in order."""
    return [m for m in messages if isinstance(m, ModelTurn.Painted)]


async def test_first_text_and_interrupted_text_marks_carry_the_time_of_the_paint(
    start_live_server: ServerStarter, write_script: ScriptWriter, settings: Settings
) -> None:
    script = write_script(
        {"rules": [{"match": "story", "reply": STORY, "chunk_chars": 8, "interval_ms": 20}]}
    )
    server = await start_live_server(ServerConfig(script=script))
    messages: list[Message] = []
    app = make_app(settings, connect_to(server.url, settings))
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await until_live(pilot)
        session = app.session
        assert session is not None
        await send(pilot, "story")
        await until(pilot, lambda: session.latency.has(1, "t2"), "the first text on screen")
        await pilot.press("escape")
        await until(pilot, lambda: session.latency.has(1, "k1"), "the interrupted text final on screen")
        marks = {(m.turn, m.mark): m for m in painted(messages)}
        turn = app.main.chat.turn(1)
        assert turn is not None and set(marks) == {(1, "t2"), (1, "k1")}
        assert all(m.control is turn and m.model_turn.runtime is app.runtime for m in marks.values())
        recorded = session.latency.turn(1)
        assert recorded is not None
        assert recorded.marks["t2"] == marks[1, "t2"].at, "t2 is when the text was painted"
        assert recorded.marks["k1"] == marks[1, "k1"].at, "k1 is when the interrupted text was final"
        assert recorded.marks["t0"] < recorded.marks["t2"] < recorded.marks["k0"] <= recorded.marks["k1"]
