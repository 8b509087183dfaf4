"""The OpenAI Realtime dialect's edges over a raw socket: path and key, bad events, bounds, and limits."""

from __future__ import annotations

import base64

import pytest
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed, InvalidStatus

from livetui.server.app import LiveServer, ServerConfig
from livetui.server.dialects.openai.connection import duration_reason
from livetui.server.dialects.openai.items import read_item
from livetui.server.errors import StartupError
from livetui.server.main import build_parser, config_from
from tests.conftest import ScriptWriter, ServerStarter
from tests.frames import HELLO_SCENE, jpeg, qr_frame
from tests.server.realtime import (
    TEXT_ONLY,
    ask,
    realtime_socket,
    recv,
    recv_until,
    send,
    start_text_reply,
    user_text,
)
from tests.server.wire import raw_socket


async def error_for(ws: ClientConnection, event: dict[str, object] | str) -> dict[str, object]:
    """Send `event` and return the ``error`` it is answered with."""
    await send(ws, event)
    answer = await recv(ws)
    assert answer["type"] == "error", answer
    detail: dict[str, object] = answer["error"]
    assert detail["type"] == "invalid_request_error"
    return detail


@pytest.mark.parametrize("headers", [{"Authorization": "Bearer sesame"}, {"api-key": "sesame"}])
async def test_the_key_is_taken_as_a_bearer_token_or_an_api_key_header(
    start_live_server: ServerStarter, headers: dict[str, str]
) -> None:
    server = await start_live_server(ServerConfig(key="sesame"))
    async with realtime_socket(server, headers) as ws:
        await send(ws, TEXT_ONLY)
        await recv(ws)
        assert await ask(ws, "hi") == "You said: hi"


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), ({"Authorization": "Bearer wrong"}, 403), ({"x-goog-api-key": "sesame"}, 401)],
)
async def test_a_missing_or_wrong_key_is_refused_at_the_upgrade(
    start_live_server: ServerStarter, headers: dict[str, str], status: int
) -> None:
    server = await start_live_server(ServerConfig(key="sesame"))
    with pytest.raises(InvalidStatus) as caught:
        async with realtime_socket(server, headers):
            pass
    assert caught.value.response.status_code == status
    assert b"Incorrect API key" in caught.value.response.body


async def test_the_404_body_names_both_endpoints(live_server: LiveServer) -> None:
    with pytest.raises(InvalidStatus) as caught:
        async with raw_socket(live_server, path="/v2/realtime"):
            pass
    body = caught.value.response.body.decode()
    assert caught.value.response.status_code == 404
    assert "BidiGenerateContent" in body and "/v1/realtime" in body and body.count("\n") == 1


async def test_the_session_is_created_first_with_the_model_asked_for_and_ids(live_server: LiveServer) -> None:
    async with raw_socket(live_server, path="//v1/realtime/?model=gpt-realtime-2&intent=realtime") as ws:
        created = await recv(ws)
        assert created["type"] == "session.created" and created["event_id"].startswith("event_")
        session = created["session"]
        assert session["id"].startswith("sess_") and session["model"] == "gpt-realtime-2"
        assert session["audio"]["output"]["format"] == {"type": "audio/pcm", "rate": 24000}
        assert session["audio"]["input"]["turn_detection"]["type"] == "server_vad"


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{not json", "invalid_json"),
        ("[1, 2]", "invalid_json"),
        ('{"type": "session.update", "session": ' + "[" * 70 + "]" * 70 + "}", "invalid_json"),
    ],
)
async def test_a_frame_that_is_no_event_gets_an_error_and_the_session_goes_on(
    live_server: LiveServer, frame: str, code: str
) -> None:
    async with realtime_socket(live_server) as ws:
        detail = await error_for(ws, frame)
        assert detail["code"] == code and detail["event_id"] is None
        await send(ws, TEXT_ONLY)
        await recv(ws)
        assert await ask(ws, "still there") == "You said: still there"


@pytest.mark.parametrize(
    ("event", "code", "param"),
    [
        ({"type": "no.such.event"}, "invalid_value", "type"),
        ({"type": "output_audio_buffer.clear"}, "invalid_value", "type"),
        ({"type": "input_audio_buffer.commit"}, "input_audio_buffer_commit_empty", None),
        ({"type": "input_audio_buffer.append", "audio": "not base64!"}, "invalid_value", "audio"),
        (
            {"type": "input_audio_buffer.append", "audio": base64.b64encode(b"abc").decode()},
            "invalid_value",
            "audio",
        ),
        ({"type": "response.cancel"}, "response_cancel_not_active", None),
        (
            {"type": "conversation.item.truncate", "item_id": "item_x", "audio_end_ms": 0},
            "item_not_found",
            "item_id",
        ),
        (
            {
                "type": "conversation.item.create",
                "item": {
                    "type": "message",
                    "role": "user",
                    "content": [{"type": "input_image", "image_url": "https://example.com/a.jpg"}],
                },
            },
            "invalid_value",
            "item.content[0].image_url",
        ),
        (
            {"type": "conversation.item.create", "item": {"type": "function_call_output", "output": "1"}},
            "invalid_value",
            "item",
        ),
        (
            {
                "type": "session.update",
                "session": {"type": "realtime", "audio": {"output": {"format": {"type": "audio/pcmu"}}}},
            },
            "invalid_value",
            "session.audio.output.format.type",
        ),
        (
            {
                "type": "session.update",
                "session": {"type": "realtime", "output_modalities": ["text", "audio"]},
            },
            "invalid_value",
            "session.output_modalities",
        ),
        ({"type": "session.update", "session": {"type": "transcription"}}, "invalid_value", "session.type"),
        ({"type": []}, "invalid_value", "type"),
        (
            {"type": "session.update", "session": {"type": "realtime", "max_output_tokens": -1}},
            "invalid_value",
            "session.max_output_tokens",
        ),
        (
            {"type": "session.update", "session": {"type": "realtime", "max_output_tokens": True}},
            "invalid_value",
            "session.max_output_tokens",
        ),
    ],
)
async def test_an_event_the_server_cannot_take_gets_an_error_naming_it_and_the_session_goes_on(
    live_server: LiveServer, event: dict[str, object], code: str, param: str | None
) -> None:
    async with realtime_socket(live_server) as ws:
        detail = await error_for(ws, {**event, "event_id": "evt_42"})
        assert (detail["code"], detail["param"], detail["event_id"]) == (code, param, "evt_42")
        await send(ws, TEXT_ONLY)
        updated = await recv(ws)
        assert updated["session"]["audio"]["output"]["format"]["type"] == "audio/pcm", "nothing was changed"
        assert await ask(ws, "go on") == "You said: go on"


