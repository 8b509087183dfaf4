"""A PCM16 mono WAV file that grows as audio arrives and is whole at every moment (the speaker file, the
journal's tracks).

Each chunk is handed to the system, then the header is rewritten to count it, in place, with one
positioned write. A process killed at any moment (even by SIGKILL) leaves a file whose header says
exactly how much audio it holds, at most one chunk short of what reached the disk. A target that cannot
be rewritten in place (a pipe) gets the header once, counting nothing, then the audio as a stream.

Two system calls a chunk, where Python's `wave` makes seven (it seeks to each of the header's sizes and
back, and every seek flushes its buffer): the speaker file and the journal's tracks each write a few
chunks a second while a voice session runs.
"""

from __future__ import annotations

import errno
import os
import stat
import struct
from pathlib import Path

SAMPLE_BYTES = 2
"""Bytes per frame: one 16-bit sample (the files are mono)."""

HEADER_BYTES = 44
"""The canonical header's length: RIFF, ``fmt `` (PCM) and ``data`` chunk headers."""

_HEADER = struct.Struct("<4sI4s4sIHHIIHH4sI")


def wav_header(frames: int, rate: int) -> bytes:
    """The header of a PCM16 mono WAV file at `rate` holding `frames` frames."""
    data = frames * SAMPLE_BYTES
    riff = HEADER_BYTES - 8 + data
    return _HEADER.pack(
        b"RIFF", riff, b"WAVE", b"fmt ", 16, 1, 1, rate, rate * SAMPLE_BYTES, SAMPLE_BYTES, 16, b"data", data
    )


class GrowingWav:
    """A PCM16 mono WAV file written chunk by chunk, its header always counting what it holds.

    Raises:
        OSError: the file cannot be created.
    """

    def __init__(self, path: Path, rate: int, *, mode: int = 0o666) -> None:
        self.path = path
        """The file."""
        self.rate = rate
        """Its sample rate."""
        self.frames = 0
        """Frames written so far."""
        self._fd: int | None = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        self.regular = stat.S_ISREG(os.fstat(self._fd).st_mode)
        """True for a regular file (False: a pipe or a device, read as it is written)."""
        self._seekable = True
        try:
            self._write(wav_header(0, rate))
        except OSError:
            self.close()
            raise

    def append(self, pcm: bytes) -> None:
        """Write whole frames of `pcm` (an odd trailing byte is dropped), then the header that counts them.

        Raises:
            OSError: the write failed (a full disk).
        """
        if self._fd is None:
            raise ValueError(f"{self.path} is closed")
        data = pcm[: len(pcm) - len(pcm) % SAMPLE_BYTES]
        if not data:
            return
        self._write(data)
        self.frames += len(data) // SAMPLE_BYTES
        if self._seekable:
            try:
                os.pwrite(self._fd, wav_header(self.frames, self.rate), 0)
            except OSError as error:
                if error.errno != errno.ESPIPE:
                    raise
                self._seekable = False

    def _write(self, data: bytes) -> None:
        assert self._fd is not None
        view = memoryview(data)
        while view:  # a regular file takes it all at once, short of a full disk (which raises)
            view = view[os.write(self._fd, view) :]

    @property
    def closed(self) -> bool:
        """True once closed."""
        return self._fd is None

    def close(self) -> None:
        """Close the file (its header is already up to date)."""
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)
