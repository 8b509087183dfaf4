"""A ``contextUpdate`` mid-session changes the conversation's system instruction and tools, and the
session goes on (it used to be closed with 1007 as an unknown message type)."""

from __future__ import annotations

from livetui.server.app import LiveServer
from tests.server.wire import ask, read_turn, send, session, user_turn


def instruction(text: str) -> dict[str, object]:
    """A ``systemInstruction`` saying `text`."""
    return {"parts": [{"text": text}]}


async def test_a_new_system_instruction_takes_the_place_of_the_old_one(live_server: LiveServer) -> None:
    async with session(live_server, systemInstruction=instruction("be terse")) as ws:
        await send(ws, {"contextUpdate": {"systemInstruction": instruction("answer in three words")}})
        await send(ws, user_turn("hi"))
        *_, turn = await read_turn(ws)
    assert turn["usageMetadata"]["promptTokenCount"] == 4 + 1  # the new instruction's words, then "hi"


async def test_a_snake_case_update_with_wrapped_tools_is_accepted(live_server: LiveServer) -> None:
    tools = {"tools": [{"functionDeclarations": [{"name": "lookup"}]}]}
    async with session(live_server) as ws:
        await send(ws, {"context_update": {"tools": tools}})
        assert await ask(ws, "still there") == "You said: still there"
