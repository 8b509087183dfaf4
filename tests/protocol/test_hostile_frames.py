"""One hostile server frame never escapes the decoder or the session state machine: each becomes its
`WireFrame` and, when it cannot be used, one `SessionError`; the session goes on."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from livetui import events as ev
from livetui.live.limits import LimitError, audio_rate, bounded_seconds
from livetui.providers.gemini.client import Setup
from livetui.providers.gemini.codec import ProtocolError, load_json
from livetui.providers.gemini.session import GeminiSession
from livetui.providers.gemini.summary import summarize
from tests.hostile import HOSTILE_FRAMES, SENTINEL, SENTINEL_FRAMES, Frame, audio_frame, server_frames


def live_session() -> GeminiSession:
    """A session past `setupComplete`."""
    session = GeminiSession(setup=Setup(model="models/x"))
    session.start()
    session.receive('{"setupComplete":{}}', at=0.0)
    session.events_received()
    return session


def still_live(session: GeminiSession) -> bool:
    """The session still reads a whole reply after what it was given (its text is dropped when a hostile
    frame interrupted the turn, as a real `interrupted` does)."""
    for frame in SENTINEL_FRAMES:
        session.receive(frame, at=1.0)
    events = session.events_received()
    text = "".join(e.text for e in events if isinstance(e, ev.TextDelta))
    [done] = [e for e in events if isinstance(e, ev.TurnComplete)]
    errors = [e for e in events if isinstance(e, ev.SessionError)]
    return session.ready and not errors and text == ("" if done.reason == "interrupted" else SENTINEL)


def check_frame(session: GeminiSession, frame: Frame) -> list[ev.AnyEvent]:
    """Feed one frame; it must become exactly one `WireFrame` first, and no exception."""
    session.receive(frame, at=0.5)
    events = session.events_received()
    assert events and isinstance(events[0], ev.WireFrame) and events[0].direction == "in"
    assert sum(isinstance(e, ev.WireFrame) for e in events) == 1
    return events


@pytest.mark.parametrize("name", list(HOSTILE_FRAMES))
def test_a_hostile_frame_is_an_event_and_the_session_goes_on(name: str) -> None:
    session = live_session()
    events = check_frame(session, HOSTILE_FRAMES[name])
    for event in events:
        event.model_dump_json()  # every event can be journaled: no lone surrogate survives
    assert still_live(session)


@pytest.mark.parametrize(
    "name",
    [
        "nested 1,000 deep",
        "tool-call args nested 500 deep",
        "a 4,301-digit integer",
        "not UTF-8",
        "a lone surrogate in a text part",
        "a lone surrogate in tool args",
        "NaN time left",
    ],
)
def test_an_unreadable_frame_is_one_error_line(name: str) -> None:
    session = live_session()
    events = check_frame(session, HOSTILE_FRAMES[name])
    [error] = [e for e in events if isinstance(e, ev.SessionError)]
    assert not error.fatal and "\n" not in error.message
    assert error.message.startswith("malformed frame from the server: ")
    assert not any(isinstance(e, ev.ToolCallRequested | ev.Usage | ev.TextDelta | ev.GoAway) for e in events)


@pytest.mark.parametrize(
    "name", ["rate=²", "rate=1", "rate=10¹⁵", "a rate of a thousand digits", "rate=96000"]
)
def test_audio_at_a_rate_outside_8_to_48_khz_is_an_error_and_a_dropped_chunk(name: str) -> None:
    session = live_session()
    events = check_frame(session, HOSTILE_FRAMES[name])
    assert not any(isinstance(e, ev.AudioOut) for e in events)
    [error] = [e for e in events if isinstance(e, ev.SessionError)]
    assert error.message.startswith("dropped an audio chunk from the server: audio rate ")
    assert len(error.message) < 120


@pytest.mark.parametrize(("rate", "expected"), [("8000", 8000), ("24000", 24000), ("48000", 48000)])
def test_audio_within_the_range_plays_at_its_rate(rate: str, expected: int) -> None:
    session = live_session()
    events = check_frame(session, audio_frame(f"audio/pcm;rate={rate}"))
    [audio] = [e for e in events if isinstance(e, ev.AudioOut)]
    assert audio.rate == expected


def test_a_non_finite_time_left_is_bounded() -> None:
    session = live_session()
    [go_away] = [
        e for e in check_frame(session, HOSTILE_FRAMES["infinite time left"]) if isinstance(e, ev.GoAway)
    ]
    assert go_away.time_left == 86400.0
    assert bounded_seconds(float("nan")) == 0.0
    assert bounded_seconds(-5.0) == 0.0 and bounded_seconds(12.5) == 12.5


def test_the_decoder_raises_only_protocol_errors_within_the_bounds() -> None:
    assert load_json('{"a":' * 64 + "1" + "}" * 64)["a"]["a"]["a"]
    for frame in ('{"a":' * 65 + "1" + "}" * 65, "[" * 100_000, '{"n":' + "1" * 5000 + "}"):
        with pytest.raises(ProtocolError):
            load_json(frame)


def test_the_summary_of_a_deep_object_built_in_code_is_cut_not_a_recursion_error() -> None:
    deep: dict[str, object] = {}
    node = deep
    for _ in range(5000):
        node["a"] = node = {}
    summary, text = summarize({"toolResponse": deep})
    assert summary == "toolResponse" and "…" in text


@pytest.mark.parametrize(
    ("mime", "rate"),
    [("audio/pcm", 24000), ("audio/pcm;rate=16000", 16000), ("audio/pcm; RATE = 44100 ", 44100)],
)
def test_audio_rate_reads_a_rate_in_range(mime: str, rate: int) -> None:
    assert audio_rate(mime, 24000) == rate


@pytest.mark.parametrize("value", ["", "²", "٣٠٠٠٠", "-8000", "7999", "48001", "1e4", "9" * 50])
def test_audio_rate_refuses_anything_else(value: str) -> None:
    with pytest.raises(LimitError):
        audio_rate(f"audio/pcm;rate={value}", 24000)


@settings(max_examples=400, derandomize=True, deadline=None, database=None)
@given(frame=server_frames())
def test_fuzzed_frames_never_escape_and_the_session_goes_on(frame: Frame) -> None:
    session = live_session()
    events = check_frame(session, frame)
    for event in events:
        event.model_dump_json()
    assert still_live(session)
