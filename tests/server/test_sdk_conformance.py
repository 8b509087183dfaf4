"""The official google-genai SDK as the judge: every send method of its `AsyncSession`, for the Gemini
Developer API and for Vertex AI (express mode, by Vertex's path), holds a session with the local server, and
every server message it gets parses in the SDK's own types with no field left over."""

from __future__ import annotations

import json
import ssl
from pathlib import Path
from typing import Any

import pytest
import websockets
from google import genai
from google.genai import _live_converters as converters, types

from livetui.server.app import LiveServer, ServerConfig
from tests.conftest import ScriptWriter, ServerStarter
from tests.frames import jpeg, qr_frame
from tests.server.wire import read_turn, recv, send, setup, user_turn

pytestmark = pytest.mark.sdk

SCRIPT = {
    "rules": [
        {"match": "time", "tool_calls": [{"name": "now", "args": {"tz": "UTC"}}], "reply": "It is {output}."}
    ]
}
"""A script whose `time` turn calls a function."""
TEXT = types.LiveConnectConfig(response_modalities=[types.Modality.TEXT])
"""A text session."""


@pytest.fixture
async def tls_server(
    start_live_server: ServerStarter, write_script: ScriptWriter, tmp_path: Path
) -> LiveServer:
    """A TLS server (the SDK always dials wss://) with a key and the tool script."""
    return await start_live_server(
        ServerConfig(tls=True, cert_dir=tmp_path, key="k", script=write_script(SCRIPT))
    )


def client(server: LiveServer, *, vertex: bool = False) -> genai.Client:
    """An SDK client aimed at `server` (Vertex AI in express mode with `vertex`), trusting its certificate."""
    assert server.cert_path is not None
    context = ssl.create_default_context(cafile=server.cert_path)
    options: Any = {"base_url": f"https://127.0.0.1:{server.port}", "async_client_args": {"ssl": context}}
    if vertex:
        return genai.Client(vertexai=True, api_key="k", http_options=options)
    return genai.Client(api_key="k", http_options=options)


async def turn(session: genai.live.AsyncSession) -> list[types.LiveServerMessage]:
    """The messages of one turn, up to the one with turn_complete."""
    messages = []
    async for message in session.receive():
        messages.append(message)
    assert messages and messages[-1].server_content is not None and messages[-1].server_content.turn_complete
    return messages


def text_of(messages: list[types.LiveServerMessage]) -> str:
    """The text of a turn's messages, joined."""
    return "".join(message.text or "" for message in messages)


@pytest.mark.parametrize("vertex", [False, True], ids=["mldev", "vertex"])
async def test_every_send_method_holds_a_session(tls_server: LiveServer, vertex: bool) -> None:
    live = client(tls_server, vertex=vertex).aio.live
    async with live.connect(model="gemini-live-2.5-flash-preview", config=TEXT) as session:
        if vertex:
            assert session.session_id
        await session.send_client_content(turns=types.Content(role="user", parts=[types.Part(text="one")]))
        assert text_of(await turn(session)) == "You said: one"
        await session.send_realtime_input(text="two")
        assert text_of(await turn(session)) == "You said: two"
        await session.send_realtime_input(
            audio=types.Blob(data=b"\0\0" * 1600, mime_type="audio/pcm;rate=16000")
        )
        await session.send_realtime_input(audio_stream_end=True)
        picture = jpeg(qr_frame("hello"))
        await session.send_realtime_input(video=types.Blob(data=picture, mime_type="image/jpeg"))
        await session.send_realtime_input(media=types.Blob(data=picture, mime_type="image/jpeg"))
        await session.send_context_update(system_instruction="Answer briefly.")
        await session.send_client_content(
            turns=types.Content(role="user", parts=[types.Part(text="what time is it")])
        )
        calls = []
        async for message in session.receive():
            if message.tool_call is not None:
                calls.extend(message.tool_call.function_calls or [])
                break
        [call] = calls
        assert (call.name, call.args) == ("now", {"tz": "UTC"}) and call.id
        await session.send_tool_response(
            function_responses=types.FunctionResponse(id=call.id, name="now", response={"output": "noon"})
        )
        messages = await turn(session)
        assert text_of(messages) == "It is noon."
        usage = messages[-1].usage_metadata
        assert usage is not None and usage.prompt_tokens_details and usage.response_tokens_details


