"""One hostile server frame never escapes the OpenAI codec: each becomes its `WireFrame` and, when it
cannot be used, one `SessionError`; the session goes on."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from livetui import events as ev
from livetui.providers.openai.codec import OpenAICodec
from tests.hostile import HOSTILE_FRAMES, Frame, server_frames
from tests.providers.openai.wire import frame, live_codec, of

TEMPLATES: tuple[dict[str, Any], ...] = (
    {"type": "session.updated", "session": {"id": "s"}},
    {"type": "error", "error": {"code": "c", "message": "m"}},
    {"type": "rate_limits.updated", "rate_limits": [{"name": "tokens", "limit": 1, "remaining": 0}]},
    {"type": "input_audio_buffer.speech_started", "item_id": "u"},
    {"type": "input_audio_buffer.committed", "item_id": "u"},
    {"type": "conversation.item.input_audio_transcription.completed", "item_id": "u", "transcript": "t"},
    {"type": "response.created", "response": {"id": "r"}},
    {"type": "response.output_item.done", "item": {"type": "function_call", "call_id": "c", "name": "f"}},
    {"type": "response.output_text.delta", "delta": "d"},
    {"type": "response.output_audio.delta", "item_id": "a", "delta": "AAAA"},
    {"type": "response.function_call_arguments.done", "call_id": "c", "arguments": "{}"},
    {"type": "response.done", "response": {"status": "failed", "usage": {"input_tokens": 1}}},
)

_leaves = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
_values = st.recursive(
    _leaves,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)


@st.composite
def mutated_events(draw: st.DrawFn) -> str:
    """A well-formed event with one field replaced by random JSON."""
    template = dict(draw(st.sampled_from(TEMPLATES)))
    key = draw(st.sampled_from(sorted(template)))
    template[key] = draw(_values)
    return json.dumps(template, allow_nan=True)


def still_live(codec: OpenAICodec) -> bool:
    """The codec still reads a whole reply to a new typed turn."""
    turn = codec.send_text("are you there?", at=9.0)
    codec.receive(frame("response.created", response={"id": "resp_s"}), at=9.1)
    codec.receive(frame("response.output_text.delta", delta="still live"), at=9.2)
    codec.receive(frame("response.done", response={"id": "resp_s", "status": "completed"}), at=9.3)
    events = codec.events_received()
    text = "".join(e.text for e in of(ev.TextDelta, events) if e.turn == turn)
    return text == "still live" and ev.TurnComplete(turn=turn) in events


def check_frame(codec: OpenAICodec, raw: Frame) -> list[ev.AnyEvent]:
    """Feed one frame: exactly one `WireFrame` first, no exception, every event journalable."""
    codec.receive(raw, at=0.5)
    events = codec.events_received()
    assert isinstance(events[0], ev.WireFrame) and events[0].direction == "in"
    assert sum(isinstance(e, ev.WireFrame) for e in events) == 1
    for event in events:
        event.model_dump_json()
    return events


@pytest.mark.parametrize("name", list(HOSTILE_FRAMES))
def test_a_hostile_frame_is_an_event_and_the_session_goes_on(name: str) -> None:
    codec = live_codec()
    check_frame(codec, HOSTILE_FRAMES[name])
    assert still_live(codec)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{{{", "malformed frame from the server: frame is not valid JSON"),
        ('"text"', "malformed frame from the server: frame is a JSON str, not an object"),
        (b'{"type":\xff}', "malformed frame from the server: binary frame is not UTF-8 JSON"),
        (
            '{"type":"x","a":' + "[" * 100 + "]" * 100 + "}",
            "malformed frame from the server: the frame is nested",
        ),
        ('{"event_id":"e"}', "ignored a frame from the server: it has no type"),
        ('{"type":7}', "ignored a frame from the server: it has no type"),
        (
            '{"type":"response.done","response":"done"}',
            "ignored a frame from the server: invalid response.done: ",
        ),
        ('{"type":"error","error":{"code":5}}', "ignored a frame from the server: invalid error: error.code"),
        (
            '{"type":"rate_limits.updated","rate_limits":[{"limit":"lots"}]}',
            "ignored a frame from the server: ",
        ),
    ],
)
def test_an_unreadable_frame_is_one_error_line(raw: Frame, message: str) -> None:
    codec = live_codec()
    [error] = of(ev.SessionError, check_frame(codec, raw))
    assert error.message.startswith(message) and "\n" not in error.message and not error.fatal
    assert still_live(codec)


@settings(max_examples=300, derandomize=True, deadline=None, database=None)
@given(raw=mutated_events() | server_frames())
def test_fuzzed_frames_never_escape_and_the_session_goes_on(raw: Frame) -> None:
    codec = live_codec()
    check_frame(codec, raw)
    assert still_live(codec)
