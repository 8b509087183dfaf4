"""The microphone's rate is the provider's: a file or device source hands out blocks at the rate asked
for (resampled with soxr), and the voice of a session uses its provider's `audio_in_rate`."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from livetui.config import AudioSettings, Settings
from livetui.live.config import SessionConfig
from livetui.media.audio.pcm import MIC_RATE
from livetui.media.audio.source import FileSource
from livetui.providers.gemini.provider import GeminiProvider
from livetui.providers.openai.endpoint import local_endpoint
from livetui.providers.openai.provider import OpenAIProvider
from livetui.session.audio_io import source_for, voice_for
from livetui.session.engine import LiveSession
from tests.media.test_files import write_wav


def tone_wav(path: Path, rate: int, seconds: float) -> Path:
    """A 440 Hz tone at `rate`."""
    t = np.arange(int(rate * seconds)) / rate
    return write_wav(path, (np.sin(2 * np.pi * 440 * t) * 8000).astype("<i2").tobytes(), rate)


async def test_a_file_source_hands_out_blocks_at_the_rate_asked_for(tmp_path: Path) -> None:
    path = tone_wav(tmp_path / "tone.wav", 16000, 1.0)
    source = FileSource(path, rate=24000, realtime=False)
    await source.open()
    blocks = []
    while (block := await source.read()) is not None:
        blocks.append(block)
    assert source.rate == 24000
    assert len(blocks[0]) == 1920, "40 ms at 24 kHz"
    assert abs(sum(map(len, blocks)) - 48000) <= 1920, "one second at 24 kHz"


def test_the_sources_from_the_settings_take_the_providers_rate(tmp_path: Path) -> None:
    path = tone_wav(tmp_path / "tone.wav", 16000, 0.1)
    settings = Settings(audio=AudioSettings(mic_file=path))
    source = source_for(settings, rate=24000)
    assert source is not None and source.rate == 24000
    default = source_for(settings)
    assert default is not None and default.rate == MIC_RATE
    device = source_for(Settings(audio=AudioSettings(input_device="x")), rate=24000)
    assert device is not None and device.rate == 24000


def test_the_voice_of_a_session_sends_the_microphone_at_its_providers_rate(tmp_path: Path) -> None:
    path = tone_wav(tmp_path / "tone.wav", 16000, 0.1)
    make = voice_for(Settings(audio=AudioSettings(mic_file=path), text_only=True))
    config = SessionConfig(model="m")
    for provider, rate in ((OpenAIProvider(), 24000), (GeminiProvider(), 16000)):
        voice = make(LiveSession(local_endpoint("ws://127.0.0.1:1"), provider, config))
        assert voice is not None and voice.source is not None
        assert voice.source.rate == rate and voice.mic_rate == rate
