"""One client connection: ``setup`` first (within `ServerConfig.setup_timeout`), then the reader loop.

The key was checked at the upgrade (`livetui.server.core.admission`). Every failure a client can cause
ends in a close frame with Google's code and a one-line reason: 1007 for a bad or out-of-order message
(invalid JSON, nesting, numbers or audio rates included: `livetui.live.limits`), 1008 for a setup
that never came, 1011 when the brain fails (1009 for an oversized frame comes from websockets itself).

A ``setup`` that asks for session resumption gets handles (`livetui.server.dialects.gemini.resumption`);
one that carries a handle continues that conversation, or is refused with 1008 when the handle is
unknown. Faults a scripted reply asks for are carried out by a `FaultInjector`
(`livetui.server.core.faults`).
"""

from __future__ import annotations

import asyncio
import logging

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from livetui.providers.gemini import close_codes
from livetui.providers.gemini.client import (
    ClientContentMessage,
    ClientMessage,
    ContextUpdateMessage,
    RealtimeInputMessage,
    SetupMessage,
    ToolResponseMessage,
)
from livetui.providers.gemini.codec import ProtocolError, decode_client, encode
from livetui.providers.gemini.server import ServerMessage, SetupComplete
from livetui.server.core.brains.base import Brain
from livetui.server.core.closing import (
    close_for_brain,
    fit_reason,
    guarded,
    log_session_end,
)
from livetui.server.core.conversation import Conversation
from livetui.server.core.faults import FaultInjector
from livetui.server.core.handles import Handles
from livetui.server.core.listening import Listener
from livetui.server.core.senses.asr import SpeechModel
from livetui.server.dialects.gemini.hearing import bad_audio, take
from livetui.server.dialects.gemini.paths import is_vertex_path
from livetui.server.dialects.gemini.resumption import NOT_FOUND_REASON, ResumableSend, resumed_history
from livetui.server.dialects.gemini.sink import MALFORMED_FRAME, GeminiSink, new_session_id
from livetui.server.dialects.gemini.strict import unknown_name_reason, unknown_setup_fields
from livetui.server.dialects.gemini.turns import answer_of, settings_of, traits_of, turn_of, updated_settings

log = logging.getLogger("livetui.server")

SETUP_TIMEOUT = 10.0
"""Seconds a new connection has to send ``setup`` before it is closed (1008), as Google's server does."""


def _kind(message: ClientMessage) -> str:
    """The wire name of a message's kind (``clientContent``)."""
    name = next(iter(type(message).model_fields))
    field = type(message).model_fields[name]
    return field.alias or name


