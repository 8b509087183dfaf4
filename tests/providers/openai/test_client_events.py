"""What the codec sends for each user action: typed text, microphone audio, push-to-talk, camera frames,
function answers, and interruption with truncation to what was heard."""

from __future__ import annotations

import base64
import json
from dataclasses import replace

from livetui import events as ev
from livetui.live.tools import ToolAnswer
from tests.providers.openai.wire import (
    CONFIG,
    audio_delta,
    domain,
    frame,
    live_codec,
    of,
    reply,
    sent,
    spoken_reply,
    tool_call_reply,
    types,
)

JPEG = b"\xff\xd8\xff\xe0 a jpeg \xff\xd9"


def test_typed_text_is_a_user_item_and_a_response_create() -> None:
    codec = live_codec()
    turn = codec.send_text("hello", at=2.0)
    events = sent(codec)
    assert types(events) == ["conversation.item.create", "response.create"]
    assert events[0]["item"] == {
        "type": "message",
        "role": "user",
        "content": [{"type": "input_text", "text": "hello"}],
    }
    emitted = codec.events_received()
    assert of(ev.UserText, emitted) == [ev.UserText(turn=turn, text="hello")]
    assert ev.LatencyMark(turn=turn, mark="t0", at=2.0) in emitted
    assert turn == 1 and codec.replying


def test_typing_over_a_reply_cancels_it_first() -> None:
    codec = live_codec()
    first = codec.send_text("one", at=1.0)
    codec.receive(frame("response.created", response={"id": "resp_1"}), at=1.1)
    codec.receive(audio_delta(bytes(4800)), at=1.2)
    sent(codec)
    second = codec.send_text("two", at=1.5)
    assert types(sent(codec)) == [
        "response.cancel",
        "conversation.item.truncate",
        "conversation.item.create",
        "response.create",
    ]
    emitted = codec.events_received()
    assert ev.Interrupted(turn=first, by="user") in emitted and second == first + 1


def test_microphone_audio_is_appended_as_base64_and_shown_abbreviated() -> None:
    codec = live_codec()
    pcm = bytes(range(256)) * 4
    codec.send_audio(pcm, rate=24000)
    [raw] = codec.data_to_send()
    event = json.loads(raw)
    assert event["type"] == "input_audio_buffer.append"
    assert base64.b64decode(event["audio"]) == pcm
    [wire] = of(ev.WireFrame, codec.events_received())
    assert wire.summary == "input_audio_buffer.append" and "<1024 bytes>" in wire.text
    assert wire.size == len(raw) and len(wire.text) < 100


def test_audio_at_another_rate_is_dropped_with_one_line() -> None:
    codec = live_codec()
    codec.send_audio(bytes(640), rate=16000)
    codec.send_audio(bytes(640), rate=16000)
    assert codec.data_to_send() == []
    [error] = of(ev.SessionError, codec.events_received())
    assert "16000 Hz" in error.message and "24000" in error.message


def test_push_to_talk_release_commits_and_asks_for_the_reply() -> None:
    codec = live_codec(replace(CONFIG, activity="manual"))
    codec.activity_start(at=1.0)
    codec.send_audio(bytes(480), rate=24000)
    turn = codec.activity_end(at=2.0)
    assert types(sent(codec)) == ["input_audio_buffer.append", "input_audio_buffer.commit", "response.create"]
    assert ev.LatencyMark(turn=turn, mark="t0", at=2.0) in codec.events_received()
    codec.receive(frame("input_audio_buffer.committed", item_id="item_u", previous_item_id=None), at=2.1)
    codec.receive(
        frame(
            "conversation.item.input_audio_transcription.completed",
            item_id="item_u",
            content_index=0,
            transcript="hello",
        ),
        at=3.0,
    )
    assert of(ev.InputTranscript, domain(codec)) == [ev.InputTranscript(turn=turn, text="hello", final=True)]
    assert codec.next_turn == turn + 1  # the commit did not open another turn


def test_push_to_talk_over_a_reply_interrupts_it() -> None:
    codec = live_codec(replace(CONFIG, activity="manual"))
    codec.send_text("talk", at=1.0)
    codec.receive(frame("response.created", response={"id": "resp_1"}), at=1.1)
    sent(codec)
    codec.activity_start(at=1.5)
    assert types(sent(codec)) == ["response.cancel"]
    assert not codec.replying


