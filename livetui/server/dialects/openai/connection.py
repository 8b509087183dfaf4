"""One connection of the OpenAI Realtime dialect: ``session.created``, then every client event in turn.

Client events are bounded as Gemini frames are (`livetui.live.limits`: size, nesting, numbers; strict
base64; 24 kHz PCM only). A bad or unknown event is answered with an ``error`` event naming its
``event_id``, and the session goes on. A session lasts at most `ServerContext.max_session` seconds, then
is closed with 1001 "Your session hit the maximum duration of …", as OpenAI's are. A brain failure closes
with 1011.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace
from urllib.parse import parse_qs

from websockets.asyncio.server import ServerConnection

from livetui.live.limits import LimitError, bounded_json
from livetui.live.tools import ToolAnswer
from livetui.server.core.closing import (
    GOING_AWAY,
    close_for_brain,
    fit_reason,
    guarded,
    log_session_end,
)
from livetui.server.core.conversation import Conversation
from livetui.server.core.dialect import ServerContext
from livetui.server.core.faults import FaultInjector
from livetui.server.core.listening import Listener
from livetui.server.core.turns import Role, Turn
from livetui.server.dialects.openai.items import NewItem, decode_base64, read_item
from livetui.server.dialects.openai.session import RATE, RealtimeSession
from livetui.server.dialects.openai.sink import RealtimeSink
from livetui.server.dialects.openai.wire import ClientError, Event, Wire

DEFAULT_MODEL = "gpt-realtime"
"""The model a session reports when the client names none."""
MALFORMED_FRAME = b'{"type":"response.output_text.delta","delta":"cut off'
"""The frame the ``malformed`` fault sends: JSON cut off in the middle."""

Handler = Callable[[Event], Awaitable[None]]


def duration_reason(seconds: float) -> str:
    """The close reason of a session that lasted `seconds`, in OpenAI's words."""
    minutes = seconds / 60
    length = f"{minutes:g} minutes" if minutes >= 1 and minutes == int(minutes) else f"{seconds:g} seconds"
    return f"Your session hit the maximum duration of {length}."


def requested_model(target: str) -> str:
    """The ``model`` the request target's query names (`DEFAULT_MODEL` when none)."""
    values = parse_qs(target.partition("?")[2]).get("model")
    return values[0] if values else DEFAULT_MODEL


MAX_PENDING_OUTPUTS = 128
"""Function outputs a client may add before it asks for the response that reads them."""
MAX_SYSTEM_CHARS = 200_000
"""The longest the instructions may grow through system message items."""


