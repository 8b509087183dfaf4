"""A session's audio as one WAV file: the microphone on the left channel, the model on the right.

Both tracks are placed on the session's timeline (`timeline`), at 24 kHz, 16-bit, so the file plays the
conversation as it was heard, and captions exported from the same session line up with it. The file is
written block by block, so a long session never sits whole in memory.
"""

from __future__ import annotations

import bisect
import wave
from pathlib import Path

import numpy as np

from livetui.record.export.atomic import atomic_file
from livetui.record.export.timeline import RATE, Placed, place_mic, place_model
from livetui.record.reader import Recording
from livetui.record.tracks import Track, resample
from livetui.record.transcript import Transcript

BLOCK = RATE * 10
"""Timeline frames written at a time."""

CHANNELS: tuple[Track, Track] = ("mic", "model")
"""The track of each channel: left, right."""


class NoAudio(Exception):
    """The session has no audio to export. One line."""


class _Source:
    """Reads placed chunks from one sidecar track, resampled to the timeline's rate."""

    def __init__(self, path: Path) -> None:
        self._wav = wave.open(str(path), "rb") if path.is_file() else None

    def samples(self, chunk: Placed) -> np.ndarray:
        if self._wav is None:
            return np.zeros(chunk.frames, dtype=np.int16)
        self._wav.setpos(min(chunk.ref.offset, self._wav.getnframes()))
        pcm = resample(self._wav.readframes(chunk.ref.frames), chunk.ref.rate, RATE)
        data = np.frombuffer(pcm, dtype="<i2")[: chunk.frames]
        return np.pad(data, (0, chunk.frames - len(data)))

    def close(self) -> None:
        if self._wav is not None:
            self._wav.close()


def _mix(
    block: np.ndarray, channel: int, start: int, chunks: list[Placed], ends: list[int], source: _Source
) -> None:
    """Copy the chunks that overlap the block into its channel (chunks are in order and never overlap;
    `ends` are their ends)."""
    end = start + len(block)
    first = bisect.bisect_right(ends, start)
    for chunk in chunks[first:]:
        if chunk.start >= end:
            break
        data = source.samples(chunk)
        lo, hi = max(chunk.start, start), min(chunk.end, end)
        block[lo - start : hi - start, channel] = data[lo - chunk.start : hi - chunk.start]


def write_wav(recording: Recording, transcript: Transcript, path: Path) -> float:
    """Write the stereo WAV (left: microphone, right: model) to `path` atomically; its length in seconds.

    Raises:
        NoAudio: the session has neither microphone nor model audio.
    """
    tracks: dict[Track, list[Placed]] = {"mic": place_mic(transcript.mic), "model": place_model(transcript)}
    total = max((chunk.end for chunks in tracks.values() for chunk in chunks), default=0)
    if total == 0:
        raise NoAudio("this session has no audio to export (neither the microphone nor the model's speech)")
    sources = {track: _Source(recording.track_path(track)) for track in tracks}
    ends = {track: [chunk.end for chunk in chunks] for track, chunks in tracks.items()}
    try:
        with atomic_file(path) as file, wave.open(file, "wb") as wav:
            wav.setnchannels(2)
            wav.setsampwidth(2)
            wav.setframerate(RATE)
            for start in range(0, total, BLOCK):
                block = np.zeros((min(BLOCK, total - start), 2), dtype="<i2")
                for channel, track in enumerate(CHANNELS):
                    _mix(block, channel, start, tracks[track], ends[track], sources[track])
                wav.writeframes(block.tobytes())
    finally:
        for source in sources.values():
            source.close()
    return total / RATE