class Connection:
    """Serves one WebSocket connection of the Live dialect."""

    def __init__(
        self,
        websocket: ServerConnection,
        brain: Brain,
        hearing: SpeechModel | None = None,
        handles: Handles | None = None,
        setup_timeout: float = SETUP_TIMEOUT,
        *,
        lenient: bool = False,
    ) -> None:
        self.websocket = websocket
        """The connection being served."""
        self.lenient = lenient
        """Accept setup fields Google does not know (Google closes with 1007)."""
        self.consumed = 0
        """The index of the last client message acted on (``setup`` is 0)."""
        self.vertex = is_vertex_path(websocket.request.path if websocket.request is not None else "")
        """The client came by Vertex AI's path: its session is served as Vertex serves it."""
        self.brain = brain
        """The server's brain, shared by every connection."""
        self.setup_timeout = setup_timeout
        """Seconds the client has to send ``setup`` after the upgrade."""
        self.conversation: Conversation | None = None
        """The conversation, once ``setup`` is accepted."""
        self.hearing = hearing
        """The speech recogniser's model (None: streamed audio is ignored)."""
        self.listener: Listener | None = None
        """Recognises the streamed audio, once ``setup`` is accepted."""
        self.handles = handles
        """The server-wide registry of resumable conversations (None: resumption is not offered)."""
        self.sink = GeminiSink(self.send)
        """The connection's output, as Live frames (resumption handles aside)."""
        self.faults = FaultInjector(websocket, self.sink, MALFORMED_FRAME)
        """Carries out the faults scripted replies ask for."""

    async def run(self) -> None:
        """Serve the connection until either side closes it."""
        try:
            await guarded(self.websocket, self._serve)
        finally:
            if self.listener is not None:
                await self.listener.aclose()
            if self.conversation is not None:
                await self.conversation.aclose()
            await self.faults.aclose()
            self._log_end()

    async def _serve(self) -> None:
        try:
            async with asyncio.timeout(self.setup_timeout):
                first = await self.websocket.recv()
        except TimeoutError:
            reason = f"no setup message within {self.setup_timeout:g} s of connecting"
            await self.websocket.close(close_codes.POLICY, reason)
            return
        message = await self._decode(first)
        if message is None:
            return
        if not isinstance(message, SetupMessage):
            reason = f"the first message must be setup, got {_kind(message)}"
            await self.websocket.close(close_codes.INVALID, reason)
            return
        if not self.lenient and (unknown := unknown_setup_fields(first)):
            await self.websocket.close(close_codes.INVALID, fit_reason(unknown_name_reason(unknown[0])))
            return
        resumption = message.setup.session_resumption
        history = resumed_history(self.handles, resumption)
        if history is None:
            await self.websocket.close(close_codes.POLICY, NOT_FOUND_REASON)
            return
        resumable = None
        if resumption is not None and self.handles is not None:
            consumed = (lambda: self.consumed) if resumption.transparent else None
            resumable = ResumableSend(self.send, self.handles, consumed)
        traits = traits_of(message.setup, vertex=self.vertex)
        self.sink = GeminiSink(resumable if resumable is not None else self.send, traits)
        settings = settings_of(message.setup)
        self.conversation = Conversation(settings, self.brain, self.sink, self._brain_failed, self.faults)
        self.conversation.resume(history)
        if self.hearing is not None:
            self.listener = Listener(self.hearing, self.conversation)
        session_id = new_session_id() if self.vertex else None
        await self.send(ServerMessage(setup_complete=SetupComplete(session_id=session_id)))
        if resumable is not None:
            resumable.attach(self.conversation.history)
            await resumable.offer()
        async for frame in self.websocket:
            message = await self._decode(frame)
            if message is None or not await self._handle(message):
                return
            self.consumed += 1

    async def _decode(self, frame: str | bytes) -> ClientMessage | None:
        """The message in `frame`, or None after closing the connection with 1007."""
        try:
            return decode_client(frame)  # within the bounds of protocol.limits, or a ProtocolError
        except ProtocolError as error:
            await self.websocket.close(close_codes.INVALID, fit_reason(str(error)))
            return None

    async def _handle(self, message: ClientMessage) -> bool:
        """Act on one message after setup; False once the connection is closed."""
        conversation = self.conversation
        assert conversation is not None
        if isinstance(message, SetupMessage):
            await self.websocket.close(close_codes.INVALID, "setup was already received; send it only once")
            return False
        if isinstance(message, ClientContentMessage):
            content = message.client_content
            await conversation.interrupt()
            conversation.add([turn_of(turn) for turn in content.turns or ()])
            if content.turn_complete:
                conversation.respond()
        elif isinstance(message, RealtimeInputMessage):
            realtime = message.realtime_input
            if (reason := bad_audio((realtime.audio, *(realtime.media_chunks or ())))) is not None:
                await self.websocket.close(close_codes.INVALID, fit_reason(reason))
                return False
            for blob in (realtime.video, *(realtime.media_chunks or ())):
                if blob is not None and blob.data and blob.mime_type.startswith("image/"):
                    conversation.look(blob.data)  # camera frames: analysed off the loop, latest wins
            if realtime.activity_start is not None or realtime.text:
                await conversation.interrupt()
            if realtime.text:
                conversation.add_user_text(realtime.text)
                conversation.respond()
            if self.listener is not None:
                take(self.listener, realtime)  # audio and activity signals, recognised off the loop
        elif isinstance(message, ToolResponseMessage):
            conversation.answer_calls([answer_of(r) for r in message.tool_response.function_responses])
        elif isinstance(message, ContextUpdateMessage):
            conversation.settings = updated_settings(conversation.settings, message.context_update)
        return True

    async def send(self, message: ServerMessage) -> None:
        """Send one message as a compact camelCase JSON binary frame, as Google's server does.

        Once the connection is closed this does nothing: the reader loop sees the close and stops the
        conversation.
        """
        try:
            await self.websocket.send(encode(message).encode("utf-8"))
        except ConnectionClosed:
            pass

    async def _brain_failed(self, error: BaseException) -> None:
        await close_for_brain(self.websocket, self.brain.name, error)

    def _log_end(self) -> None:
        log_session_end(self.websocket, self.conversation.replies if self.conversation else 0)
