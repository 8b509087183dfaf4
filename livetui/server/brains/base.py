"""The interface every brain implements, and the view of the conversation it is given."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Sequence
from typing import Protocol

from livetui.protocol.client import Setup
from livetui.protocol.content import Content


class Dialogue(Protocol):
    """What a brain may read of the conversation it answers (read-only)."""

    @property
    def setup(self) -> Setup:
        """The session's setup message."""
        ...

    @property
    def history(self) -> Sequence[Content]:
        """Every turn so far, oldest first; the user turn being answered is the last one."""
        ...

    @property
    def system_text(self) -> str:
        """The text of ``setup.systemInstruction`` ("" when there is none)."""
        ...

    @property
    def user_turns(self) -> int:
        """How many user turns the history holds (the one being answered included)."""
        ...


class Brain(ABC):
    """Writes the model's replies.

    One brain serves every connection of a server, so per-connection state belongs in the `Dialogue`,
    not in the brain. A reply is an async iterator of text chunks; the server cancels the task consuming
    it on interruption, so a brain must stop promptly at any ``await`` (and release what it holds in
    ``finally``). An exception raised while iterating closes the connection with 1011.
    """

    name: str = "brain"
    """The name ``--brain`` selects it by."""

    async def load(self) -> None:
        """Get ready to answer (load a model, say). Called once, before the server listens."""
        return None  # most brains have nothing to load

    @abstractmethod
    def reply(self, dialogue: Dialogue, text: str) -> AsyncIterator[str]:
        """Stream the reply to `text`, the user's latest words, as text deltas."""

    async def aclose(self) -> None:
        """Release what `load` acquired. Called once, after the server stopped."""
        return None


def content_text(content: Content) -> str:
    """The visible text of a turn: its text parts joined, thoughts left out."""
    return "".join(part.text for part in content.parts if part.text and not part.thought)
