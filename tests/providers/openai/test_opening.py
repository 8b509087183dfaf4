"""The opening frames: ``session.update`` from the neutral config (GA shape) and the conversation replayed
as items; the session is ready once the server says ``session.updated``."""

from __future__ import annotations

from dataclasses import replace

from livetui import events as ev
from livetui.live.codec import Exchange
from livetui.live.tools import ToolDeclaration
from livetui.providers.openai.codec import OpenAICodec
from tests.providers.openai.wire import CONFIG, frame, of, sent, types

WEATHER = ToolDeclaration(
    name="get_weather",
    description="The weather in a city.",
    parameters={"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)


def opening(codec: OpenAICodec) -> dict[str, object]:
    codec.start()
    [update, *_] = sent(codec)
    assert update["type"] == "session.update"
    session = update["session"]
    assert isinstance(session, dict)
    return session


def test_the_default_session_is_audio_at_24_khz_under_server_vad_with_transcripts() -> None:
    session = opening(OpenAICodec(CONFIG))
    assert session == {
        "type": "realtime",
        "output_modalities": ["audio"],
        "audio": {
            "input": {
                "format": {"type": "audio/pcm", "rate": 24000},
                "turn_detection": {"type": "server_vad", "create_response": True, "interrupt_response": True},
                "transcription": {"model": "gpt-realtime-whisper"},
            },
            "output": {"format": {"type": "audio/pcm", "rate": 24000}},
        },
    }


def test_instructions_voice_text_replies_and_semantic_vad() -> None:
    config = replace(
        CONFIG, system_prompt="Be brief.", voice="marin", modality="text", turn_detection="semantic_vad"
    )
    session = opening(OpenAICodec(config))
    assert session["instructions"] == "Be brief."
    assert session["output_modalities"] == ["text"]
    audio = session["audio"]
    assert isinstance(audio, dict)
    assert audio["output"]["voice"] == "marin"
    assert audio["input"]["turn_detection"]["type"] == "semantic_vad"


def test_push_to_talk_sends_turn_detection_null_and_no_transcription_when_not_asked() -> None:
    config = replace(CONFIG, activity="manual", transcription=False)
    codec = OpenAICodec(config)
    codec.start()
    [raw] = codec.data_to_send()
    assert '"turn_detection":null' in raw
    session = opening(OpenAICodec(config))
    audio = session["audio"]
    assert isinstance(audio, dict)
    assert audio["input"]["turn_detection"] is None
    assert "transcription" not in audio["input"]


def test_tools_are_function_tools() -> None:
    session = opening(OpenAICodec(replace(CONFIG, tools=(WEATHER,))))
    assert session["tools"] == [
        {
            "type": "function",
            "name": "get_weather",
            "description": "The weather in a city.",
            "parameters": WEATHER.parameters,
        }
    ]
    assert session["tool_choice"] == "auto"


def test_history_is_replayed_as_items_after_the_configuration() -> None:
    history = (
        Exchange(role="user", text="What is 2+2?"),
        Exchange(role="model", text="Four."),
        Exchange(role="user", text=""),
        Exchange(role="model", text="Anything else"),
    )
    codec = OpenAICodec(CONFIG, history=history)
    codec.start()
    events = sent(codec)
    assert types(events) == ["session.update"] + ["conversation.item.create"] * 3
    assert [e["item"] for e in events[1:]] == [
        {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "What is 2+2?"}]},
        {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Four."}]},
        {
            "type": "message",
            "role": "assistant",
            "content": [{"type": "output_text", "text": "Anything else"}],
        },
    ]


def test_ready_after_session_updated_with_the_id_of_session_created() -> None:
    codec = OpenAICodec(CONFIG)
    codec.start()
    codec.receive(frame("session.created", session={"id": "sess_9"}), at=0.0)
    assert not codec.ready
    assert not of(ev.SetupComplete, codec.events_received())
    codec.receive(frame("session.updated", session={}), at=0.0)
    codec.receive(frame("session.updated", session={}), at=0.0)  # a later update is no new session
    assert codec.ready
    assert of(ev.SetupComplete, codec.events_received()) == [ev.SetupComplete(session_id="sess_9")]


def test_every_frame_out_is_a_wire_frame() -> None:
    codec = OpenAICodec(CONFIG, history=(Exchange(role="user", text="hello"),))
    codec.start()
    frames = of(ev.WireFrame, codec.events_received())
    assert [(f.direction, f.summary) for f in frames] == [
        ("out", "session.update"),
        ("out", "conversation.item.create message.user"),
    ]
    assert [f.size for f in frames] == [len(raw) for raw in codec.data_to_send()]
