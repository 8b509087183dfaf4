"""A PCM16 mono WAV file that grows block by block, its header true after every block.

The speaker file and the journal's audio tracks are written while a session runs, a block every 20–40 ms,
and a session killed at any moment (even by SIGKILL) must leave a file whose header says exactly how much
audio it holds. The standard library's `wave` keeps the header true by seeking back and forth after every
block (seven system calls a block); here each block is two: the samples are appended, then the 44-byte
header is rewritten in place (``pwrite``, which leaves the end of the file where it was).
"""

from __future__ import annotations

import os
import struct

SAMPLE_BYTES = 2
"""PCM16."""
HEADER_BYTES = 44
"""A canonical PCM WAV header: RIFF, fmt and data chunk headers."""


def wav_header(rate: int, data_bytes: int) -> bytes:
    """The 44-byte header of a PCM16 mono WAV file at `rate` holding `data_bytes` of samples."""
    return struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF",
        HEADER_BYTES - 8 + data_bytes,
        b"WAVE",
        b"fmt ",
        16,
        1,  # PCM
        1,  # mono
        rate,
        rate * SAMPLE_BYTES,
        SAMPLE_BYTES,
        8 * SAMPLE_BYTES,
        b"data",
        data_bytes,
    )


class GrowingWav:
    """Appends PCM16 mono samples to a WAV file it owns (an open, empty file descriptor)."""

    def __init__(self, fd: int, rate: int) -> None:
        """Write the header of an empty file at `rate` to `fd`.

        Raises:
            OSError: the header could not be written (the descriptor is closed).
        """
        self.rate = rate
        """The sample rate the header states."""
        self.data_bytes = 0
        """Bytes of samples written so far."""
        self._fd = fd
        try:
            self._write(wav_header(rate, 0))
        except OSError:
            os.close(fd)
            raise

    @property
    def frames(self) -> int:
        """Frames (samples) written so far."""
        return self.data_bytes // SAMPLE_BYTES

    def append(self, pcm: bytes) -> None:
        """Append samples (an odd trailing byte is dropped), then bring the header's sizes up to date.

        Raises:
            OSError: the write failed.
        """
        pcm = pcm[: len(pcm) - len(pcm) % SAMPLE_BYTES]
        if not pcm:
            return
        self._write(pcm)
        self.data_bytes += len(pcm)
        os.pwrite(self._fd, wav_header(self.rate, self.data_bytes), 0)

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view) :]

    def close(self) -> None:
        """Close the file (its header is already true; safe to call twice)."""
        fd, self._fd = self._fd, -1
        if fd >= 0:
            os.close(fd)
