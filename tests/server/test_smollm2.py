"""The smollm2 brain: its prompt building, and (marked llm) the real model streaming over the socket."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from livetui.providers.gemini.client import Setup
from livetui.providers.gemini.content import Content, Part
from livetui.server.app import LiveServer, ServerConfig
from livetui.server.core.brains.scripted import ScriptedBrain
from livetui.server.core.brains.smollm2 import (
    DEFAULT_SYSTEM_PROMPT,
    SmolLM2Brain,
    chat_messages,
    smollm2_unavailable,
)
from livetui.server.core.conversation import Conversation
from livetui.server.dialects.gemini.sink import GeminiSink
from livetui.server.dialects.gemini.turns import settings_of, turn_of
from tests.conftest import ServerStarter
from tests.server.wire import INTERRUPT, model_text, read_turn, recv, send, session, user_turn


def dialogue(history: Sequence[Content], system: str = "") -> Conversation:
    """A conversation holding `history`, as the brain would be given it."""
    instruction = Content(parts=(Part(text=system),)) if system else None

    async def ignore(_: object) -> None:
        return None

    setup = Setup(model="models/x", system_instruction=instruction)
    conversation = Conversation(settings_of(setup), ScriptedBrain(), GeminiSink(ignore), ignore)
    conversation.add([turn_of(content) for content in history])
    return conversation


def turn(role: str, text: str) -> Content:
    """A one-part turn."""
    return Content(role=role, parts=(Part(text=text),))


def test_the_chat_has_the_system_prompt_and_roles_the_model_knows() -> None:
    chat = dialogue([turn("user", "hi"), turn("model", "hello"), turn("user", "how?")])
    assert chat_messages(chat, budget_chars=1000) == [
        {"role": "system", "content": DEFAULT_SYSTEM_PROMPT},
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "hello"},
        {"role": "user", "content": "how?"},
    ]
    assert chat_messages(dialogue([], system="Be terse."), 1000)[0]["content"] == "Be terse."


def test_the_oldest_turns_are_dropped_to_fit_but_never_the_latest() -> None:
    chat = dialogue([turn("user", "a" * 50), turn("model", "b" * 50), turn("user", "c" * 50)])
    messages = chat_messages(chat, budget_chars=len(DEFAULT_SYSTEM_PROMPT) + 120)
    assert [m["content"][0] for m in messages[1:]] == ["b", "c"]
    assert chat_messages(chat, budget_chars=1)[1:] == [{"role": "user", "content": "c" * 50}]


SHORT = {"maxOutputTokens": 24}
"""Replies of at most 24 tokens keep these tests quick (the brain honours maxOutputTokens)."""

llm = pytest.mark.skipif(smollm2_unavailable() is not None, reason=smollm2_unavailable() or "")


class WatchedSmolLM2(SmolLM2Brain):
    """The real brain, counting the deltas the model still produced after it was told to stop."""

    def __init__(self) -> None:
        super().__init__()
        self.late = 0
        """Deltas handed on after the reply's consumer had stopped (an interruption)."""

    def _generate(self, request: dict[str, Any], put: Callable[[str], None], stop: threading.Event) -> None:
        def counted(delta: str) -> None:
            if stop.is_set():
                self.late += 1
            put(delta)

        super()._generate(request, counted, stop)


@pytest.fixture
async def smollm2_server(start_live_server: ServerStarter) -> LiveServer:
    """A server answered by the real model (watched: see `WatchedSmolLM2`)."""
    return await start_live_server(ServerConfig(brain="smollm2"), brain=WatchedSmolLM2())


@pytest.mark.llm
@llm
async def test_the_model_streams_a_nonempty_reply_over_the_socket(smollm2_server: LiveServer) -> None:
    system = {"parts": [{"text": "Answer in one sentence."}]}
    async with session(smollm2_server, systemInstruction=system, generationConfig=SHORT) as ws:
        await send(ws, user_turn("What is 2 + 2?"))
        frames = await read_turn(ws)
        *deltas, generation, done = frames
        assert len(deltas) > 1 and model_text(deltas).strip()
        assert generation == {"serverContent": {"generationComplete": True}}
        assert done["usageMetadata"]["responseTokenCount"] > 0
        # The conversation goes on, with the first exchange in the prompt.
        await send(ws, user_turn("And 3 + 3?"))
        second = await read_turn(ws)
        assert model_text(second).strip()
        assert second[-1]["usageMetadata"]["promptTokenCount"] > done["usageMetadata"]["promptTokenCount"]


@pytest.mark.llm
@llm
async def test_the_model_stops_at_once_when_interrupted(smollm2_server: LiveServer) -> None:
    long = {"maxOutputTokens": 1024}
    async with session(smollm2_server, generationConfig=long) as ws:
        await send(ws, user_turn("Count from 1 to 1000, one number per line."))
        first = await recv(ws)
        assert model_text([first])
        await send(ws, INTERRUPT)
        frames = await read_turn(ws)
        assert frames[-2:] == [
            {"serverContent": {"interrupted": True}},
            {"serverContent": {"turnComplete": True}},
        ]
        # The model is free again: the next reply starts streaming (one reply at a time, so the
        # interrupted one has ended), and the interrupted one made at most one token after it was stopped.
        await send(ws, user_turn("Say hi."))
        assert model_text([await recv(ws)])
        brain = smollm2_server.brain
        assert isinstance(brain, WatchedSmolLM2) and brain.late <= 1
