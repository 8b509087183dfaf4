"""A session with a voice against the local server: spoken turns, playback, interruption, push-to-talk."""

from __future__ import annotations

import wave
from pathlib import Path

from livetui import events as ev
from livetui.media.audio.pcm import is_silent
from livetui.media.audio.source import FakeSource, FileSource
from livetui.server.app import LiveServer
from tests.conftest import Dialect, both_dialects
from tests.voice.conftest import Speech, pcm_of
from tests.voice.helpers import audible, mic_rate, rising, sent, voiced

WEATHER = "It is sunny and warm today. Expect a light breeze this afternoon."
"""The test script's reply to the weather question."""


MIC_FRAME = {"gemini": "realtimeInput.audio", "openai": "input_audio_buffer.append"}
"""How each dialect's frame of microphone audio is summarized on the wire."""


def utterance(heard: list[ev.InputTranscript]) -> str:
    """What the user said, as the transcripts tell it: the final ones where the dialect sends them
    (OpenAI), else the append-only chunks joined (Gemini 2.5-class models never say finished)."""
    finals = [e.text for e in heard if e.final]
    return " ".join(finals) if finals else "".join(e.text for e in heard)


@both_dialects
async def test_speech_from_the_file_mic_is_answered_and_played_on_the_sink(
    voice_server: LiveServer, speech: Speech, dialect: Dialect
) -> None:
    mic = FileSource(speech("what is the weather like today"), rate=mic_rate(dialect))
    async with voiced(voice_server, mic, dialect=dialect) as (voice, sink, recorder):
        done = await recorder.first(ev.TurnComplete)
        await sink.wait_for(lambda: voice.player.frames_played > 0 and not voice.player.speaking)
    heard = recorder.of(ev.InputTranscript)
    assert utterance(heard) == "what is the weather like today"
    assert {e.turn for e in heard} == {done.turn}
    assert "".join(e.text for e in recorder.of(ev.OutputTranscript)) == WEATHER
    speech_out = recorder.of(ev.AudioOut)
    assert speech_out and {(e.turn, e.rate) for e in speech_out} == {(done.turn, 24000)}
    received = b"".join(e.pcm for e in speech_out)
    played = b"".join(block.pcm[: block.played * 2] for block in sink.log)
    assert played == received, "every sample of the reply reached the sink, in order"
    assert voice.player.underruns == 0
    marks = voice.session.latency.turn(done.turn)
    assert marks is not None and {"t0", "t1", "t3", "t4"} <= marks.marks.keys()
    assert marks.marks["t0"] <= marks.marks["t1"] <= marks.marks["t3"]
    assert sent(recorder, MIC_FRAME[dialect]), "the microphone was streamed"


@both_dialects
async def test_the_interrupt_key_during_playback_silences_the_sink_at_once(
    voice_server: LiveServer, dialect: Dialect
) -> None:
    async with voiced(voice_server, dialect=dialect) as (voice, sink, recorder):
        turn = voice.send_text("tell me a story")
        await sink.wait_for(lambda: audible(sink) >= 10)
        assert voice.interrupt() == turn
        # Within the key's own call: everything queued is dropped and the sink told, k1 marked.
        assert voice.player.frames_dropped > 0, "there was speech queued when the key was pressed"
        assert sink.flushes == 1 and not voice.player.speaking
        heard_by_key = voice.player.frames_by_turn[turn]
        marks = voice.session.latency.turn(turn)
        assert marks is not None and marks.marks["k0"] <= marks.marks["k1"]
        await recorder.first(ev.TurnComplete)
        flushed_at = len(sink.log)
        await sink.wait_for(lambda: len(sink.log) >= flushed_at + 25)
    after = [block for block in sink.log if block.flushes >= 1]
    assert after and all(is_silent(block.pcm) and block.played == 0 for block in after)
    assert voice.player.frames_by_turn[turn] == heard_by_key
    assert [e.by for e in recorder.of(ev.Interrupted)] == ["user", "server"]
    key = recorder.events.index(recorder.of(ev.Interrupted)[0])
    assert not [e for e in recorder.events[key:] if isinstance(e, ev.AudioOut)], "late audio is dropped"


@both_dialects
async def test_speech_over_the_reply_barges_in_and_no_more_of_it_is_played(
    voice_server: LiveServer, speech: Speech, dialect: Dialect
) -> None:
    rate = mic_rate(dialect)
    mic = FakeSource(rate=rate)
    async with voiced(voice_server, mic, dialect=dialect) as (voice, sink, recorder):
        story = voice.send_text("tell me a story")
        await sink.wait_for(lambda: audible(sink) >= 10)
        mic.push(pcm_of(speech("stop talking please", rate=rate)))
        await recorder.first(ev.Interrupted, lambda e: e.by == "server")
        heard_of_story = voice.player.frames_by_turn[story]
        answer = await recorder.first(ev.TurnComplete, lambda e: e.turn != story)
        await sink.wait_for(lambda: voice.player.frames_by_turn.get(answer.turn, 0) > 0)
    assert voice.player.frames_by_turn[story] == heard_of_story, "nothing of the story after the barge-in"
    assert recorder.of(ev.TurnComplete)[0].reason == "interrupted"
    assert utterance(recorder.of(ev.InputTranscript)) == "stop talking please"
    assert "".join(e.text for e in recorder.of(ev.OutputTranscript) if e.turn == answer.turn) == "Okay."


