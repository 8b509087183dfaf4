"""Fixtures for the voice tests: speech generated with espeak-ng, a grammar, a script, a server hearing them.

Speech is made the way a person's would reach the microphone: espeak-ng (``-v en-us -s 140``) converted by
sox to PCM16 mono 16 kHz, padded with silence before and after. The local server recognises it with the
JSGF grammar in ``tests/data/voice/commands.gram``, which makes recognition exact.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Protocol

import pytest

from livetui.media.audio.pcm import read_wav
from livetui.server.app import LiveServer, ServerConfig
from tests.conftest import ServerStarter

DATA = Path(__file__).parent.parent / "data" / "voice"
GRAMMAR = DATA / "commands.gram"
"""The sentences the test server can hear."""
SCRIPT = DATA / "script.toml"
"""The replies it gives (a long one to 'story', for interruptions)."""


class Speech(Protocol):
    """Makes a WAV file of `text` spoken, padded with `before` and `after` seconds of silence."""

    def __call__(self, text: str, before: float = 0.5, after: float = 1.0, rate: int = 16000) -> Path: ...


@pytest.fixture(scope="session")
def speech(tmp_path_factory: pytest.TempPathFactory) -> Speech:
    """Makes (and caches) WAV files of spoken sentences."""
    missing = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"generating test speech needs {' and '.join(missing)} (apt-get install espeak-ng sox)")
    directory = tmp_path_factory.mktemp("speech")
    made: dict[tuple[str, float, float, int], Path] = {}

    def make(text: str, before: float = 0.5, after: float = 1.0, rate: int = 16000) -> Path:
        key = (text, before, after, rate)
        if key not in made:
            raw = directory / f"raw{len(made)}.wav"
            out = directory / f"speech{len(made)}.wav"
            subprocess.run(["espeak-ng", "-v", "en-us", "-s", "140", "-w", str(raw), text], check=True)
            padding = ["pad", str(before), str(after)]
            subprocess.run(
                ["sox", str(raw), "-r", str(rate), "-c", "1", "-b", "16", str(out), *padding], check=True
            )
            made[key] = out
        return made[key]

    return make


def pcm_of(path: Path) -> bytes:
    """The PCM16 mono samples of a WAV file."""
    return read_wav(path)[0]


@pytest.fixture
async def voice_server(start_live_server: ServerStarter) -> LiveServer:
    """A local server that hears the test grammar and answers from the test script."""
    return await start_live_server(ServerConfig(grammar=GRAMMAR, script=SCRIPT))
