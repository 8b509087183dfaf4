"""The interface every brain implements, and the view of the conversation it is given."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeAlias

from livetui.live.tools import ToolAnswer
from livetui.server.core.faults import Fault
from livetui.server.core.senses.scene import Scene
from livetui.server.core.turns import SessionSettings, Turn


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

    The server sends them to the client (with fresh ids) and resumes the reply once every call is
    answered; the answers are then in `Dialogue.tool_responses`, in the order of `calls`. An interruption
    while they are pending cancels them along with the reply.
    """

    calls: tuple[FunctionRequest, ...]
    """The functions to call."""


Chunk: TypeAlias = str | CallTools | Fault
"""What a reply yields: a text delta, a request to call functions, or a fault to inject (scripted brain)."""


class Dialogue(Protocol):
    """What a brain may read of the conversation it answers (read-only)."""

    @property
    def settings(self) -> SessionSettings:
        """What the session asked for."""
        ...

    @property
    def history(self) -> Sequence[Turn]:
        """Every turn so far, oldest first; the user turn being answered is the last one."""
        ...

    @property
    def system_text(self) -> str:
        """The system instruction's text ("" when there is none)."""
        ...

    @property
    def user_turns(self) -> int:
        """How many user turns the history holds (the one being answered included)."""
        ...

    @property
    def tool_responses(self) -> Sequence[ToolAnswer]:
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
