"""Where the local server ends a spoken turn: not at a pause inside a sentence, and without being told.

The utterances are real speech (espeak-ng) with a silence of exactly 300 ms put in between two of their
words, the length of a pause at a comma; the server's detector must wait it out and still find the end.
"""

from __future__ import annotations

import pytest

from livetui.server.app import LiveServer
from tests.server.wire import read_turn, session
from tests.voice.conftest import Speech, pcm_of
from tests.voice.pauses import with_pause
from tests.voice.wire_audio import HEARS_ONCE, finished_input, read_until, send_audio


@pytest.mark.parametrize(
    ("before", "after"), [("tell me a joke", "about cats"), ("what is", "six times seven")]
)
async def test_a_300_ms_pause_inside_a_sentence_does_not_end_the_turn(
    voice_server: LiveServer, speech: Speech, before: str, after: str
) -> None:
    async with session(voice_server, modality="TEXT", **HEARS_ONCE) as ws:
        await send_audio(ws, with_pause(speech, before, after))
        frames = await read_turn(ws)
    assert finished_input(frames) == [f"{before} {after}"], "one utterance, all of it"


async def test_the_end_of_speech_is_found_in_the_silence_after_it(
    voice_server: LiveServer, speech: Speech
) -> None:
    async with session(voice_server, modality="TEXT", **HEARS_ONCE) as ws:
        await send_audio(ws, pcm_of(speech("what is the capital of france", before=0.5, after=1.0)))
        frames = await read_until(ws, key="turnComplete")  # no audioStreamEnd: the silence ends the turn
    assert finished_input(frames) == ["what is the capital of france"]
