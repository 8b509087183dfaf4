"""The bridge brain against real model servers on loopback: llama.cpp's own OpenAI-compatible server
(xllamacpp) serving SmolLM2 for streamed replies and each failure, and a scripted HTTP server for the exact
tool call round trip and for a server that never answers."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection

from livetui.server.app import LiveServer, ServerConfig
from livetui.server.core.brains.openai_compat import BridgeTarget, check_url
from livetui.server.core.brains.smollm2 import smollm2_unavailable
from livetui.server.errors import StartupError
from livetui.server.main import main
from tests.conftest import ServerStarter
from tests.server import wire
from tests.server.model_servers import KEY, MODEL, ScriptedModelServer, delta, llama_server
from tests.server.wire import closed_with, model_text, send, session, user_turn

MODEL_TIMEOUT = 120.0
"""Deadline for a frame from the real model (a shared machine may run it slowly)."""
SHORT = {"maxOutputTokens": 12}
"""Short replies keep the real model's turns quick."""
CALCULATOR = {
    "functionDeclarations": [
        {
            "name": "calculator",
            "description": "Evaluate an arithmetic expression.",
            "parameters": {
                "type": "OBJECT",
                "properties": {"expression": {"type": "STRING"}},
                "required": ["expression"],
            },
        }
    ]
}
"""The calculator, declared as a Gemini session declares it (OpenAPI-style types)."""

needs_model = pytest.mark.skipif(smollm2_unavailable() is not None, reason=smollm2_unavailable() or "")


@pytest.fixture(scope="module")
def model_url() -> Iterator[str]:
    """llama.cpp's server with SmolLM2 on loopback, for the whole module."""
    if smollm2_unavailable() is not None:
        pytest.skip(smollm2_unavailable() or "")
    with llama_server() as url:
        yield url


async def bridged(start: ServerStarter, target: BridgeTarget) -> LiveServer:
    """A local server whose brain is the bridge to `target`."""
    return await start(ServerConfig(brain="openai-compat", bridge=target))


async def read_slowly(ws: ClientConnection) -> list[wire.Frame]:
    """The frames of one turn, allowing the real model its time."""
    frames: list[wire.Frame] = []
    async with asyncio.timeout(MODEL_TIMEOUT):
        while not frames or not frames[-1].get("serverContent", {}).get("turnComplete"):
            frames.append(json.loads(await ws.recv()))
    return frames


async def failure(server: LiveServer) -> tuple[int | None, str | None]:
    """The close code and reason of a session whose first turn the brain cannot answer."""
    async with session(server) as ws:
        await send(ws, user_turn("Hello?"))
        return await closed_with(ws, MODEL_TIMEOUT)


@needs_model
@pytest.mark.parametrize("named", [MODEL, None], ids=["named", "the-one-listed"])
async def test_a_reply_streams_from_the_model_server(
    start_live_server: ServerStarter, model_url: str, named: str | None
) -> None:
    server = await bridged(start_live_server, BridgeTarget(model_url, named, key=KEY))
    async with session(server, generationConfig=SHORT) as ws:
        await send(ws, user_turn("Say hello."))
        *deltas, _generation, done = await read_slowly(ws)
        assert len(deltas) > 1 and model_text(deltas).strip()
        assert done["serverContent"] == {"turnComplete": True}
        # The conversation goes on over the same bridge.
        await send(ws, user_turn("And goodbye."))
        assert model_text(await read_slowly(ws)).strip()


@needs_model
async def test_a_refused_key_closes_with_one_line_naming_the_variable(
    start_live_server: ServerStarter, model_url: str
) -> None:
    target = BridgeTarget(model_url, MODEL, key="not-the-key", key_source="BRAIN_KEY")
    code, reason = await failure(await bridged(start_live_server, target))
    assert code == 1011
    assert reason is not None and reason.startswith(f"{model_url} refused the key (401 ")
    assert reason.endswith(": check BRAIN_KEY") and "not-the-key" not in reason


@needs_model
async def test_a_missing_key_is_refused_too(start_live_server: ServerStarter, model_url: str) -> None:
    code, reason = await failure(await bridged(start_live_server, BridgeTarget(model_url, MODEL)))
    assert (code, reason) == (
        1011,
        f"{model_url} refused the key (401 Invalid API Key): give one with --brain-key-env",
    )


@needs_model
async def test_a_model_the_server_does_not_have_is_named(
    start_live_server: ServerStarter, model_url: str
) -> None:
    target = BridgeTarget(model_url, "llama3.2", key=KEY)
    code, reason = await failure(await bridged(start_live_server, target))
    assert (code, reason) == (1011, f"model 'llama3.2' not found at {model_url} (it serves {MODEL})")


async def test_a_refused_connection_is_one_line(start_live_server: ServerStarter) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/v1"
    code, reason = await failure(await bridged(start_live_server, BridgeTarget(url, MODEL)))
    assert (code, reason) == (1011, f"cannot reach the model server at {url}: connection refused")


