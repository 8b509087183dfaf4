"""The local server hears speech: recognition, spoken replies, barge-in, manual activity, audioStreamEnd."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from livetui.media.audio.pcm import duration, resample
from livetui.server.app import LiveServer, ServerConfig
from livetui.server.core.speaking import CHUNK_SECONDS
from livetui.server.errors import StartupError
from tests.conftest import ServerStarter
from tests.server.wire import Frame, model_text, read_turn, send, session, user_turn
from tests.voice.conftest import Speech, pcm_of
from tests.voice.wire_audio import (
    HEARS_ONCE,
    audio_bytes,
    audio_parts,
    content,
    finished_input,
    read_until,
    send_audio,
    transcript,
)

WEATHER = "It is sunny and warm today. Expect a light breeze this afternoon."
"""The test script's reply to the weather question."""
HEARS_IN_CHUNKS: dict[str, Any] = {"inputAudioTranscription": {}, "outputAudioTranscription": {}}
"""A setup asking for both transcripts of a 2.5-class model: the user's words in append-only chunks."""


async def weather_asked(server: LiveServer, speech: Speech, fields: dict[str, Any]) -> list[Frame]:
    """The frames of the spoken turn that asks about the weather, in an AUDIO session with `fields`."""
    async with session(server, modality="AUDIO", **fields) as ws:
        await send_audio(ws, pcm_of(speech("what is the weather like today")))
        return await read_turn(ws)


async def test_a_spoken_question_is_recognised_and_answered_with_speech(
    voice_server: LiveServer, speech: Speech
) -> None:
    frames = await weather_asked(voice_server, speech, HEARS_IN_CHUNKS)
    heard = transcript(frames, "inputTranscription")
    assert heard == "what is the weather like today", "append-only chunks: joined, the utterance once"
    assert len([f for f in frames if "inputTranscription" in content(f)]) > 2
    assert finished_input(frames) == [], "a 2.5-class model never marks the utterance finished"
    first_reply = next(
        i for i, f in enumerate(frames) if audio_parts(f) or "outputTranscription" in content(f)
    )
    assert first_reply > max(i for i, f in enumerate(frames) if "inputTranscription" in content(f))
    assert transcript(frames, "outputTranscription") == WEATHER, "script rules match the spoken words"
    blobs = [blob for frame in frames for blob in audio_parts(frame)]
    assert {blob["mimeType"] for blob in blobs} == {"audio/pcm;rate=24000"}
    audio = audio_bytes(frames)
    assert 3.0 < duration(audio, 24000) < 8.0, "two sentences of speech"
    sizes = [len(audio_bytes([frame])) for frame in frames if audio_parts(frame)]
    assert max(sizes) <= CHUNK_SECONDS * 24000 * 2 and len(sizes) > 10
    assert model_text(frames) == ""
    assert content(frames[-2]) == {"generationComplete": True}


async def test_a_3_1_class_model_sends_the_utterance_once_finished(
    voice_server: LiveServer, speech: Speech
) -> None:
    frames = await weather_asked(voice_server, speech, HEARS_ONCE)
    heard = [content(f)["inputTranscription"] for f in frames if "inputTranscription" in content(f)]
    assert heard == [{"text": "what is the weather like today", "finished": True}]


async def test_without_transcription_in_the_setup_nothing_is_transcribed(
    voice_server: LiveServer, speech: Speech
) -> None:
    frames = await weather_asked(voice_server, speech, {})
    assert not [f for f in frames if {"inputTranscription", "outputTranscription"} & set(content(f))]
    assert audio_bytes(frames), "the question was still heard and answered"


async def test_audio_at_another_rate_is_resampled_before_recognition(
    voice_server: LiveServer, speech: Speech
) -> None:
    pcm = resample(pcm_of(speech("tell me a joke about cats")), 16000, 48000)
    async with session(voice_server, modality="TEXT", **HEARS_ONCE) as ws:
        await send_audio(ws, pcm, rate=48000, block=1920)
        frames = await read_turn(ws)
    assert finished_input(frames) == ["tell me a joke about cats"]
    assert model_text(frames) == "You said: tell me a joke about cats", "a TEXT session answers in text"


async def test_speech_during_a_reply_barges_in(voice_server: LiveServer, speech: Speech) -> None:
    async with session(voice_server, modality="AUDIO", **HEARS_ONCE) as ws:
        await send(ws, user_turn("tell me a story"))
        before = await read_until(ws, key="modelTurn", count=3)
        await send_audio(ws, pcm_of(speech("stop talking please")))
        frames = await read_until(ws, key="turnComplete")
        after = await read_turn(ws)
    assert audio_bytes(before), "the story was being spoken"
    ending = [content(frame) for frame in frames[-2:]]
    assert ending == [{"interrupted": True}, {"turnComplete": True}]
    assert all(content(f).get("generationComplete") is None for f in frames)
    spoken = [i for i, f in enumerate(after) if audio_parts(f)]
    heard = [i for i, f in enumerate(after) if content(f).get("inputTranscription", {}).get("finished")]
    assert heard and spoken and heard[0] < spoken[0], "no story audio after the barge-in: only the new reply"
    assert finished_input(after) == ["stop talking please"]
    assert transcript(after, "outputTranscription") == "Okay."


async def test_manual_activity_brackets_the_utterance(voice_server: LiveServer, speech: Speech) -> None:
    manual: dict[str, Any] = {"realtimeInputConfig": {"automaticActivityDetection": {"disabled": True}}}
    pcm = pcm_of(speech("what is the weather like today", before=0.1, after=0.0))
    async with session(voice_server, modality="AUDIO", **manual, **HEARS_ONCE) as ws:
        await send_audio(ws, pcm)  # outside activityStart/activityEnd: not an utterance
        await send(ws, {"realtimeInput": {"activityStart": {}}})
        await send_audio(ws, pcm)
        await send(ws, {"realtimeInput": {"activityEnd": {}}})
        frames = await read_turn(ws)
    assert finished_input(frames) == ["what is the weather like today"]
    assert transcript(frames, "outputTranscription") == WEATHER


async def test_audio_stream_end_finishes_an_utterance_cut_short(
    voice_server: LiveServer, speech: Speech
) -> None:
    pcm = pcm_of(speech("tell me a joke about cats", after=0.0))
    async with session(voice_server, modality="TEXT", **HEARS_ONCE) as ws:
        await send_audio(ws, pcm)
        await send(ws, {"realtimeInput": {"audioStreamEnd": True}})
        frames = await read_turn(ws)
    assert finished_input(frames) == ["tell me a joke about cats"]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("public <a> = hello;\n", "not a JSGF grammar (it starts with a #JSGF header)"),
        ("#JSGF V1.0;\ngrammar x;\npublic <a> = hello | ;\n", "not a valid JSGF grammar"),
    ],
)
async def test_a_bad_grammar_stops_the_server_with_one_line(
    start_live_server: ServerStarter, tmp_path: Path, content: str, problem: str
) -> None:
    grammar = tmp_path / "bad.gram"
    grammar.write_text(content, encoding="utf-8")
    with pytest.raises(StartupError) as caught:
        await start_live_server(ServerConfig(grammar=grammar))
    message = str(caught.value)
    assert message.startswith(f"{grammar}: {problem}") and "\n" not in message
