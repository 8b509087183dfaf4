"""Setup comes first, and every malformed or misplaced message is closed with Google's code and a reason."""

from __future__ import annotations

import json

import pytest

from livetui.server.app import LiveServer
from tests.server.wire import (
    ask,
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


async def test_setup_complete_is_the_first_frame_and_binary(live_server: LiveServer) -> None:
    async with raw_socket(live_server) as ws:
        await send(ws, setup())
        frame = await ws.recv()
        assert frame == b'{"setupComplete":{}}'


@pytest.mark.parametrize(
    ("first", "kind"),
    [(user_turn("hi"), "clientContent"), ({"realtime_input": {"text": "hi"}}, "realtimeInput")],
)
async def test_any_other_first_message_is_closed_with_1007(
    live_server: LiveServer, first: dict[str, object], kind: str
) -> None:
    async with raw_socket(live_server) as ws:
        await send(ws, first)
        assert await closed_with(ws) == (1007, f"the first message must be setup, got {kind}")


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ({"setup": {}}, "invalid setup: setup.model: Field required"),
        (
            {"setup": {"model": "m", "generationConfig": {"responseModalities": ["SMELL"]}}},
            "invalid setup: setup.generationConfig.responseModalities.0: Input should be 'TEXT'",
        ),
        ({"setup": "m"}, "invalid setup: setup: Input should be a valid dictionary"),
    ],
)
async def test_an_invalid_setup_is_closed_with_1007_and_the_first_problem(
    live_server: LiveServer, message: dict[str, object], reason: str
) -> None:
    async with raw_socket(live_server) as ws:
        await send(ws, message)
        code, said = await closed_with(ws)
        assert code == 1007
        assert said is not None and said.startswith(reason)


async def test_a_second_setup_is_closed_with_1007(live_server: LiveServer) -> None:
    async with session(live_server) as ws:
        await send(ws, setup())
        assert await closed_with(ws) == (1007, "setup was already received; send it only once")


@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        (json.dumps({"bidiGenerateContent": {}}), "unknown message type 'bidiGenerateContent'"),
        ("not json", "frame is not valid JSON (Expecting value: line 1 column 1 (char 0))"),
        ("[1]", "frame is a JSON list, not an object"),
        (json.dumps({"clientContent": {}, "realtimeInput": {}}), "a client message has exactly one"),
        (json.dumps({"realtimeInput": {"audio": {"data": "!!", "mimeType": "audio/pcm"}}}), "invalid"),
    ],
)
async def test_an_unknown_or_malformed_message_is_closed_with_1007(
    live_server: LiveServer, frame: str, reason: str
) -> None:
    async with session(live_server) as ws:
        await ws.send(frame)
        code, said = await closed_with(ws)
        assert code == 1007
        assert said is not None and said.startswith(reason)
        assert len(said.encode()) <= 123


async def test_a_frame_over_one_mebibyte_is_closed_with_1009(live_server: LiveServer) -> None:
    async with session(live_server) as ws:
        await send(ws, user_turn("x" * (1 << 20)))
        code, _ = await closed_with(ws)
        assert code == 1009


async def test_a_frame_just_under_the_limit_is_accepted(live_server: LiveServer) -> None:
    async with session(live_server) as ws:
        text = "y" * ((1 << 20) - 200)
        await send(ws, user_turn(text))
        assert model_text(await read_turn(ws)) == f"You said: {text}"


async def test_snake_case_keys_urlsafe_base64_and_binary_frames_are_accepted(live_server: LiveServer) -> None:
    async with raw_socket(live_server) as ws:
        await ws.send(json.dumps(setup(modality=None, generation_config={"response_modalities": ["TEXT"]})))
        assert await recv(ws) == {"setupComplete": {}}
        # The Python SDK's shapes: snake_case top-level keys, a snake mime_type, URL-safe base64.
        await send(ws, {"realtime_input": {"video": {"data": "_9j_", "mime_type": "image/jpeg"}}})
        await send(ws, {"realtime_input": {"audio": {"data": "AAECAw", "mime_type": "audio/pcm;rate=16000"}}})
        await send(ws, {"realtime_input": {"mediaChunks": [{"data": "-_-_", "mimeType": "audio/pcm"}]}})
        await send(ws, {"realtime_input": {"audio_stream_end": True}})
        await send(ws, {"tool_response": {"function_responses": [{"id": "a", "name": "f", "response": {}}]}})
        await ws.send(json.dumps(user_turn("binary")).encode())
        assert model_text(await read_turn(ws)) == "You said: binary"
        turn = {"role": "user", "parts": [{"text": "snake"}]}
        await send(ws, {"client_content": {"turns": [turn], "turn_complete": True}})
        assert model_text(await read_turn(ws)) == "You said: snake"
        assert await ask(ws, "camel") == "You said: camel"
