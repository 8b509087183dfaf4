"""How a session carries on from one connection to the next: by resumption handle where the provider can
resume, by replaying the conversation so far where it cannot.

`Continuity` follows every event of the session (`observe`): the latest resumable handle and a pending
`goAway` (`livetui.session.reconnect.Resumption`), and the conversation to replay
(`livetui.session.replay.Replay`). It makes each connection's codec (`codec`), and says in one line how a
new connection took the session on once it is live (`resumed`).

A server that no longer knows the handle a connection resumed with (`forget`) gets a new session that
replays the conversation, as a provider that cannot resume would, until it hands out a handle of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from livetui import events as ev
from livetui.live.codec import Codec, Exchange
from livetui.live.config import SessionConfig
from livetui.live.provider import Provider
from livetui.session.reconnect import Resumption
from livetui.session.replay import Replay
from livetui.wording import counted

FRESH_NOTICE = (
    "reconnected without a resumption handle: the model starts afresh, without the conversation so far"
)
"""What is said when a new connection could neither resume by handle nor replay the conversation."""


class Continuity:
    """What carries a session over to its next connection (see the module docstring)."""

    def __init__(self, provider: Provider, *, handle: str | None = None, history: Sequence[Exchange] = ()):
        self.provider = provider
        """Who the connections are with (whether it can resume by handle, and each connection's codec)."""
        self.resumption = Resumption(handle)
        """The latest resumable handle, and when to move after a `goAway`."""
        self.resuming_with = handle if provider.capabilities.resumable else None
        """The handle the current connection resumes with (None: it opened a fresh session)."""
        self._carried: tuple[Exchange, ...] = tuple(history)
        self._replay = Replay(self._carried)
        self._replaying = 0
        self._replays = not provider.capabilities.resumable  # new connections replay, not resume
        self._told = False  # `forget` said how the session goes on: `resumed` need not

    def carry(self, history: Sequence[Exchange]) -> None:
        """Open with an earlier conversation as context: the next codec replays `history` as turns not
        answered; a reconnect that cannot resume replays it again, with what followed."""
        self._carried = tuple(history)
        self._replay = Replay(self._carried)

    def observe(self, event: ev.AnyEvent) -> None:
        """Follow one event of the session."""
        self.resumption.observe(event)
        self._replay.observe(event)
        if isinstance(event, ev.ResumptionHandle) and event.resumable:
            self._replays = not self.provider.capabilities.resumable  # a handle to resume with again

    def codec(self, config: SessionConfig, *, first_turn: int) -> Codec:
        """The codec of a connection: resuming by the handle in force where the provider can, replaying
        the conversation so far where it cannot."""
        handle = self.resuming_with
        if handle is not None:  # a resumed session has the conversation already
            return self.provider.codec(config, first_turn=first_turn, handle=handle)
        history = self._replay.exchanges() if self._replays else list(self._carried)
        self._replaying = self._replay.turns if self._replays and history else 0
        return self.provider.codec(config, first_turn=first_turn, history=history)

    def next_connection(self) -> None:
        """A new connection is about to be made: it resumes with the latest handle, where there is one."""
        self.resuming_with = None if self._replays else self.resumption.handle

    def forget(self) -> str:
        """The server no longer knows the handle the connection resumed with: drop it; the next
        connections open a new session that replays the conversation. Returns what it replays, in words
        (``replaying 3 turns``)."""
        self.resumption.handle = self.resuming_with = None
        self._replays = self._told = True
        turns = self._replay.turns
        return f"replaying {counted(turns, 'turn')}" if turns else "with no conversation to replay"

    def resumed(self, attempt: int) -> list[ev.AnyEvent]:
        """What to say once connection number `attempt` is live (nothing for the first)."""
        if attempt == 1:
            return []
        if self._told:
            self._told = False
            return [ev.Resumed(attempt=attempt)] if self._replaying else []
        if self.resuming_with is not None:
            return [ev.Resumed(attempt=attempt), ev.Notice(message="the session resumed on a new connection")]
        if self._replaying:
            turns = counted(self._replaying, "turn")
            message = f"the session resumed on a new connection by replaying {turns}"
            return [ev.Resumed(attempt=attempt), ev.Notice(message=message)]
        return [ev.Notice(message=FRESH_NOTICE)]
