"""Sidecar audio tracks: PCM16 mono WAV files that grow as a session speaks and listens.

The journal records where each chunk went (`AudioRef`: the track, the offset and the length in frames),
so the audio stays out of the journal yet every chunk can be found again. The WAV header is rewritten
after every chunk (`GrowingWav`), so a track cut off by a crash is still a valid file up to its last chunk.
"""

from __future__ import annotations

import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import soxr

from livetui.live.limits import MIN_AUDIO_RATE, LimitError
from livetui.record.paths import PRIVATE_FILE
from livetui.wavfile import GrowingWav

Track = Literal["model", "mic"]
"""The model's speech, or the user's microphone."""

TRACK_FILES: dict[Track, str] = {"model": "model.wav", "mic": "mic.wav"}
"""Each track's file name in the session directory."""

TRACK_RATES: dict[Track, int] = {"model": 24000, "mic": 16000}
"""Each track's sample rate: chunks at another rate are resampled to it."""


MAX_INPUT_RATE = 384000
"""The highest rate a chunk may come at: the server's audio is checked to 48 kHz, a sound card may run
faster (the microphone's track takes its device rate)."""


@dataclass(frozen=True)
class AudioRef:
    """Where a chunk of audio is in its track."""

    track: Track
    """Which track."""
    offset: int
    """The chunk's first frame in the track."""
    frames: int
    """How many frames (samples: the tracks are mono) it holds."""
    rate: int
    """The track's sample rate."""

    @property
    def start(self) -> float:
        """Seconds into the track where the chunk starts."""
        return self.offset / self.rate

    @property
    def duration(self) -> float:
        """The chunk's length in seconds."""
        return self.frames / self.rate

    def as_json(self) -> dict[str, object]:
        """The reference as a journal line stores it."""
        return {"track": self.track, "offset": self.offset, "frames": self.frames, "rate": self.rate}


def check_rate(rate: int) -> None:
    """Raise `LimitError` unless a chunk at `rate` can go on a track: below 8 kHz or above
    `MAX_INPUT_RATE` the resampler would never return, or would need gigabytes."""
    if not MIN_AUDIO_RATE <= rate <= MAX_INPUT_RATE:
        raise LimitError(f"audio rate {rate} Hz is outside {MIN_AUDIO_RATE}–{MAX_INPUT_RATE} Hz")


def resample(pcm: bytes, rate: int, to_rate: int) -> bytes:
    """PCM16 mono `pcm` at `rate`, resampled to `to_rate`."""
    if rate == to_rate or not pcm:
        return pcm
    samples = np.frombuffer(pcm, dtype="<i2")
    return bytes(soxr.resample(samples, rate, to_rate).astype("<i2").tobytes())


class TrackWriter:
    """Appends PCM16 mono chunks to one sidecar WAV file (created private to the user)."""

    def __init__(self, path: Path, track: Track) -> None:
        self.path = path
        """The WAV file."""
        self.track = track
        """Which track it holds."""
        self.rate = TRACK_RATES[track]
        """Its sample rate."""
        self._wav = GrowingWav(path, self.rate, mode=PRIVATE_FILE)

    @property
    def frames(self) -> int:
        """Frames written so far."""
        return self._wav.frames

    def append(self, pcm: bytes, rate: int) -> AudioRef:
        """Write a chunk (resampled to the track's rate if needed), header and all; where it went.

        Raises:
            LimitError: `rate` is below 8 kHz or above `MAX_INPUT_RATE` (nothing is written).
        """
        return self.append_all([(pcm, rate)])[0]

    def append_all(self, chunks: Sequence[tuple[bytes, int]]) -> list[AudioRef]:
        """Write chunks of ``(pcm, rate)`` one after the other in one write, header and all; where each
        went.

        Raises:
            LimitError: a chunk's rate is below 8 kHz or above `MAX_INPUT_RATE` (nothing is written).
        """
        for _, rate in chunks:
            check_rate(rate)
        refs: list[AudioRef] = []
        parts: list[bytes] = []
        offset = self.frames
        for pcm, rate in chunks:
            data = resample(pcm[: len(pcm) - len(pcm) % 2], rate, self.rate)
            refs.append(AudioRef(self.track, offset, len(data) // 2, self.rate))
            offset += len(data) // 2
            parts.append(data)
        self._wav.append(b"".join(parts))
        return refs

    def close(self) -> None:
        """Close the file (its header is up to date after every chunk)."""
        self._wav.close()


def read_track(path: Path) -> tuple[bytes, int]:
    """A sidecar track's PCM16 mono samples and their rate (b"" and the default rate when missing)."""
    with wave.open(str(path), "rb") as wav:
        return wav.readframes(wav.getnframes()), wav.getframerate()
