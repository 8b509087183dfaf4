"""Where the core's output goes: each dialect implements `Sink` and encodes these calls as its own frames.

The core never writes a frame. A conversation and its listener call the sink as things happen: a reply
starts, its text or speech streams, functions are called, the reply ends (or is interrupted), and what the
user said is heard. The order of calls is the order the client must see them in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from livetui.server.core.turns import OutgoingCall, Usage


class ReplySink(Protocol):
    """What a reply writes to: the part of a `Sink` it uses."""

    def new_call_id(self) -> str:
        """A fresh id for a function call, shaped as the dialect's ids are."""
        ...

    async def started(self) -> str:
        """A reply starts; returns the id its turn goes by in the history ("" when the dialect has none)."""
        ...

    async def text(self, delta: str) -> None:
        """A delta of a text reply."""
        ...

    async def spoken(self, words: str, pcm: bytes) -> None:
        """A chunk of a spoken reply: the transcript `words` (may be "") then the PCM16 24 kHz `pcm` they
        say (b"" when there is no voice)."""
        ...

    async def tool_calls(self, calls: Sequence[OutgoingCall]) -> None:
        """The reply asks the client to run these functions; it waits for their answers."""
        ...

    async def completed(self, usage: Usage) -> None:
        """The reply ran to its end, costing `usage`."""
        ...


class Sink(ReplySink, Protocol):
    """Receives one connection's neutral output (see the module docstring)."""

    async def tools_cancelled(self, call_ids: Sequence[str]) -> None:
        """Calls sent and not yet answered no longer matter: their reply was interrupted."""
        ...

    async def interrupted(self) -> None:
        """The reply was stopped before its end."""
        ...

    async def heard(self, text: str, *, finished: bool) -> None:
        """Words of the user's speech: a delta while they speak, then the whole utterance (`finished`)."""
        ...

    async def speech_started(self, at: float) -> None:
        """Voice activity began, `at` seconds into the audio stream."""
        ...

    async def speech_stopped(self, at: float) -> None:
        """Voice activity ended, `at` seconds into the audio stream (the utterance is being recognised)."""
        ...

    async def going_away(self, seconds: float) -> None:
        """The connection will be closed in `seconds` (a scripted fault)."""
        ...
