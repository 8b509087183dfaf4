"""End to end: the installed `livetui` in a real terminal (tmux), spoken to through a file microphone.

The screen of another process cannot be awaited, so each step polls `capture-pane` until the expected text
appears, with a deadline; nothing sleeps for a guessed time. The speech it plays goes to a WAV file.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from livetui.server.senses.tts import shared_synthesizer
from tests.voice.conftest import GRAMMAR, SCRIPT, Speech

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (CI installs it)"),
]


class Terminal:
    """A tmux session on a private server socket."""

    def __init__(self, socket: str) -> None:
        self.socket = socket
        """The private tmux server's socket name."""

    def tmux(self, *args: str, check: bool = True) -> str:
        """Run a tmux command on this server; its output."""
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check
        )
        return result.stdout

    def screen(self) -> str:
        """What the terminal shows now."""
        return self.tmux("capture-pane", "-p", "-t", "voice")

    def wait_for(self, text: str, timeout: float = 30.0) -> None:
        """Poll the screen until `text` is on it."""
        deadline = time.monotonic() + timeout
        while text not in (screen := self.screen()):
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} did not appear on screen:\n{screen}")
            time.sleep(0.1)

    def wait_until_gone(self, timeout: float = 15.0) -> None:
        """Poll until the session (the app) has ended."""
        deadline = time.monotonic() + timeout
        while (
            subprocess.run(
                ["tmux", "-L", self.socket, "has-session", "-t", "voice"], capture_output=True
            ).returncode
            == 0
        ):
            if time.monotonic() > deadline:
                raise AssertionError("livetui did not quit")
            time.sleep(0.1)


WEATHER = "It is sunny and warm today. Expect a light breeze this afternoon."
"""The test script's reply to the weather question."""


def voiced_seconds(samples: np.ndarray[tuple[int], np.dtype[np.int16]]) -> float:
    """Seconds of 20 ms blocks (at 24 kHz) that are not near silence."""
    blocks = samples[: len(samples) // 480 * 480].reshape(-1, 480)
    return float(np.count_nonzero(np.abs(blocks).max(axis=1) > 500)) * 0.02


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    """A private tmux server, killed at the end."""
    term = Terminal(f"livetui-voice-{uuid.uuid4().hex[:8]}")
    try:
        yield term
    finally:
        term.tmux("kill-server", check=False)


def test_a_spoken_conversation_in_a_terminal(terminal: Terminal, speech: Speech, tmp_path: Path) -> None:
    livetui = Path(sys.executable).parent / "livetui"
    out = tmp_path / "out.wav"
    command = [
        str(livetui if livetui.exists() else "livetui"),
        "--brain", "scripted", "--script", str(SCRIPT), "--grammar", str(GRAMMAR),
        "--mic-file", str(speech("what is the weather like today")), "--speaker-file", str(out),
    ]  # fmt: skip
    env = {"LIVETUI_CONFIG": str(tmp_path / "none.toml"), "LIVETUI_DATA_DIR": str(tmp_path / "data")}
    line = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items()) + " " + shlex.join(command)
    terminal.tmux("new-session", "-d", "-s", "voice", "-x", "140", "-y", "40", line)
    terminal.wait_for("what is the weather like today")
    terminal.wait_for("Expect a light breeze this afternoon.")
    terminal.wait_for("microphone: file")  # the file microphone ended
    terminal.tmux("send-keys", "-t", "voice", *"tell me a story", "Enter")
    terminal.wait_for("Once upon a time")
    terminal.tmux("send-keys", "-t", "voice", "Escape")
    terminal.wait_for("interrupted by you")
    terminal.tmux("send-keys", "-t", "voice", "C-q")
    terminal.wait_until_gone()
    with wave.open(str(out), "rb") as wav:
        assert (wav.getframerate(), wav.getnchannels()) == (24000, 1)
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
    weather = np.frombuffer(shared_synthesizer().speak(WEATHER), dtype=np.int16)
    assert voiced_seconds(samples) >= voiced_seconds(weather), "the whole weather reply was played"
    assert os.path.getsize(out) == 44 + len(samples) * 2, "the WAV header was finished at exit"
