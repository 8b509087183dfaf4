"""Turning a brain's text into the frames of a reply: the one place a reply's frames are made.

In a TEXT session the text travels as ``serverContent.modelTurn`` parts. In an AUDIO session it is spoken
(`livetui.server.core.speaking`): synthesised audio as ``modelTurn`` ``inlineData`` chunks, each preceded
by the ``outputTranscription`` of its words; without a voice, only the transcript is sent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from livetui.protocol.client import Modality
from livetui.protocol.content import Content, Part
from livetui.protocol.server import ServerContent, ServerMessage, Transcription, UsageMetadata

if TYPE_CHECKING:
    from livetui.server.core.speaking import SpokenReply

Send = Callable[[ServerMessage], Awaitable[None]]
"""Puts one server message on the wire."""


def _content(content: ServerContent) -> ServerMessage:
    return ServerMessage(server_content=content)


class ReplyWriter:
    """Writes the frames of one reply in the session's response modality."""

    def __init__(self, modality: Modality, send: Send, speech: SpokenReply | None = None) -> None:
        self.modality = modality
        """TEXT or AUDIO: how the reply's words travel."""
        self.speech = speech
        """Speaks the reply in an AUDIO session (None: send only the transcript)."""
        self._send = send

    async def text(self, delta: str) -> None:
        """Send one delta of the reply (spoken: once its phrase is complete)."""
        if self.modality == "AUDIO" and self.speech is not None:
            await self.speech.say(delta)
        elif self.modality == "AUDIO":
            await self._send(_content(ServerContent(output_transcription=Transcription(text=delta))))
        else:
            turn = Content(role="model", parts=(Part(text=delta),))
            await self._send(_content(ServerContent(model_turn=turn)))

    async def finish(self) -> None:
        """The brain is done: speak what is left of the reply (it is still being generated until then)."""
        if self.modality == "AUDIO" and self.speech is not None:
            await self.speech.finish()

    async def complete(self, usage: UsageMetadata) -> None:
        """End a reply that ran to its end: ``generationComplete``, then ``turnComplete`` with usage."""
        await self._send(_content(ServerContent(generation_complete=True)))
        await self._send(
            ServerMessage(server_content=ServerContent(turn_complete=True), usage_metadata=usage)
        )

    async def interrupted(self) -> None:
        """End an interrupted reply: ``interrupted``, then ``turnComplete`` (no ``generationComplete``)."""
        await self._send(_content(ServerContent(interrupted=True)))
        await self._send(_content(ServerContent(turn_complete=True)))
