"""Every server event of the reference becomes the domain events it means, under its GA name and its beta
name: transcripts (late ones too), voice activity and barge-in, replies, usage, rate limits, errors."""

from __future__ import annotations

import base64
import json

import pytest

from livetui import events as ev
from tests.providers.openai.wire import audio_delta, domain, frame, live_codec, of, reply, sent, types


def test_a_text_reply_streams_deltas_and_completes_with_usage() -> None:
    codec = live_codec()
    turn = codec.send_text("hi", at=1.0)
    codec.events_received()
    codec.receive(frame("response.created", response={"id": "resp_1", "status": "in_progress"}), at=1.5)
    codec.receive(
        frame(
            "rate_limits.updated",
            rate_limits=[
                {"name": "requests", "limit": 1000, "remaining": 999, "reset_seconds": 60},
                {"name": "tokens", "limit": 50000, "remaining": 49000, "reset_seconds": 12.5},
            ],
        ),
        at=1.5,
    )
    codec.receive(
        frame(
            "response.output_item.added",
            response_id="resp_1",
            output_index=0,
            item={"id": "item_t", "type": "message", "role": "assistant"},
        ),
        at=1.6,
    )
    for piece in ("Hel", "lo."):
        codec.receive(
            frame(
                "response.output_text.delta",
                response_id="resp_1",
                item_id="item_t",
                output_index=0,
                content_index=0,
                delta=piece,
            ),
            at=1.7,
        )
    codec.receive(
        frame("response.output_text.done", response_id="resp_1", item_id="item_t", text="Hello."), at=1.8
    )
    codec.receive(
        frame(
            "response.done",
            response={
                "id": "resp_1",
                "status": "completed",
                "output": [],
                "usage": {"input_tokens": 12, "output_tokens": 5, "total_tokens": 17},
            },
        ),
        at=2.0,
    )
    events = codec.events_received()
    assert ev.LatencyMark(turn=turn, mark="t1", at=1.5) in events
    assert ev.LatencyMark(turn=turn, mark="t4", at=2.0) in events
    kept = [e for e in events if not isinstance(e, ev.WireFrame | ev.LatencyMark)]
    assert kept == [
        ev.RateLimits(
            limits=(
                ev.RateLimit(name="requests", limit=1000, remaining=999, reset_seconds=60),
                ev.RateLimit(name="tokens", limit=50000, remaining=49000, reset_seconds=12.5),
            )
        ),
        ev.TextDelta(turn=turn, text="Hel"),
        ev.TextDelta(turn=turn, text="lo."),
        ev.Usage(turn=turn, prompt_tokens=12, response_tokens=5, total_tokens=17),
        ev.GenerationComplete(turn=turn),
        ev.TurnComplete(turn=turn),
    ]
    assert not codec.replying


@pytest.mark.parametrize(
    ("text", "audio", "transcript"),
    [
        (
            "response.output_text.delta",
            "response.output_audio.delta",
            "response.output_audio_transcript.delta",
        ),
        ("response.text.delta", "response.audio.delta", "response.audio_transcript.delta"),
    ],
    ids=["GA", "beta"],
)
def test_ga_and_beta_names_of_the_reply_events(text: str, audio: str, transcript: str) -> None:
    codec = live_codec()
    turn = codec.send_text("hi", at=1.0)
    pcm = bytes(range(100)) * 2
    codec.receive(frame("response.created", response={"id": "resp_1"}), at=1.1)
    codec.receive(frame(text, response_id="resp_1", item_id="i", delta="words"), at=1.2)
    codec.receive(audio_delta(pcm, kind=audio), at=1.3)
    codec.receive(frame(transcript, response_id="resp_1", item_id="i", delta="said"), at=1.4)
    events = domain(codec)
    assert of(ev.TextDelta, events) == [ev.TextDelta(turn=turn, text="words")]
    assert of(ev.AudioOut, events) == [ev.AudioOut(turn=turn, pcm=pcm, rate=24000)]
    assert of(ev.OutputTranscript, events) == [ev.OutputTranscript(turn=turn, text="said")]


def test_an_audio_delta_is_shown_abbreviated() -> None:
    codec = live_codec()
    codec.receive(audio_delta(bytes(4800)), at=1.0)
    [wire] = of(ev.WireFrame, codec.events_received())
    assert wire.summary == "response.output_audio.delta"
    assert '"delta":"<4800 bytes>"' in wire.text and len(wire.text) < 200


