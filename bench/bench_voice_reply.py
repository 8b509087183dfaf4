"""Voice end of speech → first reply audio, per brain and dialect, the reply started early or at the end.

A WebSocket client streams espeak-ng questions to `livetui serve` in real time (20 ms blocks, padded with
silence) and times, from the block holding the last spoken sample: the end of the turn as the client sees
it (Gemini: the finished ``inputTranscription``; OpenAI: ``input_audio_buffer.speech_stopped``), which
is the endpointing alone, and the first reply audio (``inlineData``; ``response.output_audio.delta``).
Each brain runs in two servers, one starting replies at a short silence and holding them back until the
turn ends (the default ``--early-reply``), one starting them at the end (``--early-reply 0``), asked
question by question in turn so both see the same load. Recognition is pocketsphinx's (no Whisper).
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import soxr
from websockets.asyncio.client import ClientConnection, connect

from bench.bench_voice import QUESTIONS, _speech
from livetui.providers.gemini.endpoint import LOCAL_PATH
from livetui.server.core.brains.smollm2 import smollm2_unavailable
from livetui.server.core.senses.endpointing import PAUSE_SECONDS
from livetui.server.core.senses.tts import Synthesizer
from livetui.session.latency import percentile
from livetui.session.local_server import LocalServer

ROUNDS = 2
"""Times each question is asked of each server."""
BLOCK_SECONDS = 0.02
"""Audio per block sent."""
STARTS = {"early": PAUSE_SECONDS, "at the end": 0.0}
"""How each server starts its replies: its ``--early-reply``."""
GEMINI_SETUP = {
    "setup": {
        "model": "models/gemini-3.1-flash-live-preview",  # sends the utterance once, finished
        "generationConfig": {"responseModalities": ["AUDIO"]},
        "inputAudioTranscription": {},
    }
}
OPENAI_UPDATE = {
    "type": "session.update",
    "session": {
        "type": "realtime",
        "output_modalities": ["audio"],
        "audio": {"input": {"transcription": {"model": "whisper-1"}}},
    },
}


@dataclass
class Samples:
    """Seconds from the end of speech to the end of the turn and to the first reply audio."""

    ended: list[float] = field(default_factory=list)
    """To the end of the turn, as the client sees it."""
    audio: list[float] = field(default_factory=list)
    """To the first reply audio."""


def spoken(synth: Synthesizer, text: str, rate: int) -> tuple[bytes, float]:
    """`text` spoken as PCM16 at `rate` (16 or 24 kHz), padded with silence; where its speech ends."""
    pcm, end = _speech(synth, text)
    if rate != 16000:
        pcm = np.asarray(soxr.resample(np.frombuffer(pcm, np.int16), 16000, rate), np.int16).tobytes()
    return pcm, end


def gemini_block(pcm: bytes) -> str:
    """A ``realtimeInput`` audio message of 16 kHz `pcm`."""
    data = base64.b64encode(pcm).decode("ascii")
    return json.dumps({"realtimeInput": {"audio": {"mimeType": "audio/pcm;rate=16000", "data": data}}})


def openai_block(pcm: bytes) -> str:
    """An ``input_audio_buffer.append`` event of 24 kHz `pcm`."""
    return json.dumps({"type": "input_audio_buffer.append", "audio": base64.b64encode(pcm).decode("ascii")})


def gemini_mark(frame: Any) -> str | None:
    """ "ended" or "audio" for the Gemini frames that mark them."""
    content = frame.get("serverContent", {})
    if content.get("inputTranscription", {}).get("finished"):
        return "ended"
    return "audio" if "modelTurn" in content else None


def openai_mark(event: Any) -> str | None:
    """ "ended" or "audio" for the OpenAI events that mark them."""
    kind = event.get("type")
    if kind == "input_audio_buffer.speech_stopped":
        return "ended"
    return "audio" if kind == "response.output_audio.delta" else None


@dataclass(frozen=True)
class Dialect:
    """How a dialect's client opens a session, sends audio and reads the marks."""

    path: str
    """Where it connects."""
    opening: str
    """What it sends first."""
    rate: int
    """The audio's rate."""
    block: Callable[[bytes], str]
    """A message carrying one block of audio."""
    mark: Callable[[Any], str | None]
    """Which mark a server message is, if any."""


