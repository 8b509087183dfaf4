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

What the registry keeps is bounded: at most `MAX_SESSIONS` handles, none older than `MAX_AGE` seconds
since it was issued or last used, and only the latest `HANDLES_PER_CONVERSATION` of each conversation;
the least recently used go first.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable

from livetui.protocol.client import SessionResumptionConfig
from livetui.protocol.server import ServerMessage, SessionResumptionUpdate
from livetui.server.core.history import History
from livetui.server.core.reply import Send

NOT_FOUND_REASON = "BidiGenerateContent session not found"
"""The close reason (code 1008) for a handle the server does not know, in Google's words."""

MAX_SESSIONS = 256
"""Handles kept for resumption; the least recently used ones are forgotten first."""
MAX_AGE = 2 * 60 * 60.0
"""Seconds a handle is kept after it was issued or last used (Google keeps them about two hours)."""
HANDLES_PER_CONVERSATION = 2
"""Handles kept per conversation: its latest, and the one before in case the latest never arrived."""


class Handles:
    """The server-wide registry of resumable conversations, by handle (bounded: module docstring)."""

    def __init__(
        self,
        capacity: int = MAX_SESSIONS,
        max_age: float = MAX_AGE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.capacity = capacity
        """How many handles are remembered at most."""
        self.max_age = max_age
        """Seconds a handle is remembered after it was issued or last used."""
        self._clock = clock
        self._histories: OrderedDict[str, tuple[History, float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._histories)

    def issue(self, history: History) -> str:
        """A new handle for the conversation whose (live) history is `history`."""
        handle = secrets.token_urlsafe(18)
        now = self._clock()
        older = [h for h, (kept, _) in self._histories.items() if kept is history]
        for stale in older[: max(0, len(older) - HANDLES_PER_CONVERSATION + 1)]:
            del self._histories[stale]
        self._histories[handle] = (history, now)
        self._forget(now)
        return handle

    def find(self, handle: str) -> History | None:
        """The history of the conversation `handle` names, as it is now; None for an unknown handle."""
        now = self._clock()
        self._forget(now)
        found = self._histories.get(handle)
        if found is None:
            return None
        self._histories[handle] = (found[0], now)
        self._histories.move_to_end(handle)
        return found[0]

    def _forget(self, now: float) -> None:
        """Drop the handles over the capacity and those past their age, least recently used first."""
        histories = self._histories
        while histories and (
            len(histories) > self.capacity or now - next(iter(histories.values()))[1] > self.max_age
        ):
            histories.popitem(last=False)


def resumed_history(handles: Handles | None, config: SessionResumptionConfig | None) -> History | None:
    """The history a new connection starts with: a copy of the conversation its setup's handle names, empty
    when it names none (or resumption is not offered), None when the handle is unknown."""
    if config is None or not config.handle or handles is None:
        return History()
    history = handles.find(config.handle)
    return None if history is None else history.copy()


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
        self._history = History()
        self._replying = False

    def attach(self, history: History) -> None:
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
