"""Gemini's session as a neutral `Codec`: tool answers, interruption with what was heard, and a
conversation replayed after `setup`."""

from __future__ import annotations

import json

from livetui import events as ev
from livetui.live.codec import Codec, Exchange
from livetui.live.tools import ToolAnswer
from livetui.providers.gemini.codec import MAX_FRAME_BYTES, decode_client
from livetui.providers.gemini.session import GeminiSession
from tests.protocol.test_session import TEXT_SETUP, of


def sent(codec: Codec) -> list[dict[str, object]]:
    """The frames the codec queued, as JSON."""
    return [json.loads(frame) for frame in codec.data_to_send()]


def test_tool_answers_become_one_tool_response_with_ids_names_and_scheduling() -> None:
    codec: Codec = GeminiSession(TEXT_SETUP)
    answers = [
        ToolAnswer(call_id="c1", name="add", output={"output": 3}),
        ToolAnswer(call_id="c2", name="slow", output={"error": "timed out"}, scheduling="WHEN_IDLE"),
    ]
    codec.answer_tools(answers)
    assert sent(codec) == [
        {
            "toolResponse": {
                "functionResponses": [
                    {"id": "c1", "name": "add", "response": {"output": 3}},
                    {
                        "id": "c2",
                        "name": "slow",
                        "response": {"error": "timed out"},
                        "scheduling": "WHEN_IDLE",
                    },
                ]
            }
        }
    ]


def test_interrupting_with_what_was_heard_is_the_same_as_without() -> None:
    codec: Codec = GeminiSession(TEXT_SETUP)
    turn = codec.send_text("tell me a story", at=1.0)
    codec.data_to_send()
    assert codec.interrupt(at=2.0, heard_ms=350) == turn
    assert sent(codec) == [{"clientContent": {"turns": [], "turnComplete": False}}]
    assert not codec.replying


def test_history_is_replayed_after_setup_as_turns_the_model_does_not_answer() -> None:
    history = [Exchange("user", "my name is Ada"), Exchange("model", "Hello Ada!")]
    codec: Codec = GeminiSession(TEXT_SETUP, history=history, first_turn=3)
    codec.start()
    setup, replay = sent(codec)
    assert "setup" in setup
    assert replay == {
        "clientContent": {
            "turns": [
                {"role": "user", "parts": [{"text": "my name is Ada"}]},
                {"role": "model", "parts": [{"text": "Hello Ada!"}]},
            ],
            "turnComplete": False,
        }
    }
    assert codec.next_turn == 3, "replayed lines are not new turns"
    assert not of(ev.UserText, codec.events_received())


def test_a_history_too_long_for_one_frame_is_replayed_whole_in_several() -> None:
    long = "word " * (MAX_FRAME_BYTES // 4)
    history = [Exchange("user", long), Exchange("model", "ok"), Exchange("user", "and then")]
    codec = GeminiSession(TEXT_SETUP, history=history)
    codec.start()
    frames = codec.data_to_send()[1:]
    assert len(frames) > 1 and all(len(frame.encode()) <= MAX_FRAME_BYTES for frame in frames)
    turns = [turn for frame in frames for turn in json.loads(frame)["clientContent"]["turns"]]
    assert "".join(turn["parts"][0]["text"] for turn in turns if turn["role"] == "user") == long + "and then"
    assert [turn["parts"][0]["text"] for turn in turns if turn["role"] == "model"] == ["ok"]
    for frame in frames:
        decode_client(frame)  # each is a valid client message
