"""What the user asked of a session, in no provider's terms: each provider's codec turns it into its own
opening message (Gemini's `setup`, OpenAI's `session.update`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from livetui.live.tools import ToolDeclaration

Modality = Literal["audio", "text"]
"""How the model replies: speech (with its transcript), or text."""
Activity = Literal["auto", "manual"]
"""Who ends the user's turn: the server's voice-activity detection, or the user (push-to-talk)."""
TurnDetection = Literal["server_vad", "semantic_vad"]
"""How the server detects the end of speech, under automatic activity (OpenAI offers both; Gemini ignores)."""


@dataclass(frozen=True)
class SessionConfig:
    """The neutral session configuration (see the module docstring)."""

    model: str
    """The model's name, as its provider spells it (a codec may add a prefix such as ``models/``)."""
    modality: Modality = "audio"
    """How the model replies."""
    voice: str | None = None
    """The voice's name, or None for the provider's default."""
    system_prompt: str | None = None
    """The system instruction, or None."""
    tools: tuple[ToolDeclaration, ...] = ()
    """The functions the model may call."""
    activity: Activity = "auto"
    """Automatic or manual (push-to-talk) end of the user's turn."""
    turn_detection: TurnDetection = "server_vad"
    """The kind of automatic detection, where the provider offers a choice."""
    transcription: bool = True
    """Ask for transcripts of the user's speech and of the model's (audio replies only)."""
    resumption: bool = True
    """Ask for resumption handles, where the provider has them."""
    compression: bool = False
    """Ask the server to compress the context window as it fills (Gemini's sliding window)."""

    @property
    def manual_activity(self) -> bool:
        """True under push-to-talk: the client marks where the user's speech starts and ends."""
        return self.activity == "manual"
