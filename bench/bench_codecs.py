"""Codec cost per frame: the OpenAI Realtime codec beside the Gemini session, interleaved, in µs.

Each round times the same number of frames through both codecs one after the other (reply audio of
100 ms, a text delta, a 40 ms microphone block out), so a noisy machine slows both alike; the medians of
the rounds and their ratio are printed.
"""

from __future__ import annotations

import base64
import json
import statistics
import time
from collections.abc import Callable

from livetui.live.config import SessionConfig
from livetui.providers.gemini.client import Setup
from livetui.providers.gemini.session import GeminiSession
from livetui.providers.openai.codec import OpenAICodec

FRAMES = 2000
"""Frames per round and case."""
ROUNDS = 7
"""Rounds; the median is printed."""

_B64 = base64.b64encode(bytes(4800)).decode()  # 100 ms at 24 kHz
OPENAI_IN = {
    "audio": json.dumps({"type": "response.output_audio.delta", "item_id": "i", "delta": _B64}),
    "text": json.dumps({"type": "response.output_text.delta", "item_id": "i", "delta": "word "}),
}
GEMINI_IN = {
    "audio": json.dumps(
        {"serverContent": {"modelTurn": {"parts": [{"inlineData": {"mimeType": "audio/pcm", "data": _B64}}]}}}
    ),
    "text": json.dumps({"serverContent": {"modelTurn": {"parts": [{"text": "word "}]}}}),
}


def _openai() -> OpenAICodec:
    codec = OpenAICodec(SessionConfig(model="m"))
    codec.send_text("go", at=0.0)
    codec.receive('{"type":"response.created","response":{}}', at=0.0)
    return codec


def _gemini() -> GeminiSession:
    session = GeminiSession(setup=Setup(model="models/m"))
    session.send_text("go", at=0.0)
    return session


def _per_frame(run: Callable[[], None]) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) / FRAMES * 1e6


def _receive(codec: OpenAICodec | GeminiSession, frame: str) -> Callable[[], None]:
    def run() -> None:
        for _ in range(FRAMES):
            codec.receive(frame, at=0.0)
        codec.events_received()

    return run


def _mic(codec: OpenAICodec | GeminiSession, block: bytes, rate: int) -> Callable[[], None]:
    def run() -> None:
        for _ in range(FRAMES):
            codec.send_audio(block, rate=rate)
        codec.data_to_send()
        codec.events_received()

    return run


def main() -> None:
    """Print the medians and ratios."""
    cases: dict[str, tuple[list[float], list[float]]] = {}
    for _ in range(ROUNDS):
        for kind in ("audio", "text"):
            openai, gemini = cases.setdefault(f"{kind} in", ([], []))
            openai.append(_per_frame(_receive(_openai(), OPENAI_IN[kind])))
            gemini.append(_per_frame(_receive(_gemini(), GEMINI_IN[kind])))
        openai, gemini = cases.setdefault("mic block out", ([], []))
        openai.append(_per_frame(_mic(_openai(), bytes(1920), 24000)))  # 40 ms at 24 kHz
        gemini.append(_per_frame(_mic(_gemini(), bytes(1280), 16000)))  # 40 ms at 16 kHz
    for name, (openai, gemini) in cases.items():
        a, b = statistics.median(openai), statistics.median(gemini)
        print(f"{name}: openai {a:.1f} µs / gemini {b:.1f} µs per frame (ratio {a / b:.2f})")