async def test_truncating_past_the_audio_sent_is_refused(live_server: LiveServer) -> None:
    async with realtime_socket(live_server) as ws:
        await send(ws, {"type": "conversation.item.create", "item": user_text("hello")})
        await send(ws, {"type": "response.create"})
        events = await recv_until(ws, "response.done")
        audio = [e for e in events if e["type"] == "response.output_audio.delta"]
        item_id = audio[0]["item_id"]
        sent_ms = sum(len(base64.b64decode(e["delta"])) for e in audio) / 2 / 24000 * 1000
        detail = await error_for(
            ws,
            {
                "type": "conversation.item.truncate",
                "item_id": item_id,
                "content_index": 0,
                "audio_end_ms": 99_999,
            },
        )
        assert detail["message"] == f"Audio content of {sent_ms:.0f}ms is already shorter than 99999ms"
        await send(
            ws,
            {"type": "conversation.item.truncate", "item_id": item_id, "content_index": 0, "audio_end_ms": 0},
        )
        assert (await recv(ws))["type"] == "conversation.item.truncated"


async def test_an_input_image_is_seen_by_the_next_answer(live_server: LiveServer) -> None:
    image = "data:image/jpeg;base64," + base64.b64encode(jpeg(qr_frame("hello livetui"))).decode()
    async with realtime_socket(live_server) as ws:
        await send(ws, TEXT_ONLY)
        await recv(ws)
        item = {"type": "message", "role": "user", "content": [{"type": "input_image", "image_url": image}]}
        await send(ws, {"type": "conversation.item.create", "item": item})
        added = await recv(ws)
        assert added["type"] == "conversation.item.added" and added["item"]["id"].startswith("item_")
        await recv(ws)
        assert await ask(ws, "What can you see?") == HELLO_SCENE


async def test_a_second_response_while_one_runs_is_refused(
    start_live_server: ServerStarter, write_script: ScriptWriter
) -> None:
    script = write_script({"default": {"reply": "a b c d e f g h i j", "interval_ms": 200}})
    server = await start_live_server(ServerConfig(script=script))
    async with realtime_socket(server) as ws:
        await start_text_reply(ws, "hi")
        await recv_until(ws, "response.output_text.delta")
        await send(ws, {"type": "response.create", "event_id": "evt_again"})
        events = await recv_until(ws, "error")
        assert events[-1]["error"]["code"] == "conversation_already_has_active_response"
        assert events[-1]["error"]["event_id"] == "evt_again"
        done = (await recv_until(ws, "response.done"))[-1]
        assert done["response"]["status"] == "completed", "the running response was left alone"


async def test_a_scripted_fault_closes_an_openai_session_too(
    start_live_server: ServerStarter, write_script: ScriptWriter
) -> None:
    script = write_script({"default": {"reply": "one two three four five six", "fault": "close_1011"}})
    server = await start_live_server(ServerConfig(script=script))
    async with realtime_socket(server) as ws:
        await start_text_reply(ws, "hi")
        with pytest.raises(ConnectionClosed):
            while True:
                await recv(ws)
        assert ws.close_code == 1011


def test_the_duration_reason_is_in_openais_words() -> None:
    assert duration_reason(3600) == "Your session hit the maximum duration of 60 minutes."
    assert duration_reason(1.5) == "Your session hit the maximum duration of 1.5 seconds."


def test_max_session_comes_from_the_command_line_and_must_be_positive() -> None:
    assert config_from(build_parser().parse_args([])).max_session == 3600
    assert config_from(build_parser().parse_args(["--max-session", "90"])).max_session == 90
    with pytest.raises(StartupError, match="--max-session"):
        config_from(build_parser().parse_args(["--max-session", "0"]))


def test_a_replayed_spoken_turn_is_remembered_by_its_transcript() -> None:
    spoken = {
        "type": "message",
        "role": "assistant",
        "content": [{"type": "output_audio", "transcript": "Hi."}],
    }
    read = read_item(spoken)
    assert (read.role, read.text) == ("assistant", "Hi.")
    assert read.item["id"].startswith("item_") and read.item["status"] == "completed"
    typed = read_item(user_text("one ") | {"content": [{"type": "input_text", "text": "one "}] * 2})
    assert typed.text == "one one "


def test_a_function_output_too_deep_for_json_is_kept_as_text() -> None:
    deep = "[" * 300_000
    read = read_item({"type": "function_call_output", "call_id": "call_x", "output": deep})
    assert read.answer is not None and read.answer.output == {"output": deep}
    lone = read_item({"type": "function_call_output", "call_id": "call_y", "output": '"\\ud800"'})
    assert lone.answer is not None and lone.answer.output == {"output": '"\\ud800"'}
