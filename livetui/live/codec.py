"""The `Codec` protocol: one provider's client half of one connection, sans-I/O, and what it can do.

A codec turns method calls into frames to write (`data_to_send`) and frames read into domain events
(`events_received`); it never reads a clock (every method that marks latency takes the time as ``at``) and
never touches a socket. The engine (`livetui.session.engine`) drives one codec per connection and knows no
provider: where providers differ in what they can do, the engine asks `Capabilities`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from livetui import events as ev
from livetui.live.tools import ToolAnswer

VideoInput = Literal["stream", "snapshots"]
"""How pictures reach the model: a continuous stream of frames (Gemini), or the latest frame attached to
each user turn and sent on demand (OpenAI Realtime)."""

Role = Literal["user", "model"]
"""Who said one line of a conversation being replayed."""


@dataclass(frozen=True)
class Exchange:
    """One line of the conversation so far, replayed on a new connection where the provider cannot
    resume a session by handle."""

    role: Role
    """The user (typed text, or the transcript of what they said) or the model (its text or transcript)."""
    text: str
    """What was said (for an interrupted reply: what was heard)."""


@dataclass(frozen=True)
class Capabilities:
    """What a provider's sessions can do (the engine and the UI adapt to it)."""

    resumable: bool
    """A dropped session resumes by a server-issued handle; otherwise the engine replays the conversation."""
    go_away: bool
    """The server warns before it closes a connection (``goAway``)."""
    manual_activity: bool
    """Push-to-talk: the client can say where speech starts and ends."""
    truncate_on_interrupt: bool
    """After an interruption the server is told how much of the reply was heard, and forgets the rest."""
    video: VideoInput
    """How pictures reach the model."""
    audio_in_rate: int
    """The microphone rate the provider expects (Hz)."""
    audio_out_rate: int
    """The rate of the model's speech (Hz)."""


class Codec(Protocol):
    """One connection's client state (see the module docstring)."""

    def data_to_send(self) -> list[str]:
        """Frames to write to the socket, in order; the list is emptied."""
        ...

    def events_received(self) -> list[ev.AnyEvent]:
        """Domain events produced since the last call, in order; the list is emptied."""
        ...

    @property
    def ready(self) -> bool:
        """True once the server accepted the session's configuration."""
        ...

    @property
    def replying(self) -> bool:
        """True while a turn is unfinished and not interrupted."""
        ...

    @property
    def current_turn(self) -> int:
        """The number of the oldest unfinished turn, or of the last finished one."""
        ...

    @property
    def next_turn(self) -> int:
        """The number the next new turn will get."""
        ...

    def start(self) -> None:
        """Queue the opening frames (the session's configuration, and any conversation to replay)."""
        ...

    def receive(self, frame: str | bytes, *, at: float) -> None:
        """Take one frame from the server; one that cannot be read becomes a `SessionError` event."""
        ...

    def send_text(self, text: str, *, at: float) -> int:
        """Send a typed user turn (interrupting a reply in progress first); returns its number."""
        ...

    def interrupt(self, *, at: float, heard_ms: int | None = None, playing: int | None = None) -> int | None:
        """Interrupt the reply in progress; returns its turn, or None if none was. `heard_ms` is how much
        of the audio of turn `playing` (None: the turn interrupted) was played, for a provider that
        truncates (None: all that arrived)."""
        ...

    def send_audio(self, pcm: bytes, *, rate: int) -> None:
        """Stream a block of microphone audio (PCM16 mono at `rate`)."""
        ...

    def send_video(self, jpeg: bytes, *, now: bool = False) -> None:
        """A camera frame: streamed, or kept to go with the next user turn (see `Capabilities.video`);
        `now` (a snapshot the user asked for) sends it at once either way."""
        ...

    def activity_start(self, *, at: float) -> None:
        """The user starts talking (manual activity); interrupts a reply in progress."""
        ...

    def activity_end(self, *, at: float) -> int:
        """The user stops talking (manual activity): the turn is over (mark t0); returns its number."""
        ...

    def audio_stream_end(self) -> None:
        """The microphone was turned off."""
        ...

    def answer_tools(self, answers: list[ToolAnswer]) -> None:
        """Send the results of function calls."""
        ...

    def update_instructions(self, text: str) -> None:
        """Give the session in progress a new system prompt (empty: none)."""
        ...

    def abandon(self, *, reason: str = "disconnected") -> list[int]:
        """The connection is gone: close every unfinished turn locally; returns their numbers."""
        ...
