"""The interface every brain implements, and the view of the conversation it is given."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeAlias

from livetui.protocol.client import Setup
from livetui.protocol.content import Content, FunctionResponse
from livetui.server.core.faults import Fault
from livetui.server.core.senses.scene import Scene


@dataclass(frozen=True)
class FunctionRequest:
    """A function the brain wants the client to call."""

    name: str
    """The function's name, as the session declared it."""
    args: dict[str, Any]
    """The arguments, a JSON object."""


@dataclass(frozen=True)
class CallTools:
    """Yielded by a reply instead of text: the client is asked to run these functions.

    The server sends them as one ``toolCall`` (with fresh ids) and resumes the reply once every call is
    answered; the answers are then in `Dialogue.tool_responses`, in the order of `calls`. An interruption
    while they are pending cancels them (``toolCallCancellation``) along with the reply.
    """

    calls: tuple[FunctionRequest, ...]
    """The functions to call."""


Chunk: TypeAlias = str | CallTools | Fault
"""What a reply yields: a text delta, a request to call functions, or a fault to inject (scripted brain)."""


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

    @property
    def tool_responses(self) -> Sequence[FunctionResponse]:
        """The answers to the reply's latest `CallTools`, in the order of its calls (empty before one)."""
        ...

    @property
    def scene(self) -> Scene | None:
        """What the latest camera frame showed; None before any frame arrived."""
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
    def reply(self, dialogue: Dialogue, text: str) -> AsyncIterator[Chunk]:
        """Stream the reply to `text`, the user's latest words: text deltas, and `CallTools` requests."""

    async def aclose(self) -> None:
        """Release what `load` acquired. Called once, after the server stopped."""
        return None


def content_text(content: Content) -> str:
    """The visible text of a turn: its text parts joined, thoughts left out."""
    return "".join(part.text for part in content.parts if part.text and not part.thought)


def declared_functions(setup: Setup) -> frozenset[str]:
    """The names of the functions the session declared in ``setup.tools``."""
    return frozenset(
        declaration.name for tool in setup.tools or () for declaration in tool.function_declarations or ()
    )
