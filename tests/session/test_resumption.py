"""A session survives its connections: goAway, a dropped or failed connection, a malformed frame, and a
stale handle, against the real local server with a script of faults."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from websockets.asyncio.server import ServerConnection, serve

from livetui import events as ev
from livetui.live.endpoint import Endpoint
from livetui.providers.registry import provider
from livetui.record.journal import Journal
from livetui.record.reader import read_recording
from livetui.session.engine import MOVING_REASON, LiveSession
from livetui.session.reconnect import Backoff
from tests.conftest import Dialect, both_dialects
from tests.session.conftest import TEXT_CONFIG, Recorder, local_server, local_session, running

STORY = "once upon a time there was a long story told in many small pieces"

FAULTS = {
    "rules": [
        {"match": "count", "reply": "turn {turn}"},
        {
            "match": "leave",
            "reply": "turn {turn}, then I must go",
            "fault": "go_away",
            "time_left_ms": 10_000,
        },
        {"match": "soon", "reply": "turn {turn}, and soon gone", "fault": "go_away", "time_left_ms": 300},
        {"match": "drop", "reply": STORY, "chunk_chars": 5, "fault": "drop"},
        {"match": "crash", "reply": STORY, "chunk_chars": 5, "fault": "close_1011"},
        {"match": "garble", "reply": "still here after the noise", "fault": "malformed"},
    ]
}

FAST = Backoff(attempts=3, first_delay=0.001)
"""Reconnect at once, in tests."""


@pytest.fixture
def faults(tmp_path: Path) -> Path:
    """The script of faults."""
    path = tmp_path / "faults.json"
    path.write_text(json.dumps(FAULTS))
    return path


RESUMED = {
    "gemini": "the session resumed on a new connection",
    "openai": "the session resumed on a new connection by replaying 1 turn",
}
"""How each dialect's session says it resumed after losing its first turn: by handle (Gemini), or by
replaying the conversation so far (OpenAI, which cannot resume by handle)."""


@asynccontextmanager
async def faulty_session(
    script: Path,
    *,
    handle: str | None = None,
    journal: Journal | None = None,
    dialect: Dialect = "gemini",
) -> AsyncIterator[tuple[LiveSession, Recorder]]:
    """A session with the local server running `script` in `dialect`, already live (unless it starts from
    a handle); with a `journal`, every event is journaled as well, as the app does."""
    async with local_server(script) as server:
        session = local_session(server.url, dialect, backoff=FAST, handle=handle)
        recorder = Recorder()

        def emit(event: ev.AnyEvent) -> None:
            recorder(event)
            if journal is not None:
                journal.write(event)

        task = asyncio.create_task(session.run(emit))
        try:
            if handle is None:
                await recorder.first(ev.SetupComplete)
            yield session, recorder
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def reply(recorder: Recorder, turn: int) -> str:
    """The text of a turn's reply so far."""
    return "".join(delta.text for delta in recorder.of(ev.TextDelta) if delta.turn == turn)


def setups(recorder: Recorder) -> list[dict[str, object]]:
    """The setup messages sent, in order."""
    return [
        json.loads(frame.text)["setup"] for frame in recorder.of(ev.WireFrame) if frame.summary == "setup"
    ]


# Gemini only: goAway and resumption handles are Gemini's (OpenAI's counterpart, its time limit: below).
async def test_after_go_away_the_session_moves_to_a_new_socket_with_its_handle(faults: Path) -> None:
    async with faulty_session(faults) as (session, recorder):
        assert setups(recorder)[0]["sessionResumption"] == {}, "handles are asked for with {}, never null"
        turn = session.send_text("time to leave")
        await recorder.first(ev.GoAway)
        resumed = await recorder.first(ev.Resumed)
        handle = [e.handle for e in recorder.of(ev.ResumptionHandle) if e.resumable]
        assert reply(recorder, turn) == "turn 1, then I must go", "the reply finished before the move"
        next_turn = session.send_text("count")
        await recorder.first(ev.TurnComplete, lambda e: e.turn == next_turn)
    assert resumed.attempt == 2 and next_turn == turn + 1
    assert [e.attempt for e in recorder.of(ev.Connecting)] == [1, 2]
    assert len(recorder.of(ev.Connected)) == 2, "a new socket"
    gone = recorder.of(ev.Disconnected)
    assert [(e.code, e.reason, e.will_retry) for e in gone] == [(1000, MOVING_REASON, True)]
    assert setups(recorder)[1]["sessionResumption"] == {"handle": handle[1]}, "the latest handle"
    assert reply(recorder, next_turn) == "turn 2", "the conversation continues"
    assert not recorder.of(ev.SessionError)


