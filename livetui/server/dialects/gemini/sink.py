"""The Gemini dialect's output: the core's neutral calls (`livetui.server.core.sink.Sink`) as Live frames.

A text reply travels as ``serverContent.modelTurn`` text parts; a spoken one as ``outputTranscription``
words each followed by the ``modelTurn`` ``inlineData`` audio that says them; a reply ends with
``generationComplete`` then ``turnComplete`` carrying ``usageMetadata``, or, interrupted, with
``interrupted`` then ``turnComplete``. Function calls go out as one ``toolCall`` (cancelled with
``toolCallCancellation``), and what the user said as ``inputTranscription``.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Sequence

from livetui.providers.gemini.content import Blob, Content, FunctionCall, Part
from livetui.providers.gemini.server import (
    GoAway,
    ServerContent,
    ServerMessage,
    ToolCall,
    ToolCallCancellation,
    Transcription,
    UsageMetadata,
)
from livetui.server.core.senses.tts import RATE
from livetui.server.core.turns import OutgoingCall, Usage

Send = Callable[[ServerMessage], Awaitable[None]]
"""Puts one server message on the wire."""

AUDIO_MIME = f"audio/pcm;rate={RATE}"
"""The MIME type of the reply's audio chunks."""
MALFORMED_FRAME = b'{"serverContent": {"modelTurn": {"parts": [{"text": "cut off'
"""The frame the ``malformed`` fault sends: JSON cut off in the middle."""


def _content(content: ServerContent) -> ServerMessage:
    return ServerMessage(server_content=content)


def new_call_id() -> str:
    """A fresh function-call id, shaped like Google's (``function-call-<digits>``)."""
    return f"function-call-{secrets.randbits(63)}"


class GeminiSink:
    """Writes one connection's output as Gemini Live server messages (see the module docstring)."""

    def __init__(self, send: Send) -> None:
        self._send = send

    def new_call_id(self) -> str:
        """A fresh id, shaped like Google's."""
        return new_call_id()

    async def started(self) -> str:
        """Nothing goes out when a reply starts; turns have no ids in this dialect."""
        return ""

    async def text(self, delta: str) -> None:
        """A ``modelTurn`` text part."""
        await self._send(_content(ServerContent(model_turn=Content(role="model", parts=(Part(text=delta),)))))

    async def spoken(self, words: str, pcm: bytes) -> None:
        """``outputTranscription`` of `words`, then ``modelTurn`` ``inlineData`` of `pcm` (either skipped
        when empty)."""
        if words:
            await self._send(_content(ServerContent(output_transcription=Transcription(text=words))))
        if pcm:
            part = Part(inline_data=Blob(mime_type=AUDIO_MIME, data=pcm))
            await self._send(_content(ServerContent(model_turn=Content(role="model", parts=(part,)))))

    async def tool_calls(self, calls: Sequence[OutgoingCall]) -> None:
        """One ``toolCall`` holding every call."""
        functions = tuple(FunctionCall(id=call.call_id, name=call.name, args=call.args) for call in calls)
        await self._send(ServerMessage(tool_call=ToolCall(function_calls=functions)))

    async def tools_cancelled(self, call_ids: Sequence[str]) -> None:
        """``toolCallCancellation`` naming the calls."""
        cancellation = ToolCallCancellation(ids=tuple(call_ids))
        await self._send(ServerMessage(tool_call_cancellation=cancellation))

    async def completed(self, usage: Usage) -> None:
        """``generationComplete``, then ``turnComplete`` with ``usageMetadata``."""
        metadata = UsageMetadata(
            prompt_token_count=usage.prompt, response_token_count=usage.reply, total_token_count=usage.total
        )
        await self._send(_content(ServerContent(generation_complete=True)))
        await self._send(
            ServerMessage(server_content=ServerContent(turn_complete=True), usage_metadata=metadata)
        )

    async def interrupted(self) -> None:
        """``interrupted``, then ``turnComplete`` (no ``generationComplete``)."""
        await self._send(_content(ServerContent(interrupted=True)))
        await self._send(_content(ServerContent(turn_complete=True)))

    async def heard(self, text: str, *, finished: bool) -> None:
        """``inputTranscription`` (``finished: true`` for the whole utterance)."""
        transcription = Transcription(text=text, finished=True) if finished else Transcription(text=text)
        await self._send(_content(ServerContent(input_transcription=transcription)))

    async def speech_started(self, at: float) -> None:
        """Nothing: Gemini tells of a barge-in only by interrupting the reply."""

    async def speech_stopped(self, at: float) -> None:
        """Nothing: the end of speech shows as the transcript and the reply."""

    async def going_away(self, seconds: float) -> None:
        """``goAway`` with ``timeLeft``."""
        await self._send(ServerMessage(go_away=GoAway(time_left=seconds)))
