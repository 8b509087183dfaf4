"""What a scripted run has seen of its session, turn by turn, kept from the session's events.

The steps wait on it (`Watch.until`, woken by every event, never by polling a clock) and read it: each
turn's text (or the transcript of its speech), when its user turn ended (mark t0) and its first text came,
whether it is over; every function call asked for; and the calls the script answers itself, held until an
``answer`` step takes them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from livetui import events as ev


@dataclass
class TurnSeen:
    """One turn, as far as it has gone."""

    text: str = ""
    """The model's text."""
    transcript: str = ""
    """The transcript of its speech."""
    sent_at: float | None = None
    """When the user's turn ended (mark t0, the session's clock)."""
    first_text_at: float | None = None
    """When its first text (or transcript) arrived (the session's clock)."""
    ended: str | None = None
    """How it ended (None while it runs)."""

    @property
    def reply(self) -> str:
        """What the model showed, or else said."""
        return self.text or self.transcript


@dataclass
class Watch:
    """The session so far (see the module docstring)."""

    clock: Callable[[], float]
    """The session's clock."""
    answered: frozenset[str] = frozenset()
    """The functions the script answers itself."""
    turns: dict[int, TurnSeen] = field(default_factory=dict)
    """Every turn seen, by number."""
    calls: list[ev.ToolCall] = field(default_factory=list)
    """Every function call asked for, in order."""
    held: list[ev.ToolCall] = field(default_factory=list)
    """Calls of `answered` functions not answered yet, oldest first."""
    fatal: str | None = None
    """Why the session cannot go on, once it cannot."""
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def last_turn(self) -> int:
        """The highest turn number seen (0 before any)."""
        return max(self.turns, default=0)

    def turn(self, number: int) -> TurnSeen:
        """The turn `number` (an empty one until it is seen)."""
        return self.turns.setdefault(number, TurnSeen())

    def observe(self, event: ev.AnyEvent) -> None:
        """Keep what one event says, and wake the steps waiting."""
        match event:
            case ev.TextDelta(turn=number, text=text, thought=False):
                self._text(number).text += text
            case ev.OutputTranscript(turn=number, text=text):
                self._text(number).transcript += text
            case ev.LatencyMark(turn=number, mark="t0", at=at):
                self.turn(number).sent_at = at
            case ev.TurnComplete(turn=number, reason=reason):
                self.turn(number).ended = reason
            case ev.ToolCallRequested(calls=calls):
                self.calls.extend(calls)
                self.held.extend(call for call in calls if call.name in self.answered)
            case ev.SessionError(message=message, fatal=True):
                self.fatal = message
            case _:
                pass
        self._changed.set()

    def _text(self, number: int) -> TurnSeen:
        turn = self.turn(number)
        if turn.first_text_at is None:
            turn.first_text_at = self.clock()
        return turn

    def take_held(self, name: str) -> ev.ToolCall | None:
        """The oldest held call of `name`, taken; None when there is none."""
        call = next((call for call in self.held if call.name == name), None)
        if call is not None:
            self.held.remove(call)
        return call

    async def until(self, condition: Callable[[], bool], timeout: float) -> bool:
        """Wait until `condition()` holds (True), the session has failed, or `timeout` seconds (False)."""
        try:
            async with asyncio.timeout(timeout):
                while not condition():
                    if self.fatal is not None:
                        return False
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            return False
        return True
