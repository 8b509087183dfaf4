"""`GrowingWav`: the WAV file the speaker file and the journal's tracks grow, whole after every chunk
(the SIGKILL case is `test_wav_after_kill`)."""

from __future__ import annotations

import os
import threading
import wave
from pathlib import Path

import numpy as np
import pytest
import soundfile

from livetui.wavfile import HEADER_BYTES, GrowingWav, wav_header


def frames_read(path: Path) -> tuple[bytes, int]:
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        return wav.readframes(wav.getnframes()), wav.getframerate()


def test_the_header_counts_every_chunk_while_the_file_is_still_open(tmp_path: Path) -> None:
    path = tmp_path / "out.wav"
    wav = GrowingWav(path, 24000)
    assert frames_read(path) == (b"", 24000)
    chunks = [np.arange(n, dtype="<i2").tobytes() for n in (960, 1, 2400)]
    for count, chunk in enumerate(chunks, start=1):
        wav.append(chunk)
        pcm, rate = frames_read(path)  # read by another file object, the writer not closed
        assert pcm == b"".join(chunks[:count]) and rate == 24000
    assert wav.frames == 3361
    data, rate = soundfile.read(str(path), dtype="int16")
    assert rate == 24000 and data.tolist() == np.frombuffer(b"".join(chunks), "<i2").tolist()
    wav.close()
    assert wav.closed and path.stat().st_size == HEADER_BYTES + 2 * 3361


def test_an_odd_trailing_byte_is_dropped_and_an_empty_chunk_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "out.wav"
    wav = GrowingWav(path, 16000)
    wav.append(b"\x01\x02\x03")
    wav.append(b"")
    wav.append(b"\x04")
    wav.close()
    assert frames_read(path) == (b"\x01\x02", 16000)


def test_the_header_is_the_one_python_writes(tmp_path: Path) -> None:
    path = tmp_path / "ref.wav"
    with wave.open(str(path), "wb") as ref:
        ref.setnchannels(1)
        ref.setsampwidth(2)
        ref.setframerate(16000)
        ref.writeframes(bytes(2 * 123))
    assert wav_header(123, 16000) == path.read_bytes()[:HEADER_BYTES]


def test_a_closed_file_takes_no_more_audio(tmp_path: Path) -> None:
    wav = GrowingWav(tmp_path / "out.wav", 16000)
    wav.close()
    wav.close()  # a second close is nothing
    with pytest.raises(ValueError, match="closed"):
        wav.append(b"\x00\x00")


def test_a_pipe_gets_the_header_once_then_the_audio_as_a_stream(tmp_path: Path) -> None:
    fifo = tmp_path / "speaker"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    wav = GrowingWav(fifo, 24000)  # opening for writing waits for the reader
    wav.append(b"\x01\x00" * 10)
    wav.append(b"\x02\x00" * 5)
    wav.close()
    reader.join(timeout=10)
    assert received == [wav_header(0, 24000) + b"\x01\x00" * 10 + b"\x02\x00" * 5]
