"""The Gemini dialect's output: the core's neutral calls (`livetui.server.core.sink.Sink`) as Live frames.

A text reply travels as ``serverContent.modelTurn`` text parts; a spoken one as ``modelTurn``
``inlineData`` audio chunks, each followed by the ``outputTranscription`` of its words (as Google's
Developer API sends them); a reply ends with ``generationComplete`` then ``turnComplete`` carrying
``usageMetadata`` (with the counts by modality), or, interrupted, with ``interrupted`` then
``turnComplete``. Function calls go out as one ``toolCall`` (cancelled with ``toolCallCancellation``;
on Vertex followed at once by ``generationComplete``).

Transcripts go out only when the setup asked for them (`Traits`). What the user said goes as
``inputTranscription`` the way the session's model class sends it: 2.5-class models send append-only
chunks and never ``finished``; 3.1-class models send the utterance once, ``finished: true``. Text
already sent is never revised.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Traits:
    """What a session's setup and path say about its output: the transcripts asked for, how its model
    sends the user's, the reply's modality, and whether it came by Vertex AI."""

    heard: bool = False
    """``inputAudioTranscription`` was in the setup."""
    spoken: bool = False
    """``outputAudioTranscription`` was in the setup."""
    once: bool = False
    """The model is 3.1-class: the user's utterance goes once, finished (else in append-only chunks)."""
    vertex: bool = False
    """The session came by Vertex AI's path: ``generationComplete`` follows a ``toolCall`` at once, and
    usage is counted in candidates."""
    modality: str = "TEXT"
    """How replies travel (``TEXT`` or ``AUDIO``), the modality their tokens are counted in."""


def once_model(model: str) -> bool:
    """True for a model that sends the user's utterance once, finished (3.1-class and later)."""
    name = model.rpartition("/")[2]
    return re.search(r"gemini-(?:3\.[1-9]|[4-9])", name) is not None or "-3.1-" in name


def usage_metadata(usage: Usage, modality: str, *, vertex: bool = False) -> UsageMetadata:
    """``usageMetadata`` of a reply: the counts, and their details by modality (the prompt counted as
    text); Vertex names the reply's tokens candidates."""
    reply = "candidates" if vertex else "response"
    return UsageMetadata.model_validate(
        {
            "prompt_token_count": usage.prompt,
            f"{reply}_token_count": usage.reply,
            "total_token_count": usage.total,
            "prompt_tokens_details": [{"modality": "TEXT", "token_count": usage.prompt}],
            f"{reply}_tokens_details": [{"modality": modality, "token_count": usage.reply}],
        }
    )


def new_session_id() -> str:
    """A fresh session id, as Vertex AI sends one in ``setupComplete``."""
    return secrets.token_hex(16)


def new_call_id() -> str:
    """A fresh function-call id, shaped like Google's (``function-call-<digits>``)."""
    return f"function-call-{secrets.randbits(63)}"


class GeminiSink:
    """Writes one connection's output as Gemini Live server messages (see the module docstring)."""

    def __init__(self, send: Send, traits: Traits | None = None) -> None:
        self._send = send
        self.traits = traits or Traits()
        """What the session's setup and path say about its output."""

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
        """``modelTurn`` ``inlineData`` of `pcm`, then the ``outputTranscription`` of `words` when the
        setup asked for it (either skipped when empty)."""
        if pcm:
            part = Part(inline_data=Blob(mime_type=AUDIO_MIME, data=pcm))
            await self._send(_content(ServerContent(model_turn=Content(role="model", parts=(part,)))))
        if words and self.traits.spoken:
            await self._send(_content(ServerContent(output_transcription=Transcription(text=words))))

    async def tool_calls(self, calls: Sequence[OutgoingCall]) -> None:
        """One ``toolCall`` holding every call."""
        functions = tuple(FunctionCall(id=call.call_id, name=call.name, args=call.args) for call in calls)
        await self._send(ServerMessage(tool_call=ToolCall(function_calls=functions)))
        if self.traits.vertex:
            await self._send(_content(ServerContent(generation_complete=True)))

    async def tools_cancelled(self, call_ids: Sequence[str]) -> None:
        """``toolCallCancellation`` naming the calls."""
        cancellation = ToolCallCancellation(ids=tuple(call_ids))
        await self._send(ServerMessage(tool_call_cancellation=cancellation))

    async def completed(self, usage: Usage) -> None:
        """``generationComplete``, then ``turnComplete`` with ``usageMetadata``."""
        metadata = usage_metadata(usage, self.traits.modality, vertex=self.traits.vertex)
        await self._send(_content(ServerContent(generation_complete=True)))
        await self._send(
            ServerMessage(server_content=ServerContent(turn_complete=True), usage_metadata=metadata)
        )

    async def interrupted(self) -> None:
        """``interrupted``, then ``turnComplete`` (no ``generationComplete``)."""
        await self._send(_content(ServerContent(interrupted=True)))
        await self._send(_content(ServerContent(turn_complete=True)))

    async def heard(self, text: str, *, finished: bool) -> None:
        """``inputTranscription``, when the setup asked for it: the utterance once, finished (3.1-class),
        or append-only chunks, a word each (2.5-class).

        The recogniser's partial hypotheses revise themselves ("what is the" becomes "what is six times
        seven"), and an append-only chunk can never be taken back, so the chunks are the words of the
        finished utterance: what a client joins is exactly what was heard."""
        if not self.traits.heard or not finished or not text:
            return
        if self.traits.once:
            await self._send_heard(Transcription(text=text, finished=True))
            return
        for index, word in enumerate(text.split()):
            await self._send_heard(Transcription(text=word if index == 0 else f" {word}"))

    async def _send_heard(self, transcription: Transcription) -> None:
        await self._send(_content(ServerContent(input_transcription=transcription)))

    async def speech_started(self, at: float) -> None:
        """Nothing: Gemini tells of a barge-in only by interrupting the reply."""

    async def speech_stopped(self, at: float) -> None:
        """Nothing: the end of speech shows as the transcript and the reply."""

    async def going_away(self, seconds: float) -> None:
        """``goAway`` with ``timeLeft``."""
        await self._send(ServerMessage(go_away=GoAway(time_left=seconds)))