class RealtimeConnection:
    """Serves one WebSocket connection of the OpenAI Realtime dialect."""

    def __init__(self, websocket: ServerConnection, context: ServerContext) -> None:
        self.websocket = websocket
        """The connection being served."""
        self.context = context
        """What the server's connections share."""
        target = websocket.request.path if websocket.request is not None else ""
        self.wire = Wire(websocket)
        """Sends the events."""
        self.session = RealtimeSession(requested_model(target), context.max_session)
        """The session's configuration."""
        self.sink = RealtimeSink(self.wire, self.session)
        """The conversation's output, as Realtime events."""
        self.time_up = (GOING_AWAY, fit_reason(duration_reason(context.max_session)))
        """How a session whose time is up is closed: at `ServerContext.max_session`, or when a scripted
        ``go_away`` fault's deadline passes (OpenAI announces nothing before)."""
        self.faults = FaultInjector(websocket, self.sink, MALFORMED_FRAME, self.time_up)
        """Carries out the faults scripted replies ask for."""
        self.conversation = Conversation(
            self.session.settings(), context.brain, self.sink, self._brain_failed, self.faults
        )
        """The conversation."""
        self.listener = Listener(context.hearing, self.conversation) if context.hearing is not None else None
        """Recognises the appended audio (None: audio is ignored)."""
        self._outputs: list[ToolAnswer] = []  # function outputs waiting for response.create
        self._buffered = 0  # bytes appended since the last commit or clear
        self._utterance_open = False  # without turn detection: audio appended since the last commit
        self._handlers: dict[str, Handler] = {
            "session.update": self._session_update,
            "input_audio_buffer.append": self._append,
            "input_audio_buffer.commit": self._commit,
            "input_audio_buffer.clear": self._clear,
            "conversation.item.create": self._item_create,
            "conversation.item.truncate": self._truncate,
            "response.create": self._response_create,
            "response.cancel": self._response_cancel,
        }

    async def run(self) -> None:
        """Serve the connection until either side closes it, or its time is up."""
        try:
            await guarded(self.websocket, self._serve_in_time)
        finally:
            if self.listener is not None:
                await self.listener.aclose()
            await self.conversation.aclose()
            await self.faults.aclose()
            log_session_end(self.websocket, self.conversation.replies)

    async def _serve_in_time(self) -> None:
        try:
            async with asyncio.timeout(self.context.max_session):
                await self._serve()
        except TimeoutError:
            await self.websocket.close(*self.time_up)

    async def _serve(self) -> None:
        await self.wire.send({"type": "session.created", "session": self.session.data})
        async for frame in self.websocket:
            await self._take(frame)

    async def _take(self, frame: str | bytes) -> None:
        try:
            event = bounded_json(frame)
        except LimitError as error:
            await self.wire.error(ClientError(str(error), code="invalid_json"), None)
            return
        if not isinstance(event, dict):
            await self.wire.error(ClientError("An event must be a JSON object.", code="invalid_json"), None)
            return
        event_id = event.get("event_id") if isinstance(event.get("event_id"), str) else None
        kind = event.get("type")
        handler = self._handlers.get(kind) if isinstance(kind, str) else None
        try:
            if handler is None:
                supported = ", ".join(f"'{name}'" for name in self._handlers)
                raise ClientError(
                    f"Invalid value: {str(kind)[:100]!r}. Supported values are: {supported}.", param="type"
                )
            await handler(event)
        except ClientError as error:
            await self.wire.error(error, event_id)

    async def _session_update(self, event: Event) -> None:
        self.session.update(event.get("session"))
        self.conversation.settings = self.session.settings()
        await self.wire.send({"type": "session.updated", "session": self.session.data})

    async def _append(self, event: Event) -> None:
        pcm = decode_base64(event.get("audio"), "audio")
        if len(pcm) % 2:
            raise ClientError("Audio must be whole 16-bit samples (an even number of bytes).", param="audio")
        self._buffered += len(pcm)
        if self.listener is None or not pcm:
            return
        if self.session.turn_detection is None and not self._utterance_open:
            self._utterance_open = True
            self.listener.signal("start")
        self.listener.audio(pcm, RATE)

    async def _commit(self, event: Event) -> None:
        if not self._buffered:
            raise ClientError(
                "Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, "
                "but buffer only has 0.00ms of audio.",
                code="input_audio_buffer_commit_empty",
            )
        self._buffered = 0
        if self.listener is None:
            return
        self._utterance_open = False
        self.listener.signal("end" if self.session.turn_detection is None else "stream_end")

    async def _clear(self, event: Event) -> None:
        self._buffered = 0
        await self.wire.send({"type": "input_audio_buffer.cleared"})

    async def _item_create(self, event: Event) -> None:
        new = read_item(event.get("item"))
        self._take_item(new)
        await self.sink.item_added(new.item)

    def _take_item(self, new: NewItem) -> None:
        conversation = self.conversation
        for image in new.images:
            conversation.look(image)  # analysed off the loop, latest wins
        if new.answer is not None:
            if len(self._outputs) >= MAX_PENDING_OUTPUTS:
                raise ClientError(
                    f"Too many function_call_output items before a response.create (at most "
                    f"{MAX_PENDING_OUTPUTS}).",
                    param="item",
                )
            self._outputs.append(new.answer)
        elif new.role == "system" and new.text:
            settings = conversation.settings
            system_text = "\n".join(filter(None, (settings.system_text, new.text)))
            if len(system_text) > MAX_SYSTEM_CHARS:
                raise ClientError(
                    f"The system messages are too long (at most {MAX_SYSTEM_CHARS:,} characters).",
                    param="item.content",
                )
            conversation.settings = replace(settings, system_text=system_text)
        elif new.text:
            role: Role = "model" if new.role == "assistant" else "user"
            conversation.add((Turn(role, new.text, item_id=new.item["id"]),))

    async def _truncate(self, event: Event) -> None:
        item_id, end_ms = event.get("item_id"), event.get("audio_end_ms")
        if not isinstance(item_id, str):
            raise ClientError(
                "Missing required parameter: 'item_id'.", code="missing_required_parameter", param="item_id"
            )
        if not isinstance(end_ms, int) or isinstance(end_ms, bool) or end_ms < 0:
            raise ClientError(
                "'audio_end_ms' must be a whole number of milliseconds, 0 or more.", param="audio_end_ms"
            )
        if self.sink.responding and self.conversation.generating:
            self.sink.cancel_reason = "client_cancelled"
            await self.conversation.interrupt()  # the item may be the one still being spoken
        sent = self.sink.items.milliseconds(item_id)
        if sent is None:
            raise ClientError(
                f"No spoken assistant item with id '{item_id}'.", code="item_not_found", param="item_id"
            )
        if end_ms > sent:
            raise ClientError(
                f"Audio content of {sent:.0f}ms is already shorter than {end_ms}ms", param="audio_end_ms"
            )
        self.conversation.revise(item_id, self.sink.items.heard(item_id, end_ms))
        truncated = {
            "item_id": item_id,
            "content_index": event.get("content_index", 0),
            "audio_end_ms": end_ms,
        }
        await self.wire.send({"type": "conversation.item.truncated", **truncated})

    async def _response_create(self, event: Event) -> None:
        conversation = self.conversation
        outputs, self._outputs = self._outputs, []
        if conversation.pending_calls and outputs:
            await self.sink.open()  # the reply goes on, in a new response
            conversation.answer_calls(outputs)
            return
        if conversation.pending_calls:
            await conversation.interrupt()  # calls never answered: that reply is abandoned
        if self.sink.responding:
            raise ClientError(
                "Conversation already has an active response in progress.",
                code="conversation_already_has_active_response",
            )
        await conversation.interrupt()  # a reply still sending its last words finishes first
        conversation.respond()

    async def _response_cancel(self, event: Event) -> None:
        if not (self.sink.responding and self.conversation.generating):
            raise ClientError(
                "Cancellation failed: no active response found", code="response_cancel_not_active"
            )
        self.sink.cancel_reason = "client_cancelled"
        await self.conversation.interrupt()

    async def _brain_failed(self, error: BaseException) -> None:
        await close_for_brain(self.websocket, self.context.brain.name, error)
