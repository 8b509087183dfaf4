"""How one connection of a session ended: what the engine decides the next step by (reconnect, move,
fall back, give up)."""

from __future__ import annotations

from dataclasses import dataclass

from websockets.asyncio.client import ClientConnection
from websockets.frames import CloseCode


@dataclass(frozen=True)
class Ending:
    """How one connection ended."""

    code: int
    """The close code (1006 when there was no close frame, or no socket at all)."""
    reason: str
    """The server's close reason."""
    live: bool = False
    """The server accepted the session's configuration."""
    healthy: bool = False
    """The connection completed a turn, or lasted `Backoff.healthy_after` seconds."""
    moving: bool = False
    """The engine closed it to follow a `goAway`."""
    error: str | None = None
    """Why the connection could not be opened or set up, when it could not."""
    opened: bool = True
    """A socket was open (so there is a close to report)."""


def close_of(ws: ClientConnection) -> tuple[int, str]:
    """The close code and reason of a closed connection: the server's close frame, else the client's,
    else 1006 (the connection dropped)."""
    received, sent = ws.protocol.close_rcvd, ws.protocol.close_sent
    if received is not None:
        return received.code, received.reason
    if sent is not None:
        return sent.code, sent.reason
    return CloseCode.ABNORMAL_CLOSURE, ""