@both_dialects
async def test_typing_while_the_model_speaks_silences_it(voice_server: LiveServer, dialect: Dialect) -> None:
    async with voiced(voice_server, dialect=dialect) as (voice, sink, recorder):
        story = voice.send_text("tell me a story")
        await sink.wait_for(lambda: audible(sink) >= 5)
        weather = voice.send_text("what is the weather like today")
        heard_of_story = voice.player.frames_by_turn[story]
        assert sink.flushes == 1
        await recorder.first(ev.TurnComplete, lambda e: e.turn == weather)
        await sink.wait_for(lambda: voice.player.frames_by_turn.get(weather, 0) > 0)
    assert voice.player.frames_by_turn[story] == heard_of_story
    assert "".join(e.text for e in recorder.of(ev.OutputTranscript) if e.turn == weather) == WEATHER


async def test_push_to_talk_brackets_the_utterance_with_activity_signals(
    voice_server: LiveServer, speech: Speech
) -> None:
    mic = FakeSource()
    words = pcm_of(speech("what is the weather like today", before=0.2, after=0.2))
    async with voiced(voice_server, mic, push_to_talk=True) as (voice, sink, recorder):
        mic.push(rising(10))  # before the key: held back
        await recorder.wait_for(lambda: voice.blocks_held >= 10)
        assert voice.toggle_talk() is True
        mic.push(words)
        await recorder.wait_for(lambda: voice.blocks_sent >= len(words) // 1280)
        assert voice.toggle_talk() is False
        done = await recorder.first(ev.TurnComplete)
        await sink.wait_for(lambda: voice.player.frames_by_turn.get(done.turn, 0) > 0)
    start, end = sent(recorder, "realtimeInput.activityStart"), sent(recorder, "realtimeInput.activityEnd")
    audio = sent(recorder, "realtimeInput.audio")
    assert len(start) == 1 and len(end) == 1 and start[0] < audio[0] and audio[-1] < end[0]
    assert utterance(recorder.of(ev.InputTranscript)) == "what is the weather like today"
    assert "".join(e.text for e in recorder.of(ev.OutputTranscript)) == WEATHER
    marks = voice.session.latency.turn(done.turn)
    assert marks is not None and "t0" in marks.marks, "activityEnd is the end of the user's turn"
    states = recorder.of(ev.AudioState)
    assert any(s.push_to_talk and s.talking for s in states) and not states[-1].talking


async def test_muting_ends_the_audio_stream_and_holds_the_mic_back(voice_server: LiveServer) -> None:
    mic = FakeSource()
    async with voiced(voice_server, mic) as (voice, _sink, recorder):
        mic.push(rising(5))
        await recorder.wait_for(lambda: voice.blocks_sent >= 5)
        assert voice.toggle_mute() is True
        mic.push(rising(5))
        await recorder.wait_for(lambda: voice.blocks_held >= 5)
        assert recorder.of(ev.AudioState)[-1].muted
    ended = sent(recorder, "realtimeInput.audioStreamEnd")
    audio = sent(recorder, "realtimeInput.audio")
    assert len(ended) == 1 and len(audio) == 5 and audio[-1] < ended[0]


async def test_half_duplex_holds_the_mic_back_while_the_model_speaks(voice_server: LiveServer) -> None:
    mic = FakeSource()
    async with voiced(voice_server, mic, half_duplex=True) as (voice, sink, recorder):
        voice.send_text("tell me a story")
        await recorder.first(ev.AudioState, lambda s: s.gated)
        mic.push(rising(10))
        await recorder.wait_for(lambda: voice.blocks_held >= 10)
        assert not sent(recorder, "realtimeInput.audio"), "nothing sent while the model speaks"
        voice.interrupt()
        await recorder.wait_for(lambda: not recorder.of(ev.AudioState)[-1].gated)
        mic.push(rising(5))
        await recorder.wait_for(lambda: voice.blocks_sent >= 5)
    assert len(sent(recorder, "realtimeInput.audio")) == 5


async def test_a_microphone_that_cannot_open_is_one_notice_and_text_still_works(
    voice_server: LiveServer, tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere.wav"
    async with voiced(voice_server, FileSource(missing)) as (voice, _sink, recorder):
        notice = await recorder.first(ev.Notice)
        turn = voice.send_text("what is the weather like today")
        await recorder.first(ev.TurnComplete, lambda e: e.turn == turn)
    assert notice.message == f"microphone file {missing}: no such file; text still works"
    assert not voice.mic_open and recorder.of(ev.AudioState)[-1].mic == ""
    assert "".join(e.text for e in recorder.of(ev.OutputTranscript)) == WEATHER


async def test_a_recorded_mic_starts_once_the_session_is_live(
    voice_server: LiveServer, tmp_path: Path
) -> None:
    """None of a file is lost while the session connects: it is read only once the session is live."""
    path = tmp_path / "quiet.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes(bytes(1280 * 25))  # 25 blocks of 40 ms
    mic = FileSource(path, realtime=False)  # unpaced: without the wait, it would be read before setup ends
    async with voiced(voice_server, mic) as (voice, _sink, recorder):
        await recorder.first(ev.Notice, lambda e: "ended" in e.message)
    assert (voice.blocks_sent, voice.blocks_held) == (25, 0)