def test_the_latest_camera_frame_goes_with_the_next_typed_turn_once() -> None:
    codec = live_codec()
    codec.send_video(b"old frame")
    codec.send_video(JPEG)
    codec.send_text("what do you see?", at=1.0)
    item = sent(codec)[0]["item"]
    assert item["content"] == [
        {"type": "input_text", "text": "what do you see?"},
        {
            "type": "input_image",
            "image_url": "data:image/jpeg;base64," + base64.b64encode(JPEG).decode(),
            "detail": "auto",
        },
    ]
    wire = of(ev.WireFrame, codec.events_received())[0]
    assert base64.b64encode(JPEG).decode() not in wire.text and "bytes>" in wire.text
    reply(codec)
    codec.send_text("and now?", at=3.0)
    assert len(sent(codec)[0]["item"]["content"]) == 1


def test_a_snapshot_is_its_own_user_item_without_a_reply() -> None:
    codec = live_codec()
    assert not codec.snapshot()
    codec.send_video(JPEG)
    assert codec.snapshot()
    [event] = sent(codec)
    assert event["type"] == "conversation.item.create"
    assert event["item"]["role"] == "user" and event["item"]["content"][0]["type"] == "input_image"
    assert not codec.snapshot()


def test_a_frame_sent_now_is_the_users_snapshot_and_goes_at_once() -> None:
    codec = live_codec()
    codec.send_video(JPEG)
    assert sent(codec) == []  # a streamed frame waits for the next turn
    codec.send_video(JPEG, now=True)
    [event] = sent(codec)
    assert event["type"] == "conversation.item.create"
    assert event["item"]["content"][0]["type"] == "input_image"


def test_under_server_vad_the_frame_goes_when_the_user_starts_speaking() -> None:
    codec = live_codec()
    codec.send_video(JPEG)
    codec.receive(frame("input_audio_buffer.speech_started", audio_start_ms=100, item_id="item_u"), at=1.0)
    [event] = sent(codec)
    assert event["item"]["content"][0]["type"] == "input_image"


def test_interrupting_cancels_and_truncates_to_what_was_heard() -> None:
    codec = live_codec()
    turn = spoken_reply(codec, 700)  # 700 ms arrived
    assert codec.interrupt(at=2.0, heard_ms=250) == turn
    assert sent(codec) == [
        {"type": "response.cancel"},
        {"type": "conversation.item.truncate", "item_id": "item_a", "content_index": 0, "audio_end_ms": 250},
    ]
    emitted = codec.events_received()
    assert ev.Interrupted(turn=turn, by="user") in emitted
    assert ev.LatencyMark(turn=turn, mark="k0", at=2.0) in emitted


def test_what_was_heard_is_clamped_to_what_arrived() -> None:
    codec = live_codec()
    codec.send_text("talk", at=1.0)
    codec.receive(frame("response.created", response={"id": "resp_1"}), at=1.1)
    codec.receive(audio_delta(bytes(48 * 300 + 20)), at=1.2)  # 300 ms and a bit
    sent(codec)
    codec.interrupt(at=2.0, heard_ms=5000)
    assert sent(codec)[1]["audio_end_ms"] == 300


def test_without_what_was_heard_everything_that_arrived_is_kept() -> None:
    codec = live_codec()
    codec.send_text("talk", at=1.0)
    codec.receive(frame("response.created", response={"id": "resp_1"}), at=1.1)
    codec.receive(audio_delta(bytes(48 * 120)), at=1.2)
    codec.receive(audio_delta(bytes(48 * 80)), at=1.3)
    sent(codec)
    codec.interrupt(at=2.0)
    assert sent(codec)[1] == {
        "type": "conversation.item.truncate",
        "item_id": "item_a",
        "content_index": 0,
        "audio_end_ms": 200,
    }


def test_a_later_item_of_the_turn_not_heard_at_all_is_cut_to_zero() -> None:
    codec = live_codec()
    spoken_reply(codec, 400, 400)
    codec.interrupt(at=2.0, heard_ms=100)
    assert [(e["item_id"], e["audio_end_ms"]) for e in sent(codec)[1:]] == [("item_a", 100), ("item_b", 0)]
    codec.interrupt(at=2.1, heard_ms=50)
    assert sent(codec) == []  # once cut, an item is not cut again


