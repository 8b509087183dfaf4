"""The sans-I/O session: recorded traffic becomes the expected events; turns and interruption."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TypeVar

from livetui import events as ev
from livetui.live.limits import audio_rate
from livetui.providers.gemini.client import (
    AutomaticActivityDetection,
    GenerationConfig,
    RealtimeInputConfig,
    RealtimeInputMessage,
    Setup,
    SetupMessage,
)
from livetui.providers.gemini.codec import decode_client, load_json
from livetui.providers.gemini.session import GeminiSession
from livetui.providers.gemini.summary import summarize
from tests.protocol.recordings import Frame, load

TEXT_SETUP = Setup(model="models/m", generation_config=GenerationConfig(response_modalities=("TEXT",)))


def replay(frames: list[Frame]) -> list[ev.AnyEvent]:
    """Feed a recording's server frames to a session; return the domain events (no wire frames)."""
    session = GeminiSession(setup=TEXT_SETUP)
    for number, frame in enumerate(frames):
        if frame.direction == "<":
            session.receive(frame.text.encode(), at=float(number))
        else:
            decode_client(frame.text)  # every recorded client frame is one we can read
    return [e for e in session.events_received() if not isinstance(e, ev.WireFrame)]


E = TypeVar("E", bound=ev.Event)


def of(kind: type[E], events: Sequence[ev.Event]) -> list[E]:
    """The events of one kind, in order."""
    return [e for e in events if isinstance(e, kind)]


def test_recorded_text_reply_becomes_ordered_deltas() -> None:
    events = replay(load("should_reply_to_realtime_text_input"))
    assert isinstance(events[0], ev.SetupComplete)
    assert [e.text for e in of(ev.TextDelta, events)] == ["Yes, I'", "m here! How can I help you today?"]
    assert {e.turn for e in of(ev.TextDelta, events)} == {1}


def test_recorded_turn_end_carries_usage() -> None:
    events = replay(load("should_send_text_in_async_session"))
    kinds = [e.kind for e in events if e.kind != "latency_mark"]
    assert kinds == ["setup_complete", "generation_complete", "turn_complete", "usage"]
    [usage] = of(ev.Usage, events)
    assert usage == ev.Usage(
        turn=1,
        prompt_tokens=515,
        response_tokens=38,
        total_tokens=553,
        prompt_details={"text": 515},
        response_details={"text": 38},
    )


def test_recorded_output_transcription() -> None:
    events = replay(load("should_receive_transcription_in_async_session_with_transcription_enabled"))
    text = "".join(e.text for e in of(ev.OutputTranscript, events))
    assert text.startswith("We could talk about anything you like.")


def test_recorded_tool_call_keeps_the_id_and_args() -> None:
    events = replay(load("should_send_tool_response"))
    [request] = of(ev.ToolCallRequested, events)
    assert isinstance(request, ev.ToolCallRequested)
    [call] = request.calls
    assert call.call_id == "function-call-5831923424298605773"
    assert call.name == "get_current_weather"
    assert call.args == {"location": "Redmond, WA"}
    [code] = of(ev.TextDelta, events)
    assert isinstance(code, ev.TextDelta) and code.thought and "get_current_weather" in code.text


def test_recorded_manual_activity_session() -> None:
    frames = load("handle_activity_start_and_end")
    setup = decode_client(frames[0].text)
    assert isinstance(setup, SetupMessage) and setup.setup.manual_activity
    audio = decode_client(frames[3].text)
    assert isinstance(audio, RealtimeInputMessage)
    blob = audio.realtime_input.audio
    assert blob is not None and audio_rate(blob.mime_type, 0) == 16000 and len(blob.data) > 90_000
    events = replay(frames)
    assert "".join(e.text for e in of(ev.TextDelta, events)) == "Yeah, I can hear you. What's up?"


def started() -> GeminiSession:
    session = GeminiSession(setup=TEXT_SETUP)
    session.start()
    session.receive('{"setupComplete": {}}', at=0.0)
    session.data_to_send()
    session.events_received()
    return session


def delta(text: str) -> str:
    return json.dumps({"serverContent": {"modelTurn": {"parts": [{"text": text}]}}})


TURN_COMPLETE = '{"serverContent": {"turnComplete": true}}'


def test_interrupt_drops_later_text_and_marks_k0_then_k2() -> None:
    session = started()
    assert session.send_text("tell me a story", at=1.0) == 1
    session.receive(delta("Once"), at=1.1)
    assert session.interrupt(at=1.2) == 1
    frames = session.data_to_send()
    assert json.loads(frames[-1]) == {"clientContent": {"turns": [], "turnComplete": False}}
    session.receive(delta(" upon a time"), at=1.3)
    session.receive('{"serverContent": {"interrupted": true}}', at=1.4)
    session.receive(TURN_COMPLETE, at=1.5)
    events = [e for e in session.events_received() if not isinstance(e, ev.WireFrame)]
    assert [e.text for e in of(ev.TextDelta, events)] == ["Once"]
    marks = {e.mark: e.at for e in of(ev.LatencyMark, events)}
    assert marks == {"t0": 1.0, "t1": 1.1, "k0": 1.2, "k2": 1.4, "t4": 1.5}
    assert [e.by for e in of(ev.Interrupted, events)] == ["user", "server"]
    assert of(ev.TurnComplete, events) == [ev.TurnComplete(turn=1, reason="interrupted")]
    assert not session.replying


