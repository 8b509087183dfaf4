"""Faults a script can ask the local server for: goAway, a dropped or 1011-closed connection, a malformed
frame, and a reply in one burst."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from livetui.server.app import LiveServer, ServerConfig
from livetui.server.script import ScriptError, load_script
from tests.conftest import ScriptWriter, ServerStarter
from tests.server.wire import (
    TIMEOUT,
    Frame,
    closed_with,
    model_text,
    read_turn,
    recv,
    send,
    session,
    user_turn,
)

REPLY = "one two three four five six seven eight nine ten eleven twelve"
"""Four deltas of three words."""


@pytest.fixture
async def faulty(start_live_server: ServerStarter, write_script: ScriptWriter) -> LiveServer:
    """A server whose replies misbehave as the user's words say."""
    rules = [
        {"match": "go away", "reply": REPLY, "fault": "go_away", "time_left_ms": 300},
        {"match": "drop", "reply": REPLY, "fault": "drop"},
        {"match": "crash", "reply": REPLY, "fault": "close_1011"},
        {"match": "garble", "reply": REPLY, "fault": "malformed"},
        {"match": "burst", "reply": REPLY, "fault": "burst", "interval_ms": 60_000},
    ]
    return await start_live_server(ServerConfig(script=write_script({"rules": rules})))


async def frames_until_closed(ws: ClientConnection) -> list[Frame]:
    """Every frame until the server closes or drops the connection."""
    frames: list[Frame] = []
    async with asyncio.timeout(TIMEOUT):
        try:
            while True:
                frames.append(json.loads(await ws.recv()))
        except ConnectionClosed:
            return frames


async def test_go_away_announces_the_deadline_then_closes_when_it_passes(faulty: LiveServer) -> None:
    async with session(faulty) as ws:
        await send(ws, user_turn("please go away"))
        assert await recv(ws) == {"goAway": {"timeLeft": "0.3s"}}
        assert model_text(await read_turn(ws)) == REPLY, "the reply still comes whole"
        code, reason = await closed_with(ws)
    assert (code, reason) == (1011, "Deadline expired before operation could complete.")


@pytest.mark.parametrize(("word", "code"), [("drop", 1006), ("crash", 1011)])
async def test_a_connection_lost_mid_reply_ends_after_half_the_reply(
    faulty: LiveServer, word: str, code: int
) -> None:
    async with session(faulty) as ws:
        await send(ws, user_turn(word))
        frames = await frames_until_closed(ws)
        assert ws.close_code == code
    assert model_text(frames) == "one two three four five six"
    assert not any(frame.get("serverContent", {}).get("turnComplete") for frame in frames)


async def test_a_malformed_frame_comes_mid_reply_and_the_reply_goes_on(faulty: LiveServer) -> None:
    async with session(faulty) as ws:
        await send(ws, user_turn("garble it"))
        first = await recv(ws)
        async with asyncio.timeout(TIMEOUT):
            broken = await ws.recv()
        with pytest.raises(json.JSONDecodeError):
            json.loads(broken)
        rest = await read_turn(ws)
    assert model_text([first, *rest]) == REPLY


async def test_burst_sends_the_whole_reply_without_its_pauses(faulty: LiveServer) -> None:
    async with session(faulty) as ws:
        await send(ws, user_turn("burst"))
        # Paced, this reply would take minutes; read_turn gives up after TIMEOUT (half a pause) per frame.
        assert model_text(await read_turn(ws)) == REPLY


def test_an_unknown_fault_is_a_script_error_naming_the_choices(write_script: ScriptWriter) -> None:
    path: Path = write_script({"rules": [{"match": "x", "fault": "explode"}]})
    with pytest.raises(ScriptError, match=r"rules\[0\]\.fault: Input should be 'go_away', 'drop'"):
        load_script(path)
    with pytest.raises(ScriptError, match=r"rules\[0\]\.time_left_ms"):
        load_script(write_script({"rules": [{"match": "x", "fault": "go_away", "time_left_ms": 0}]}))
