"""The microphone's level meter: reported by audio time, whatever the block size, and only when it changes."""

from __future__ import annotations

import asyncio
import time

import numpy as np
import pytest

from livetui import events as ev
from livetui.live.config import SessionConfig
from livetui.media.audio.source import FakeSource
from livetui.providers.registry import local_endpoint, provider
from livetui.session.engine import LiveSession
from livetui.session.voice import Voice


def crescendo(seconds: float) -> bytes:
    """A 440 Hz tone growing by half again every 0.1 s: every level report is louder than the last."""
    t = np.arange(round(seconds * 16000)) / 16000
    return (np.sin(2 * np.pi * 440 * t) * 200 * 1.5 ** (t / 0.1)).astype(np.int16).tobytes()


async def levels_of(pcm: bytes, block_bytes: int) -> list[float]:
    """The levels a voice reports for `pcm`, captured in blocks of `block_bytes` (no server needed)."""
    session = LiveSession(
        local_endpoint("ws://127.0.0.1:9"), provider("gemini"), SessionConfig(model="local")
    )
    mic = FakeSource()
    voice = Voice(session, source=mic)
    events: list[ev.AnyEvent] = []
    voice.tap(events.append)
    task = asyncio.create_task(voice.run())
    mic.push(pcm, block_bytes=block_bytes)
    mic.end()
    deadline = time.monotonic() + 10
    while not any(isinstance(e, ev.Notice) and "ended" in e.message for e in events):
        assert time.monotonic() < deadline, "the microphone did not end"
        await asyncio.sleep(0.01)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    return [e.level for e in events if isinstance(e, ev.MicLevel)]


@pytest.mark.parametrize("block_ms", [20, 40, 60])
async def test_the_level_is_reported_ten_times_a_second_of_audio_whatever_the_block(block_ms: int) -> None:
    levels = await levels_of(crescendo(1.2), block_bytes=block_ms * 32)
    assert len(levels) == 12, "one report per 0.1 s of audio"
    assert levels == sorted(set(levels)), "each louder than the last"


async def test_a_steady_level_is_not_reported_again() -> None:
    tone = (np.sin(2 * np.pi * 440 * np.arange(16000) / 16000) * 3000).astype(np.int16).tobytes()
    assert len(await levels_of(tone, block_bytes=1280)) == 1
