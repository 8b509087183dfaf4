"""How the engine writes: a frame goes to the socket at once when nothing waits before it, and is queued
for the writer otherwise; either way the server gets every frame once, in the order it was sent."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
from collections.abc import AsyncIterator

from websockets.asyncio.server import ServerConnection, serve

from livetui import events as ev
from livetui.providers.registry import local_endpoint, provider
from livetui.session.engine import LiveSession
from tests.session.conftest import TEXT_CONFIG, running


class Heard:
    """What a plain server read after setup: each frame's kind and what identifies it."""

    def __init__(self) -> None:
        self.frames: list[tuple[str, str | int]] = []
        """("text", the text) or ("audio", bytes of PCM), in the order read."""
        self.changed = asyncio.Event()

    async def count(self, n: int) -> None:
        """Wait until `n` frames were read."""
        async with asyncio.timeout(30):
            while len(self.frames) < n:
                self.changed.clear()
                await self.changed.wait()

    async def handler(self, ws: ServerConnection) -> None:
        async for raw in ws:
            message = json.loads(raw)
            if "setup" in message:
                await ws.send(json.dumps({"setupComplete": {}}))
            elif "realtimeInput" in message:
                data = message["realtimeInput"]["audio"]["data"]
                self.frames.append(("audio", len(base64.b64decode(data))))
            else:
                self.frames.append(("text", message["clientContent"]["turns"][0]["parts"][0]["text"]))
            self.changed.set()


@contextlib.asynccontextmanager
async def live() -> AsyncIterator[tuple[LiveSession, Heard]]:
    """A session live on a plain loopback server that records what it reads."""
    heard = Heard()
    async with serve(heard.handler, "127.0.0.1", 0, max_size=None) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        session = LiveSession(local_endpoint(f"ws://127.0.0.1:{port}"), provider("gemini"), TEXT_CONFIG)
        async with running(session) as recorder:
            await recorder.first(ev.SetupComplete)
            await session.wait_ready()
            yield session, heard


async def test_a_block_on_an_idle_connection_is_on_the_socket_when_send_audio_returns() -> None:
    async with live() as (session, heard):
        session.send_audio(bytes(1280))
        assert session.send_queue_depth == 0, "written at once, not queued for the writer"
        session.send_text("then a word")
        assert session.send_queue_depth == 0
        await heard.count(2)
    assert heard.frames == [("audio", 1280), ("text", "then a word")]


async def test_behind_a_socket_that_is_backed_up_frames_queue_and_arrive_in_order() -> None:
    """A frame larger than the system's socket buffers leaves the rest of itself in the connection's
    buffer: what follows waits in the queue, nothing overtakes it, and a block sent once it has drained
    goes straight out again."""
    big = 24 * 1024 * 1024  # 32 MB of base64: more than loopback's socket buffers take at once
    async with live() as (session, heard):
        session.send_audio(bytes(big))
        assert session.send_queue_depth == 0, "the first frame went to the socket"
        session.send_text("queued behind it")
        session.send_audio(bytes(640))
        assert session.send_queue_depth == 2, "both wait for the writer, in order"
        await heard.count(3)
        assert session.send_queue_depth == 0
        session.send_audio(bytes(1280))
        assert session.send_queue_depth == 0, "drained: written at once again"
        await heard.count(4)
    assert heard.frames == [("audio", big), ("text", "queued behind it"), ("audio", 640), ("audio", 1280)]
