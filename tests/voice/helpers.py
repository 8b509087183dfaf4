"""A live session with a voice against the local server, recorded for tests."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import numpy as np

from livetui import events as ev
from livetui.live.config import SessionConfig
from livetui.media.audio.echo import EchoCanceller
from livetui.media.audio.pcm import MIC_BLOCK_SECONDS, frames_in, is_silent
from livetui.media.audio.sink import FakeSink
from livetui.media.audio.source import AudioSource
from livetui.providers.registry import local_endpoint, provider
from livetui.server.app import LiveServer
from livetui.session.engine import LiveSession
from livetui.session.voice import Voice, run_with_voice
from tests.conftest import Dialect
from tests.session.conftest import Recorder


def audio_config(*, manual: bool = False) -> SessionConfig:
    """A spoken session with both transcriptions, as livetui opens one (manual: push-to-talk)."""
    return SessionConfig(model="local", activity="manual" if manual else "auto")


@contextlib.asynccontextmanager
async def voiced(
    server: LiveServer,
    source: AudioSource | None = None,
    *,
    push_to_talk: bool = False,
    half_duplex: bool = False,
    dialect: Dialect = "gemini",
    echo: EchoCanceller | None = None,
    sink: FakeSink | None = None,
) -> AsyncIterator[tuple[Voice, FakeSink, Recorder]]:
    """A live session in `dialect` with a voice playing into a fake sink (real-time unless `sink` is given);
    yields once the session is live. A `source` must hand out blocks at the provider's rate (`mic_rate`)."""
    endpoint = local_endpoint(server.url, dialect=dialect)
    session = LiveSession(endpoint, provider(dialect), audio_config(manual=push_to_talk))
    sink = FakeSink() if sink is None else sink
    voice = Voice(
        session, source=source, sink=sink, push_to_talk=push_to_talk, half_duplex=half_duplex, echo=echo
    )
    recorder = Recorder()
    task = asyncio.create_task(run_with_voice(session, voice, recorder))
    try:
        await recorder.first(ev.SetupComplete)
        yield voice, sink, recorder
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def mic_rate(dialect: Dialect) -> int:
    """The rate a microphone is sent at in `dialect` (the provider's, as the app opens it)."""
    return provider(dialect).capabilities.audio_in_rate


def rising(blocks: int) -> bytes:
    """`blocks` microphone blocks (40 ms) of a tone whose loudness changes every block, so each level report
    differs (the voice reports the microphone's level only when it changes)."""
    tone = np.sin(np.arange(frames_in(MIC_BLOCK_SECONDS, 16000)) * 2 * np.pi * 440 / 16000)
    return b"".join((tone * 300 * (n + 1)).astype(np.int16).tobytes() for n in range(blocks))


def audible(sink: FakeSink) -> int:
    """Blocks of the sink's output that are not silence."""
    return sum(1 for block in sink.log if not is_silent(block.pcm))


def sent(recorder: Recorder, summary: str) -> list[int]:
    """Positions (in the recorder's events) of the outgoing frames with this summary."""
    return [
        index
        for index, event in enumerate(recorder.events)
        if isinstance(event, ev.WireFrame) and event.direction == "out" and event.summary == summary
    ]
