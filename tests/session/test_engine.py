"""The engine against the real local server on loopback (scripted brain)."""

from __future__ import annotations

import asyncio
import json
from functools import partial
from pathlib import Path
from typing import ClassVar

import pytest
from websockets.asyncio.server import ServerConnection, serve

from livetui import events as ev
from livetui.live.endpoint import Endpoint
from livetui.providers.registry import local_endpoint, provider
from livetui.session import engine
from livetui.session.engine import LiveSession
from tests.conftest import Dialect, both_dialects
from tests.session import conftest
from tests.session.conftest import TEXT_CONFIG, Recorder, live_session, local_server, local_session, running

SERVER_INTERRUPTED = {"gemini": "serverContent.interrupted", "openai": "response.done"}
"""The frame in which each dialect's server acknowledges an interruption."""


@both_dialects
async def test_a_text_turn_streams_deltas_in_order_then_completes(dialect: Dialect) -> None:
    async with live_session(dialect=dialect) as (session, recorder):
        turn = session.send_text("hello there my friend")
        await recorder.first(ev.TurnComplete)
        deltas = recorder.of(ev.TextDelta)
        assert len(deltas) > 1, "the reply streams in several deltas"
        assert "".join(d.text for d in deltas) == "You said: hello there my friend"
        assert {d.turn for d in deltas} == {turn}
        kinds = [
            e.kind
            for e in recorder.events
            if e.kind in ("text_delta", "generation_complete", "turn_complete")
        ]
        assert kinds[-2:] == ["generation_complete", "turn_complete"]
        marks = session.latency.turn(turn)
        assert marks is not None and list(marks.marks) == ["t0", "t1", "t4"]
        assert marks.marks["t0"] <= marks.marks["t1"] <= marks.marks["t4"]
        assert recorder.of(ev.Usage)[-1].total_tokens > 0


@both_dialects
async def test_the_conversation_is_stateful_across_turns(story_script: Path, dialect: Dialect) -> None:
    async with live_session(story_script, dialect) as (session, recorder):
        for word in ("count one", "count two"):
            turn = session.send_text(word)
            await recorder.first(ev.TurnComplete, lambda e: e.turn == turn)  # noqa: B023
        texts = {
            turn: "".join(d.text for d in recorder.of(ev.TextDelta) if d.turn == turn) for turn in (1, 2)
        }
        assert texts == {1: "turn 1: count one", 2: "turn 2: count two"}


@both_dialects
async def test_interrupt_mid_reply_stops_text_and_the_server_acknowledges(
    story_script: Path, dialect: Dialect
) -> None:
    async with live_session(story_script, dialect) as (session, recorder):
        turn = session.send_text("tell me a story")
        await recorder.first(ev.TextDelta)
        assert session.interrupt() == turn
        shown = len(recorder.of(ev.TextDelta))
        # emitted synchronously by the key press, before any network round trip
        assert [(e.turn, e.by) for e in recorder.of(ev.Interrupted)] == [(turn, "user")]
        done = await recorder.first(ev.TurnComplete)
        assert done.reason == "interrupted"
        assert len(recorder.of(ev.TextDelta)) == shown, "no text after the key"
        assert [e.by for e in recorder.of(ev.Interrupted)] == ["user", "server"]
        assert not any(isinstance(e, ev.GenerationComplete) for e in recorder.events)
        marks = session.latency.turn(turn)
        assert marks is not None and {"k0", "k2"} <= marks.marks.keys()
        wire_in = [e.summary for e in recorder.of(ev.WireFrame) if e.direction == "in"]
        assert SERVER_INTERRUPTED[dialect] in wire_in


