"""A conversation through the app against the local server: streaming, latency, interruption."""

from __future__ import annotations

from textual.message import Message

from livetui import events as ev
from livetui.config import Settings
from livetui.server.app import LiveServer, ServerConfig
from livetui.session.connect import connect_to
from livetui.ui.app import make_app
from livetui.ui.messages import SessionEvent
from livetui.ui.widgets.entries import HeardEntry, UserEntry
from livetui.ui.widgets.events_pane import EventsPane
from livetui.ui.widgets.latency_pane import LatencyPane
from tests.conftest import Dialect, ScriptWriter, ServerStarter, both_dialects
from tests.ui.waiting import live_app, seen, send, until, until_live

TEXT_FRAME = {"gemini": '"modelTurn"', "openai": '"response.output_text.delta"'}
"""What marks a frame of reply text in each dialect, in the events pane."""

STORY = "Once upon a time there was a very long reply that kept going. " * 40
"""A reply long enough to interrupt (about six seconds at the slow server's pace)."""


async def slow_server(start_live_server: ServerStarter, write_script: ScriptWriter) -> LiveServer:
    """A server that tells a long story slowly (a few characters every 20 ms) when asked for one."""
    script = write_script(
        {"rules": [{"match": "story", "reply": STORY, "chunk_chars": 8, "interval_ms": 20}]}
    )
    return await start_live_server(ServerConfig(script=script))


@both_dialects
async def test_a_message_streams_into_the_chat_log_with_latency(
    live_server: LiveServer, settings: Settings, dialect: Dialect
) -> None:
    messages: list[Message] = []
    app = make_app(settings, connect_to(live_server.url, settings))
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await until_live(pilot)
        await send(pilot, "hello there")
        chat = app.main.chat
        await until(pilot, lambda: (t := chat.turn(1)) is not None and t.complete, "the reply to finish")

        turn = chat.turn(1)
        assert turn is not None
        assert turn.text == "You said: hello there"
        assert turn.markdown.source == turn.text
        replies = [f for f in app.main.query_one(EventsPane).frames if TEXT_FRAME[dialect] in f.text]
        assert len(replies) > 1, "the default reply streams a few words per frame"
        deltas = seen(messages, ev.TextDelta)  # deltas still queued together reach the chat as one
        assert "".join(d.text for d in deltas) == turn.text
        assert [e.text for e in chat.query(UserEntry)] == ["hello there"]
        assert app.main.composer.text == ""

        session = app.session
        assert session is not None
        await until(pilot, lambda: session.latency.has(1, "t2"), "the first-text-painted mark")
        latency = app.main.query_one("#latency", LatencyPane)
        await until(pilot, lambda: latency.cell("first text", "turn").endswith("ms"), "the latency readout")
        for stage in ("first byte", "first text", "total"):
            assert latency.cell(stage, "turn").endswith("ms"), stage
            assert latency.cell(stage, "p50").endswith("ms"), stage
        assert latency.cell("interrupt ack", "turn") == "—"
        assert latency.current_turn == 1


@both_dialects
async def test_escape_stops_the_reply_at_once_and_marks_the_turn(
    start_live_server: ServerStarter, write_script: ScriptWriter, settings: Settings
) -> None:
    server = await slow_server(start_live_server, write_script)
    messages: list[Message] = []
    app = make_app(settings, connect_to(server.url, settings))
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await until_live(pilot)
        session = app.session
        assert session is not None
        await send(pilot, "story")
        chat = app.main.chat
        await until(pilot, lambda: session.latency.has(1, "t2"), "the first text on screen")
        turn = chat.turn(1)
        assert turn is not None and not turn.interrupted

        await pilot.press("escape")
        await until(pilot, lambda: turn.interrupted, "the chat log to take the interruption")
        shown = turn.text
        assert turn.has_class("-interrupted")
        assert "interrupted by you" in str(turn.query_one(".turn-marker").render())

        await until(pilot, lambda: bool(seen(messages, ev.TurnComplete)), "the server to close the turn")
        await until(pilot, lambda: session.latency.has(1, "k2"), "the server's acknowledgement (k2)")
        await until(pilot, lambda: session.latency.has(1, "k1"), "the interrupted text final on screen (k1)")
        await pilot.pause()
        assert turn.text == shown, "an interrupted turn never grows"
        assert turn.markdown.source == shown, "the screen shows exactly the turn's text"
        assert 0 < len(shown) < len(STORY)
        [complete] = seen(messages, ev.TurnComplete)
        assert complete.reason == "interrupted"
        [user_interrupt] = [e for e in seen(messages, ev.Interrupted) if e.by == "user"]
        assert user_interrupt.turn == 1
        # Every delta the chat log took came before the interruption.
        handled = [m.event for m in messages if isinstance(m, SessionEvent)]
        after = handled[handled.index(user_interrupt) :]
        assert not [e for e in after if isinstance(e, ev.TextDelta) and e.turn == 1]
        latency = app.main.query_one("#latency", LatencyPane)
        await until(pilot, lambda: latency.cell("interrupt ack", "turn").endswith("ms"), "the ack readout")