def test_a_voice_turn_gets_its_transcript_even_when_it_completes_after_the_reply_started() -> None:
    codec = live_codec()
    codec.receive(frame("input_audio_buffer.speech_started", audio_start_ms=0, item_id="item_u1"), at=1.0)
    codec.receive(frame("input_audio_buffer.speech_stopped", audio_end_ms=900, item_id="item_u1"), at=2.0)
    codec.receive(frame("input_audio_buffer.committed", item_id="item_u1", previous_item_id=None), at=2.1)
    codec.receive(
        frame("conversation.item.added", item={"id": "item_u1", "type": "message", "role": "user"}), at=2.1
    )
    codec.receive(
        frame(
            "conversation.item.input_audio_transcription.delta",
            item_id="item_u1",
            content_index=0,
            delta="what",
        ),
        at=2.2,
    )
    codec.receive(frame("response.created", response={"id": "resp_1"}), at=2.3)
    codec.receive(
        frame(
            "response.output_audio_transcript.delta", response_id="resp_1", item_id="item_a", delta="It is"
        ),
        at=2.4,
    )
    codec.receive(
        frame(
            "conversation.item.input_audio_transcription.completed",
            item_id="item_u1",
            content_index=0,
            transcript="what time is it",
            usage={"type": "duration", "seconds": 1},
        ),
        at=2.5,
    )
    codec.receive(frame("response.done", response={"id": "resp_1", "status": "completed"}), at=3.0)
    events = codec.events_received()
    assert ev.LatencyMark(turn=1, mark="t0", at=2.1) in events
    kept = [e for e in events if not isinstance(e, ev.WireFrame | ev.LatencyMark)]
    assert kept == [
        ev.VoiceActivity(speaking=True),
        ev.VoiceActivity(speaking=False),
        ev.InputTranscript(turn=1, text="what"),
        ev.OutputTranscript(turn=1, text="It is"),
        ev.InputTranscript(turn=1, text="what time is it", final=True),
        ev.GenerationComplete(turn=1),
        ev.TurnComplete(turn=1),
    ]


def test_a_late_transcript_lands_under_its_own_turn_not_the_next() -> None:
    codec = live_codec()
    for number, item in enumerate(("item_u1", "item_u2"), start=1):
        codec.receive(frame("input_audio_buffer.committed", item_id=item), at=float(number))
        reply(codec, at=float(number) + 0.5)
    codec.receive(
        frame("conversation.item.input_audio_transcription.completed", item_id="item_u1", transcript="first"),
        at=5.0,
    )
    codec.receive(
        frame(
            "conversation.item.input_audio_transcription.completed", item_id="item_u2", transcript="second"
        ),
        at=5.0,
    )
    transcripts = of(ev.InputTranscript, domain(codec))
    assert [(t.turn, t.text) for t in transcripts] == [(1, "first"), (2, "second")]


def test_speech_over_a_reply_is_the_servers_interruption_and_the_rest_is_dropped() -> None:
    codec = live_codec()
    turn = codec.send_text("tell me a story", at=1.0)
    codec.receive(frame("response.created", response={"id": "resp_1"}), at=1.1)
    codec.receive(audio_delta(bytes(960)), at=1.2)
    codec.events_received()
    sent(codec)
    codec.receive(frame("input_audio_buffer.speech_started", audio_start_ms=300, item_id="item_u"), at=2.0)
    codec.receive(audio_delta(bytes(960)), at=2.1)
    codec.receive(
        frame("response.output_audio_transcript.delta", response_id="resp_1", item_id="item_a", delta="once"),
        at=2.1,
    )
    codec.receive(
        frame(
            "response.done",
            response={
                "id": "resp_1",
                "status": "cancelled",
                "status_details": {"type": "cancelled", "reason": "turn_detected"},
            },
        ),
        at=2.2,
    )
    events = domain(codec)
    assert events == [
        ev.VoiceActivity(speaking=True),
        ev.Interrupted(turn=turn, by="server"),
        ev.TurnComplete(turn=turn, reason="interrupted"),
    ]
    assert sent(codec) == []  # the server cancels the reply itself
    codec.receive(frame("input_audio_buffer.committed", item_id="item_u"), at=2.5)
    reply(codec, text="yes?", at=3.0)
    assert of(ev.TextDelta, domain(codec)) == [ev.TextDelta(turn=turn + 1, text="yes?")]


