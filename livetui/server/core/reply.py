"""Turning a brain's text into a reply's output: the one place a reply's words are routed.

In a TEXT session the text goes to the sink as text deltas. In an AUDIO session it is spoken
(`livetui.server.core.speaking`): synthesised audio in chunks, each with the transcript of its words;
without a voice, only the transcript is sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from livetui.server.core.sink import ReplySink
from livetui.server.core.turns import Modality, Usage

if TYPE_CHECKING:
    from livetui.server.core.speaking import SpokenReply


class ReplyWriter:
    """Writes one reply in the session's response modality."""

    def __init__(self, modality: Modality, sink: ReplySink, speech: SpokenReply | None = None) -> None:
        self.modality = modality
        """TEXT or AUDIO: how the reply's words travel."""
        self.speech = speech
        """Speaks the reply in an AUDIO session (None: send only the transcript)."""
        self._sink = sink

    async def text(self, delta: str) -> None:
        """Send one delta of the reply (spoken: once its phrase is complete)."""
        if self.modality == "AUDIO" and self.speech is not None:
            await self.speech.say(delta)
        elif self.modality == "AUDIO":
            await self._sink.spoken(delta, b"")
        else:
            await self._sink.text(delta)

    async def finish(self) -> None:
        """The brain is done: speak what is left of the reply (it is still being generated until then)."""
        if self.modality == "AUDIO" and self.speech is not None:
            await self.speech.finish()

    async def complete(self, usage: Usage) -> None:
        """End a reply that ran to its end."""
        await self._sink.completed(usage)
