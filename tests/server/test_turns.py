"""Text turns: streamed deltas, the closing frames, history across turns, and spoken (AUDIO) replies."""

from __future__ import annotations

from livetui.server.app import LiveServer
from tests.server.wire import (
    ask,
    model_text,
    read_turn,
    realtime_text,
    recv,
    send,
    session,
    user_turn,
)


async def test_a_reply_streams_deltas_then_generation_complete_then_turn_complete_with_usage(
    live_server: LiveServer,
) -> None:
    async with session(live_server) as ws:
        await send(ws, user_turn("one two three four five six seven"))
        frames = await read_turn(ws)
    *deltas, generation, turn = frames
    assert len(deltas) >= 3
    for frame in deltas:
        assert frame["serverContent"]["modelTurn"]["role"] == "model"
        assert list(frame) == ["serverContent"] and list(frame["serverContent"]) == ["modelTurn"]
    assert model_text(deltas) == "You said: one two three four five six seven"
    assert generation == {"serverContent": {"generationComplete": True}}
    assert turn["serverContent"] == {"turnComplete": True}
    usage = turn["usageMetadata"]
    assert usage["promptTokenCount"] == 7
    assert usage["responseTokenCount"] == 9
    assert usage["totalTokenCount"] == 16


async def test_realtime_text_gets_the_same_reply(live_server: LiveServer) -> None:
    async with session(live_server) as ws:
        await send(ws, realtime_text("typed live"))
        frames = await read_turn(ws)
    assert model_text(frames) == "You said: typed live"
    assert frames[-2] == {"serverContent": {"generationComplete": True}}


async def test_the_conversation_keeps_its_history_across_turns(live_server: LiveServer) -> None:
    async with session(live_server) as ws:
        assert await ask(ws, "first") == "You said: first"
        await send(ws, realtime_text("second"))
        await read_turn(ws)
        await send(ws, user_turn("third"))
        *_, turn = await read_turn(ws)
    # system none; history: first, reply (3 words), second, reply (3), third
    assert turn["usageMetadata"]["promptTokenCount"] == 1 + 3 + 1 + 3 + 1


async def test_turns_without_turn_complete_are_kept_and_answered_later(live_server: LiveServer) -> None:
    async with session(live_server) as ws:
        await send(ws, user_turn("context only", turn_complete=False))
        await send(ws, {"clientContent": {"turnComplete": True}})
        frames = await read_turn(ws)
    assert model_text(frames) == "You said: context only"


async def test_several_turns_in_one_client_content_answer_the_last_user_turn(live_server: LiveServer) -> None:
    turns = [
        {"role": "user", "parts": [{"text": "ctx"}]},
        {"role": "model", "parts": [{"text": "ok"}]},
        {"role": "user", "parts": [{"text": "now"}, {"text": " this"}]},
    ]
    async with session(live_server) as ws:
        await send(ws, {"clientContent": {"turns": turns, "turnComplete": True}})
        assert model_text(await read_turn(ws)) == "You said: now this"


async def test_an_audio_session_speaks_the_reply_with_its_transcription(live_server: LiveServer) -> None:
    async with session(live_server, modality=None, outputAudioTranscription={}) as ws:  # AUDIO by default
        await send(ws, user_turn("speak up please"))
        frames = await read_turn(ws)
    *spoken, generation, turn = frames
    assert model_text(frames) == ""
    contents = [frame["serverContent"] for frame in spoken]
    text = "".join(c["outputTranscription"]["text"] for c in contents if "outputTranscription" in c)
    assert text == "You said: speak up please"
    audio = [part["inlineData"] for c in contents for part in c.get("modelTurn", {}).get("parts", [])]
    assert audio and {blob["mimeType"] for blob in audio} == {"audio/pcm;rate=24000"}
    assert generation == {"serverContent": {"generationComplete": True}}
    assert turn["serverContent"] == {"turnComplete": True}


async def test_the_server_keeps_reading_between_turns_without_sending(live_server: LiveServer) -> None:
    async with session(live_server) as ws:
        await send(ws, {"realtimeInput": {"activityEnd": {}}})
        await send(ws, {"realtimeInput": {"audioStreamEnd": True}})
        await send(ws, user_turn("after"))
        first = await recv(ws)
    assert model_text([first]) == "You said: after"
