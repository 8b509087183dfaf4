"""With ``--grammar``, every sentence of the grammar is heard verbatim, spoken as a user records it.

Each sentence is recorded with ``espeak-ng -w`` (22,050 Hz, as a user would make a test file) at two voices
and two rates, the default among them, and played through the file microphone of a live session, so the
client resamples it and streams it in blocks as the app does.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from livetui import events as ev
from livetui.media.audio.source import FileSource
from livetui.server.app import LiveServer
from tests.voice.conftest import GRAMMAR
from tests.voice.helpers import voiced

SENTENCES = [line.strip(" |;") for line in GRAMMAR.read_text(encoding="utf-8").split("=", 1)[1].splitlines()]
"""The grammar's sentences, one alternative a line."""


@pytest.fixture(scope="module")
def espeak() -> str:
    """The espeak-ng command (skips without it)."""
    found = shutil.which("espeak-ng")
    if found is None:
        pytest.skip("recording test speech needs espeak-ng (apt-get install espeak-ng)")
    return found


@pytest.mark.parametrize(("voice", "rate"), [("en", 175), ("en", 140), ("en-us", 175), ("en-us", 140)])
async def test_every_grammar_sentence_is_heard_verbatim(
    voice_server: LiveServer, espeak: str, tmp_path: Path, voice: str, rate: int
) -> None:
    assert len(SENTENCES) == 6, SENTENCES
    heard: dict[str, list[str]] = {}
    for index, sentence in enumerate(SENTENCES):
        wav = tmp_path / f"said{index}.wav"
        subprocess.run([espeak, "-v", voice, "-s", str(rate), "-w", str(wav), sentence], check=True)
        async with voiced(voice_server, FileSource(wav, realtime=False)) as (_, _, recorder):
            await recorder.first(ev.LatencyMark, lambda e: e.mark == "t1")  # the reply began: all was heard
        # A 2.5-class model's way: the utterance in append-only chunks, never marked finished.
        heard[sentence] = ["".join(e.text for e in recorder.of(ev.InputTranscript))]
    assert heard == {sentence: [sentence] for sentence in SENTENCES}