async def test_a_server_that_never_answers_times_out(start_live_server: ServerStarter) -> None:
    async with ScriptedModelServer(None).running() as silent:
        target = BridgeTarget(silent.url, MODEL, timeout=0.5)
        code, reason = await failure(await bridged(start_live_server, target))
    assert (code, reason) == (1011, f"the model server at {silent.url} did not answer within 0.5 s")


def calls_the_calculator(request: dict[str, Any]) -> list[dict[str, Any]]:
    """A model that calls the calculator (its arguments in two pieces), then answers from its result."""
    answered = [message for message in request["messages"] if message["role"] == "tool"]
    if not answered:
        function = {"name": "calculator", "arguments": '{"expression": '}
        return [
            delta(role="assistant", content=None),
            delta(tool_calls=[{"index": 0, "id": "call_7", "type": "function", "function": function}]),
            delta(tool_calls=[{"index": 0, "function": {"arguments": '"6 * 7"}'}}]),
        ]
    result = json.loads(answered[0]["content"])["output"]
    return [delta(content="6 times 7 "), delta(content=f"is {result}.")]


async def test_a_tool_call_goes_to_the_client_and_its_answer_back_to_the_model(
    start_live_server: ServerStarter,
) -> None:
    async with ScriptedModelServer(calls_the_calculator).running() as model:
        server = await bridged(start_live_server, BridgeTarget(model.url, MODEL))
        system = {"parts": [{"text": "Use the calculator."}]}
        async with session(server, tools=[CALCULATOR], systemInstruction=system) as ws:
            await send(ws, user_turn("What is 6 times 7?"))
            call = await wire.recv(ws)
            [function_call] = call["toolCall"]["functionCalls"]
            assert (function_call["name"], function_call["args"]) == ("calculator", {"expression": "6 * 7"})
            answer = {"id": function_call["id"], "name": "calculator", "response": {"output": 42}}
            await send(ws, {"toolResponse": {"functionResponses": [answer]}})
            assert model_text(await wire.read_turn(ws)) == "6 times 7 is 42."
    first, second = model.requests
    assert first["messages"] == [
        {"role": "system", "content": "Use the calculator."},
        {"role": "user", "content": "What is 6 times 7?"},
    ]
    assert first["tools"] == [
        {
            "type": "function",
            "function": {
                "name": "calculator",
                "description": "Evaluate an arithmetic expression.",
                "parameters": {
                    "type": "object",
                    "properties": {"expression": {"type": "string"}},
                    "required": ["expression"],
                },
            },
        }
    ]
    assert first["stream"] is True and first["model"] == MODEL
    assert second["messages"][2:] == [
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_7",
                    "type": "function",
                    "function": {"name": "calculator", "arguments": '{"expression": "6 * 7"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_7", "content": '{"output": 42}'},
    ]


def test_serve_needs_a_url_for_the_bridge(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--brain", "openai-compat"]) == 2
    assert capsys.readouterr().err == (
        "livetui serve: --brain openai-compat needs --brain-url URL (an OpenAI-compatible API)\n"
    )


def test_serve_refuses_a_key_variable_that_is_not_set(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LIVETUI_TEST_BRAIN_KEY", raising=False)
    argv = ["--brain", "openai-compat", "--brain-url", "http://127.0.0.1:9/v1"]
    assert main([*argv, "--brain-key-env", "LIVETUI_TEST_BRAIN_KEY"]) == 2
    assert capsys.readouterr().err == (
        "livetui serve: --brain-key-env names LIVETUI_TEST_BRAIN_KEY, which is not set\n"
    )


def test_serve_refuses_a_url_that_is_not_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--brain", "openai-compat", "--brain-url", "localhost:11434"]) == 2
    assert capsys.readouterr().err == (
        "livetui serve: --brain-url must be an http:// or https:// URL, not 'localhost:11434'\n"
    )


@pytest.mark.parametrize("url", ["http://[::1", "http://host:99999/v1", "ftp://user:secret@host/v1"])
def test_a_brain_url_that_cannot_be_used_is_one_line_without_its_password(url: str) -> None:
    with pytest.raises(StartupError) as error:
        check_url(url)
    assert "secret" not in str(error.value) and "\n" not in str(error.value)


def says_hello(request: dict[str, Any]) -> list[dict[str, Any]]:
    """A model that greets."""
    return [delta(content="Hello "), delta(content="there.")]


async def test_a_request_on_a_connection_the_server_just_closed_is_sent_again(
    start_live_server: ServerStarter,
) -> None:
    async with ScriptedModelServer(says_hello, drop_kept=True).running() as model:
        server = await bridged(start_live_server, BridgeTarget(model.url))
        async with session(server) as ws:
            await send(ws, user_turn("Hello?"))
            assert model_text(await wire.read_turn(ws)) == "Hello there."
    assert model.dropped == 1, "the chat request went on the kept connection first, and was dropped"
    assert [request["messages"][-1]["content"] for request in model.requests] == ["Hello?"]
