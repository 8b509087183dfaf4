"""Session resumption in the Gemini dialect: handles that let a client continue a conversation on a new
connection (reference §6, "goAway").

When ``setup`` carries ``sessionResumption`` (``{}``), the connection's frames go out through
`ResumableSend`: after ``setupComplete`` (the connection calls `ResumableSend.offer`) and after every
``turnComplete`` it sends a ``sessionResumptionUpdate`` with a fresh ``newHandle`` and ``resumable:
true``; when a reply starts it sends ``resumable: false`` (a reply in progress cannot be resumed). Every
handle names the conversation in the server-wide registry (`livetui.server.core.handles`), so a later
``setup`` with ``sessionResumption.handle`` continues it, its history (and so the ``{turn}`` count)
intact. A ``transparent`` setup (Vertex's) also gets ``lastConsumedClientMessageIndex``, the index of
the last client message the server has acted on (``setup`` is 0). An unknown handle (never issued, or
forgotten) is refused with 1008 ``BidiGenerateContent session not found``, as Google does.
"""

from __future__ import annotations

from collections.abc import Callable

from livetui.providers.gemini.client import SessionResumptionConfig
from livetui.providers.gemini.server import ServerMessage, SessionResumptionUpdate
from livetui.server.core.handles import Handles
from livetui.server.core.history import History
from livetui.server.dialects.gemini.sink import Send

NOT_FOUND_REASON = "BidiGenerateContent session not found"
"""The close reason (code 1008) for a handle the server does not know, in Google's words."""


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

    def __init__(self, send: Send, handles: Handles, consumed: Callable[[], int] | None = None) -> None:
        self._send = send
        self._handles = handles
        self._consumed = consumed
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
        index = self._consumed() if self._consumed is not None else None
        update = SessionResumptionUpdate(
            new_handle=handle, resumable=True, last_consumed_client_message_index=index
        )
        await self._send(ServerMessage(session_resumption_update=update))