@both_dialects
async def test_typing_during_a_reply_interrupts_it_and_answers_the_new_turn(
    story_script: Path, dialect: Dialect
) -> None:
    async with live_session(story_script, dialect) as (session, recorder):
        session.send_text("tell me a story")
        await recorder.first(ev.TextDelta)
        second = session.send_text("count now")
        await recorder.first(ev.TurnComplete, lambda e: e.turn == second)
        first_done = recorder.of(ev.TurnComplete)[0]
        assert (first_done.turn, first_done.reason) == (1, "interrupted")
        reply = "".join(d.text for d in recorder.of(ev.TextDelta) if d.turn == second)
        assert reply == "turn 2: count now"


@both_dialects
async def test_a_wrong_key_is_a_clear_fatal_error(dialect: Dialect) -> None:
    async with local_server(key="right-key") as server:
        session = local_session(server.url, dialect)
        async with running(session) as recorder:
            error = await recorder.first(ev.SessionError)
        assert error.fatal and "refused the API key (HTTP 401)" in error.message
        assert "right-key" not in repr(recorder.events)


async def test_a_refused_connection_is_one_fatal_line() -> None:
    async with local_server() as server:
        url = server.url
    session = LiveSession(local_endpoint(url), provider("gemini"), TEXT_CONFIG)
    async with running(session) as recorder:
        error = await recorder.first(ev.SessionError)
    host = url.removeprefix("ws://")
    assert error.fatal
    assert error.message == f"cannot reach {host}: connection refused (nothing is listening on that port)"
    assert "\n" not in error.message


async def test_a_name_that_does_not_resolve_names_the_host_and_the_cause() -> None:
    # `.invalid` never resolves (RFC 2606): the lookup fails locally, with no network traffic.
    session = LiveSession(local_endpoint("ws://livetui.invalid:9"), provider("gemini"), TEXT_CONFIG)
    async with running(session) as recorder:
        error = await recorder.first(ev.SessionError)
    assert error.fatal
    assert error.message.startswith("cannot reach livetui.invalid:9: its name ")
    assert "Errno" not in error.message and "\n" not in error.message


async def test_a_wrong_path_is_reported_with_its_http_status() -> None:
    async with local_server() as server:
        session = LiveSession(
            Endpoint(url=server.url + "/nowhere", provider="local"), provider("gemini"), TEXT_CONFIG
        )
        async with running(session) as recorder:
            error = await recorder.first(ev.SessionError)
    assert error.fatal and "HTTP 404" in error.message


async def test_the_session_does_not_offer_per_message_compression() -> None:
    """Base64 audio and JPEG hardly compress: deflating each microphone block would only cost CPU."""
    offered: list[str | None] = []

    async def handler(ws: ServerConnection) -> None:
        assert ws.request is not None
        offered.append(ws.request.headers.get("Sec-WebSocket-Extensions"))
        await ws.close()

    async with serve(handler, "127.0.0.1", 0) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        session = LiveSession(local_endpoint(f"ws://127.0.0.1:{port}"), provider("gemini"), TEXT_CONFIG)
        async with running(session) as recorder:
            await recorder.first(ev.Disconnected)
    assert offered == [None]


async def test_a_burst_of_buffered_frames_is_read_in_slices_that_let_the_loop_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`recv` hands over a buffered frame without suspending: the reader must pause between slices, or the
    chat could neither lay out nor paint until the whole burst was handled. (A slice of 0 s: a pause
    before every frame.)"""
    monkeypatch.setattr(engine, "READ_SLICE", 0.0)
    count = 300

    async def handler(ws: ServerConnection) -> None:
        async for raw in ws:
            if "setup" in json.loads(raw):
                await ws.send(json.dumps({"setupComplete": {}}))
                continue
            frames = [
                json.dumps({"serverContent": {"modelTurn": {"parts": [{"text": f"w{i} "}]}}})
                for i in range(count)
            ]
            for frame in frames:  # written at once: the client finds them all in its buffer
                await ws.send(frame)
            await ws.send(json.dumps({"serverContent": {"turnComplete": True}}))

    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    class Ticks(Recorder):
        """The ticker's count when each text delta arrived."""

        seen: ClassVar[list[int]] = []

        def __call__(self, event: ev.AnyEvent) -> None:
            if isinstance(event, ev.TextDelta):
                self.seen.append(ticks)
            super().__call__(event)

    monkeypatch.setattr(conftest, "Recorder", Ticks)
    async with serve(handler, "127.0.0.1", 0) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        session = LiveSession(local_endpoint(f"ws://127.0.0.1:{port}"), provider("gemini"), TEXT_CONFIG)
        async with running(session) as recorder:
            await recorder.first(ev.SetupComplete)
            ticker = asyncio.create_task(tick())
            session.send_text("a burst")
            await recorder.first(ev.TurnComplete)
            ticker.cancel()
    assert len(Ticks.seen) == count
    assert len(set(Ticks.seen)) == count  # another task ran between every two frames