def test_a_cancelled_reply_acknowledges_the_users_interruption() -> None:
    codec = live_codec()
    turn = codec.send_text("hi", at=1.0)
    codec.receive(frame("response.created", response={"id": "resp_1"}), at=1.1)
    codec.interrupt(at=2.0)
    codec.receive(
        frame("response.output_text.delta", response_id="resp_1", item_id="i", delta="late"), at=2.1
    )
    codec.receive(frame("response.done", response={"id": "resp_1", "status": "cancelled"}), at=2.2)
    events = codec.events_received()
    assert ev.LatencyMark(turn=turn, mark="k2", at=2.2) in events
    assert not of(ev.TextDelta, events)
    assert of(ev.Interrupted, events) == [
        ev.Interrupted(turn=turn, by="user"),
        ev.Interrupted(turn=turn, by="server"),
    ], "the cancelled reply is the server's acknowledgement, as Gemini's interrupted is"
    assert of(ev.TurnComplete, events) == [ev.TurnComplete(turn=turn, reason="interrupted")]


def test_interrupted_before_the_reply_began_cancels_it_when_it_begins() -> None:
    codec = live_codec()
    codec.receive(
        frame("input_audio_buffer.committed", item_id="item_u"), at=1.0
    )  # server VAD: a reply is due
    codec.interrupt(at=1.1)
    assert types(sent(codec)) == ["response.cancel"]
    codec.receive(
        frame(
            "error",
            error={
                "type": "invalid_request_error",
                "code": "response_cancel_not_active",
                "message": "no active response",
            },
        ),
        at=1.2,
    )
    codec.receive(frame("response.created", response={"id": "resp_1"}), at=1.3)
    assert types(sent(codec)) == ["response.cancel"]
    codec.receive(frame("response.done", response={"id": "resp_1", "status": "cancelled"}), at=1.4)
    events = domain(codec)
    assert not of(ev.SessionError, events)  # the crossed cancel is not worth a line
    assert of(ev.TurnComplete, events) == [ev.TurnComplete(turn=1, reason="interrupted")]


def test_a_failed_reply_is_one_error_line_with_its_details() -> None:
    codec = live_codec()
    turn = codec.send_text("hi", at=1.0)
    codec.receive(frame("response.created", response={"id": "resp_1"}), at=1.1)
    codec.receive(
        frame(
            "response.done",
            response={
                "id": "resp_1",
                "status": "failed",
                "status_details": {
                    "type": "failed",
                    "error": {"type": "server_error", "code": "overloaded", "message": "Try\nagain."},
                },
            },
        ),
        at=1.2,
    )
    events = domain(codec)
    assert of(ev.SessionError, events) == [
        ev.SessionError(message="the reply failed: overloaded: Try again.")
    ]
    assert of(ev.TurnComplete, events) == [ev.TurnComplete(turn=turn, reason="failed")]


def test_an_incomplete_reply_says_why() -> None:
    codec = live_codec()
    turn = codec.send_text("hi", at=1.0)
    reply(codec, status="incomplete")
    codec.receive(frame("response.done", response={"status": "incomplete"}), at=2.0)  # no open turn: ignored
    codec.send_text("again", at=3.0)
    codec.receive(
        frame(
            "response.done",
            response={"status": "incomplete", "status_details": {"reason": "max_output_tokens"}},
        ),
        at=4.0,
    )
    done = of(ev.TurnComplete, domain(codec))
    assert done == [
        ev.TurnComplete(turn=turn, reason="incomplete"),
        ev.TurnComplete(turn=turn + 1, reason="max_output_tokens"),
    ]


def test_an_error_event_is_one_line_and_the_session_goes_on() -> None:
    codec = live_codec()
    codec.receive(
        frame(
            "error",
            error={
                "type": "invalid_request_error",
                "code": "invalid_value",
                "message": "Invalid 'voice'.\nPick another.",
                "param": "voice",
            },
        ),
        at=1.0,
    )
    codec.receive(frame("error", error={"type": "server_error", "message": "oops"}), at=1.0)
    assert of(ev.SessionError, domain(codec)) == [
        ev.SessionError(message="invalid_value: Invalid 'voice'. Pick another."),
        ev.SessionError(message="server_error: oops"),
    ]
    turn = codec.send_text("still there?", at=2.0)
    reply(codec)
    assert ev.TurnComplete(turn=turn) in domain(codec)


