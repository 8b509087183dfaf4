"""The official openai SDK holds Realtime sessions with the local server (reference §7)."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosedOK

from livetui.server.app import LiveServer, ServerConfig
from livetui.server.core.brains.base import Chunk, Dialogue
from livetui.server.core.brains.scripted import ScriptedBrain
from livetui.server.script import Script, load_script
from tests.conftest import ScriptWriter, ServerStarter
from tests.server.realtime import events_until, next_event, of_type, sdk, user_text
from tests.voice.conftest import GRAMMAR, SCRIPT, Speech, pcm_of

pytestmark = pytest.mark.sdk

MODEL = "gpt-realtime"


class HistoryBrain(ScriptedBrain):
    """Answers as the scripted brain does, and keeps the history each reply was given."""

    def __init__(self, script: Script | None = None) -> None:
        super().__init__(script)
        self.histories: list[list[tuple[str, str]]] = []
        """(role, text) of every turn, per reply."""

    async def reply(self, dialogue: Dialogue, text: str) -> AsyncIterator[Chunk]:
        """Record the history, then answer."""
        self.histories.append([(turn.role, turn.text) for turn in dialogue.history])
        async for chunk in super().reply(dialogue, text):
            yield chunk


async def test_a_text_reply_streams_and_ends_with_usage(live_server: LiveServer) -> None:
    async with sdk(live_server).realtime.connect(model=MODEL) as connection:
        created = await next_event(connection)
        assert created["type"] == "session.created" and created["session"]["model"] == MODEL
        await connection.session.update(session={"type": "realtime", "output_modalities": ["text"]})
        updated = await next_event(connection)
        assert updated["type"] == "session.updated" and updated["session"]["output_modalities"] == ["text"]
        await connection.conversation.item.create(item=user_text("hello from the sdk"))
        await connection.response.create()
        events = await events_until(connection, "response.done")
    kinds = [event["type"] for event in events]
    assert kinds[:2] == ["conversation.item.added", "conversation.item.done"], "the user's item"
    assert kinds.index("response.created") < kinds.index("response.output_item.added")
    assert kinds.index("response.content_part.added") < kinds.index("response.output_text.delta")
    assert kinds[-5:] == [
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "conversation.item.done",
        "response.done",
    ]
    deltas = of_type(events, "response.output_text.delta")
    assert len(deltas) > 1, "streamed in several deltas"
    assert "".join(d["delta"] for d in deltas) == "You said: hello from the sdk"
    done = events[-1]["response"]
    assert done["status"] == "completed"
    assert done["output"][0]["content"][0] == {"type": "output_text", "text": "You said: hello from the sdk"}
    assert done["usage"]["output_tokens"] == 6 and done["usage"]["total_tokens"] > 6
    ids = [event["event_id"] for event in events]
    assert len(set(ids)) == len(ids), "every event has its own id"
    assert {d["response_id"] for d in deltas} == {done["id"]} and done["id"].startswith("resp_")


async def test_speech_at_24khz_is_heard_and_answered_with_24khz_audio_and_its_transcript(
    start_live_server: ServerStarter, speech: Speech
) -> None:
    server = await start_live_server(ServerConfig(grammar=GRAMMAR, script=SCRIPT))
    pcm = pcm_of(speech("what is the weather like today", rate=24000))
    async with sdk(server).realtime.connect(model=MODEL) as connection:
        await next_event(connection)
        transcribed: Any = {"type": "realtime", "audio": {"input": {"transcription": {"model": "whisper-1"}}}}
        await connection.session.update(session=transcribed)
        await next_event(connection)
        for start in range(0, len(pcm), 4800):  # 100 ms blocks
            chunk = base64.b64encode(pcm[start : start + 4800]).decode()
            await connection.input_audio_buffer.append(audio=chunk)
        events = await events_until(connection, "response.done")
    kinds = [event["type"] for event in events]
    assert kinds.index("input_audio_buffer.speech_started") < kinds.index("input_audio_buffer.speech_stopped")
    assert kinds.index("input_audio_buffer.speech_stopped") < kinds.index("input_audio_buffer.committed")
    (heard,) = of_type(events, "conversation.item.input_audio_transcription.completed")
    assert heard["transcript"] == "what is the weather like today"
    (committed,) = of_type(events, "input_audio_buffer.committed")
    assert heard["item_id"] == committed["item_id"]
    said = "".join(e["delta"] for e in of_type(events, "response.output_audio_transcript.delta"))
    assert said == "It is sunny and warm today. Expect a light breeze this afternoon."
    (done,) = of_type(events, "response.output_audio_transcript.done")
    assert done["transcript"] == said
    audio = b"".join(base64.b64decode(e["delta"]) for e in of_type(events, "response.output_audio.delta"))
    assert len(audio) / 2 / 24000 > 3.0, "seconds of 24 kHz speech"
    assert events[-1]["response"]["status"] == "completed"


async def test_without_turn_detection_a_committed_utterance_is_answered_only_when_asked(
    start_live_server: ServerStarter, speech: Speech
) -> None:
    server = await start_live_server(ServerConfig(grammar=GRAMMAR, script=SCRIPT))
    pcm = pcm_of(speech("stop talking please", rate=24000))
    manual: Any = {
        "type": "realtime",
        "output_modalities": ["text"],
        "audio": {"input": {"turn_detection": None, "transcription": {"model": "whisper-1"}}},
    }
    async with sdk(server).realtime.connect(model=MODEL) as connection:
        await next_event(connection)
        await connection.session.update(session=manual)
        assert (await next_event(connection))["session"]["audio"]["input"]["turn_detection"] is None
        await connection.input_audio_buffer.append(audio=base64.b64encode(pcm).decode())
        await connection.input_audio_buffer.commit()
        heard = await events_until(connection, "conversation.item.input_audio_transcription.completed")
        assert heard[-1]["transcript"] == "stop talking please"
        assert not of_type(heard, "input_audio_buffer.speech_started"), "no voice-activity events"
        assert of_type(heard, "input_audio_buffer.committed")
        assert not of_type(heard, "response.created"), "no reply until one is asked for"
        await connection.response.create()
        events = await events_until(connection, "response.done")
    assert not of_type(events, "error"), "the one response is the one asked for"
    assert "".join(e["delta"] for e in of_type(events, "response.output_text.delta")) == "Okay."


async def test_a_function_call_round_trip(
    start_live_server: ServerStarter, write_script: ScriptWriter
) -> None:
    script = {
        "rules": [
            {
                "match": "times",
                "tool_calls": [{"name": "calculator", "args": {"expression": "6 * 7"}}],
                "reply": "6 times 7 is {output}.",
            }
        ]
    }
    server = await start_live_server(ServerConfig(script=write_script(script)))
    tool: Any = {"type": "function", "name": "calculator", "parameters": {"type": "object", "properties": {}}}
    async with sdk(server).realtime.connect(model=MODEL) as connection:
        await next_event(connection)
        await connection.session.update(
            session={"type": "realtime", "output_modalities": ["text"], "tools": [tool]}
        )
        await next_event(connection)
        await connection.conversation.item.create(item=user_text("what is 6 times 7"))
        await connection.response.create()
        first = await events_until(connection, "response.done")
        (arguments,) = of_type(first, "response.function_call_arguments.done")
        assert arguments["name"] == "calculator" and json.loads(arguments["arguments"]) == {
            "expression": "6 * 7"
        }
        assert first[-1]["response"]["output"][0]["type"] == "function_call"
        assert not of_type(first, "response.output_text.delta"), "nothing said before the answer"
        output: Any = {"type": "function_call_output", "call_id": arguments["call_id"], "output": "42"}
        await connection.conversation.item.create(item=output)
        await connection.response.create()
        second = await events_until(connection, "response.done")
    text = "".join(e["delta"] for e in of_type(second, "response.output_text.delta"))
    assert text == "6 times 7 is 42."
    assert second[-1]["response"]["id"] != first[-1]["response"]["id"], "the reply goes on in a new response"


async def test_cancel_then_truncate_keeps_only_the_heard_words_in_the_history(
    start_live_server: ServerStarter,
) -> None:
    brain = HistoryBrain(load_script(SCRIPT))
    server = await start_live_server(brain=brain)
    async with sdk(server).realtime.connect(model=MODEL) as connection:
        await next_event(connection)
        await connection.conversation.item.create(item=user_text("tell me a story"))
        await connection.response.create()
        words: list[str] = []
        starts: list[tuple[float, str]] = []  # each audio chunk's start (ms) and the words it says
        sent_ms = 0.0
        item_id = ""
        while sent_ms < 600:  # three chunks of 200 ms
            event = await next_event(connection)
            if event["type"] == "response.output_audio_transcript.delta":
                words.append(event["delta"])
            elif event["type"] == "response.output_audio.delta":
                item_id = event["item_id"]
                starts.append((sent_ms, "".join(words)))
                words = []
                sent_ms += len(base64.b64decode(event["delta"])) / 2 / 24000 * 1000
        await connection.response.cancel()
        cancelled = (await events_until(connection, "response.done"))[-1]["response"]
        assert cancelled["status"] == "cancelled"
        assert cancelled["status_details"]["reason"] == "client_cancelled"
        await connection.conversation.item.truncate(item_id=item_id, content_index=0, audio_end_ms=300)
        truncated = (await events_until(connection, "conversation.item.truncated"))[-1]
        assert (truncated["item_id"], truncated["audio_end_ms"]) == (item_id, 300)
        await connection.conversation.item.create(item=user_text("stop"))
        await connection.response.create()
        await events_until(connection, "response.done")
    heard = "".join(said for start, said in starts if start < 300)
    assert heard and heard.startswith("Once upon")
    assert brain.histories[-1] == [("user", "tell me a story"), ("model", heard), ("user", "stop")]


async def test_an_invalid_event_gets_an_error_event_and_the_session_goes_on(live_server: LiveServer) -> None:
    async with sdk(live_server).realtime.connect(model=MODEL) as connection:
        await next_event(connection)
        bad = {"type": "realtime", "audio": {"input": {"format": {"type": "audio/pcm", "rate": 16000}}}}
        invalid: Any = {"type": "session.update", "event_id": "evt_bad", "session": bad}
        await connection.send(invalid)
        error = await next_event(connection)
        assert error["type"] == "error"
        assert error["error"]["type"] == "invalid_request_error"
        assert error["error"]["event_id"] == "evt_bad"
        assert error["error"]["param"] == "session.audio.input.format.rate"
        await connection.session.update(session={"type": "realtime", "output_modalities": ["text"]})
        updated = await next_event(connection)
        assert updated["session"]["audio"]["input"]["format"]["rate"] == 24000, (
            "the bad update changed nothing"
        )
        await connection.conversation.item.create(item=user_text("still here?"))
        await connection.response.create()
        events = await events_until(connection, "response.done")
    assert (
        "".join(e["delta"] for e in of_type(events, "response.output_text.delta")) == "You said: still here?"
    )


async def test_a_session_past_its_maximum_length_is_closed_with_1001(
    start_live_server: ServerStarter,
) -> None:
    server = await start_live_server(ServerConfig(max_session=0.5))
    async with sdk(server).realtime.connect(model=MODEL) as connection:
        await next_event(connection)
        with pytest.raises(ConnectionClosedOK) as closed:
            await next_event(connection)
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (
        1001,
        "Your session hit the maximum duration of 0.5 seconds.",
    )
