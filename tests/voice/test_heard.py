"""The interrupt key and a barge-in tell the session how much of the reply was heard: the player's
milliseconds of the playing turn, taken before the flush (a provider that truncates keeps only those)."""

from __future__ import annotations

import json

import pytest

from livetui import events as ev
from livetui.media.audio.sink import FakeSink
from livetui.media.audio.source import FakeSource
from livetui.server.app import LiveServer
from livetui.session.voice import Voice
from tests.conftest import Dialect, both_dialects
from tests.session.conftest import Recorder
from tests.voice.conftest import Speech, pcm_of
from tests.voice.helpers import audible, mic_rate, voiced


def spy_on_interrupt(voice: Voice, monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    """The `heard_ms` of every call the voice makes to its session's `interrupt` (the calls go through)."""
    heard: list[int | None] = []
    interrupt = voice.session.interrupt

    def spy(
        *, at: float | None = None, heard_ms: int | None = None, playing: int | None = None
    ) -> int | None:
        heard.append(heard_ms)
        return interrupt(at=at, heard_ms=heard_ms, playing=playing)

    monkeypatch.setattr(voice.session, "interrupt", spy)
    return heard


def truncations(recorder: Recorder) -> list[int]:
    """The `audio_end_ms` of every ``conversation.item.truncate`` the client sent (OpenAI's: Gemini has
    none)."""
    return [
        json.loads(frame.text)["audio_end_ms"]
        for frame in recorder.of(ev.WireFrame)
        if frame.direction == "out" and frame.summary.startswith("conversation.item.truncate")
    ]


@both_dialects
async def test_the_interrupt_key_passes_the_milliseconds_heard(
    voice_server: LiveServer, monkeypatch: pytest.MonkeyPatch, dialect: Dialect
) -> None:
    async with voiced(voice_server, dialect=dialect) as (voice, sink, recorder):
        heard = spy_on_interrupt(voice, monkeypatch)
        turn = voice.send_text("tell me a story")
        await sink.wait_for(lambda: audible(sink) >= 10)
        assert voice.interrupt() == turn
        played = voice.player.played_ms(turn)
        await recorder.first(ev.TurnComplete)
    [ms] = heard
    assert ms is not None and 200 <= ms <= played <= ms + 20, "what was heard, to the block"
    assert truncations(recorder) == (
        [ms] if voice.session.provider.capabilities.truncate_on_interrupt else []
    )


@both_dialects
async def test_a_barge_in_passes_the_milliseconds_heard_once(
    voice_server: LiveServer, speech: Speech, monkeypatch: pytest.MonkeyPatch, dialect: Dialect
) -> None:
    rate = mic_rate(dialect)
    mic = FakeSource(rate=rate)
    async with voiced(voice_server, mic, dialect=dialect) as (voice, sink, recorder):
        heard = spy_on_interrupt(voice, monkeypatch)
        story = voice.send_text("tell me a story")
        await sink.wait_for(lambda: audible(sink) >= 10)
        mic.push(pcm_of(speech("stop talking please", rate=rate)))
        await recorder.first(ev.Interrupted, lambda e: e.by == "server")
        played = voice.player.played_ms(story)
        answer = await recorder.first(ev.TurnComplete, lambda e: e.turn != story)
        assert answer.reason == "complete", "the answer to the barge-in is not interrupted by it"
    [ms] = heard
    assert ms == played and ms >= 200
    assert truncations(recorder) == (
        [ms] if voice.session.provider.capabilities.truncate_on_interrupt else []
    )


async def test_typing_over_a_spoken_reply_truncates_it_to_what_was_heard(voice_server: LiveServer) -> None:
    async with voiced(voice_server, dialect="openai") as (voice, sink, recorder):
        story = voice.send_text("tell me a story")
        await sink.wait_for(lambda: audible(sink) >= 10)
        voice.send_text("stop, what is 6 times 7")
        played = voice.player.played_ms(story)
        await recorder.first(ev.TurnComplete, lambda e: e.turn == story)
    [cut] = truncations(recorder)
    assert 200 <= cut <= played, "cut where the user stopped hearing it, not at all that arrived"


def truncated_items(recorder: Recorder) -> list[str]:
    """The `item_id` of every ``conversation.item.truncate`` the client sent, in order."""
    return [
        json.loads(frame.text)["item_id"]
        for frame in recorder.of(ev.WireFrame)
        if frame.direction == "out" and frame.summary.startswith("conversation.item.truncate")
    ]


HEARD_BLOCKS = 5
"""Blocks of a reply the tests below play before the user cuts in (20 ms each)."""


async def test_speech_over_a_reply_that_has_fully_arrived_but_still_plays_barges_in(
    voice_server: LiveServer, speech: Speech
) -> None:
    """OpenAI's server VAD says only ``speech_started`` once its reply is done: the client must stop the
    speech still playing, cut the item where it was heard, and show the turn interrupted."""
    mic = FakeSource(rate=mic_rate("openai"))
    sink = FakeSink(realtime=False)  # plays only when ticked: the reply stays playing as long as needed
    async with voiced(voice_server, mic, dialect="openai", sink=sink) as (voice, _, recorder):
        turn = voice.send_text("stop")
        await recorder.first(ev.TurnComplete, lambda e: e.turn == turn)
        sink.tick(HEARD_BLOCKS)
        played = voice.player.played_ms(turn)
        assert voice.player.speaking and voice.player.playing_turn == turn
        mic.push(pcm_of(speech("stop talking please", rate=mic_rate("openai"))))
        interrupted = await recorder.first(ev.Interrupted)
        await recorder.first(ev.VoiceActivity, lambda e: e.speaking)
    assert (interrupted.turn, interrupted.by) == (turn, "server")
    assert played == HEARD_BLOCKS * 20 and truncations(recorder) == [played], "cut where it was heard"
    assert not voice.player.speaking and sink.flushes == 1, "the rest of the speech is dropped"
    assert voice.session.latency.has(turn, "k1")


async def test_the_milliseconds_heard_cut_the_turn_playing_not_the_one_interrupted(
    voice_server: LiveServer,
) -> None:
    """A finished reply still playing when a later turn is interrupted: the heard milliseconds are the
    playing turn's, and nothing of the later turn was heard."""
    sink = FakeSink(realtime=False)
    async with voiced(voice_server, dialect="openai", sink=sink) as (voice, _, recorder):
        first = voice.send_text("stop")
        await recorder.first(ev.TurnComplete, lambda e: e.turn == first)
        sink.tick(HEARD_BLOCKS)
        later = voice.session.send_text("tell me a story")  # typed past the voice: the speech goes on
        await recorder.first(ev.AudioOut, lambda e: e.turn == later)
        assert voice.player.playing_turn == first
        assert voice.interrupt() == later
        await recorder.first(ev.TurnComplete, lambda e: e.turn == later)
    assert truncations(recorder) == [HEARD_BLOCKS * 20, 0], "the playing turn where heard, the later at 0"
    playing_item, later_item = truncated_items(recorder)
    assert playing_item != later_item
    heard = [(e.turn, e.ms) for e in recorder.of(ev.Heard)]
    assert heard == [(first, HEARD_BLOCKS * 20), (later, 0)], "a replay keeps nothing of the later turn"