DIALECTS = {
    "gemini": Dialect(LOCAL_PATH, json.dumps(GEMINI_SETUP), 16000, gemini_block, gemini_mark),
    "openai": Dialect(
        "/v1/realtime?model=gpt-realtime", json.dumps(OPENAI_UPDATE), 24000, openai_block, openai_mark
    ),
}


async def ask(url: str, dialect: Dialect, pcm: bytes, speech_end: float, into: Samples) -> None:
    """Stream one question in real time and note its two delays."""
    async with connect(url + dialect.path, max_size=None) as ws:
        await ws.send(dialect.opening)
        await ws.recv()
        ended: list[float] = []
        marks: dict[str, float] = {}
        reader = asyncio.create_task(_read(ws, dialect, ended, marks))
        await asyncio.sleep(0.5)  # the server loads its recogniser (it preloads it after it starts)
        size = int(dialect.rate * BLOCK_SECONDS) * 2
        start = time.monotonic()
        for index, offset in enumerate(range(0, len(pcm), size)):
            await asyncio.sleep(max(0.0, start + (index + 1) * BLOCK_SECONDS - time.monotonic()))
            await ws.send(dialect.block(pcm[offset : offset + size]))
            if not ended and (offset + size) / 2 / dialect.rate >= speech_end:
                ended.append(time.monotonic())
            if reader.done():
                break
        await asyncio.wait_for(reader, 60)
    into.ended.append(marks["ended"] - ended[0])
    into.audio.append(marks["audio"] - ended[0])


async def _read(ws: ClientConnection, dialect: Dialect, ended: list[float], marks: dict[str, float]) -> None:
    async for message in ws:
        mark = dialect.mark(json.loads(message))
        if mark is not None and ended:
            marks.setdefault(mark, time.monotonic())
        if "audio" in marks:
            return  # the rest of the reply is paced in real time: no need to hear it all


def report(name: str, seconds: list[float], budget: str = "") -> None:
    """One line: median and p95 in milliseconds."""
    ms = [value * 1000 for value in seconds]
    tail = f" (budget {budget})" if budget else ""
    numbers = f"median {percentile(ms, 50):.0f} ms, p95 {percentile(ms, 95):.0f} ms over {len(ms)}"
    print(f"   {name}: {numbers}{tail}", flush=True)


async def bench_brain(brain: str, synth: Synthesizer) -> None:
    """Both dialects against a server of each kind of start, question by question in turn."""
    servers = {
        start: await LocalServer.start(brain=brain, extra=("--early-reply", str(seconds), "--no-whisper"))
        for start, seconds in STARTS.items()
    }
    try:
        samples = {(dialect, start): Samples() for dialect in DIALECTS for start in STARTS}
        for _ in range(ROUNDS):
            for text in QUESTIONS:
                for name, dialect in DIALECTS.items():
                    pcm, end = spoken(synth, text, dialect.rate)
                    for start, server in servers.items():
                        await ask(server.url, dialect, pcm, end, samples[name, start])
        for (dialect_name, start), found in samples.items():
            label = f"{brain}, {dialect_name}, reply started {start}"
            report(f"{label}: end of speech → end of turn", found.ended)
            report(
                f"{label}: end of turn → first reply audio",
                [a - e for a, e in zip(found.audio, found.ended, strict=True)],
            )
            report(f"{label}: end of speech → first reply audio", found.audio, "≤ 500 ms with smollm2")
    finally:
        for server in servers.values():
            await server.stop()


async def main() -> None:
    """Measure the scripted brain, then smollm2 if it is installed."""
    synth = Synthesizer()
    await bench_brain("scripted", synth)
    reason = smollm2_unavailable()
    if reason is None:
        await bench_brain("smollm2", synth)
    else:
        print(f"   smollm2: skipped, {reason}", flush=True)
