"""PCM helpers: levels, format conversion, WAV and raw files, resampling."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

import numpy as np
import pytest

from livetui.media.audio.pcm import (
    AudioFileError,
    Resampler,
    duration,
    is_silent,
    level,
    read_audio,
    resample,
    to_mono16,
)


def tone(seconds: float, rate: int, amplitude: float = 0.5, hz: float = 440.0) -> bytes:
    """A sine tone as PCM16 mono."""
    t = np.arange(int(seconds * rate)) / rate
    return (np.sin(2 * math.pi * hz * t) * amplitude * 32767).astype(np.int16).tobytes()


def test_level_is_zero_for_silence_and_grows_with_loudness() -> None:
    assert level(bytes(640)) == 0.0 and level(b"") == 0.0
    quiet, loud = level(tone(0.02, 16000, 0.01)), level(tone(0.02, 16000, 0.9))
    assert 0.0 < quiet < loud <= 1.0
    assert is_silent(bytes(640)) and not is_silent(tone(0.02, 16000))


def test_other_formats_become_pcm16_mono() -> None:
    stereo16 = struct.pack("<4h", 1000, 3000, -2000, -4000)
    assert to_mono16(stereo16, 2, 2) == struct.pack("<2h", 2000, -3000)
    eight_bit = bytes([128, 255, 0])
    assert to_mono16(eight_bit, 1, 1) == struct.pack("<3h", 0, 127 << 8, -128 << 8)
    s24 = (1000 << 8).to_bytes(3, "little", signed=True) + (-1000 << 8).to_bytes(3, "little", signed=True)
    assert to_mono16(s24, 3, 1) == struct.pack("<2h", 1000, -1000)
    s32 = struct.pack("<2i", 1000 << 16, -1000 << 16)
    assert to_mono16(s32, 4, 1) == struct.pack("<2h", 1000, -1000)


def write_wav(path: Path, pcm: bytes, rate: int, channels: int = 1, width: int = 2) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(pcm)
    return path


def test_a_wav_file_of_any_rate_and_channels_is_read_as_16k_mono(tmp_path: Path) -> None:
    mono = tone(1.0, 44100)
    stereo = np.repeat(np.frombuffer(mono, np.int16), 2).tobytes()
    pcm = read_audio(write_wav(tmp_path / "s.wav", stereo, 44100, channels=2), 16000)
    assert duration(pcm, 16000) == pytest.approx(1.0, abs=0.01)
    assert level(pcm) == pytest.approx(level(mono), abs=0.02)


def test_a_raw_file_is_taken_as_pcm16_at_the_given_rate(tmp_path: Path) -> None:
    raw = tmp_path / "speech.raw"
    raw.write_bytes(tone(0.5, 16000) + b"\x01")  # a stray odd byte is dropped
    assert read_audio(raw, 16000) == tone(0.5, 16000)


def test_unreadable_audio_files_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(AudioFileError, match="no such file"):
        read_audio(tmp_path / "missing.wav", 16000)
    bad = tmp_path / "bad.wav"
    bad.write_text("not a wav", encoding="utf-8")
    with pytest.raises(AudioFileError) as caught:
        read_audio(bad, 16000)
    assert str(caught.value).startswith(f"{bad}: not a PCM WAV file") and "\n" not in str(caught.value)


def test_streaming_resampling_matches_the_one_shot_length() -> None:
    pcm = tone(1.0, 24000)
    resampler = Resampler(24000, 48000)
    pieces = [resampler.process(pcm[i : i + 960]) for i in range(0, len(pcm), 960)]
    pieces.append(resampler.process(b"", last=True))
    assert abs(len(b"".join(pieces)) - len(resample(pcm, 24000, 48000))) <= 4
    assert Resampler(16000, 16000).process(pcm) == pcm
