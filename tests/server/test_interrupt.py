"""Interruption mid-reply, and a brain that fails."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from websockets.asyncio.client import ClientConnection

from livetui.server.app import LiveServer, ServerConfig
from livetui.server.core.brains.base import Brain, Dialogue
from tests.conftest import ScriptWriter, ServerStarter
from tests.server.wire import (
    ACTIVITY_START,
    INTERRUPT,
    Frame,
    closed_with,
    model_text,
    read_turn,
    realtime_text,
    recv,
    send,
    session,
    user_turn,
)

LONG_REPLY = " ".join(f"word{n}" for n in range(60))
"""Twenty deltas of three words, half a second apart: ten seconds unless interrupted."""


@pytest.fixture
async def slow_server(start_live_server: ServerStarter, write_script: ScriptWriter) -> LiveServer:
    """A server whose reply to "long" streams for ten seconds."""
    script = {"rules": [{"match": "long", "reply": LONG_REPLY, "interval_ms": 500}]}
    return await start_live_server(ServerConfig(script=write_script(script)))


async def start_long_reply(ws: ClientConnection) -> str:
    """Ask for the long reply and wait until it is provably streaming; the first delta's text."""
    await send(ws, user_turn("long please"))
    first = await recv(ws)
    text = model_text([first])
    assert text == "word0 word1 word2"
    return text


async def interrupted_turn(ws: ClientConnection, shown: str) -> str:
    """Read the end of an interrupted reply; all its text (what was shown before included).

    A delta the server sent before it read the interruption may still arrive first; after
    ``interrupted`` only ``turnComplete`` may come.
    """
    frames: list[Frame] = await read_turn(ws)
    *deltas, interrupted, turn_complete = frames
    assert interrupted == {"serverContent": {"interrupted": True}}
    assert turn_complete == {"serverContent": {"turnComplete": True}}
    assert all("modelTurn" in frame["serverContent"] for frame in deltas)
    text = shown + model_text(deltas)
    assert LONG_REPLY.startswith(text) and len(text) < len(LONG_REPLY)
    return text


@pytest.mark.parametrize(
    "interrupt", [INTERRUPT, ACTIVITY_START], ids=["empty-client-content", "activity-start"]
)
async def test_an_interrupting_message_stops_the_reply_at_once(
    slow_server: LiveServer, interrupt: Frame
) -> None:
    async with session(slow_server) as ws:
        shown = await start_long_reply(ws)
        await send(ws, interrupt)
        await interrupted_turn(ws, shown)
        # Nothing of the old reply follows: the next frame belongs to the next reply.
        await send(ws, realtime_text("next"))
        frames = await read_turn(ws)
        assert model_text(frames) == "You said: next"
        assert frames[-2] == {"serverContent": {"generationComplete": True}}


@pytest.mark.parametrize(
    "new_turn", [user_turn("new words"), realtime_text("new words")], ids=["client-content", "realtime-text"]
)
async def test_a_new_turn_interrupts_and_is_then_answered(slow_server: LiveServer, new_turn: Frame) -> None:
    async with session(slow_server) as ws:
        shown = await start_long_reply(ws)
        await send(ws, new_turn)
        said = await interrupted_turn(ws, shown)
        frames = await read_turn(ws)
        assert model_text(frames) == "You said: new words"
        # The interrupted reply stays in the history as far as it got: 3 + 2 + len(said) words so far.
        prompt = frames[-1]["usageMetadata"]["promptTokenCount"]
        assert prompt == 2 + len(said.split()) + 2


async def test_an_audio_reply_is_interrupted_the_same_way(
    start_live_server: ServerStarter, write_script: ScriptWriter
) -> None:
    script = {"rules": [{"match": "long", "reply": LONG_REPLY, "interval_ms": 500}]}
    server = await start_live_server(ServerConfig(script=write_script(script)))
    async with session(server, modality="AUDIO", outputAudioTranscription={}) as ws:
        await send(ws, user_turn("long please"))
        first = await recv(ws)  # speech starts once a phrase is complete: the audio of its first words
        assert first["serverContent"]["modelTurn"]["parts"][0]["inlineData"]["data"]
        second = await recv(ws)  # then their transcript
        assert second["serverContent"]["outputTranscription"]["text"].startswith("word0")
        await send(ws, INTERRUPT)
        frames = await read_turn(ws)
        assert frames[-2:] == [
            {"serverContent": {"interrupted": True}},
            {"serverContent": {"turnComplete": True}},
        ]


async def test_interrupting_when_nothing_is_generating_sends_nothing(live_server: LiveServer) -> None:
    async with session(live_server) as ws:
        await send(ws, INTERRUPT)
        await send(ws, ACTIVITY_START)
        assert await first_delta(ws, "quiet") == "You said: quiet"
        await read_turn(ws)
        await send(ws, INTERRUPT)  # after a finished reply, too
        assert await first_delta(ws, "again") == "You said: again"


async def first_delta(ws: ClientConnection, text: str) -> str:
    """Send a turn; the text of the very next frame (which must be the reply's first delta)."""
    await send(ws, realtime_text(text))
    return model_text([await recv(ws)])


class ExplodingBrain(Brain):
    """Says one word, then fails."""

    name = "exploding"

    async def reply(self, dialogue: Dialogue, text: str) -> AsyncIterator[str]:
        """One delta, then a RuntimeError."""
        yield "Hello"
        raise RuntimeError("the brain\nbroke")


async def test_a_brain_failure_closes_with_1011_and_logs_one_line(
    start_live_server: ServerStarter, caplog: pytest.LogCaptureFixture
) -> None:
    server = await start_live_server(brain=ExplodingBrain())
    with caplog.at_level(logging.ERROR, logger="livetui.server"):
        async with session(server) as ws:
            await send(ws, user_turn("hi"))
            assert model_text([await recv(ws)]) == "Hello"
            assert await closed_with(ws) == (1011, "Internal error encountered.")
    errors = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    assert errors == ["brain exploding failed: RuntimeError: the brain broke"]
