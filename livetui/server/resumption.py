"""Session resumption on the local server: handles that let a client continue a conversation on a new
connection (reference §6, "goAway").

When ``setup`` carries ``sessionResumption`` (``{}``), the connection's frames go out through
`ResumableSend`: after ``setupComplete`` (the connection calls `ResumableSend.offer`) and after every
``turnComplete`` it sends a
``sessionResumptionUpdate`` with a fresh ``newHandle`` and ``resumable: true``; when a reply starts it sends
``resumable: false`` (a reply in progress cannot be resumed). Every handle names the conversation in the
server-wide `Handles` registry, so a later ``setup`` with ``sessionResumption.handle`` continues it, its
history (and so the ``{turn}`` count) intact. An unknown handle (never issued, or forgotten) is refused
with 1008 ``BidiGenerateContent session not found``, as Google does.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import Sequence

from livetui.protocol.client import SessionResumptionConfig
from livetui.protocol.content import Content
from livetui.protocol.server import ServerMessage, SessionResumptionUpdate
from livetui.server.reply import Send

NOT_FOUND_REASON = "BidiGenerateContent session not found"
"""The close reason (code 1008) for a handle the server does not know, in Google's words."""

MAX_SESSIONS = 1024
"""Conversations kept for resumption; the least recently used ones are forgotten first."""


class Handles:
    """The server-wide registry of resumable conversations, by handle."""

    def __init__(self, capacity: int = MAX_SESSIONS) -> None:
        self.capacity = capacity
        """How many handles are remembered at most."""
        self._histories: OrderedDict[str, Sequence[Content]] = OrderedDict()

    def issue(self, history: Sequence[Content]) -> str:
        """A new handle for the conversation whose (live) history is `history`."""
        handle = secrets.token_urlsafe(18)
        self._histories[handle] = history
        while len(self._histories) > self.capacity:
            self._histories.popitem(last=False)
        return handle

    def find(self, handle: str) -> Sequence[Content] | None:
        """The history of the conversation `handle` names, as it is now; None for an unknown handle."""
        history = self._histories.get(handle)
        if history is not None:
            self._histories.move_to_end(handle)
        return history


def resumed_history(handles: Handles | None, config: SessionResumptionConfig | None) -> list[Content] | None:
    """The history a new connection starts with: a copy of the conversation its setup's handle names, empty
    when it names none (or resumption is not offered), None when the handle is unknown."""
    if config is None or not config.handle or handles is None:
        return []
    history = handles.find(config.handle)
    return None if history is None else list(history)


def _starts_reply(message: ServerMessage) -> bool:
    content = message.server_content
    if message.tool_call is not None:
        return True
    return content is not None and (
        content.model_turn is not None or content.output_transcription is not None
    )


def _ends_turn(message: ServerMessage) -> bool:
    content = message.server_content
    return content is not None and bool(content.turn_complete)


class ResumableSend:
    """A connection's `Send` that also keeps the client supplied with resumption handles."""

    def __init__(self, send: Send, handles: Handles) -> None:
        self._send = send
        self._handles = handles
        self._history: Sequence[Content] = ()
        self._replying = False

    def attach(self, history: Sequence[Content]) -> None:
        """Name the conversation (its live history) the handles resume."""
        self._history = history

    async def __call__(self, message: ServerMessage) -> None:
        """Send `message`, with the resumption updates it calls for around it."""
        if not self._replying and _starts_reply(message):
            self._replying = True
            await self._send(
                ServerMessage(session_resumption_update=SessionResumptionUpdate(resumable=False))
            )
        await self._send(message)
        if _ends_turn(message):
            self._replying = False
            await self.offer()

    async def offer(self) -> None:
        """Send a fresh handle (resumable)."""
        handle = self._handles.issue(self._history)
        update = SessionResumptionUpdate(new_handle=handle, resumable=True)
        await self._send(ServerMessage(session_resumption_update=update))
