"""File and fake sources and sinks: real-time pacing on an injected clock, WAV output, catch-up."""

from __future__ import annotations

import asyncio
import os
import wave
from pathlib import Path

import numpy as np
import pytest

from livetui.media.audio.devices import AudioUnavailable
from livetui.media.audio.sink import FILE_WRITE_BLOCKS, FakeSink, WavSink
from livetui.media.audio.source import FileSource


class VirtualClock:
    """A clock that moves only when something sleeps on it."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)  # let other tasks run, as a real sleep would


def write_wav(path: Path, pcm: bytes, rate: int = 16000) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm)
    return path


async def test_a_file_mic_hands_out_40ms_blocks_when_they_would_have_been_spoken(tmp_path: Path) -> None:
    clock = VirtualClock()
    pcm = np.arange(16000 // 10 * 6, dtype=np.int16).tobytes()  # 600 ms
    source = FileSource(write_wav(tmp_path / "a.wav", pcm), clock=clock, sleep=clock.sleep)
    await source.open()
    start = clock.now
    blocks = []
    while (block := await source.read()) is not None:
        blocks.append((block, clock.now - start))
    assert b"".join(b for b, _ in blocks) == pcm
    assert all(len(b) == 1280 for b, _ in blocks) and len(blocks) == 15
    assert [round(t, 6) for _, t in blocks] == [round(0.04 * (n + 1), 6) for n in range(15)]


async def test_a_looping_file_mic_starts_again(tmp_path: Path) -> None:
    source = FileSource(write_wav(tmp_path / "a.wav", bytes(2560)), loop=True, realtime=False)
    await source.open()
    assert [len(await source.read() or b"") for _ in range(5)] == [1280] * 5
    assert source.seconds_read == pytest.approx(0.2)


async def test_a_missing_or_empty_file_mic_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(AudioUnavailable, match="no such file"):
        await FileSource(tmp_path / "nope.wav").open()
    with pytest.raises(AudioUnavailable, match="holds no audio"):
        await FileSource(write_wav(tmp_path / "empty.wav", b"")).open()


async def test_a_wav_sink_is_written_in_real_time_silences_included(tmp_path: Path) -> None:
    clock = VirtualClock()
    path = tmp_path / "out.wav"
    sink = WavSink(path, clock=clock, sleep=clock.sleep)
    speech = np.full(960 * 3, 1000, dtype=np.int16).tobytes()  # three blocks of speech, then nothing
    queued = [speech]

    def pull(frames: int) -> bytes:
        if not queued or not queued[0]:
            return b""
        head, queued[0] = queued[0][: frames * 2], queued[0][frames * 2 :]
        return head

    await sink.open(pull)
    while sink.blocks < 10:  # the sink's own sleeps move the clock
        await asyncio.sleep(0)
    await sink.close()
    with wave.open(str(path), "rb") as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (24000, 1, 2)
        frames = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
    assert sink.block_frames == 960, "40 ms blocks"
    assert len(frames) == sink.blocks * 960, "one block per 40 ms that passed"
    assert np.all(frames[:2880] == 1000) and not np.any(frames[2880:])
    assert len(clock.sleeps) <= sink.blocks + 1, "one wake-up per block written"
    assert all(seconds == pytest.approx(0.04) for seconds in clock.sleeps[1:-1])


async def test_a_wav_sink_writes_a_file_a_few_blocks_at_a_time_and_a_pipe_every_block(tmp_path: Path) -> None:
    def tone(frames: int) -> bytes:
        return np.full(frames, 700, dtype=np.int16).tobytes()

    path = tmp_path / "out.wav"
    sink = WavSink(path, realtime=False)
    await sink.open(tone)
    sink.tick(FILE_WRITE_BLOCKS - 1)
    assert path.stat().st_size == 44, "held: not written yet"
    sink.tick(1)
    with wave.open(str(path), "rb") as wav:
        assert wav.getnframes() == FILE_WRITE_BLOCKS * 960, "written in one go, and counted"
    sink.tick(2)
    await sink.close()
    with wave.open(str(path), "rb") as wav:
        assert wav.getnframes() == (FILE_WRITE_BLOCKS + 2) * 960, "closing writes what was held"

    read, write = os.pipe()
    pipe = WavSink(Path(f"/dev/fd/{write}"), realtime=False)
    await pipe.open(tone)
    pipe.tick(1)
    assert len(os.read(read, 1 << 16)) == 44 + 960 * 2, "a pipe gets each block as it plays"
    await pipe.close()
    os.close(write)
    os.close(read)


async def test_a_file_mic_and_a_file_speaker_opened_apart_wake_on_the_same_beat(tmp_path: Path) -> None:
    """Each ticks every 40 ms; started on the clock's 40 ms beat, the two wake the process together rather
    than each on its own phase."""
    mic_clock, speaker_clock = VirtualClock(), VirtualClock()
    mic_clock.now, speaker_clock.now = 100.013, 100.029
    source = FileSource(
        write_wav(tmp_path / "a.wav", bytes(1280 * 20)), clock=mic_clock, sleep=mic_clock.sleep
    )
    await source.open()
    mic_wakes = []
    while await source.read() is not None:
        mic_wakes.append(round(mic_clock.now, 6))
    sink = WavSink(tmp_path / "out.wav", clock=speaker_clock, sleep=speaker_clock.sleep)
    await sink.open(lambda frames: b"")
    while sink.blocks < 20:
        await asyncio.sleep(0)
    await sink.close()
    speaker_wakes = [round(sum(speaker_clock.sleeps[: n + 1]) + 100.029, 6) for n in range(19)]
    assert mic_wakes[0] == 100.04, "the mic's first block is due on the next beat"
    assert speaker_wakes[0] == 100.04, "so is the speaker's"
    assert mic_wakes[:19] == speaker_wakes
    assert mic_wakes == [round(100.04 + 0.04 * n, 6) for n in range(20)], "then every 40 ms"


async def test_a_fake_sink_records_blocks_and_flushes_in_order() -> None:
    sink = FakeSink(realtime=False)
    await sink.open(lambda frames: b"\x01\x00" * (frames // 2))
    sink.tick(2)
    sink.flush()
    sink.tick()
    assert [(b.seq, b.played, b.flushes) for b in sink.log] == [(0, 240, 0), (1, 240, 0), (2, 240, 1)]
    assert all(len(b.pcm) == 960 for b in sink.log)