@both_dialects
async def test_a_new_message_while_the_model_replies_interrupts_it(
    start_live_server: ServerStarter, write_script: ScriptWriter, settings: Settings
) -> None:
    server = await slow_server(start_live_server, write_script)
    app = make_app(settings, connect_to(server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        session = app.session
        assert session is not None
        await send(pilot, "story")
        await until(pilot, lambda: session.latency.has(1, "t2"), "the first text on screen")
        app.main.composer.value = "stop"  # typed at once: Pilot takes a while per key
        await pilot.press("enter")
        chat = app.main.chat
        first, second = chat.turn(1), None
        await until(pilot, lambda: (t := chat.turn(2)) is not None and t.complete, "the second reply")
        second = chat.turn(2)
        assert first is not None and second is not None
        assert first.interrupted and not second.interrupted
        assert second.text == "You said: stop"
        assert [e.text for e in chat.query(UserEntry)] == ["story", "stop"]


async def test_a_server_interruption_marks_the_turn_too(live_server: LiveServer, settings: Settings) -> None:
    app = make_app(settings, connect_to(live_server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        session = app.session
        assert session is not None
        app.main.deliver(ev.UserText(turn=7, text="hi"), session)
        app.main.deliver(ev.TextDelta(turn=7, text="Partial"), session)
        app.main.deliver(ev.Interrupted(turn=7, by="server"), session)
        app.main.deliver(ev.TextDelta(turn=7, text=" and more"), session)
        chat = app.main.chat
        await until(pilot, lambda: (t := chat.turn(7)) is not None and t.interrupted, "the interruption")
        await pilot.pause()
        turn = live_app(pilot).main.chat.turn(7)
        assert turn is not None
        assert turn.text == "Partial"
        assert "interrupted by the server" in str(turn.query_one(".turn-marker").render())


async def test_transcripts_show_inline(live_server: LiveServer, settings: Settings) -> None:
    app = make_app(settings, connect_to(live_server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        session = app.session
        assert session is not None
        deliver = app.main.deliver
        deliver(ev.InputTranscript(turn=5, text="what's the"), session)
        deliver(ev.InputTranscript(turn=5, text=" weather"), session)
        deliver(ev.InputTranscript(turn=5, text="What's the weather?", final=True), session)
        deliver(ev.OutputTranscript(turn=5, text="It is"), session)
        deliver(ev.OutputTranscript(turn=5, text=" sunny."), session)
        deliver(ev.TextDelta(turn=5, text="thinking about clouds", thought=True), session)
        deliver(ev.TurnComplete(turn=5), session)
        chat = app.main.chat
        await until(pilot, lambda: (t := chat.turn(5)) is not None and t.complete, "the spoken turn")
        [heard] = chat.query(HeardEntry)
        assert heard.text == "What's the weather?" and heard.border_title == "you (heard)", (
            "as the README says"
        )
        turn = chat.turn(5)
        assert turn is not None
        assert turn.transcript == "It is sunny." and turn.text == ""
        assert turn.thought_chunks == ["thinking about clouds"]
        assert "spoken" in str(turn.query_one(".turn-header").render())
        await until(pilot, lambda: session.latency.has(5, "t2"), "the transcript counts as first text")