async def test_activity_start_and_end_hold_a_manual_session(tls_server: LiveServer) -> None:
    manual = types.RealtimeInputConfig(
        automatic_activity_detection=types.AutomaticActivityDetection(disabled=True)
    )
    config = types.LiveConnectConfig(response_modalities=[types.Modality.TEXT], realtime_input_config=manual)
    async with client(tls_server).aio.live.connect(model="m", config=config) as session:
        await session.send_realtime_input(activity_start=types.ActivityStart())
        await session.send_realtime_input(
            audio=types.Blob(data=b"\0\0" * 1600, mime_type="audio/pcm;rate=16000")
        )
        await session.send_realtime_input(activity_end=types.ActivityEnd())
        await session.send_realtime_input(text="still here")
        assert text_of(await turn(session)) == "You said: still here"


async def test_the_sdks_setup_of_every_live_option_is_accepted(tls_server: LiveServer) -> None:
    config = types.LiveConnectConfig(
        response_modalities=[types.Modality.AUDIO],
        speech_config=types.SpeechConfig(language_code="en-US"),
        thinking_config=types.ThinkingConfig(thinking_level=types.ThinkingLevel.LOW, include_thoughts=True),
        input_audio_transcription=types.AudioTranscriptionConfig(language_codes=["en-US"]),
        output_audio_transcription=types.AudioTranscriptionConfig(),
        proactivity=types.ProactivityConfig(proactive_audio=True),
        session_resumption=types.SessionResumptionConfig(),
        context_window_compression=types.ContextWindowCompressionConfig(sliding_window=types.SlidingWindow()),
        enable_affective_dialog=True,
        system_instruction="Be brief.",
        tools=[types.Tool(function_declarations=[types.FunctionDeclaration(name="now")])],
    )
    async with client(tls_server).aio.live.connect(model="m", config=config) as session:
        await session.send_realtime_input(text="hello")
        messages = await turn(session)
    assert any(m.server_content and m.server_content.output_transcription for m in messages)


def sdk_parses_whole(frame: dict[str, Any], *, vertex: bool) -> types.LiveServerMessage:
    """The SDK's reading of a server frame, refusing any field its types do not have (they forbid extras)."""
    convert = (
        converters._LiveServerMessage_from_vertex if vertex else converters._LiveServerMessage_from_mldev
    )
    converted = convert(frame)
    assert len(converted) == len(frame), "the SDK's converter keeps every top-level field"
    return types.LiveServerMessage.model_validate(converted)


@pytest.mark.parametrize("vertex", [False, True], ids=["mldev", "vertex"])
async def test_every_server_field_sent_parses_in_the_sdk(tls_server: LiveServer, vertex: bool) -> None:
    path = (
        "/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent"
        if vertex
        else "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent"
    )
    frames: list[dict[str, Any]] = []
    headers = {"x-goog-api-key": "k"}
    assert tls_server.cert_path is not None
    context = ssl.create_default_context(cafile=tls_server.cert_path)
    async with websockets.connect(tls_server.url + path, additional_headers=headers, ssl=context) as ws:
        fields = {
            "inputAudioTranscription": {},
            "outputAudioTranscription": {},
            "sessionResumption": {"transparent": True},
        }
        await send(ws, setup("AUDIO", **fields))
        frames.append(await recv(ws))
        await send(ws, user_turn("what time is it"))
        while "toolCall" not in frames[-1]:
            frames.append(await recv(ws))
        [call] = frames[-1]["toolCall"]["functionCalls"]
        await send(
            ws,
            {
                "toolResponse": {
                    "functionResponses": [{"id": call["id"], "name": "now", "response": {"output": "noon"}}]
                }
            },
        )
        frames += await read_turn(ws)
    kinds = {key for frame in frames for key in frame} | {
        f"serverContent.{key}" for frame in frames for key in frame.get("serverContent", {})
    }
    assert {"setupComplete", "toolCall", "usageMetadata", "sessionResumptionUpdate"} <= kinds
    assert {
        "serverContent.modelTurn",
        "serverContent.outputTranscription",
        "serverContent.turnComplete",
    } <= kinds
    for frame in frames:
        message = sdk_parses_whole(json.loads(json.dumps(frame)), vertex=vertex)
        assert message.model_dump(exclude_none=True)
