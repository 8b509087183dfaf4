"""A provider that cannot resume by handle: after a dropped connection the engine replays the conversation
so far on the new one (OpenAI's, and Gemini's codec behind a provider that says it is not resumable,
against the real local server, whose scripted `{turn}` counts the user turns it knows)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from livetui import events as ev
from livetui.live.codec import Capabilities, Codec, Exchange
from livetui.live.config import SessionConfig
from livetui.live.provider import Provider
from livetui.media.audio.sink import FakeSink
from livetui.providers.registry import local_endpoint, provider
from livetui.record.journal import Journal
from livetui.server.app import ServerConfig
from livetui.session.carry import carried_from
from livetui.session.engine import LiveSession
from livetui.session.reconnect import Backoff
from livetui.session.replay import Replay
from livetui.session.voice import Voice, run_with_voice
from tests.conftest import Dialect, ServerStarter, both_dialects
from tests.session.conftest import TEXT_CONFIG, Recorder, local_server, running
from tests.voice.helpers import audio_config

STORY = "once upon a time there was a long story told in many small pieces"

SCRIPT = {
    "rules": [
        {"match": "count", "reply": "turn {turn}"},
        {"match": "drop", "reply": STORY, "chunk_chars": 5, "fault": "drop"},
    ]
}


@dataclass(frozen=True)
class Forgetful:
    """A provider's codec (Gemini's unless told), behind a provider whose sessions cannot be resumed by
    handle (OpenAI's never can: it is told only to count the handles)."""

    inner: Provider = field(default_factory=lambda: provider("gemini"))
    handles: list[str | None] = field(default_factory=list)
    """The handle each codec was made with."""

    @property
    def name(self) -> str:
        return "forgetful"

    @property
    def capabilities(self) -> Capabilities:
        return replace(self.inner.capabilities, resumable=False)

    def codec(
        self,
        config: SessionConfig,
        *,
        first_turn: int = 1,
        handle: str | None = None,
        history: Sequence[Exchange] = (),
    ) -> Codec:
        self.handles.append(handle)
        return self.inner.codec(config, first_turn=first_turn, handle=handle, history=history)

    def explain_close(self, code: int, reason: str, *, resuming: bool = False) -> str:
        return self.inner.explain_close(code, reason, resuming=resuming)

    def forgot_handle(self, code: int, reason: str) -> bool:
        return self.inner.forgot_handle(code, reason)

    def refuses_config(self, code: int) -> bool:
        return self.inner.refuses_config(code)


def reply(recorder: Recorder, turn: int) -> str:
    """The text of a turn's reply, as shown."""
    return "".join(delta.text for delta in recorder.of(ev.TextDelta) if delta.turn == turn)


async def ask(session: LiveSession, recorder: Recorder, text: str) -> int:
    """Send a turn and wait for its reply to complete; returns its number."""
    turn = session.send_text(text)
    await recorder.first(ev.TurnComplete, lambda e: e.turn == turn)
    return turn


def replayed(recorder: Recorder, dialect: Dialect) -> list[tuple[str, str]]:
    """The conversation the second connection replayed, as (role, text) lines (the model's role as
    ``model`` in both dialects)."""
    if dialect == "gemini":  # one clientContent with every turn, and turnComplete false
        [turns] = [
            json.loads(e.text)["clientContent"]["turns"]
            for e in recorder.of(ev.WireFrame)
            if e.summary == "clientContent" and '"turnComplete":false' in e.text and '"turns":[{' in e.text
        ]
        return [(turn["role"], turn["parts"][0]["text"]) for turn in turns]
    # OpenAI: one conversation.item.create per line, after session.update and before the server accepts it
    second = [i for i, e in enumerate(recorder.events) if isinstance(e, ev.Connected)][1]
    live = next(i for i, e in enumerate(recorder.events) if i > second and isinstance(e, ev.SetupComplete))
    items = [
        json.loads(e.text)["item"]
        for e in recorder.events[second:live]
        if isinstance(e, ev.WireFrame) and e.summary.startswith("conversation.item.create")
    ]
    return [
        ("model" if item["role"] == "assistant" else item["role"], item["content"][0]["text"])
        for item in items
    ]


@pytest.fixture
def script(tmp_path: Path) -> Path:
    path = tmp_path / "script.json"
    path.write_text(json.dumps(SCRIPT))
    return path


@both_dialects
async def test_after_a_drop_the_conversation_is_replayed_and_goes_on(script: Path, dialect: Dialect) -> None:
    forgetful = Forgetful(provider(dialect))
    async with local_server(script) as server:
        session = LiveSession(
            local_endpoint(server.url, dialect=dialect),
            forgetful,
            TEXT_CONFIG,
            backoff=Backoff(attempts=3, first_delay=0.001),
        )
        async with running(session) as recorder:
            await recorder.first(ev.SetupComplete)
            await ask(session, recorder, "count")
            await ask(session, recorder, "count")
            dropped = session.send_text("drop it")
            cut = await recorder.first(ev.TurnComplete, lambda e: e.turn == dropped)
            await recorder.first(ev.Resumed)
            after = await ask(session, recorder, "count")
    assert cut.reason == "disconnected"
    shown = reply(recorder, dropped)
    assert shown and STORY.startswith(shown) and shown != STORY, "the drop cut the reply short"
    assert reply(recorder, after) == "turn 4", "the new connection knows the three turns before it"
    assert forgetful.handles == [None, None], "no handle is ever asked to resume"
    [notice] = [e.message for e in recorder.of(ev.Notice) if "replaying" in e.message]
    assert notice == "the session resumed on a new connection by replaying 3 turns"
    assert replayed(recorder, dialect) == [
        ("user", "count"),
        ("model", "turn 1"),
        ("user", "count"),
        ("model", "turn 2"),
        ("user", "drop it"),
        ("model", shown),
    ], "what was shown, and only that, in order"


def observed(replay: Replay, events: list[ev.AnyEvent]) -> None:
    """Let `replay` see `events`, in order."""
    for event in events:
        replay.observe(event)


def test_the_replay_keeps_typed_and_heard_turns_and_what_was_shown_or_said() -> None:
    replay = Replay()
    events: list[ev.AnyEvent] = [
        ev.UserText(turn=1, text="hi"),
        ev.TextDelta(turn=1, text="thinking", thought=True),
        ev.TextDelta(turn=1, text="Hel"),
        ev.TextDelta(turn=1, text="lo"),
        ev.InputTranscript(turn=2, text="what ti"),
        ev.OutputTranscript(turn=2, text="It is "),
        ev.InputTranscript(turn=2, text="what time is it", final=True),
        ev.OutputTranscript(turn=2, text="noon"),
        ev.InputTranscript(turn=3, text="never finished"),
    ]
    observed(replay, events)
    assert replay.exchanges() == [
        Exchange("user", "hi"),
        Exchange("model", "Hello"),
        Exchange("user", "what time is it"),
        Exchange("model", "It is noon"),
    ]
    assert replay.turns == 2


# Gemini only: resuming by handle is Gemini's.
async def test_a_resumable_provider_resumes_by_handle_and_is_given_no_history(script: Path) -> None:
    async with local_server(script) as server:
        fast = Backoff(attempts=3, first_delay=0.001)
        session = LiveSession(local_endpoint(server.url), provider("gemini"), TEXT_CONFIG, backoff=fast)
        async with running(session) as recorder:
            await recorder.first(ev.SetupComplete)
            session.send_text("drop it")
            await recorder.first(ev.Resumed)
            after = await ask(session, recorder, "count")
    assert reply(recorder, after) == "turn 2", "the server kept the conversation itself"
    assert not [e for e in recorder.of(ev.WireFrame) if '"turnComplete":false' in e.text]
    assert not [e for e in recorder.of(ev.Notice) if "replaying" in e.message]


def test_speech_cut_short_is_replayed_up_to_where_it_was_heard() -> None:
    replay = Replay()
    second = bytes(2 * 24000)  # one second of speech at 24 kHz
    events: list[ev.AnyEvent] = [
        ev.UserText(turn=1, text="tell me"),
        ev.OutputTranscript(turn=1, text="Once upon "),
        ev.AudioOut(turn=1, pcm=second),
        ev.OutputTranscript(turn=1, text="a time "),
        ev.AudioOut(turn=1, pcm=second),
        ev.OutputTranscript(turn=1, text="there was"),
        ev.AudioOut(turn=1, pcm=second),
        ev.Heard(turn=1, ms=1500),
        ev.UserText(turn=2, text="and?"),
        ev.OutputTranscript(turn=2, text="Nothing heard"),
        ev.AudioOut(turn=2, pcm=second),
        ev.Heard(turn=2, ms=0),
    ]
    observed(replay, events)
    assert replay.exchanges() == [
        Exchange("user", "tell me"),
        Exchange("model", "Once upon a time "),
        Exchange("user", "and?"),
    ], "the words whose speech began before the cut"


SPOKEN = "Once upon a time, in a quiet village by the sea, there lived an old sailor who told long stories."

SPOKEN_SCRIPT = {
    "rules": [
        {"match": "story", "reply": SPOKEN},
        {"match": "drop", "reply": "going, going, gone, and never to be heard again", "fault": "drop"},
    ]
}


def heard_words(recorder: Recorder, turn: int, ms: int) -> str:
    """The pieces of `turn`'s transcript whose speech began before `ms`: those with less than `ms` of the
    turn's speech received before them (in Gemini's dialect a chunk's words follow its speech, in
    OpenAI's they precede it)."""
    received, kept = 0.0, []
    for event in recorder.events:
        if isinstance(event, ev.AudioOut) and event.turn == turn:
            received += len(event.pcm) / 2 / event.rate * 1000
        elif isinstance(event, ev.OutputTranscript) and event.turn == turn and received < ms:
            kept.append(event.text)
    return "".join(kept)


@both_dialects
async def test_after_a_drop_a_spoken_reply_cut_short_is_replayed_as_heard(
    tmp_path: Path, start_live_server: ServerStarter, dialect: Dialect
) -> None:
    script = tmp_path / "spoken.json"
    script.write_text(json.dumps(SPOKEN_SCRIPT))
    server = await start_live_server(ServerConfig(script=script))
    session = LiveSession(
        local_endpoint(server.url, dialect=dialect),
        Forgetful(provider(dialect)),
        audio_config(),
        backoff=Backoff(attempts=3, first_delay=0.001),
    )
    sink = FakeSink(realtime=False)  # plays only when ticked
    voice = Voice(session, sink=sink)
    recorder = Recorder()
    task = asyncio.create_task(run_with_voice(session, voice, recorder))
    try:
        await recorder.first(ev.SetupComplete)
        story = voice.send_text("tell me a story")

        def said() -> list[ev.OutputTranscript]:
            return [e for e in recorder.of(ev.OutputTranscript) if e.turn == story]

        await recorder.wait_for(lambda: len(said()) >= 5)
        sink.tick(15)  # 300 ms heard: the first chunk or two of speech (200 ms each)
        assert voice.interrupt() == story
        await recorder.first(ev.TurnComplete, lambda e: e.turn == story)
        dropped = voice.send_text("drop it")
        await recorder.first(ev.TurnComplete, lambda e: e.turn == dropped)
        await recorder.first(ev.Resumed)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert recorder.of(ev.Heard) == [ev.Heard(turn=story, ms=300)]
    heard = heard_words(recorder, story, 300)
    arrived = "".join(e.text for e in said())
    assert heard and arrived.startswith(heard) and arrived != heard, "more had arrived than was heard"
    lines = replayed(recorder, dialect)
    assert lines[:2] == [("user", "tell me a story"), ("model", heard)], "only what was heard"


def test_a_recorded_session_is_continued_with_its_cut_speech_as_heard(tmp_path: Path) -> None:
    second = bytes(2 * 24000)
    journal = Journal(tmp_path)
    for event in (
        ev.UserText(turn=1, text="tell me"),
        ev.OutputTranscript(turn=1, text="Once upon "),
        ev.AudioOut(turn=1, pcm=second),
        ev.OutputTranscript(turn=1, text="a time"),
        ev.AudioOut(turn=1, pcm=second),
        ev.Heard(turn=1, ms=800),
    ):
        journal.write(event)
    journal.close()
    carried = carried_from(tmp_path)
    assert carried.history == (Exchange("user", "tell me"), Exchange("model", "Once upon ")), (
        "the journal's speech is in its track, and still counts"
    )
