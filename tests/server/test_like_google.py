"""The local server's Gemini dialect behaves as Google's does, each behaviour against a setup that asks for
it and one that does not: transcripts only when asked, each audio chunk before its transcript, usage by
modality, Vertex AI's ways on its path, resumption indexes with transparent resumption, and unknown setup
fields refused (or, ``--lenient``, accepted)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from livetui.server.app import LiveServer, ServerConfig
from tests.conftest import ScriptWriter, ServerStarter
from tests.server.wire import Frame, closed_with, raw_socket, read_turn, recv, send, session, setup, user_turn

VERTEX_PATH = "/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent"
"""Vertex AI's Live path."""
CALL_SCRIPT = {"rules": [{"match": "time", "tool_calls": [{"name": "now", "args": {}}], "reply": "{output}"}]}
"""A script whose `time` turn calls a function."""


def contents(frames: list[Frame]) -> list[dict[str, Any]]:
    """The serverContent of each frame that has one."""
    return [frame["serverContent"] for frame in frames if "serverContent" in frame]


def spoken_order(frames: list[Frame]) -> str:
    """`a` for each audio chunk and `t` for each output transcript, in the order they came."""
    order = ""
    for content in contents(frames):
        if any("inlineData" in part for part in content.get("modelTurn", {}).get("parts", [])):
            order += "a"
        if "outputTranscription" in content:
            order += "t"
    return order


async def spoken_reply(server: LiveServer, **setup_fields: Any) -> list[Frame]:
    """The frames of a spoken reply to one typed turn."""
    async with session(server, modality="AUDIO", **setup_fields) as ws:
        await send(ws, user_turn("speak up please"))
        return await read_turn(ws)


async def test_output_transcripts_come_only_when_the_setup_asks_for_them(live_server: LiveServer) -> None:
    asked = await spoken_reply(live_server, outputAudioTranscription={})
    assert "t" in spoken_order(asked)
    not_asked = await spoken_reply(live_server)
    assert set(spoken_order(not_asked)) == {"a"}


async def test_each_audio_chunk_comes_before_the_transcript_of_its_words(live_server: LiveServer) -> None:
    order = spoken_order(await spoken_reply(live_server, outputAudioTranscription={}))
    assert order.startswith("a") and "tt" not in order and order.count("t") >= 1
    assert order.replace("at", "").replace("a", "") == "", "every transcript follows an audio chunk"


async def test_usage_carries_the_counts_by_modality(live_server: LiveServer) -> None:
    async with session(live_server) as ws:
        await send(ws, user_turn("hi"))
        *_, done = await read_turn(ws)
    usage = done["usageMetadata"]
    assert usage["promptTokensDetails"] == [{"modality": "TEXT", "tokenCount": usage["promptTokenCount"]}]
    assert usage["responseTokensDetails"] == [{"modality": "TEXT", "tokenCount": usage["responseTokenCount"]}]
    audio = (await spoken_reply(live_server))[-1]["usageMetadata"]
    assert audio["responseTokensDetails"][0]["modality"] == "AUDIO"


@pytest.fixture
async def tool_server(start_live_server: ServerStarter, write_script: ScriptWriter) -> LiveServer:
    """A scripted server whose `time` rule calls a function."""
    return await start_live_server(ServerConfig(script=write_script(CALL_SCRIPT)))