def test_push_to_talk_with_nothing_said_does_not_misplace_the_next_transcript() -> None:
    from dataclasses import replace

    from tests.providers.openai.wire import CONFIG

    codec = live_codec(replace(CONFIG, activity="manual"))
    codec.activity_end(at=1.0)
    codec.receive(
        frame("error", error={"code": "input_audio_buffer_commit_empty", "message": "empty"}), at=1.1
    )
    reply(codec, at=1.2)
    turn = codec.activity_end(at=2.0)
    codec.receive(frame("input_audio_buffer.committed", item_id="item_u"), at=2.1)
    codec.receive(
        frame("conversation.item.input_audio_transcription.completed", item_id="item_u", transcript="hello"),
        at=2.2,
    )
    assert of(ev.InputTranscript, domain(codec)) == [ev.InputTranscript(turn=turn, text="hello", final=True)]


@pytest.mark.parametrize(
    "kind",
    [
        "conversation.created",
        "conversation.item.added",
        "conversation.item.done",
        "conversation.item.created",
        "conversation.item.retrieved",
        "conversation.item.truncated",
        "conversation.item.deleted",
        "conversation.item.input_audio_transcription.failed",
        "conversation.item.input_audio_transcription.segment",
        "input_audio_buffer.cleared",
        "input_audio_buffer.timeout_triggered",
        "response.content_part.added",
        "response.content_part.done",
        "response.output_text.done",
        "response.output_audio.done",
        "response.output_audio_transcript.done",
        "response.function_call_arguments.delta",
        "response.mcp_call.completed",
        "output_audio_buffer.started",
        "output_audio_buffer.cleared",
        "something.new_from_the_future",
    ],
)
def test_other_events_are_only_wire_frames(kind: str) -> None:
    codec = live_codec()
    codec.receive(frame(kind, item_id="item_x", item={"id": "item_x", "type": "message"}), at=1.0)
    events = codec.events_received()
    assert [e.kind for e in events] == ["wire_frame"]
    assert isinstance(events[0], ev.WireFrame) and events[0].summary.startswith(kind)


def test_a_tool_call_streamed_in_pieces_is_requested_once_with_its_name_from_the_added_item() -> None:
    codec = live_codec()
    turn = codec.send_text("add", at=1.0)
    codec.receive(frame("response.created", response={"id": "resp_1"}), at=1.1)
    item = {"id": "item_f", "type": "function_call", "call_id": "call_1", "name": "add", "arguments": ""}
    codec.receive(frame("response.output_item.added", response_id="resp_1", item=item), at=1.2)
    for piece in ('{"a": 1,', ' "b": 2}'):
        codec.receive(
            frame(
                "response.function_call_arguments.delta",
                response_id="resp_1",
                item_id="item_f",
                call_id="call_1",
                delta=piece,
            ),
            at=1.3,
        )
    codec.receive(
        frame(
            "response.function_call_arguments.done",
            response_id="resp_1",
            item_id="item_f",
            arguments='{"a": 1, "b": 2}',
        ),
        at=1.4,
    )
    done = {**item, "arguments": '{"a": 1, "b": 2}', "status": "completed"}
    codec.receive(frame("response.output_item.done", response_id="resp_1", item=done), at=1.5)
    codec.receive(
        frame("response.done", response={"id": "resp_1", "status": "completed", "output": [done]}), at=1.6
    )
    [requested] = of(ev.ToolCallRequested, domain(codec))
    assert requested == ev.ToolCallRequested(
        turn=turn, calls=(ev.ToolCall(turn=turn, call_id="call_1", name="add", args={"a": 1, "b": 2}),)
    )


def test_a_tool_call_only_in_response_done_is_still_requested() -> None:
    codec = live_codec()
    codec.send_text("add", at=1.0)
    item = {"id": "item_f", "type": "function_call", "call_id": "call_9", "name": "add", "arguments": "{}"}
    codec.receive(frame("response.done", response={"status": "completed", "output": [item]}), at=1.6)
    [requested] = of(ev.ToolCallRequested, domain(codec))
    assert requested.calls[0].call_id == "call_9"
    assert codec.replying  # waiting for the answer


