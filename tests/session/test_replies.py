"""Written replies when nothing plays speech: the setup asked for, and the way back to speech for a model
that only speaks (a real WebSocket server on loopback that refuses TEXT as native-audio Gemini models do)."""

from __future__ import annotations

import contextlib
import json
import sys
import types
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from websockets.asyncio.server import ServerConnection, serve

from livetui import events as ev
from livetui.config import Settings
from livetui.live.config import SessionConfig
from livetui.live.endpoint import Endpoint
from livetui.media.audio.mic import DeviceSource
from livetui.media.audio.sink import WavSink
from livetui.media.audio.source import FakeSource
from livetui.media.audio.speaker import DeviceSink
from livetui.providers.gemini.client import Modality
from livetui.providers.gemini.setup import gemini_setup
from livetui.providers.registry import provider
from livetui.session.engine import LiveSession
from livetui.session.replies import REFUSED, choose_replies, written
from livetui.session.setup import build_config
from livetui.session.voice import Voice
from tests.session.conftest import running

SPOKEN = build_config(Settings(voice="Kore"))
"""A spoken session's configuration, with a voice (a TEXT setup must not name one: Gemini refuses it)."""


@contextlib.asynccontextmanager
async def speaks_only(code: int, reason: str) -> AsyncIterator[tuple[str, list[Modality]]]:
    """A server that closes a TEXT setup with `code` and answers an AUDIO one; yields its URL and the
    modality of every setup it received."""
    modalities: list[Modality] = []

    async def handler(ws: ServerConnection) -> None:
        setup = json.loads(await ws.recv())["setup"]
        modalities.append(setup["generationConfig"]["responseModalities"][0])
        if modalities[-1] == "TEXT":
            await ws.close(code, reason)
            return
        await ws.send('{"setupComplete": {}}')
        await ws.wait_closed()

    async with serve(handler, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        yield f"ws://127.0.0.1:{port}", modalities


def local_session(url: str, config: SessionConfig = SPOKEN) -> LiveSession:
    """A session with the server at `url`."""
    return LiveSession(Endpoint(url=url, provider="local"), provider("gemini"), config)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (1007, "Cannot extract voices from a non-audio request."),  # a native-audio model
        (1011, "Internal error encountered."),  # gemini-3.1 live: would otherwise be retried with backoff
    ],
)
async def test_a_refused_text_setup_goes_back_to_speech_at_once(code: int, reason: str) -> None:
    async with speaks_only(code, reason) as (url, modalities):
        session = local_session(url)
        session.prefer(written(session.config, hearing=False), otherwise=REFUSED)
        async with running(session) as recorder:
            await recorder.first(ev.SetupComplete)
    assert modalities == ["TEXT", "AUDIO"], "one TEXT attempt, then speech, with no backoff in between"
    setup = gemini_setup(session.config)
    assert setup.modality == "AUDIO" and setup.output_audio_transcription is not None
    [notice] = recorder.of(ev.Notice)
    assert notice.message.startswith(REFUSED) and f"({code}): {reason}" in notice.message
    assert not recorder.of(ev.SessionError) and not recorder.of(ev.Disconnected)


async def test_the_written_setup_names_no_voice_and_no_speech_transcript() -> None:
    setup = gemini_setup(written(SPOKEN, hearing=True))
    assert setup.modality == "TEXT" and setup.output_audio_transcription is None
    assert setup.generation_config is not None and setup.generation_config.speech_config is None
    assert setup.input_audio_transcription is not None, "what the microphone hears is still written"
    assert gemini_setup(written(SPOKEN, hearing=False)).input_audio_transcription is None


async def test_a_speaker_file_or_a_model_that_only_speaks_keeps_speech(tmp_path: Path) -> None:
    session = local_session("ws://127.0.0.1:9")
    voice = Voice(session, source=FakeSource(), sink=WavSink(tmp_path / "out.wav"))
    assert await choose_replies(session, voice) is None
    assert session.config.modality == "audio"

    native = build_config(Settings(model="gemini-2.5-flash-native-audio-latest"))
    session = local_session("ws://127.0.0.1:9", native)
    notice = await choose_replies(session, None)
    assert notice == "no speaker: this model only speaks: its replies are shown as their transcript"
    assert session.config.modality == "audio"


async def test_without_a_speaker_text_is_asked_for() -> None:
    session = local_session("ws://127.0.0.1:9")
    assert await choose_replies(session, None) == "no speaker: replies come as text"
    assert session.config.modality == "text"
    text = local_session("ws://127.0.0.1:9", build_config(Settings(text_only=True)))
    assert await choose_replies(text, None) is None, "text asked for already: nothing to say"


class InputOnly(types.ModuleType):
    """A sounddevice whose PortAudio sees one microphone and no output (a USB headset's mic, say)."""

    class default:  # noqa: N801 - sounddevice's name
        device = (0, -1)

    def __init__(self) -> None:
        super().__init__("sounddevice")

    def query_hostapis(self) -> list[dict[str, object]]:
        return [{"name": "ALSA"}]

    def query_devices(self) -> list[dict[str, object]]:
        device = {"index": 0, "name": "USB mic", "hostapi": 0, "default_samplerate": 16000.0}
        return [{**device, "max_input_channels": 1, "max_output_channels": 0}]


async def test_a_microphone_without_a_speaker_still_listens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sounddevice", InputOnly())
    session = local_session("ws://127.0.0.1:9")
    voice = Voice(session, source=DeviceSource(), sink=DeviceSink())
    assert await choose_replies(session, voice) == "no audio output device found: replies come as text"
    assert voice.sink is None and isinstance(voice.source, DeviceSource), "the user speaks, the model writes"
    setup = gemini_setup(session.config)
    assert setup.modality == "TEXT" and setup.input_audio_transcription is not None