async def test_a_scripted_go_away_ends_an_openai_session_at_its_time_limit_and_it_replays(
    faults: Path,
) -> None:
    """OpenAI has no `goAway`: in its dialect the fault closes the session as its time limit does (1001,
    announcing nothing), and the engine goes on on a new connection, replaying the conversation (the hour
    limit itself: `test_openai_hour`)."""
    async with local_server(faults) as server:
        session = local_session(server.url, "openai", backoff=FAST)
        async with running(session) as recorder:
            await recorder.first(ev.SetupComplete)
            turn = session.send_text("see you soon")
            await recorder.first(ev.TurnComplete, lambda e: e.turn == turn)
            gone = await recorder.first(ev.Disconnected)
            await recorder.first(ev.Resumed)
            next_turn = session.send_text("count")
            await recorder.first(ev.TurnComplete, lambda e: e.turn == next_turn)
    assert gone.code == 1001 and gone.will_retry
    assert gone.reason.startswith("the session reached the server's time limit")
    assert reply(recorder, turn) == "turn 1, and soon gone" and reply(recorder, next_turn) == "turn 2"
    assert RESUMED["openai"] in [e.message for e in recorder.of(ev.Notice)]
    assert not recorder.of(ev.SessionError) and not recorder.of(ev.GoAway), "OpenAI announces nothing"


@both_dialects
@pytest.mark.parametrize(("word", "code"), [("drop", 1006), ("crash", 1011)])
async def test_a_connection_lost_mid_reply_reconnects_and_resumes(
    faults: Path, tmp_path: Path, word: str, code: int, dialect: Dialect
) -> None:
    journal = Journal(tmp_path)
    async with faulty_session(faults, journal=journal, dialect=dialect) as (session, recorder):
        turn = session.send_text(f"{word} it")
        cut = await recorder.first(ev.TurnComplete, lambda e: e.turn == turn)
        await recorder.first(ev.Resumed)
        next_turn = session.send_text("count")
        await recorder.first(ev.TurnComplete, lambda e: e.turn == next_turn)
    journal.close()
    assert cut.reason == "disconnected", "the cut-off reply is closed locally"
    shown = reply(recorder, turn)
    assert shown and STORY.startswith(shown) and shown != STORY
    gone = recorder.of(ev.Disconnected)[0]
    assert gone.code == code and gone.will_retry
    assert reply(recorder, next_turn) == "turn 2", (
        "the server knows the conversation, the turns keep counting"
    )
    assert RESUMED[dialect] in [e.message for e in recorder.of(ev.Notice)]
    journaled = [e for e in read_recording(tmp_path).events if isinstance(e, ev.TextDelta) and e.turn == turn]
    assert "".join(e.text for e in journaled) == shown


@both_dialects
async def test_a_malformed_frame_is_reported_and_the_session_goes_on(faults: Path, dialect: Dialect) -> None:
    async with faulty_session(faults, dialect=dialect) as (session, recorder):
        turn = session.send_text("garble")
        done = await recorder.first(ev.TurnComplete, lambda e: e.turn == turn)
    assert done.reason == "complete" and reply(recorder, turn) == "still here after the noise"
    [error] = recorder.of(ev.SessionError)
    assert not error.fatal and error.message.startswith(
        "malformed frame from the server: frame is not valid JSON"
    )
    assert not recorder.of(ev.Disconnected)


