"""The turns of a session and their latency marks, shared by every provider's codec.

Every user turn (typed text, or an utterance the server detected) gets the next number, and the model's
reply carries the same number. Unfinished turns are kept in order; each completed reply closes the oldest,
so a reply that arrives after the user typed again is still attributed to the right turn.

Interrupting marks every unfinished turn interrupted at once (mark k0): the codec then drops their further
text, audio and transcripts. The server's acknowledgement (its ``interrupted``, or the turn's completion) is
mark k2. The ledger writes its domain events into the list it is given, in order with the codec's own.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from livetui import events as ev


@dataclass
class Turn:
    """Bookkeeping for one unfinished turn."""

    number: int
    """The turn's number."""
    interrupted: bool = False
    """The user or the server interrupted it: its further output is dropped."""
    first_frame_seen: bool = False
    """Mark t1 was taken."""
    ack_pending: bool = False
    """The user interrupted this turn and the server has not acknowledged it yet."""


class TurnLedger:
    """Turn numbers, local interruption and the marks t0, t1, t4, k0, k2 (see the module docstring)."""

    def __init__(self, events: list[ev.AnyEvent], *, first_turn: int = 1) -> None:
        self.events = events
        """Where the ledger's events go (the codec's list of events received)."""
        self.open: deque[Turn] = deque()
        """Unfinished turns, oldest first."""
        self._next = first_turn
        self._last = first_turn - 1

    @property
    def replying(self) -> bool:
        """True while a turn is unfinished and not interrupted (the model is, or is about to be, replying)."""
        return any(not turn.interrupted for turn in self.open)

    @property
    def current_turn(self) -> int:
        """The number of the oldest unfinished turn, or of the last finished one."""
        return self.open[0].number if self.open else self._last

    @property
    def last_finished(self) -> int:
        """The number of the last finished turn (0 before any)."""
        return self._last

    @property
    def next_turn(self) -> int:
        """The number the next new turn will get."""
        return self._next

    def new_turn(self) -> Turn:
        """Open the next turn."""
        turn = Turn(number=self._next)
        self._next += 1
        self.open.append(turn)
        return turn

    def head(self) -> Turn:
        """The turn server output belongs to: the oldest unfinished one, or a new one the server started."""
        return self.open[0] if self.open else self.new_turn()

    def answering(self) -> Turn:
        """The turn a transcript of the user's speech belongs to: the newest one not interrupted, or a new
        one (the transcript may complete after the reply has started)."""
        live = [turn for turn in self.open if not turn.interrupted]
        return live[-1] if live else self.new_turn()

    def user_text(self, text: str, *, at: float) -> Turn:
        """A typed user turn (mark t0); a reply in progress must be interrupted first by the caller."""
        turn = self.new_turn()
        self.events.append(ev.UserText(turn=turn.number, text=text))
        self.events.append(ev.LatencyMark(turn=turn.number, mark="t0", at=at))
        return turn

    def end_of_speech(self, *, at: float) -> int:
        """The user stopped talking: mark t0 on the turn being answered (a new one if none is open)."""
        turn = self.open[-1] if self.open and not self.open[-1].interrupted else self.new_turn()
        self.events.append(ev.LatencyMark(turn=turn.number, mark="t0", at=at))
        return turn.number

    def interrupt(self, *, at: float) -> int | None:
        """Interrupt every unfinished turn locally (mark k0 on the first); its number, or None if the model
        was not replying."""
        head = next((turn for turn in self.open if not turn.interrupted), None)
        if head is None:
            return None
        for turn in self.open:
            if not turn.interrupted:
                turn.interrupted = True
                turn.ack_pending = True
        self.events.append(ev.Interrupted(turn=head.number, by="user"))
        self.events.append(ev.LatencyMark(turn=head.number, mark="k0", at=at))
        return head.number

    def first_frame(self, turn: Turn, *, at: float) -> None:
        """The first server frame of `turn`'s reply arrived (mark t1, once)."""
        if not turn.first_frame_seen:
            turn.first_frame_seen = True
            self.events.append(ev.LatencyMark(turn=turn.number, mark="t1", at=at))

    def acknowledge(self, turn: Turn, *, at: float) -> None:
        """The server acknowledged the user's interruption of `turn` (mark k2, once)."""
        if turn.ack_pending:
            turn.ack_pending = False
            self.events.append(ev.LatencyMark(turn=turn.number, mark="k2", at=at))

    def server_interrupted(self, *, at: float) -> Turn:
        """The server says it stopped the reply in progress (the user spoke over it)."""
        turn = self.head()
        self.acknowledge(turn, at=at)
        turn.interrupted = True
        self.events.append(ev.Interrupted(turn=turn.number, by="server"))
        return turn

    def complete(self, *, at: float, reason: str = "complete") -> Turn:
        """The oldest turn's reply is over (mark t4); an interrupted turn completes as ``interrupted``."""
        turn = self.head()
        self.open.popleft()
        self._last = turn.number
        self.acknowledge(turn, at=at)
        self.events.append(ev.LatencyMark(turn=turn.number, mark="t4", at=at))
        self.events.append(
            ev.TurnComplete(turn=turn.number, reason="interrupted" if turn.interrupted else reason)
        )
        return turn

    def abandon(self, *, reason: str = "disconnected") -> list[int]:
        """The connection is gone: close every unfinished turn locally (``TurnComplete(reason)``), so
        nothing waits for a reply that will never come; returns their numbers."""
        numbers = [turn.number for turn in self.open]
        for number in numbers:
            self.events.append(ev.TurnComplete(turn=number, reason=reason))
        if numbers:
            self._last = numbers[-1]
        self.open.clear()
        return numbers