def test_interrupt_with_nothing_replying_sends_nothing() -> None:
    session = started()
    assert session.interrupt(at=1.0) is None
    assert session.data_to_send() == []
    session.send_text("hi", at=1.0)
    session.receive(delta("hello"), at=1.1)
    session.receive(TURN_COMPLETE, at=1.2)
    session.data_to_send()
    assert session.interrupt(at=2.0) is None
    assert session.data_to_send() == []


def test_typing_during_a_reply_interrupts_it_and_the_next_reply_gets_the_new_turn() -> None:
    session = started()
    session.send_text("first", at=1.0)
    session.receive(delta("old reply"), at=1.1)
    assert session.send_text("second", at=2.0) == 2
    session.receive(delta(" more old"), at=2.1)  # sent by the server before it saw "second"
    session.receive('{"serverContent": {"interrupted": true}}', at=2.2)
    session.receive(TURN_COMPLETE, at=2.3)
    session.receive(delta("new reply"), at=2.4)
    session.receive(TURN_COMPLETE, at=2.5)
    events = session.events_received()
    deltas = [(e.turn, e.text) for e in of(ev.TextDelta, events)]
    assert deltas == [(1, "old reply"), (2, "new reply")]
    completes = [(e.turn, e.reason) for e in of(ev.TurnComplete, events)]
    assert completes == [(1, "interrupted"), (2, "complete")]


def test_a_reply_that_finished_before_the_interrupt_reached_the_server() -> None:
    session = started()
    session.send_text("hi", at=1.0)
    session.receive(delta("hello"), at=1.1)
    session.interrupt(at=1.2)
    session.receive(TURN_COMPLETE, at=1.3)  # already in flight: it acknowledges the interrupted turn
    session.send_text("again", at=2.0)
    session.receive(delta("hello again"), at=2.1)
    events = session.events_received()
    assert [(e.turn, e.text) for e in of(ev.TextDelta, events)] == [(1, "hello"), (2, "hello again")]


def test_manual_activity_interrupts_with_activity_start() -> None:
    detection = AutomaticActivityDetection(disabled=True)
    session = GeminiSession(
        setup=TEXT_SETUP.model_copy(
            update={"realtime_input_config": RealtimeInputConfig(automatic_activity_detection=detection)}
        )
    )
    session.receive('{"setupComplete": {}}', at=0.0)
    session.send_text("hi", at=1.0)
    session.data_to_send()
    session.interrupt(at=1.1)
    assert [json.loads(f) for f in session.data_to_send()] == [{"realtimeInput": {"activityStart": {}}}]


def test_malformed_and_unknown_frames_become_errors_and_the_session_goes_on() -> None:
    session = started()
    session.send_text("hi", at=1.0)
    session.receive("{not json", at=1.1)
    session.receive('{"somethingNew": {}}', at=1.2)
    session.receive(delta("still here"), at=1.3)
    events = session.events_received()
    errors = of(ev.SessionError, events)
    assert len(errors) == 2 and not any(e.fatal for e in errors)
    assert "malformed frame" in errors[0].message
    assert [e.text for e in of(ev.TextDelta, events)] == ["still here"]
    raw = [e for e in of(ev.WireFrame, events) if e.direction == "in"]
    assert [e.summary for e in raw] == ["malformed", "somethingNew", "serverContent.modelTurn"]


def test_wire_frames_abbreviate_audio_payloads() -> None:
    session = started()
    session.send_audio(b"\0" * 3200, rate=16000)
    [frame] = of(ev.WireFrame, session.events_received())
    assert isinstance(frame, ev.WireFrame)
    assert frame.summary == "realtimeInput.audio" and "<3200 bytes>" in frame.text
    assert frame.size > 4000


def test_sent_audio_and_video_are_shown_as_if_parsed_back_without_being_parsed() -> None:
    session = started()
    session.send_audio(bytes(range(256)) * 5, rate=16000)
    session.send_video(b"\xff\xd8" + bytes(40_000), mime_type="image/jpeg")
    frames = session.data_to_send()
    shown = [e for e in session.events_received() if isinstance(e, ev.WireFrame)]
    assert [(e.summary, e.text) for e in shown] == [summarize(load_json(frame)) for frame in frames]
    assert [e.summary for e in shown] == ["realtimeInput.audio", "realtimeInput.video"]
    assert '"data":"<1280 bytes>"' in shown[0].text and '"data":"<40002 bytes>"' in shown[1].text
    assert [e.size for e in shown] == [len(frame) for frame in frames]
