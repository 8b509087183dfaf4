"""End to end: the installed `livetui` in a real terminal (tmux), spoken to through a file microphone.

The screen of another process cannot be awaited, so each step polls `capture-pane` until the expected text
appears, with a deadline; nothing sleeps for a guessed time. The speech it plays goes to a WAV file.
"""

from __future__ import annotations

import os
import shutil
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from livetui.server.core.senses.tts import shared_synthesizer
from tests.conftest import Dialect, both_dialects
from tests.terminal import Terminal, livetui_command, local_flags
from tests.voice.conftest import GRAMMAR, SCRIPT, Speech

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (CI installs it)"),
]


WEATHER = "It is sunny and warm today. Expect a light breeze this afternoon."
"""The test script's reply to the weather question."""


def voiced_seconds(samples: np.ndarray[tuple[int], np.dtype[np.int16]]) -> float:
    """Seconds of 20 ms blocks (at 24 kHz) that are not near silence."""
    blocks = samples[: len(samples) // 480 * 480].reshape(-1, 480)
    return float(np.count_nonzero(np.abs(blocks).max(axis=1) > 500)) * 0.02


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    """A private tmux server, killed at the end."""
    term = Terminal("voice", tmp_path)
    try:
        yield term
    finally:
        term.close()


@both_dialects
def test_a_spoken_conversation_in_a_terminal(
    terminal: Terminal, speech: Speech, tmp_path: Path, dialect: Dialect
) -> None:
    out = tmp_path / "out.wav"
    command = [
        livetui_command(), *local_flags(dialect),
        "--brain", "scripted", "--script", str(SCRIPT), "--grammar", str(GRAMMAR),
        "--mic-file", str(speech("what is the weather like today")), "--speaker-file", str(out),
    ]  # fmt: skip
    env = {"LIVETUI_CONFIG": str(tmp_path / "none.toml"), "LIVETUI_DATA_DIR": str(tmp_path / "data")}
    terminal.start(command, env)
    terminal.wait_for("what is the weather like today")
    terminal.wait_for("Expect a light breeze this afternoon.")
    terminal.wait_for("microphone: file")  # the file microphone ended
    terminal.type_line("tell me a story")
    terminal.wait_for("Once upon a time")
    terminal.keys("Escape")
    terminal.wait_for("interrupted by you")
    terminal.keys("C-q")
    assert terminal.exit_status() == 0
    with wave.open(str(out), "rb") as wav:
        assert (wav.getframerate(), wav.getnchannels()) == (24000, 1)
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
    weather = np.frombuffer(shared_synthesizer().speak(WEATHER), dtype=np.int16)
    assert voiced_seconds(samples) >= voiced_seconds(weather), "the whole weather reply was played"
    assert os.path.getsize(out) == 44 + len(samples) * 2, "the WAV header was finished at exit"
