"""End to end: the app in tmux ended mid-reply by SIGKILL or SIGHUP leaves WAV files (the speaker file,
the journal's model and microphone tracks) that read back with the length of the audio written, and a
journal that exports. SIGHUP is a clean quit: exit status 0, the local server stopped."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import wave
from pathlib import Path

import pytest

from livetui.media.audio.pcm import SPEAKER_RATE, frames_in
from livetui.media.audio.sink import FILE_BLOCK_SECONDS, FILE_WRITE_BLOCKS
from tests.e2e.test_kill_export import app_pid, wait_until
from tests.terminal import Terminal, livetui_command
from tests.voice.conftest import GRAMMAR, SCRIPT, Speech

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (CI installs it)"),
]

SPEAKER_BLOCK = FILE_WRITE_BLOCKS * frames_in(FILE_BLOCK_SECONDS, SPEAKER_RATE)
"""Frames the speaker file grows by at a time (a fifth of a second at 24 kHz)."""


def header_and_data_frames(path: Path) -> tuple[int, int]:
    """Frames the WAV header counts, and frames the file holds after its 44-byte header."""
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes(), (path.stat().st_size - 44) // wav.getsampwidth()


def largest_chunk(session: Path, track: str) -> int:
    """The most frames one journal line put in `track` (the track grows by such chunks)."""
    refs = [json.loads(line).get("audio") for line in (session / "events.jsonl").read_text().splitlines()]
    return max(int(ref["frames"]) for ref in refs if ref is not None and ref["track"] == track)


def children(pid: int) -> list[int]:
    """The process ids of `pid`'s children."""
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(child) for child in found.split()]


def alive(pid: int) -> bool:
    """True while a process exists (and is not a zombie)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.parametrize("number", [signal.SIGKILL, signal.SIGHUP], ids=["SIGKILL", "SIGHUP"])
def test_an_app_ended_mid_reply_leaves_wav_files_of_their_true_length(
    tmp_path: Path, speech: Speech, number: signal.Signals
) -> None:
    data, out = tmp_path / "data", tmp_path / "out.wav"
    app_args = [
        "--brain", "scripted", "--script", str(SCRIPT), "--grammar", str(GRAMMAR),
        "--mic-file", str(speech("tell me a story")), "--speaker-file", str(out),
    ]  # fmt: skip
    env = {"LIVETUI_CONFIG": str(tmp_path / "none.toml"), "LIVETUI_DATA_DIR": str(data)}
    terminal = Terminal(f"kill-audio-{number.name}", tmp_path)
    terminal.start([livetui_command(), *app_args], env)
    try:
        terminal.wait_for("Once upon a time", timeout=60)
        sessions = data / "sessions"
        wait_until(lambda: any(sessions.glob("*/model.wav")), "the model's track")
        [session] = sessions.iterdir()
        model = session / "model.wav"
        wait_until(lambda: model.stat().st_size > 44 + 2 * 24000, "a second of the model's speech")
        pid = app_pid(app_args)
        servers = children(pid)
        os.kill(pid, number)
        status = terminal.exit_status()
    finally:
        terminal.close()
    if number == signal.SIGKILL:
        assert status == 128 + signal.SIGKILL
    else:
        assert status == 0, "SIGHUP quits as Ctrl+Q does"
        assert servers, "the app had started its local server"
        for child in servers:
            wait_until(lambda child=child: not alive(child), "the local server to stop")  # type: ignore[misc]

    for path, chunk in (
        (out, SPEAKER_BLOCK),
        (model, largest_chunk(session, "model")),
        (session / "mic.wav", largest_chunk(session, "mic")),
    ):
        counted, held = header_and_data_frames(path)
        assert held > 0 and 0 <= held - counted <= chunk, f"{path.name}: header {counted}, data {held}"

    result = subprocess.run(
        [livetui_command(), "export", "--last", "--format", "md"],
        capture_output=True, text=True, timeout=60, env={**os.environ, **env}, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Once upon a time" in (session / "transcript.md").read_text()
