"""A WAV file written block by block says exactly what it holds after every block, as `wave` writes it."""

from __future__ import annotations

import io
import os
import wave
from pathlib import Path

import pytest

from livetui.growing_wav import GrowingWav


def opened(path: Path) -> int:
    """A new file, open for writing."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)


def read(path: Path) -> tuple[bytes, int]:
    """The samples and rate `wave` reads from `path`."""
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        return wav.readframes(wav.getnframes()), wav.getframerate()


def test_the_file_is_whole_after_every_block_before_it_is_closed(tmp_path: Path) -> None:
    path = tmp_path / "out.wav"
    wav = GrowingWav(opened(path), 24000)
    assert read(path) == (b"", 24000), "an empty file is a valid file"
    written = b""
    for index in range(5):
        block = bytes([index, index + 1]) * (480 + index)
        wav.append(block)
        written += block
        assert read(path) == (written, 24000), f"after block {index}, not closed"
    assert wav.frames == len(written) // 2
    wav.close()
    wav.close()  # twice is harmless
    assert read(path) == (written, 24000)


def test_the_header_is_the_standard_library_s(tmp_path: Path) -> None:
    pcm = bytes(range(256)) * 4
    path = tmp_path / "ours.wav"
    ours = GrowingWav(opened(path), 16000)
    ours.append(pcm[:300])
    ours.append(pcm[300:])
    ours.close()
    theirs = io.BytesIO()
    with wave.open(theirs, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes(pcm)
    assert path.read_bytes() == theirs.getvalue()


def test_an_odd_trailing_byte_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "odd.wav"
    wav = GrowingWav(opened(path), 16000)
    wav.append(b"\x01\x02\x03")
    wav.append(b"\x04")
    wav.close()
    assert read(path) == (b"\x01\x02", 16000)


def test_a_descriptor_that_cannot_be_written_is_an_os_error_and_is_closed(tmp_path: Path) -> None:
    path = tmp_path / "read-only.wav"
    path.write_bytes(b"")
    fd = os.open(path, os.O_RDONLY)
    with pytest.raises(OSError):
        GrowingWav(fd, 16000)
    with pytest.raises(OSError):
        os.fstat(fd)  # closed by the failed writer
