"""How the engine writes: a frame goes to the socket at once when nothing waits before it, and is queued
for the writer otherwise; either way the server gets every frame once, in the order it was sent."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import socket
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
        self.setup_read = asyncio.Event()
        """Set when the setup frame was read."""
        self.accept = asyncio.Event()
        """The server answers setup once this is set."""
        self.accept.set()
        self.before_accepting: list[tuple[str, str | int]] = []
        """What was read after setup and before the server answered it (it reads on meanwhile)."""
        self._answered = False
        self._answer: asyncio.Task[None] | None = None

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
                self.setup_read.set()
                self._answer = asyncio.create_task(self._answer_setup(ws))
                continue
            if "realtimeInput" in message:
                data = message["realtimeInput"]["audio"]["data"]
                frame: tuple[str, str | int] = ("audio", len(base64.b64decode(data)))
            else:
                frame = ("text", message["clientContent"]["turns"][0]["parts"][0]["text"])
            self.frames.append(frame)
            if not self._answered:
                self.before_accepting.append(frame)
            self.changed.set()

    async def _answer_setup(self, ws: ServerConnection) -> None:
        await self.accept.wait()
        self._answered = True
        await ws.send(json.dumps({"setupComplete": {}}))


@contextlib.asynccontextmanager
async def serving(heard: Heard) -> AsyncIterator[LiveSession]:
    """A session (not yet running) for a plain loopback server that records what it reads in `heard`."""
    listening = socket.create_server(("127.0.0.1", 0))
    # A small receive buffer (fixed: no autotuning) keeps the window small, whatever the system allows.
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
    async with serve(heard.handler, sock=listening, max_size=None) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        try:
            yield LiveSession(local_endpoint(f"ws://127.0.0.1:{port}"), provider("gemini"), TEXT_CONFIG)
        finally:
            heard.accept.set()  # a handler still holding setup back lets go, so the server can close


@contextlib.asynccontextmanager
async def live() -> AsyncIterator[tuple[LiveSession, Heard]]:
    """A session live on a plain loopback server that records what it reads."""
    heard = Heard()
    async with serving(heard) as session, running(session) as recorder:
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
    big = 12 * 1024 * 1024  # 16 MB of base64: more than the socket buffers between the two take at once
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


async def test_a_frame_sent_while_the_server_reads_setup_waits_until_it_is_accepted() -> None:
    heard = Heard()
    heard.accept.clear()
    async with serving(heard) as session, running(session) as recorder:
        await recorder.first(ev.Connected)
        await heard.setup_read.wait()
        session.send_text("while setting up")
        assert session.send_queue_depth == 1, "the connection is open, but not live: it waits"
        heard.accept.set()
        await heard.count(1)
    assert heard.before_accepting == []
    assert heard.frames == [("text", "while setting up")]


async def test_going_live_a_block_does_not_overtake_what_was_queued_before() -> None:
    """The first to wait for the session to go live, the test runs before the writer: a block sent then
    finds the text typed before connecting still queued, and goes behind it."""
    heard = Heard()
    async with serving(heard) as session, running(session):
        session.send_text("typed before connecting")
        await session.wait_ready()
        assert session.send_queue_depth == 1, "the writer has not run yet"
        session.send_audio(bytes(1280))
        assert session.send_queue_depth == 2
        await heard.count(2)
    assert heard.frames == [("text", "typed before connecting"), ("audio", 1280)]
