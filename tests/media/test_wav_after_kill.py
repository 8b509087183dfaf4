"""WAV files that survive a kill: a process killed with SIGKILL while writing `--speaker-file` and the
journal's tracks leaves files whose headers count every frame written, as `wave`, soundfile and sox read
them."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import wave
from collections.abc import Callable
from pathlib import Path

import pytest
import soundfile

from livetui.media.audio.sink import FILE_WRITE_BLOCKS

BLOCKS = 37
"""40 ms blocks the killed process plays into its speaker file (an odd number, unlike any default)."""
WRITTEN = BLOCKS // FILE_WRITE_BLOCKS * FILE_WRITE_BLOCKS
"""Of those, the blocks handed to the file: the sink holds the rest until it has a write's worth."""

CHUNKS = 5
"""Chunks of 0.1 s it appends to each journal track."""

WRITER = """
import asyncio, os, signal, sys
from pathlib import Path
import numpy as np
from livetui.media.audio.sink import WavSink
from livetui.record.tracks import TrackWriter

async def main(folder: Path) -> None:
    sink = WavSink(folder / "out.wav", realtime=False)
    await sink.open(lambda frames: np.full(frames, 900, dtype=np.int16).tobytes())
    sink.tick({blocks})
    tone = np.full(2400, 500, dtype=np.int16).tobytes()
    model, mic = TrackWriter(folder / "model.wav", "model"), TrackWriter(folder / "mic.wav", "mic")
    for _ in range({chunks}):
        model.append(tone, 24000)
        mic.append(tone, 24000)
    os.kill(os.getpid(), signal.SIGKILL)  # no close, no flush at exit: as a killed app

asyncio.run(main(Path(sys.argv[1])))
"""


def frames_by_wave(path: Path) -> int:
    """Frames in the file, as Python's `wave` reads them."""
    with wave.open(str(path), "rb") as wav:
        return len(wav.readframes(wav.getnframes())) // 2


def frames_by_soundfile(path: Path) -> int:
    """Frames in the file, as soundfile (libsndfile) reads them."""
    return len(soundfile.read(str(path), dtype="int16")[0])


def frames_by_sox(path: Path) -> int:
    """Frames in the file, as sox's `soxi` reads them."""
    return int(subprocess.run(["soxi", "-s", str(path)], capture_output=True, text=True, check=True).stdout)


READERS: dict[str, Callable[[Path], int]] = {
    "wave": frames_by_wave,
    "soundfile": frames_by_soundfile,
    "sox": frames_by_sox,
}


@pytest.fixture(scope="module")
def killed_writer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of a process killed with SIGKILL after writing its audio files."""
    folder = tmp_path_factory.mktemp("killed")
    code = WRITER.format(blocks=BLOCKS, chunks=CHUNKS)
    result = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, timeout=60)
    assert result.returncode == -signal.SIGKILL, result.stderr.decode()
    return folder


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize(
    ("name", "frames"),
    [("out.wav", WRITTEN * 960), ("model.wav", CHUNKS * 2400), ("mic.wav", CHUNKS * 1600)],
)
def test_a_killed_session_leaves_wav_files_of_their_true_length(
    killed_writer: Path, reader: str, name: str, frames: int
) -> None:
    if reader == "sox" and shutil.which("soxi") is None:
        pytest.skip("sox is not installed")
    path = killed_writer / name
    assert (path.stat().st_size - 44) // 2 == frames, "every frame written is on disk"
    assert READERS[reader](path) == frames
