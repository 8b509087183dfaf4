"""Session resumption on the local server: handles after each turn, and a new connection that continues."""

from __future__ import annotations

from livetui.server.app import ServerConfig
from tests.conftest import ScriptWriter, ServerStarter
from tests.server.wire import (
    Frame,
    closed_with,
    model_text,
    raw_socket,
    read_turn,
    recv,
    send,
    session,
    setup,
    user_turn,
)

COUNTING = {"rules": [{"match": "count", "reply": "turn {turn}"}]}


def updates(frames: list[Frame]) -> list[Frame]:
    """The sessionResumptionUpdate bodies among `frames`."""
    return [frame["sessionResumptionUpdate"] for frame in frames if "sessionResumptionUpdate" in frame]


async def test_handles_come_after_setup_and_after_each_turn_and_not_during_a_reply(
    start_live_server: ServerStarter,
) -> None:
    server = await start_live_server()
    async with session(server, sessionResumption={}) as ws:
        first = (await recv(ws))["sessionResumptionUpdate"]
        assert first["resumable"] is True and first["newHandle"]
        await send(ws, user_turn("one two three four five six"))
        frames = await read_turn(ws)
        assert frames[0] == {"sessionResumptionUpdate": {"resumable": False}}, "not resumable while replying"
        after = (await recv(ws))["sessionResumptionUpdate"]
        assert after["resumable"] is True and after["newHandle"] not in (first["newHandle"], "")
        assert model_text(frames) == "You said: one two three four five six"


async def test_a_session_resumed_with_a_handle_keeps_its_conversation(
    start_live_server: ServerStarter, write_script: ScriptWriter
) -> None:
    server = await start_live_server(ServerConfig(script=write_script(COUNTING)))
    async with session(server, sessionResumption={}) as ws:
        await recv(ws)
        await send(ws, user_turn("count"))
        assert model_text(await read_turn(ws)) == "turn 1"
        handle = (await recv(ws))["sessionResumptionUpdate"]["newHandle"]
    async with session(server, sessionResumption={"handle": handle}) as ws:
        assert updates([await recv(ws)])[0]["resumable"] is True
        await send(ws, user_turn("count again"))
        assert model_text(await read_turn(ws)) == "turn 2", "{turn} keeps counting in the resumed session"
    async with session(server, sessionResumption={}) as ws:
        await recv(ws)
        await send(ws, user_turn("count"))
        assert model_text(await read_turn(ws)) == "turn 1", "a new session starts afresh"


async def test_an_unknown_handle_is_refused_with_1008_session_not_found(
    start_live_server: ServerStarter,
) -> None:
    server = await start_live_server()
    async with raw_socket(server) as ws:
        await send(ws, setup("TEXT", sessionResumption={"handle": "never-issued"}))
        assert await closed_with(ws) == (1008, "BidiGenerateContent session not found")


async def test_without_resumption_in_setup_no_handles_are_sent(start_live_server: ServerStarter) -> None:
    server = await start_live_server()
    async with session(server) as ws:
        await send(ws, user_turn("hello"))
        frames = await read_turn(ws)
        await send(ws, user_turn("again"))
        frames += await read_turn(ws)
    assert not updates(frames)
