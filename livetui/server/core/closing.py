"""Closing a connection: the codes every dialect uses, and reasons that fit a close frame."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from livetui.server.errors import BrainError

log = logging.getLogger("livetui.server")

GOING_AWAY = 1001
"""The close code for a session that has ended on the server's side (its time is up)."""
INTERNAL = 1011
"""The close code for a failure on the server's side."""
INTERNAL_REASON = "Internal error encountered."
"""The close reason for a failure on the server's side (code 1011), in Google's words."""
MAX_REASON_BYTES = 123
"""The longest close reason a WebSocket close frame can carry."""


def one_line(text: object) -> str:
    """`text` with its whitespace runs (newlines included) collapsed to single spaces."""
    return " ".join(str(text).split())


def fit_reason(reason: str) -> str:
    """`reason` on one line, cut to fit a close frame."""
    reason = one_line(reason)
    data = reason.encode("utf-8")
    if len(data) <= MAX_REASON_BYTES:
        return reason
    return data[: MAX_REASON_BYTES - 3].decode("utf-8", "ignore") + "..."


def log_session_end(websocket: ServerConnection, replies: int) -> None:
    """Log the one line that ends a connection: the peer, the close code and reason, the replies given."""
    peer = websocket.remote_address
    where = f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) and len(peer) >= 2 else "client"
    code = websocket.close_code
    reason = websocket.close_reason
    counted = f"{replies} {'reply' if replies == 1 else 'replies'}"
    log.info("%s: session ended (%s%s, %s)", where, code, f" {reason}" if reason else "", counted)


async def close_for_brain(websocket: ServerConnection, brain: str, error: BaseException) -> None:
    """Log the brain's failure on one line and close the connection with 1011: with the brain's own words
    when it says why it cannot answer (a `BrainError`), else with Google's generic reason."""
    log.error("brain %s failed: %s: %s", brain, type(error).__name__, one_line(error))
    reason = fit_reason(str(error)) if isinstance(error, BrainError) else INTERNAL_REASON
    await websocket.close(INTERNAL, reason)


async def guarded(websocket: ServerConnection, serve: Callable[[], Awaitable[None]]) -> None:
    """Run `serve`: a connection closed under it ends it quietly; any other failure (a bug) is logged on
    one line and closes the connection with 1011, so it never takes the server down unseen."""
    try:
        await serve()
    except ConnectionClosed:
        pass
    except Exception as error:
        log.error("internal error: %s: %s", type(error).__name__, one_line(error))
        await websocket.close(INTERNAL, INTERNAL_REASON)
