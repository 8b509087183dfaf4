"""Script rules with `tool_calls`: the server sends a toolCall, waits for the toolResponse, then replies;
an interruption or a new user turn while a call is pending cancels it with toolCallCancellation."""

from __future__ import annotations

import re

import pytest
from websockets.asyncio.client import ClientConnection

from livetui.server.app import LiveServer, ServerConfig
from livetui.server.script import ScriptError, load_script
from tests.conftest import ScriptWriter, ServerStarter
from tests.server.wire import (
    ACTIVITY_START,
    INTERRUPT,
    Frame,
    model_text,
    read_turn,
    realtime_text,
    recv,
    send,
    session,
    user_turn,
)

CALL_ID = re.compile(r"^function-call-\d+$")

SCRIPT = {
    "rules": [
        {
            "match": "times",
            "tool_calls": [{"name": "calculator", "args": {"expression": "6 * 7"}}],
            "reply": "6 times 7 is {output}. Raw: {result}",
        },
        {
            "match": "both",
            "tool_calls": [
                {"name": "current_time", "args": {}},
                {"name": "calculator", "args": {"expression": "1 + 1"}},
            ],
            "reply": "first: {result}",
        },
    ]
}


@pytest.fixture
async def tool_server(start_live_server: ServerStarter, write_script: ScriptWriter) -> LiveServer:
    """A scripted server whose rules call functions."""
    return await start_live_server(ServerConfig(script=write_script(SCRIPT)))


def tool_response(*answers: tuple[str, str, dict[str, object]]) -> Frame:
    """A toolResponse answering (id, name, response) triples."""
    responses = [{"id": i, "name": n, "response": r} for i, n, r in answers]
    return {"toolResponse": {"functionResponses": responses}}


async def asked(ws: ClientConnection, text: str) -> list[dict[str, object]]:
    """Send a user turn and return the function calls of the toolCall that comes back."""
    await send(ws, user_turn(text))
    frame = await recv(ws)
    assert list(frame) == ["toolCall"]
    calls: list[dict[str, object]] = frame["toolCall"]["functionCalls"]
    return calls


async def test_the_reply_waits_for_the_response_and_quotes_it(tool_server: LiveServer) -> None:
    async with session(tool_server) as ws:
        calls = await asked(ws, "what is 6 times 7")
        assert [(c["name"], c["args"]) for c in calls] == [("calculator", {"expression": "6 * 7"})]
        call_id = str(calls[0]["id"])
        assert CALL_ID.match(call_id)
        await send(ws, tool_response((call_id, "calculator", {"output": 42})))
        frames = await read_turn(ws)
        assert model_text(frames) == '6 times 7 is 42. Raw: {"output": 42}'
        assert frames[-1]["serverContent"] == {"turnComplete": True}

        again = await asked(ws, "and 6 times 7 again")
        assert again[0]["id"] != call_id, "every call gets a fresh id"


async def test_several_calls_go_in_one_tool_call_and_all_must_be_answered(tool_server: LiveServer) -> None:
    async with session(tool_server) as ws:
        calls = await asked(ws, "both please")
        assert [c["name"] for c in calls] == ["current_time", "calculator"]
        first, second = (str(c["id"]) for c in calls)
        # Answered out of order, in two messages, with a stray id the server ignores.
        await send(ws, tool_response((second, "calculator", {"output": 2}), ("function-call-1", "x", {})))
        await send(ws, tool_response((first, "current_time", {"output": "noon"})))
        assert model_text(await read_turn(ws)) == 'first: {"output": "noon"}'


@pytest.mark.parametrize(
    "interruption",
    [INTERRUPT, ACTIVITY_START, user_turn("something else"), realtime_text("something else")],
    ids=["empty clientContent", "activityStart", "clientContent turn", "realtimeInput text"],
)
async def test_an_interruption_cancels_the_pending_call(tool_server: LiveServer, interruption: Frame) -> None:
    async with session(tool_server) as ws:
        calls = await asked(ws, "what is 6 times 7")
        await send(ws, interruption)
        assert await recv(ws) == {"toolCallCancellation": {"ids": [calls[0]["id"]]}}
        assert await recv(ws) == {"serverContent": {"interrupted": True}}
        assert await recv(ws) == {"serverContent": {"turnComplete": True}}
        new_turn = interruption not in (INTERRUPT, ACTIVITY_START)
        if not new_turn:
            # A late answer to the cancelled call is ignored; the session goes on.
            await send(ws, tool_response((str(calls[0]["id"]), "calculator", {"output": 42})))
            await send(ws, user_turn("hello"))
        expected = "You said: something else" if new_turn else "You said: hello"
        assert model_text(await read_turn(ws)) == expected


async def test_an_error_response_fills_output_with_the_error(tool_server: LiveServer) -> None:
    async with session(tool_server) as ws:
        calls = await asked(ws, "times")
        await send(ws, tool_response((str(calls[0]["id"]), "calculator", {"error": "denied by the user"})))
        assert model_text(await read_turn(ws)) == (
            '6 times 7 is denied by the user. Raw: {"error": "denied by the user"}'
        )


def test_a_tool_call_needs_a_name(write_script: ScriptWriter) -> None:
    path = write_script({"rules": [{"match": "x", "tool_calls": [{"args": {}}]}]})
    with pytest.raises(ScriptError, match=r"rules\[0\]\.tool_calls\[0\]\.name: Field required"):
        load_script(path)
    path = write_script({"rules": [{"match": "x", "tool_calls": [{"name": "f", "arg": {}}]}]})
    with pytest.raises(ScriptError, match=r"tool_calls\[0\]\.arg: Extra inputs are not permitted"):
        load_script(path)
