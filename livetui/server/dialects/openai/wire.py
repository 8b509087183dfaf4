"""The OpenAI Realtime dialect's frames: ids, compact JSON text events, and ``error`` events.

Every server event carries a fresh ``event_id``; items, responses, calls and sessions get ids shaped like
OpenAI's (``item_…``, ``resp_…``, ``call_…``, ``sess_…``). A client's mistake is answered with an
``error`` event of type ``invalid_request_error`` naming the offending client event's ``event_id``, and
the session goes on (reference §7).
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

Event = dict[str, Any]
"""One event as JSON data."""


def new_id(prefix: str) -> str:
    """A fresh id such as ``item_Cq3…`` (`prefix`, an underscore, 20 URL-safe characters)."""
    return f"{prefix}_{secrets.token_urlsafe(15)}"


class ClientError(Exception):
    """A client event the server cannot take; answered with an ``error`` event, the session goes on."""

    def __init__(self, message: str, *, code: str = "invalid_value", param: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        """What is wrong, in one line."""
        self.code = code
        """A machine-readable code (``invalid_value``, ``response_cancel_not_active``, …)."""
        self.param = param
        """The offending field's path (``session.audio.input.format.rate``), if one is to blame."""


class Wire:
    """Sends one connection's events."""

    def __init__(self, websocket: ServerConnection) -> None:
        self.websocket = websocket
        """The connection written to."""
        self.sent = 0
        """Events sent so far."""

    async def send(self, event: Event) -> None:
        """Send `event` (its ``event_id`` added first) as compact JSON text; nothing once closed."""
        self.sent += 1
        frame = json.dumps({"event_id": new_id("event"), **event}, separators=(",", ":"), ensure_ascii=False)
        try:
            await self.websocket.send(frame)
        except ConnectionClosed:
            pass

    async def error(self, error: ClientError, event_id: str | None) -> None:
        """Tell the client its event `event_id` was refused, and why."""
        detail = {
            "type": "invalid_request_error",
            "code": error.code,
            "message": error.message,
            "param": error.param,
            "event_id": event_id,
        }
        await self.send({"type": "error", "error": detail})
