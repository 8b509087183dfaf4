"""A scripted brain that also keeps every user text it was asked to answer (what the server understood)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from livetui.server.core.brains.base import Chunk, Dialogue
from livetui.server.core.brains.scripted import ScriptedBrain
from livetui.server.script import Script


class RecordingBrain(ScriptedBrain):
    """Answers as the scripted brain does; :attr:`heard` lists each user turn's text, in order."""

    def __init__(self, script: Script | None = None) -> None:
        super().__init__(script)
        self.heard: list[str] = []
        """The text of every user turn the server answered."""

    async def reply(self, dialogue: Dialogue, text: str) -> AsyncIterator[Chunk]:
        """Record the turn's text, then answer it."""
        self.heard.append(text)
        async for chunk in super().reply(dialogue, text):
            yield chunk
