"""Sending audio to the local server and reading what it says back, frame by frame (no sleeps)."""

from __future__ import annotations

import base64
from typing import Any

from websockets.asyncio.client import ClientConnection

from tests.server.wire import Frame, recv, send

BLOCK_BYTES = 640
"""20 ms of 16 kHz PCM16: what a microphone sends at a time."""

HEARS_ONCE: dict[str, Any] = {
    "inputAudioTranscription": {},
    "outputAudioTranscription": {},
    "model": "models/gemini-3.1-flash-live-preview",
}
"""Setup fields asking for both transcripts of a 3.1-class model, which sends the user's utterance once,
finished (a 2.5-class model sends append-only chunks and never marks one finished)."""


async def send_audio(ws: ClientConnection, pcm: bytes, rate: int = 16000, block: int = BLOCK_BYTES) -> None:
    """Stream `pcm` as ``realtimeInput.audio`` blocks, as fast as the socket takes them."""
    for start in range(0, len(pcm), block):
        data = base64.b64encode(pcm[start : start + block]).decode("ascii")
        await send(ws, {"realtimeInput": {"audio": {"mimeType": f"audio/pcm;rate={rate}", "data": data}}})


def content(frame: Frame) -> dict[str, Any]:
    """The frame's serverContent ({} when it has none)."""
    value = frame.get("serverContent", {})
    assert isinstance(value, dict)
    return value


def audio_parts(frame: Frame) -> list[dict[str, Any]]:
    """The inlineData blobs of a frame's modelTurn."""
    parts = content(frame).get("modelTurn", {}).get("parts", [])
    return [part["inlineData"] for part in parts if "inlineData" in part]


def audio_bytes(frames: list[Frame]) -> bytes:
    """The reply audio the frames carry, joined."""
    return b"".join(base64.b64decode(blob["data"]) for frame in frames for blob in audio_parts(frame))


def transcript(frames: list[Frame], key: str) -> str:
    """The joined text of `inputTranscription` or `outputTranscription` deltas (finished ones left out)."""
    return "".join(
        content(frame)[key]["text"]
        for frame in frames
        if key in content(frame) and not content(frame)[key].get("finished")
    )


def finished_input(frames: list[Frame]) -> list[str]:
    """The finished input transcriptions (whole utterances)."""
    return [
        content(frame)["inputTranscription"]["text"]
        for frame in frames
        if content(frame).get("inputTranscription", {}).get("finished")
    ]


async def read_until(ws: ClientConnection, *, key: str, count: int = 1) -> list[Frame]:
    """Frames up to and including the `count`-th whose serverContent has `key` set truthy."""
    frames: list[Frame] = []
    seen = 0
    while seen < count:
        frame = await recv(ws)
        frames.append(frame)
        if content(frame).get(key):
            seen += 1
    return frames