FORGOTTEN = (
    "the session could not be resumed: the server no longer knows it (1008): "
    "BidiGenerateContent session not found: it goes on as a new session, "
)
"""The line said when the server refused a handle, up to what is replayed."""


# Gemini only: OpenAI sessions are never resumed by handle.
async def test_a_stale_handle_is_explained_and_a_new_session_opened_at_once(faults: Path) -> None:
    async with faulty_session(faults, handle="long-gone") as (session, recorder):
        await recorder.first(ev.SetupComplete)
        turn = session.send_text("count")
        await recorder.first(ev.TurnComplete, lambda e: e.turn == turn)
    assert [e.message for e in recorder.of(ev.Notice)] == [FORGOTTEN + "with no conversation to replay"]
    assert [e.attempt for e in recorder.of(ev.Connecting)] == [1, 2]
    assert [s["sessionResumption"] for s in setups(recorder)] == [{"handle": "long-gone"}, {}]
    assert reply(recorder, turn) == "turn 1"
    assert not recorder.of(ev.SessionError) and not recorder.of(ev.Disconnected)


# Gemini only: OpenAI sessions are never resumed by handle.
async def test_a_handle_the_server_forgot_gives_a_new_session_that_replays_the_conversation(
    faults: Path,
) -> None:
    async with local_server(faults) as server:
        session = local_session(server.url, "gemini", backoff=FAST)
        async with running(session) as recorder:
            await recorder.first(ev.SetupComplete)
            for _ in range(2):
                turn = session.send_text("count")
                await recorder.first(ev.TurnComplete, lambda e: e.turn == turn)  # noqa: B023
            server.handles.max_age = -1.0  # every handle it gave is forgotten from now on
            dropped = session.send_text("drop it")
            await recorder.first(ev.TurnComplete, lambda e: e.turn == dropped)
            await recorder.first(ev.Resumed)
            after = session.send_text("count")
            await recorder.first(ev.TurnComplete, lambda e: e.turn == after)
    notices = [e.message for e in recorder.of(ev.Notice)]
    assert notices[0].startswith("the connection dropped (1006): reconnecting")
    assert notices[1:] == [FORGOTTEN + "replaying 3 turns"], "one line, and no other about resuming"
    resumptions = [s["sessionResumption"] for s in setups(recorder)]
    assert len(resumptions) == 3 and resumptions[1] != {} and resumptions[2] == {}
    assert reply(recorder, after) == "turn 4", "the new session knows the three turns before it"
    assert [e.will_retry for e in recorder.of(ev.Disconnected)] == [True], "only the drop is a disconnection"
    assert not recorder.of(ev.SessionError)


async def test_a_server_without_handles_gets_a_fresh_session_and_the_user_is_told() -> None:
    setups_seen: list[dict[str, object]] = []

    async def forgetful(ws: ServerConnection) -> None:
        """Answers setup with no resumption handles; the first connection drops at the first turn."""
        setups_seen.append(json.loads(await ws.recv())["setup"])
        await ws.send('{"setupComplete": {}}')
        if len(setups_seen) == 1:
            await ws.recv()
            await ws.send('{"serverContent": {"modelTurn": {"parts": [{"text": "Once"}]}}}')
            ws.transport.abort()
        await ws.wait_closed()

    async with serve(forgetful, "127.0.0.1", 0) as server:
        url = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        session = LiveSession(
            Endpoint(url=url, provider="local"), provider("gemini"), TEXT_CONFIG, backoff=FAST
        )
        async with running(session) as recorder:
            await recorder.first(ev.SetupComplete)
            turn = session.send_text("hello")
            notice = await recorder.first(ev.Notice, lambda e: "without a resumption handle" in e.message)
    assert notice.message == (
        "reconnected without a resumption handle: the model starts afresh, without the conversation so far"
    )
    assert [s["sessionResumption"] for s in setups_seen] == [{}, {}]
    assert reply(recorder, turn) == "Once" and not recorder.of(ev.Resumed)