def test_stopping_a_finished_reply_still_playing_cuts_what_was_not_heard() -> None:
    codec = live_codec()
    spoken_reply(codec, 1000, done=True)
    assert codec.interrupt(at=2.0, heard_ms=400) is None
    assert sent(codec) == [
        {"type": "conversation.item.truncate", "item_id": "item_a", "content_index": 0, "audio_end_ms": 400}
    ]
    codec.interrupt(at=2.0, heard_ms=1000)
    assert sent(codec) == []


def test_a_finished_reply_heard_to_its_end_is_left_alone() -> None:
    codec = live_codec()
    spoken_reply(codec, 100, done=True)
    assert codec.interrupt(at=2.0, heard_ms=100) is None
    assert sent(codec) == []


def test_interrupting_nothing_sends_nothing() -> None:
    codec = live_codec()
    assert codec.interrupt(at=1.0, heard_ms=10) is None
    assert codec.data_to_send() == [] and domain(codec) == []


def test_answers_are_function_call_outputs_and_one_response_create_after_the_reply() -> None:
    codec = live_codec()
    turn = codec.send_text("weather in Paris and Rome?", at=1.0)
    codec.receive(frame("response.created", response={"id": "resp_1"}), at=1.1)
    for call_id, city in (("call_1", "Paris"), ("call_2", "Rome")):
        item = {
            "id": f"item_{call_id}",
            "type": "function_call",
            "call_id": call_id,
            "name": "get_weather",
            "arguments": json.dumps({"city": city}),
        }
        codec.receive(
            frame("response.output_item.done", response_id="resp_1", output_index=0, item=item), at=1.2
        )
    requested = of(ev.ToolCallRequested, codec.events_received())
    assert [(c.call_id, c.name, c.args) for r in requested for c in r.calls] == [
        ("call_1", "get_weather", {"city": "Paris"}),
        ("call_2", "get_weather", {"city": "Rome"}),
    ]
    sent(codec)
    codec.answer_tools([ToolAnswer(call_id="call_1", name="get_weather", output={"output": "sunny"})])
    assert sent(codec) == [
        {
            "type": "conversation.item.create",
            "item": {"type": "function_call_output", "call_id": "call_1", "output": '{"output": "sunny"}'},
        }
    ]
    codec.answer_tools([ToolAnswer(call_id="call_2", name="get_weather", output={"error": "no data"})])
    assert types(sent(codec)) == ["conversation.item.create"]  # the reply calling them is not over yet
    codec.receive(frame("response.done", response={"id": "resp_1", "status": "completed"}), at=1.5)
    assert types(sent(codec)) == ["response.create"]
    assert not of(ev.TurnComplete, codec.events_received())  # the turn goes on with the answers
    codec.receive(frame("response.created", response={"id": "resp_2"}), at=1.6)
    codec.receive(
        frame("response.output_text.delta", response_id="resp_2", item_id="item_t", delta="Sunny."), at=1.7
    )
    codec.receive(frame("response.done", response={"id": "resp_2", "status": "completed"}), at=1.8)
    events = domain(codec)
    assert of(ev.TextDelta, events) == [ev.TextDelta(turn=turn, text="Sunny.")]
    assert of(ev.TurnComplete, events) == [ev.TurnComplete(turn=turn)]


def test_answers_after_the_reply_ended_ask_for_the_next_reply_at_once() -> None:
    codec = live_codec()
    codec.send_text("call it", at=1.0)
    tool_call_reply(codec, arguments='{"a": 1, "b": 2}')
    sent(codec)
    codec.answer_tools([ToolAnswer(call_id="call_1", name="add", output={"output": 3})])
    assert types(sent(codec)) == ["conversation.item.create", "response.create"]


def test_a_turn_waiting_for_answers_closes_when_interrupted() -> None:
    codec = live_codec()
    turn = codec.send_text("call it", at=1.0)
    tool_call_reply(codec, arguments="{}")
    sent(codec)
    codec.events_received()
    next_turn = codec.send_text("never mind", at=2.0)
    assert types(sent(codec)) == ["conversation.item.create", "response.create"]  # nothing to cancel
    events = domain(codec)
    assert ev.TurnComplete(turn=turn, reason="interrupted") in events
    codec.answer_tools([ToolAnswer(call_id="call_1", name="add", output={"output": 0})])
    assert types(sent(codec)) == ["conversation.item.create"]  # no second response.create
    reply(codec)
    assert of(ev.TurnComplete, domain(codec)) == [ev.TurnComplete(turn=next_turn)]
