"""A raw WebSocket client for server tests: frames in, decoded JSON out, with timeouts (never sleeps)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from livetui.providers.gemini.paths import LIVE_PATH
from livetui.server.app import LiveServer

TIMEOUT = 30.0
"""Longest wait for any one frame: only a guard against a hang. A healthy local server answers in
milliseconds, but a real model (Whisper, smollm2) loading on a loaded machine can take seconds."""

Frame = dict[str, Any]


def setup(modality: str | None = "TEXT", **fields: Any) -> Frame:
    """A setup message; `modality` None leaves responseModalities out (the server then uses AUDIO)."""
    body: dict[str, Any] = {"model": "models/local-test", **fields}
    if modality is not None:
        body["generationConfig"] = {**body.get("generationConfig", {}), "responseModalities": [modality]}
    return {"setup": body}


def user_turn(text: str, turn_complete: bool = True) -> Frame:
    """A clientContent message with one user turn."""
    turns = [{"role": "user", "parts": [{"text": text}]}]
    return {"clientContent": {"turns": turns, "turnComplete": turn_complete}}


def realtime_text(text: str) -> Frame:
    """A realtimeInput text message."""
    return {"realtimeInput": {"text": text}}


INTERRUPT: Frame = {"clientContent": {"turns": [], "turnComplete": False}}
"""The empty clientContent that interrupts generation."""
ACTIVITY_START: Frame = {"realtimeInput": {"activityStart": {}}}
"""The manual-activity start of speech, which also interrupts."""


@asynccontextmanager
async def raw_socket(
    server: LiveServer, path: str = LIVE_PATH, headers: Mapping[str, str] | None = None
) -> AsyncIterator[ClientConnection]:
    """A WebSocket to `server` at `path`, nothing sent yet."""
    async with connect(server.url + path, additional_headers=headers, max_size=None) as ws:
        yield ws


@asynccontextmanager
async def session(
    server: LiveServer, modality: str | None = "TEXT", path: str = LIVE_PATH, **setup_fields: Any
) -> AsyncIterator[ClientConnection]:
    """A WebSocket to `server` that has sent setup and received setupComplete."""
    async with raw_socket(server, path) as ws:
        await send(ws, setup(modality, **setup_fields))
        assert await recv(ws) == {"setupComplete": {}}
        yield ws


async def send(ws: ClientConnection, message: Frame) -> None:
    """Send `message` as a JSON text frame, as SDKs do."""
    await ws.send(json.dumps(message))


async def recv(ws: ClientConnection) -> Frame:
    """The next frame, decoded; server frames must be binary (as Google's are)."""
    async with asyncio.timeout(TIMEOUT):
        frame = await ws.recv()
    assert isinstance(frame, bytes), "server frames are binary"
    data = json.loads(frame)
    assert isinstance(data, dict)
    return data


async def read_turn(ws: ClientConnection) -> list[Frame]:
    """Frames up to and including the next one with ``serverContent.turnComplete``."""
    frames: list[Frame] = []
    while True:
        frame = await recv(ws)
        frames.append(frame)
        if frame.get("serverContent", {}).get("turnComplete"):
            return frames


def model_text(frames: list[Frame]) -> str:
    """The modelTurn text the frames carry, joined."""
    return "".join(
        part.get("text", "")
        for frame in frames
        for part in frame.get("serverContent", {}).get("modelTurn", {}).get("parts", [])
    )


async def ask(ws: ClientConnection, text: str) -> str:
    """Send one clientContent turn and return the whole reply text."""
    await send(ws, user_turn(text))
    return model_text(await read_turn(ws))


async def closed_with(ws: ClientConnection, timeout: float = TIMEOUT) -> tuple[int | None, str | None]:
    """Read until the server closes the connection (within `timeout` seconds); its close code and reason."""
    async with asyncio.timeout(timeout):
        try:
            while True:
                await ws.recv()
        except ConnectionClosed:
            pass
    return ws.close_code, ws.close_reason
