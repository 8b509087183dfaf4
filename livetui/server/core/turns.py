"""What a conversation is made of, whatever dialect it was spoken in: turns, settings, and tool traffic."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from livetui.live.tools import ToolDeclaration

Role = Literal["user", "model"]
"""Who said a turn."""

Modality = Literal["TEXT", "AUDIO"]
"""How a reply travels: as text, or spoken (audio with its transcript)."""


@dataclass(frozen=True)
class Turn:
    """One turn of the history, as the brain sees it."""

    role: Role
    """Who said it."""
    text: str
    """Its visible words (thoughts and media left out)."""
    size: int = 0
    """The characters it took on the wire, which the history's bounds count; 0: the text's length."""
    item_id: str = ""
    """The dialect's name for it (an OpenAI item id); "" where the dialect names no turns."""

    @property
    def chars(self) -> int:
        """What it costs the history's character bound."""
        return self.size or len(self.text)


@dataclass(frozen=True)
class SessionSettings:
    """What a session asked for, in no dialect's words."""

    system_text: str = ""
    """The system instruction's text ("" when there is none)."""
    modality: Modality = "TEXT"
    """How replies travel."""
    manual_activity: bool = False
    """True when the client marks where each utterance starts and ends (no voice-activity detection)."""
    create_response: bool = True
    """True when a heard utterance is answered at once; False: the client asks for each reply."""
    functions: frozenset[str] = frozenset()
    """The names of the functions the session declared."""
    tools: tuple[ToolDeclaration, ...] = ()
    """The functions the session declared, whole (their parameters as JSON Schema), for a brain that
    hands them on to a model."""
    max_output_tokens: int | None = None
    """The longest reply the session allows (None: the brain's own limit)."""
    temperature: float | None = None
    """The sampling temperature the session asked for (None: the brain's own)."""


@dataclass(frozen=True)
class OutgoingCall:
    """A function call the server asks the client to run."""

    call_id: str
    """Its id, which the answer names."""
    name: str
    """The function's name."""
    args: dict[str, Any] = field(default_factory=dict)
    """The arguments, a JSON object."""


@dataclass(frozen=True)
class Usage:
    """What a reply cost, in rough tokens (whitespace-separated words)."""

    prompt: int
    """Tokens of the prompt: the system text and the history."""
    reply: int
    """Tokens of the reply."""

    @property
    def total(self) -> int:
        """Prompt and reply together."""
        return self.prompt + self.reply
