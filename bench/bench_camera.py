"""Camera frames at 1 fps: time and CPU per frame, capture → encode → send, from a test pattern and a file.

Each source streams 20 frames through the real `CameraStream` and `LiveSession` to `livetui serve` run as
a child process (so the server's vision work is not counted here). Per frame: the capture (reading the
picture), then shrinking, JPEG encoding and handing the frame to the engine, which queues it for the
socket. CPU is this process's time (all threads) over the run, divided by the frames sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from livetui import events as ev
from livetui.live.config import SessionConfig
from livetui.media.video.capture import CaptureOptions
from livetui.media.video.encode import Image
from livetui.media.video.sources import FileSource, FrameSource, TestPattern
from livetui.providers.registry import local_endpoint, provider
from livetui.session.camera_stream import CameraStream
from livetui.session.engine import LiveSession
from livetui.session.latency import percentile
from livetui.session.local_server import LocalServer

FRAMES = 20
"""Frames sent per source."""
OPTIONS = CaptureOptions(fps=1.0, max_side=768, quality=80)
"""The defaults: 1 fps, longest side 768, quality 80."""


class Timed:
    """A source that records when each retrieve started and ended."""

    def __init__(self, source: FrameSource) -> None:
        self.source = source
        self.name = source.name
        self.paced = source.paced
        self.spans: list[tuple[float, float]] = []

    def open(self) -> None:
        self.source.open()

    def grab(self) -> bool:
        return self.source.grab()

    def retrieve(self) -> Image:
        start = time.perf_counter()
        picture = self.source.retrieve()
        self.spans.append((start, time.perf_counter()))
        return picture

    def close(self) -> None:
        self.source.close()


def photo(folder: Path) -> Path:
    """A 1280 × 720 photo-like picture (smooth gradients, fine noise), shrunk to 768 × 432 when sent."""
    rng = np.random.default_rng(7)
    x, y = np.meshgrid(np.linspace(0, 1, 1280), np.linspace(0, 1, 720))
    picture = np.stack([90 + 120 * x * y, 60 + 150 * y, 200 - 140 * x], axis=-1)
    picture += rng.normal(0, 12, picture.shape)
    path = folder / "photo.png"
    cv2.imwrite(str(path), np.clip(picture, 0, 255).astype(np.uint8))
    return path


async def measure(label: str, source: FrameSource, server: LocalServer) -> None:
    """Stream FRAMES frames from `source` and print the per-frame numbers."""
    timed = Timed(source)
    config = SessionConfig(model="local", modality="text", transcription=False)
    session = LiveSession(local_endpoint(server.url), provider("gemini"), config)
    sent: list[tuple[float, int]] = []
    done = asyncio.Event()
    ready = asyncio.Event()

    def emit(event: ev.AnyEvent) -> None:
        if isinstance(event, ev.SetupComplete):
            ready.set()
        if isinstance(event, ev.CameraFrame):
            sent.append((time.perf_counter(), len(event.jpeg)))
            if len(sent) >= FRAMES:
                done.set()

    running = asyncio.create_task(session.run(emit))
    await ready.wait()
    camera = CameraStream(timed, OPTIONS)
    wall, cpu = time.perf_counter(), time.process_time()
    streaming = asyncio.create_task(camera.run(lambda: session, emit))
    await done.wait()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    for task in (streaming, running):
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    spans = timed.spans[: len(sent)]
    capture = [(end - start) * 1000 for start, end in spans]
    rest = [(at - end) * 1000 for (_, end), (at, _) in zip(spans, sent, strict=True)]
    total = [(at - start) * 1000 for (start, _), (at, _) in zip(spans, sent, strict=True)]
    cpu_ms = cpu / len(sent) * 1000
    sizes = [size for _, size in sent]

    def line(name: str, values: list[float]) -> str:
        return f"{name} median {percentile(values, 50):.2f} ms, p95 {percentile(values, 95):.2f} ms"

    rate, size = (len(sent) - 1) / (sent[-1][0] - sent[0][0]), np.median(sizes) / 1024
    print(f"   {label}: {len(sent)} frames at {rate:.2f} fps, JPEG median {size:.1f} KiB")
    print(f"     {line('capture', capture)}; {line('shrink + encode + send', rest)}")
    print(f"     {line('capture → send', total)}")
    share = 100 * cpu / wall
    print(
        f"     CPU {cpu_ms:.1f} ms a frame, {share:.2f} % of one core (budget: ≤ 5 % with mic and playback)"
    )


async def main() -> None:
    """Measure both sources against one local server."""
    with tempfile.TemporaryDirectory() as folder:
        server = await LocalServer.start(brain="scripted")
        try:
            await measure("test pattern 640×480", TestPattern(), server)
            await measure("file 1280×720 → 768×432", FileSource(photo(Path(folder))), server)
        finally:
            await server.stop()


if __name__ == "__main__":
    asyncio.run(main())