@pytest.mark.parametrize("arguments", ['{"a": 1', "[1, 2]", '"just text"', '{"a":' * 100 + "1" + "}" * 100])
def test_arguments_that_are_not_an_object_are_one_line_and_the_raw_text(arguments: str) -> None:
    codec = live_codec()
    codec.send_text("add", at=1.0)
    codec.receive(
        frame(
            "response.function_call_arguments.done",
            item_id="item_f",
            call_id="call_1",
            name="add",
            arguments=arguments,
        ),
        at=1.2,
    )
    events = domain(codec)
    [error] = of(ev.SessionError, events)
    assert error.message.startswith("the model called add with arguments that are not a JSON object: ")
    assert "\n" not in error.message
    [requested] = of(ev.ToolCallRequested, events)
    assert requested.calls[0].args == {"_raw": arguments}


def test_a_tool_call_of_an_interrupted_reply_is_dropped() -> None:
    codec = live_codec()
    codec.send_text("add", at=1.0)
    codec.receive(frame("response.created", response={"id": "resp_1"}), at=1.1)
    codec.interrupt(at=1.2)
    codec.receive(
        frame(
            "response.function_call_arguments.done",
            item_id="item_f",
            call_id="call_1",
            name="add",
            arguments="{}",
        ),
        at=1.3,
    )
    assert not of(ev.ToolCallRequested, domain(codec))


def test_audio_that_is_not_base64_is_dropped_with_one_line() -> None:
    codec = live_codec()
    codec.send_text("hi", at=1.0)
    codec.receive(
        frame("response.output_audio.delta", response_id="r", item_id="i", delta="not base64!"), at=1.1
    )
    events = domain(codec)
    assert not of(ev.AudioOut, events)
    assert of(ev.SessionError, events) == [
        ev.SessionError(message="dropped an audio chunk from the server: it is not base64")
    ]


def test_an_odd_byte_of_audio_is_not_played() -> None:
    codec = live_codec()
    codec.send_text("hi", at=1.0)
    codec.receive(frame("response.output_audio.delta", delta=base64.b64encode(b"abc").decode()), at=1.1)
    assert of(ev.AudioOut, domain(codec)) == [ev.AudioOut(turn=1, pcm=b"ab", rate=24000)]


def test_wire_frames_in_keep_the_event_and_its_size() -> None:
    codec = live_codec()
    raw = frame("conversation.item.added", item={"id": "i", "type": "message", "role": "user"})
    codec.receive(raw.encode(), at=1.0)  # binary frames are read too
    [wire] = of(ev.WireFrame, codec.events_received())
    assert wire.direction == "in" and wire.size == len(raw)
    assert wire.summary == "conversation.item.added message.user"
    assert json.loads(wire.text)["item"]["id"] == "i"


def test_only_recent_user_items_are_remembered() -> None:
    codec = live_codec()
    for number in range(300):
        codec.receive(frame("input_audio_buffer.committed", item_id=f"item_{number}"), at=float(number))
        reply(codec, at=float(number))
    codec.receive(
        frame("conversation.item.input_audio_transcription.completed", item_id="item_299", transcript="last"),
        at=400.0,
    )
    codec.receive(
        frame("conversation.item.input_audio_transcription.completed", item_id="item_0", transcript="first"),
        at=400.0,
    )
    assert of(ev.InputTranscript, domain(codec)) == [
        ev.InputTranscript(turn=300, text="last", final=True),
        ev.InputTranscript(turn=301, text="first", final=True),  # forgotten: a turn of its own
    ]


def test_a_new_response_ends_an_interrupted_one_whose_done_never_came() -> None:
    codec = live_codec()
    codec.receive(frame("response.created", response={"id": "resp_server"}), at=1.0)  # started by the server
    typed = codec.send_text("stop, and answer this", at=2.0)
    codec.receive(frame("response.created", response={"id": "resp_typed"}), at=3.0)
    codec.receive(frame("response.output_text.delta", delta="answer"), at=3.1)
    codec.receive(frame("response.done", response={"id": "resp_typed", "status": "completed"}), at=3.2)
    events = domain(codec)
    assert [e.text for e in of(ev.TextDelta, events) if e.turn == typed] == ["answer"]
    assert ev.TurnComplete(turn=typed - 1, reason="interrupted") in events
    assert ev.TurnComplete(turn=typed) in events
