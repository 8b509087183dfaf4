"""Function calls as Gemini sends them: arguments streamed in pieces (``partialArgs``, ``willContinue``)
run once complete, and calls without an id given local ones and answered by name."""

from __future__ import annotations

import json
from typing import Any

import pytest

from livetui import events as ev
from livetui.live.config import SessionConfig
from livetui.live.tools import ToolAnswer
from livetui.providers.gemini.calls import path_steps
from livetui.providers.gemini.provider import GeminiProvider
from livetui.providers.gemini.session import GeminiSession


def live_codec() -> GeminiSession:
    """A codec past `setupComplete`, with a turn asked for."""
    codec = GeminiProvider().codec(SessionConfig(model="m"))
    codec.start()
    codec.receive(json.dumps({"setupComplete": {}}), at=0.0)
    codec.send_text("plan a trip", at=0.0)
    codec.data_to_send()
    codec.events_received()
    return codec


def tool_call(*calls: dict[str, Any]) -> str:
    """A ``toolCall`` frame of `calls`."""
    return json.dumps({"toolCall": {"functionCalls": list(calls)}})


def received(codec: GeminiSession, frame: str) -> list[ev.AnyEvent]:
    """The events one frame gives, wire frames left out."""
    codec.receive(frame, at=1.0)
    return [e for e in codec.events_received() if not isinstance(e, ev.WireFrame | ev.LatencyMark)]


@pytest.mark.parametrize(
    ("path", "steps"),
    [
        ("$.city", ["city"]),
        ("$.stops[1].name", ["stops", 1, "name"]),
        ("$['odd key']", ["odd key"]),
        ("$", []),
    ],
)
def test_json_paths_are_read_into_keys_and_indices(path: str, steps: list[str | int]) -> None:
    assert path_steps(path) == steps


def test_a_bad_json_path_is_refused() -> None:
    with pytest.raises(ValueError, match="not a JSON path"):
        path_steps("city")


def test_streamed_arguments_grow_and_the_call_is_run_once_complete() -> None:
    codec = live_codec()
    first = {
        "id": "fc-1",
        "name": "book",
        "partialArgs": [{"jsonPath": "$.city", "stringValue": "Par", "willContinue": True}],
        "willContinue": True,
    }
    [growing] = received(codec, tool_call(first))
    assert isinstance(growing, ev.ToolCallArguments)
    assert (growing.call_id, growing.name, growing.args) == ("fc-1", "book", {"city": "Par"})
    more = {
        "id": "fc-1",
        "partialArgs": [
            {"jsonPath": "$.city", "stringValue": "is"},
            {"jsonPath": "$.nights", "numberValue": 3},
            {"jsonPath": "$.stops[1].name", "stringValue": "Lyon"},
            {"jsonPath": "$.pets", "boolValue": False},
        ],
        "willContinue": True,
    }
    [grown] = received(codec, tool_call(more))
    assert isinstance(grown, ev.ToolCallArguments)
    assert grown.args == {"city": "Paris", "nights": 3, "stops": [None, {"name": "Lyon"}], "pets": False}
    [requested] = received(
        codec, tool_call({"id": "fc-1", "partialArgs": [{"jsonPath": "$.note", "nullValue": "NULL_VALUE"}]})
    )
    assert isinstance(requested, ev.ToolCallRequested)
    [call] = requested.calls
    assert call.call_id == "fc-1" and call.name == "book"
    assert call.args == {
        "city": "Paris",
        "nights": 3,
        "stops": [None, {"name": "Lyon"}],
        "pets": False,
        "note": None,
    }


def test_a_call_sent_whole_is_run_at_once() -> None:
    codec = live_codec()
    [requested] = received(codec, tool_call({"id": "fc-9", "name": "now", "args": {"tz": "UTC"}}))
    assert isinstance(requested, ev.ToolCallRequested)
    assert [(c.call_id, c.args) for c in requested.calls] == [("fc-9", {"tz": "UTC"})]


def test_two_calls_without_ids_get_distinct_local_ids_and_are_answered_by_name() -> None:
    codec = live_codec()
    [requested] = received(
        codec,
        tool_call(
            {"name": "weather", "args": {"city": "Oslo"}}, {"name": "weather", "args": {"city": "Rome"}}
        ),
    )
    assert isinstance(requested, ev.ToolCallRequested)
    ids = [call.call_id for call in requested.calls]
    assert len(set(ids)) == 2 and all(ids)
    codec.answer_tools([ToolAnswer(call_id=ids[1], name="weather", output={"output": "sunny"})])
    [frame] = codec.data_to_send()
    assert json.loads(frame) == {
        "toolResponse": {"functionResponses": [{"name": "weather", "response": {"output": "sunny"}}]}
    }


def test_an_answer_to_a_call_with_an_id_carries_it_back() -> None:
    codec = live_codec()
    received(codec, tool_call({"id": "fc-2", "name": "now"}))
    codec.answer_tools([ToolAnswer(call_id="fc-2", name="now", output={"output": 1})])
    [frame] = codec.data_to_send()
    assert json.loads(frame)["toolResponse"]["functionResponses"][0]["id"] == "fc-2"


def test_transcripts_keep_their_speaker_words_and_language() -> None:
    codec = live_codec()
    transcription = {
        "text": "hello there",
        "finished": True,
        "speakerLabel": "spk-2",
        "languageCode": "en-GB",
        "words": [{"word": "hello", "startOffset": "0.1s", "endOffset": "0.4s"}, {"word": "there"}],
    }
    events = received(codec, json.dumps({"serverContent": {"inputTranscription": transcription}}))
    [heard] = [e for e in events if isinstance(e, ev.InputTranscript)]
    assert (heard.text, heard.final, heard.speaker, heard.language) == ("hello there", True, "spk-2", "en-GB")
    assert heard.words == (ev.Word(word="hello", start=0.1, end=0.4), ev.Word(word="there"))
    assert ev.EVENT_ADAPTER.validate_json(heard.model_dump_json()) == heard  # the journal keeps them


def test_usage_keeps_its_details_by_modality_from_either_api() -> None:
    codec = live_codec()
    usage = {
        "promptTokenCount": 30,
        "candidatesTokenCount": 12,
        "totalTokenCount": 50,
        "thoughtsTokenCount": 8,
        "promptTokensDetails": [
            {"modality": "TEXT", "tokenCount": 10},
            {"modality": "AUDIO", "tokenCount": 20},
        ],
        "candidatesTokensDetails": [{"modality": "AUDIO", "tokenCount": 12}],
    }
    [reported] = received(codec, json.dumps({"usageMetadata": usage}))
    assert isinstance(reported, ev.Usage)
    assert (reported.prompt_tokens, reported.response_tokens, reported.thoughts_tokens) == (30, 12, 8)
    assert reported.prompt_details == {"text": 10, "audio": 20}
    assert reported.response_details == {"audio": 12}


@pytest.mark.parametrize("path", ["$.a[2000000000]", "$.a[1024]", "$" + ".a" * 33, "$." + "a" * 2000])
def test_a_path_that_would_cost_unbounded_memory_is_refused(path: str) -> None:
    with pytest.raises(ValueError):
        path_steps(path)
    assert path_steps("$.a[1023].b") == ["a", 1023, "b"]
