"""Clients of the OpenAI Realtime dialect for server tests: the official SDK and a raw socket.

Every event either receives is checked strictly against the SDK's own pydantic models (the SDK itself
parses leniently), so a field missing or of the wrong type fails the test.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from openai import AsyncOpenAI
from openai.resources.realtime.realtime import AsyncRealtimeConnection
from openai.types.realtime import RealtimeServerEvent
from pydantic import TypeAdapter
from websockets.asyncio.client import ClientConnection, connect

from livetui.server.app import LiveServer

TIMEOUT = 30.0
"""Longest wait for any one event: only a guard against a hang (speech is paced in real time, and a
loaded machine is slow)."""
PATH = "/v1/realtime?model=gpt-realtime"
"""Where the SDK connects."""

Event = dict[str, Any]

_EVENTS: TypeAdapter[RealtimeServerEvent] = TypeAdapter(RealtimeServerEvent)


def strict(data: Event) -> RealtimeServerEvent:
    """`data` as the SDK's typed event, validated (not merely constructed); raises if it does not conform."""
    return _EVENTS.validate_python(data)


def sdk(server: LiveServer, key: str = "sk-local") -> AsyncOpenAI:
    """The official client, pointed at `server`'s Realtime endpoint."""
    return AsyncOpenAI(api_key=key, websocket_base_url=f"ws://127.0.0.1:{server.port}/v1")


async def next_event(connection: AsyncRealtimeConnection) -> Event:
    """The next event the SDK receives, checked strictly, as JSON data."""
    data: Event = json.loads(await asyncio.wait_for(connection.recv_bytes(), TIMEOUT))
    strict(data)
    return data


async def events_until(connection: AsyncRealtimeConnection, kind: str) -> list[Event]:
    """Every event up to and including the first of type `kind`."""
    events = [await next_event(connection)]
    while events[-1]["type"] != kind:
        events.append(await next_event(connection))
    return events


def of_type(events: list[Event], kind: str) -> list[Event]:
    """The events of type `kind`, in order."""
    return [event for event in events if event["type"] == kind]


def user_text(text: str) -> Any:
    """A user message item holding `text` (typed Any: the SDK's parameter types are unions mypy cannot
    pick from a literal)."""
    return {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}


@asynccontextmanager
async def realtime_socket(
    server: LiveServer, headers: Mapping[str, str] | None = None, path: str = PATH
) -> AsyncIterator[ClientConnection]:
    """A raw WebSocket to the Realtime endpoint, its ``session.created`` already read."""
    async with connect(server.url + path, additional_headers=headers, max_size=None) as ws:
        assert (await recv(ws))["type"] == "session.created"
        yield ws


async def send(ws: ClientConnection, event: Event | str) -> None:
    """Send an event (or a raw text frame)."""
    await ws.send(event if isinstance(event, str) else json.dumps(event))


async def recv(ws: ClientConnection) -> Event:
    """The next event, checked strictly."""
    data: Event = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
    strict(data)
    return data


async def recv_until(ws: ClientConnection, kind: str) -> list[Event]:
    """Every event up to and including the first of type `kind`."""
    events = [await recv(ws)]
    while events[-1]["type"] != kind:
        events.append(await recv(ws))
    return events


async def ask(ws: ClientConnection, text: str) -> str:
    """Add a user message, ask for a response, and return its text (the session must be text-only)."""
    await send(ws, {"type": "conversation.item.create", "item": user_text(text)})
    await send(ws, {"type": "response.create"})
    events = await recv_until(ws, "response.done")
    return "".join(event["delta"] for event in of_type(events, "response.output_text.delta"))


TEXT_ONLY: Event = {"type": "session.update", "session": {"type": "realtime", "output_modalities": ["text"]}}
"""Makes the session answer in text."""


async def start_text_reply(ws: ClientConnection, text: str) -> None:
    """Make the session text-only, add a user message holding `text`, and ask for a response."""
    await send(ws, TEXT_ONLY)
    assert (await recv(ws))["type"] == "session.updated"
    await send(ws, {"type": "conversation.item.create", "item": user_text(text)})
    await send(ws, {"type": "response.create"})
