"""A reply started before its user turn is sure: its output held back, and the turn it answers pending.

A spoken utterance has probably ended after a short silence, but only the listener's full hangover says
so (a pause inside a sentence is silence too). The reply to it is started at the short silence and
committed at the end of the utterance, so the brain's first words and their speech are ready when the
turn ends. Until then the reply writes to a `HeldSink`, which lets nothing through: a reply dropped
because the speech went on has sent nothing at all. It reads the conversation through a
`PendingDialogue`, whose history has the utterance's turn at its end though the conversation does not
have it yet; committing adds that turn to the conversation, and the held output goes out at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from livetui.live.tools import ToolAnswer
from livetui.server.core.brains.base import Dialogue
from livetui.server.core.senses.scene import Scene
from livetui.server.core.sink import Sink
from livetui.server.core.turns import OutgoingCall, SessionSettings, Turn, Usage


class HeldSink:
    """A reply's output (`ReplySink`) to a `Sink`: while held, every call that would send something waits
    (the reply's task stops there) until `release`; the reply's start (`Sink.started`) goes out first
    then."""

    def __init__(self, sink: Sink, *, held: bool = False) -> None:
        self.sink = sink
        """The connection's sink, where the output goes once released."""
        self.item_id = ""
        """The id the reply's turn goes by (`Sink.started`'s), once the reply has started on the sink."""
        self._open = asyncio.Event()
        self._unstarted = False
        if not held:
            self._open.set()

    @property
    def released(self) -> bool:
        """True once output goes through (always, for a reply that was never held)."""
        return self._open.is_set()

    def release(self) -> None:
        """Let the output through: what waits goes out now, in order."""
        self._open.set()

    async def opened(self) -> None:
        """Wait until released, then start the reply on the sink if it is not started yet."""
        await self._open.wait()
        if self._unstarted:
            self._unstarted = False
            self.item_id = await self.sink.started()

    def new_call_id(self) -> str:
        """A fresh call id (nothing is sent)."""
        return self.sink.new_call_id()

    async def started(self) -> str:
        """Start the reply on the sink, or, while held, once released; returns the id ("" if not yet)."""
        if not self.released:
            self._unstarted = True
            return ""
        self.item_id = await self.sink.started()
        return self.item_id

    async def text(self, delta: str) -> None:
        """`Sink.text`, once released."""
        await self.opened()
        await self.sink.text(delta)

    async def spoken(self, words: str, pcm: bytes) -> None:
        """`Sink.spoken`, once released."""
        await self.opened()
        await self.sink.spoken(words, pcm)

    async def tool_calls(self, calls: Sequence[OutgoingCall]) -> None:
        """`Sink.tool_calls`, once released."""
        await self.opened()
        await self.sink.tool_calls(calls)

    async def completed(self, usage: Usage) -> None:
        """`Sink.completed`, once released."""
        await self.opened()
        await self.sink.completed(usage)


class PendingDialogue:
    """A `Dialogue` whose history ends with a user turn the conversation has not taken yet (until
    `commit`); everything else is read from the conversation as it is."""

    def __init__(self, dialogue: Dialogue, turn: Turn) -> None:
        self.dialogue = dialogue
        """The conversation."""
        self.turn: Turn | None = turn
        """The user turn answered, until the conversation has it (None since `commit`)."""

    def commit(self) -> None:
        """The conversation has taken the turn: read its history as it is from now on."""
        self.turn = None

    @property
    def settings(self) -> SessionSettings:
        """What the session asked for."""
        return self.dialogue.settings

    @property
    def history(self) -> Sequence[Turn]:
        """The conversation's turns, the pending one last."""
        history = self.dialogue.history
        return history if self.turn is None else (*history, self.turn)

    @property
    def system_text(self) -> str:
        """The system instruction's text."""
        return self.dialogue.system_text

    @property
    def user_turns(self) -> int:
        """The conversation's user turns, the pending one included."""
        return self.dialogue.user_turns + (self.turn is not None)

    @property
    def tool_responses(self) -> Sequence[ToolAnswer]:
        """The answers to the reply's latest function calls."""
        return self.dialogue.tool_responses

    @property
    def scene(self) -> Scene | None:
        """What the latest camera frame showed."""
        return self.dialogue.scene
