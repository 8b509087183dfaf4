"""With the ``[whisper]`` extra, free speech (no grammar) is transcribed by Whisper once it ends."""

from __future__ import annotations

import pytest

from livetui.server.app import LiveServer, ServerConfig
from livetui.server.core.senses.whisper import whisper_installed
from tests.conftest import ServerStarter
from tests.server.wire import model_text, read_turn, session
from tests.voice.conftest import SCRIPT, Speech, pcm_of
from tests.voice.wire_audio import HEARS_ONCE, finished_input, send_audio

pytestmark = pytest.mark.skipif(not whisper_installed(), reason="the [whisper] extra is not installed")


@pytest.fixture
async def free_speech_server(start_live_server: ServerStarter) -> LiveServer:
    """A local server that hears any English (no grammar) and answers from the test script."""
    return await start_live_server(ServerConfig(script=SCRIPT))


async def test_free_speech_is_heard_nearly_word_for_word(
    free_speech_server: LiveServer, speech: Speech
) -> None:
    async with session(free_speech_server, modality="TEXT", **HEARS_ONCE) as ws:
        await send_audio(ws, pcm_of(speech("what is the capital of france")))
        frames = await read_turn(ws)
    [heard] = finished_input(frames)
    words = heard.lower().strip(".?! ").split()
    meant = "what is the capital of france".split()
    wrong = sum(said != word for said, word in zip(words, meant, strict=False)) + abs(len(words) - len(meant))
    assert wrong <= 1, f"{heard!r}: pocketsphinx's general model gets five or six of these words wrong"
    assert model_text(frames) == f"You said: {heard}", "the brain answered what Whisper heard"
