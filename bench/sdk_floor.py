"""The floor of what any voice client must spend: a minimal client written directly on the `google-genai` SDK.

It connects to a ``wss://`` server (trusting the certificate given), streams a WAV file as the microphone
in blocks paced by the audio clock (block ``n`` is sent ``(n + 1) × block`` seconds after the first),
optionally a 1 fps camera (a moving test pattern, JPEG-encoded once per frame), and writes the model's
audio replies to a null sink as they arrive. Nothing else: no UI, no journal, no jitter buffer. It is
run as a child process by `bench.bench_voice_cpu`, so its CPU time is its own.
"""

from __future__ import annotations

import asyncio
import ssl
import time
import wave
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from google import genai
from google.genai import types

MIC_RATE = 16000
"""The microphone's rate on the wire."""


@dataclass
class FloorStats:
    """What the floor client did in its measured window."""

    blocks_sent: int = 0
    """Microphone blocks sent."""
    frames_sent: int = 0
    """Camera frames sent."""
    audio_bytes: int = 0
    """Bytes of reply audio received (PCM16 24 kHz)."""


def _pattern(second: int) -> bytes:
    """A 640×480 test picture with a square that moves every second, as JPEG quality 80."""
    image = np.zeros((480, 640, 3), np.uint8)
    for index in range(8):
        image[:, index * 80 : (index + 1) * 80] = ((index * 37) % 256, (index * 91) % 256, (index * 53) % 256)
    x = (second * 40) % 520
    image[180:300, x : x + 120] = 255
    ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    return jpeg.tobytes()


def _read_wav(path: Path) -> bytes:
    with wave.open(str(path), "rb") as wav:
        if (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) != (MIC_RATE, 1, 2):
            raise ValueError(f"{path}: expected 16 kHz mono PCM16")
        return wav.readframes(wav.getnframes())


async def run_floor(
    base_url: str, cert: Path, wav: Path, *, block_seconds: float, camera: bool, stats: FloorStats
) -> None:
    """Hold one session until cancelled, counting into `stats`."""
    context = ssl.create_default_context(cafile=str(cert))
    client = genai.Client(
        api_key="bench", http_options={"base_url": base_url, "async_client_args": {"ssl": context}}
    )
    config = types.LiveConnectConfig(
        response_modalities=[types.Modality.AUDIO],
        input_audio_transcription=types.AudioTranscriptionConfig(),
        output_audio_transcription=types.AudioTranscriptionConfig(),
    )
    pcm = _read_wav(wav)
    block_bytes = round(block_seconds * MIC_RATE) * 2
    async with client.aio.live.connect(model="models/local", config=config) as session:

        async def microphone() -> None:
            start = time.monotonic()
            sent = 0
            while True:
                for offset in range(0, len(pcm), block_bytes):
                    sent += 1
                    await asyncio.sleep(max(0.0, start + sent * block_seconds - time.monotonic()))
                    blob = types.Blob(
                        data=pcm[offset : offset + block_bytes], mime_type="audio/pcm;rate=16000"
                    )
                    await session.send_realtime_input(audio=blob)
                    stats.blocks_sent += 1

        async def camera_frames() -> None:
            start = time.monotonic()
            second = 0
            while True:
                second += 1
                await asyncio.sleep(max(0.0, start + second - time.monotonic()))
                blob = types.Blob(data=_pattern(second), mime_type="image/jpeg")
                await session.send_realtime_input(video=blob)
                stats.frames_sent += 1

        async def replies() -> None:
            with open("/dev/null", "wb") as sink:
                while True:
                    async for message in session.receive():
                        if message.data:
                            sink.write(message.data)
                            stats.audio_bytes += len(message.data)

        async with asyncio.TaskGroup() as tasks:
            tasks.create_task(microphone())
            tasks.create_task(replies())
            if camera:
                tasks.create_task(camera_frames())
