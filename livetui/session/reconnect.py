"""Keeping a session alive across connections: resumption handles, `goAway`, and the pace of reconnects.

The engine asks for resumption handles in `setup` and keeps the latest one the server marks resumable.
When the server announces `goAway`, the session moves to a new connection once the reply in progress is
over and a fresh handle has arrived, and in any case before the server's deadline. When a connection ends
abnormally (1011, a dropped socket) it reconnects after a growing delay, a bounded number of times in a
row. Both resume with the handle, so the model keeps the conversation.
"""

from __future__ import annotations

from dataclasses import dataclass

from websockets.frames import CloseCode

from livetui import events as ev

ERRORS = frozenset(
    (CloseCode.INVALID_DATA, CloseCode.POLICY_VIOLATION, CloseCode.MESSAGE_TOO_BIG, CloseCode.INTERNAL_ERROR)
)
"""Close codes that mean something went wrong (as opposed to an ordinary end or a dropped connection)."""

MOVE_MARGIN = 2.0
"""Seconds before a `goAway` deadline by which the session has moved, at most (half of a shorter notice)."""


@dataclass(frozen=True)
class Backoff:
    """How reconnects after an abnormal close are paced."""

    attempts: int = 5
    """Reconnect attempts in a row before giving up (a connection that proved healthy resets the count)."""
    first_delay: float = 0.5
    """Seconds before the first attempt; each further attempt waits twice as long as the one before."""
    max_delay: float = 8.0
    """The longest wait between two attempts, in seconds."""
    healthy_after: float = 60.0
    """Seconds a connection must last (or complete a turn) to reset the count of failed attempts."""

    def delay(self, failures: int) -> float:
        """Seconds to wait before attempt number `failures` (from 1)."""
        return min(self.max_delay, self.first_delay * 2.0 ** max(0, failures - 1))


def is_retryable(code: int) -> bool:
    """True for closes worth reconnecting after; a bad key, an invalid setup or a normal end is not."""
    return code not in (
        CloseCode.INVALID_DATA,
        CloseCode.POLICY_VIOLATION,
        CloseCode.MESSAGE_TOO_BIG,
        CloseCode.NORMAL_CLOSURE,
    )


def move_deadline(now: float, time_left: float) -> float:
    """When to have moved to a new connection after a `goAway` received at `now` (same clock)."""
    return now + max(0.0, time_left - min(MOVE_MARGIN, time_left / 2))


class Resumption:
    """What the engine knows about resuming: the latest resumable handle, and a pending `goAway`."""

    def __init__(self, handle: str | None = None) -> None:
        self.handle = handle
        """The latest handle the server marked resumable (or the one the session was started with)."""
        self.fresh = False
        """True when a resumable handle arrived after the last turn ended: moving now loses nothing."""
        self.move_by: float | None = None
        """Event-loop time by which the session must have moved, once the server sent `goAway`."""

    def observe(self, event: ev.AnyEvent) -> None:
        """Follow the events of the current connection."""
        if isinstance(event, ev.ResumptionHandle):
            if event.resumable:
                self.handle = event.handle
            self.fresh = event.resumable
        elif isinstance(event, ev.UserText | ev.TurnComplete):
            self.fresh = False

    def go_away(self, now: float, time_left: float) -> None:
        """The server will close the connection `time_left` seconds after `now` (event-loop time)."""
        deadline = move_deadline(now, time_left)
        self.move_by = deadline if self.move_by is None else min(self.move_by, deadline)

    def ready_to_move(self, replying: bool) -> bool:
        """True when moving now loses nothing: no reply running, and a handle newer than the last turn."""
        return not replying and self.fresh

    def new_connection(self) -> None:
        """A new connection starts: its server has not asked to move (yet)."""
        self.move_by = None
        self.fresh = False
