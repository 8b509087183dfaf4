"""PCM16 helpers: the session's audio formats, levels, WAV reading, and streaming resampling (soxr)."""

from __future__ import annotations

import math
import wave
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soxr

MIC_RATE = 16000
"""The microphone's rate on the wire (``audio/pcm;rate=16000``)."""
SPEAKER_RATE = 24000
"""The rate of the model's speech."""
BLOCK_SECONDS = 0.02
"""The length of one playback block a clocked sink pulls (20 ms)."""
MIC_BLOCK_SECONDS = 0.04
"""The length of one microphone block sent to the model (40 ms: 640 frames, 1,280 bytes). Half the
blocks of 20 ms for the same audio, so half the frames, events and socket writes; on average it adds
10 ms (at most 20 ms) to the end of speech, next to the server's few hundred ms of listening for silence."""
SAMPLE_BYTES = 2
"""Bytes per PCM16 mono frame."""

Samples = npt.NDArray[np.int16]
"""Mono PCM16 samples."""


class AudioFileError(Exception):
    """An audio file that cannot be read; the message is one line naming the file."""


def frames_in(seconds: float, rate: int) -> int:
    """Whole frames in `seconds` at `rate`."""
    return round(seconds * rate)


def duration(pcm: bytes, rate: int) -> float:
    """Seconds of PCM16 mono audio in `pcm`."""
    return len(pcm) / SAMPLE_BYTES / rate


def samples(pcm: bytes) -> Samples:
    """`pcm` as an int16 array (an odd trailing byte is dropped)."""
    return np.frombuffer(pcm[: len(pcm) - len(pcm) % SAMPLE_BYTES], dtype=np.int16)


def level(pcm: bytes) -> float:
    """Loudness of a block from 0 (silence, -60 dBFS or less) to 1 (full scale), for a level meter."""
    values = samples(pcm).astype(np.int64)
    if values.size == 0:
        return 0.0
    rms = math.sqrt(float(np.dot(values, values)) / values.size) / 32768.0
    if rms <= 0.001:
        return 0.0
    return min(1.0, 1.0 + 20.0 * math.log10(rms) / 60.0)


def is_silent(pcm: bytes) -> bool:
    """True when every sample is zero."""
    return not np.any(samples(pcm))


def resample(pcm: bytes, rate_in: int, rate_out: int) -> bytes:
    """A whole PCM16 mono buffer at another rate (for one-shot conversions; streams use `Resampler`)."""
    if rate_in == rate_out or not pcm:
        return pcm
    out = soxr.resample(samples(pcm), rate_in, rate_out)
    return np.asarray(out, dtype=np.int16).tobytes()


class Resampler:
    """Streaming PCM16 mono rate conversion that keeps its filter state between blocks."""

    def __init__(self, rate_in: int, rate_out: int) -> None:
        self.rate_in = rate_in
        """The rate of the blocks given to `process`."""
        self.rate_out = rate_out
        """The rate of the blocks it returns."""
        self._stream = (
            soxr.ResampleStream(rate_in, rate_out, 1, dtype="int16") if rate_in != rate_out else None
        )

    def process(self, pcm: bytes, *, last: bool = False) -> bytes:
        """Convert one block; with `last`, also return what the filter still holds."""
        if self._stream is None:
            return pcm
        out = self._stream.resample_chunk(samples(pcm), last=last)
        return np.asarray(out, dtype=np.int16).tobytes()

    def reset(self) -> None:
        """Forget the filter state (after a flush, so old audio does not leak into new)."""
        if self._stream is not None:
            self._stream.clear()


def to_mono16(raw: bytes, width: int, channels: int) -> bytes:
    """Integer PCM of any width (1-4 bytes) and channel count as PCM16 mono (channels averaged)."""
    values: npt.NDArray[np.int64]
    if width == 1:
        values = (np.frombuffer(raw, dtype=np.uint8).astype(np.int64) - 128) << 8
    elif width == 2:
        values = np.frombuffer(raw[: len(raw) - len(raw) % 2], dtype="<i2").astype(np.int64)
    elif width == 3:
        triples = (
            np.frombuffer(raw[: len(raw) - len(raw) % 3], dtype=np.uint8).reshape(-1, 3).astype(np.int64)
        )
        values = ((triples[:, 0] | (triples[:, 1] << 8) | (triples[:, 2] << 16)) << 40) >> 48
    elif width == 4:
        values = np.frombuffer(raw[: len(raw) - len(raw) % 4], dtype="<i4").astype(np.int64) >> 16
    else:
        raise ValueError(f"unsupported sample width {width}")
    if channels > 1:
        usable = values.size - values.size % channels
        values = values[:usable].reshape(-1, channels).mean(axis=1).astype(np.int64)
    return np.clip(values, -32768, 32767).astype(np.int16).tobytes()


def read_wav(path: Path) -> tuple[bytes, int]:
    """A WAV file's audio as PCM16 mono, and its rate.

    Raises:
        AudioFileError: the file cannot be read or is not an integer PCM WAV.
    """
    try:
        with wave.open(str(path), "rb") as wav:
            raw = wav.readframes(wav.getnframes())
            return to_mono16(raw, wav.getsampwidth(), wav.getnchannels()), wav.getframerate()
    except FileNotFoundError:
        raise AudioFileError(f"{path}: no such file") from None
    except (OSError, EOFError, wave.Error, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise AudioFileError(f"{path}: not a PCM WAV file ({reason})") from None


def read_audio(path: Path, rate: int) -> bytes:
    """A WAV file (any integer PCM format) or a raw PCM16 mono file at `rate`, as PCM16 mono at `rate`.

    Files ending in ``.wav`` are read as WAV; anything else is taken as raw PCM16 mono already at `rate`.

    Raises:
        AudioFileError: the file cannot be read.
    """
    if path.suffix.lower() == ".wav":
        pcm, file_rate = read_wav(path)
        return resample(pcm, file_rate, rate)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise AudioFileError(f"{path}: cannot read ({error.strerror or error})") from None
    return raw[: len(raw) - len(raw) % SAMPLE_BYTES]