@pytest.mark.parametrize("vertex", [True, False])
async def test_vertex_sends_a_session_id_and_generation_complete_after_a_tool_call(
    tool_server: LiveServer, vertex: bool
) -> None:
    path = (
        VERTEX_PATH
        if vertex
        else "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent"
    )
    async with raw_socket(tool_server, path=path) as ws:
        await send(ws, setup(model="projects/p/locations/l/publishers/google/models/m"))
        first = await recv(ws)
        await send(ws, user_turn("what time is it"))
        call = await recv(ws)
        after = await recv(ws) if vertex else None
        assert "toolCall" in call
        [function] = call["toolCall"]["functionCalls"]
        await send(
            ws,
            {
                "toolResponse": {
                    "functionResponses": [
                        {"id": function["id"], "name": "now", "response": {"output": "noon"}}
                    ]
                }
            },
        )
        frames = await read_turn(ws)
    usage = frames[-1]["usageMetadata"]
    if vertex:
        assert len(first["setupComplete"]["sessionId"]) == 32
        assert after == {"serverContent": {"generationComplete": True}}
        assert "candidatesTokenCount" in usage and "responseTokenCount" not in usage
    else:
        assert first == {"setupComplete": {}}
        assert frames[0] != {"serverContent": {"generationComplete": True}}
        assert contents(frames).count({"generationComplete": True}) == 1
        assert "responseTokenCount" in usage and "candidatesTokenCount" not in usage


@pytest.mark.parametrize("transparent", [True, False])
async def test_transparent_resumption_says_which_client_message_was_consumed_last(
    live_server: LiveServer, transparent: bool
) -> None:
    resumption = {"transparent": True} if transparent else {}
    async with session(live_server, sessionResumption=resumption) as ws:
        offered = await recv(ws)
        await send(ws, user_turn("one"))
        updates = [
            f["sessionResumptionUpdate"] for f in await read_turn(ws) if "sessionResumptionUpdate" in f
        ]
        await send(ws, user_turn("two"))
        frames = await read_turn(ws)
        last = await recv(ws)
    assert [u["resumable"] for u in updates] == [False]
    index = "lastConsumedClientMessageIndex"
    if transparent:
        assert (
            offered["sessionResumptionUpdate"][index] == "0" or offered["sessionResumptionUpdate"][index] == 0
        )
        assert int(last["sessionResumptionUpdate"][index]) == 2
    else:
        assert (
            index not in offered["sessionResumptionUpdate"] and index not in last["sessionResumptionUpdate"]
        )
    assert frames


UNKNOWN = {"generationConfig": {"responseModalities": ["TEXT"], "futureKnob": 1}}
"""A setup with a field Google does not know."""


async def test_an_unknown_setup_field_is_closed_with_1007_in_googles_words(live_server: LiveServer) -> None:
    async with raw_socket(live_server) as ws:
        await send(ws, {"setup": {"model": "models/m", **UNKNOWN}})
        assert await closed_with(ws) == (
            1007,
            "Invalid JSON payload received. Unknown name \"futureKnob\" at 'setup.generationConfig': "
            "Cannot find field.",
        )


async def test_the_sdks_snake_case_keys_inside_camel_case_parents_are_known(live_server: LiveServer) -> None:
    generation = {"responseModalities": ["TEXT"], "thinking_config": {"thinking_level": "LOW"}}
    realtime = {"automatic_activity_detection": {"disabled": False, "silence_duration_ms": 500}}
    async with raw_socket(live_server) as ws:
        await send(
            ws,
            {
                "setup": {
                    "model": "models/m",
                    "generationConfig": generation,
                    "realtimeInputConfig": realtime,
                    "tools": [{"functionDeclarations": [{"name": "f", "parameters": {"anyKey": {}}}]}],
                    "explicitVadSignal": True,
                }
            },
        )
        assert await recv(ws) == {"setupComplete": {}}


async def test_a_lenient_server_accepts_unknown_setup_fields(start_live_server: ServerStarter) -> None:
    server = await start_live_server(ServerConfig(lenient=True))
    async with raw_socket(server) as ws:
        await send(ws, {"setup": {"model": "models/m", **UNKNOWN}})
        assert json.loads(await ws.recv()) == {"setupComplete": {}}


def test_serve_lenient_is_a_flag_and_strict_is_the_default() -> None:
    from livetui.server.main import build_parser, config_from

    assert config_from(build_parser().parse_args(["--lenient"])).lenient
    assert not config_from(build_parser().parse_args([])).lenient