def completed(recorder: Recorder, turns: int) -> bool:
    """True once `turns` turns are complete."""
    return len(recorder.of(ev.TurnComplete)) >= turns


async def test_frames_that_each_arrive_after_a_wait_are_read_without_pausing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A pause is for a burst already in the buffer: a frame the reader had to wait for starts a new slice
    (the loop ran while it waited), so a paced stream costs no extra turn of the loop per frame."""
    monkeypatch.setattr(engine, "READ_SLICE", 0.05)
    pace = 0.1  # twice the slice: a slice that outlived its wait would pause after every reply frame
    pauses = 0
    pause = engine.let_the_loop_run

    async def counted() -> None:
        nonlocal pauses
        pauses += 1
        await pause()

    monkeypatch.setattr(engine, "let_the_loop_run", counted)

    async def handler(ws: ServerConnection) -> None:
        async for raw in ws:
            if "setup" in json.loads(raw):
                await ws.send(json.dumps({"setupComplete": {}}))
                continue
            await asyncio.sleep(pace)  # each reply only after the client asked, and a while later
            await ws.send(json.dumps({"serverContent": {"modelTurn": {"parts": [{"text": "ok "}]}}}))
            await ws.send(json.dumps({"serverContent": {"turnComplete": True}}))

    async with serve(handler, "127.0.0.1", 0) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        session = LiveSession(local_endpoint(f"ws://127.0.0.1:{port}"), provider("gemini"), TEXT_CONFIG)
        async with running(session) as recorder:
            await recorder.first(ev.SetupComplete)
            for turn in range(1, 6):
                session.send_text(f"question {turn}")
                await recorder.wait_for(partial(completed, recorder, turn))
    assert len(recorder.of(ev.TextDelta)) == 5
    assert pauses == 0


COMPLETING = {"gemini": '"turnComplete":true', "openai": '"type":"response.done"'}
"""What the frame that completes a reply holds, in each dialect."""


@both_dialects
async def test_an_event_its_consumer_fails_on_does_not_drop_the_rest_of_the_frame(dialect: Dialect) -> None:
    class Fragile(Recorder):
        """Fails on the reply's completing frame as it is shown (the events after it come from that frame)."""

        def __call__(self, event: ev.AnyEvent) -> None:
            super().__call__(event)
            if (
                isinstance(event, ev.WireFrame)
                and event.direction == "in"
                and COMPLETING[dialect] in event.text
            ):
                raise ValueError("the events pane\nbroke")

    async with local_server() as server:
        session = local_session(server.url, dialect)
        async with running(session, Fragile()) as recorder:
            await recorder.first(ev.SetupComplete)
            turn = session.send_text("hello")
            done = await recorder.first(ev.TurnComplete)
            second = session.send_text("again")
            await recorder.first(ev.TurnComplete, lambda e: e.turn == second)
    assert (done.turn, done.reason) == (turn, "complete"), "the frame's own TurnComplete still came"
    errors = [e.message for e in recorder.of(ev.SessionError)]
    assert errors == ["could not handle a wire_frame event: the events pane broke"] * 2
    assert not any(e.fatal for e in recorder.of(ev.SessionError))
