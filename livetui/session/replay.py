"""The conversation so far, kept in neutral terms to be replayed on a new connection where the provider
cannot resume a session by handle (and, first, any earlier conversation the session continues).

Each turn keeps what the user said (the typed text, or the final transcript of their speech) and what the
model said (its text, or else the transcript of its speech). The codec drops a reply's output once the
turn is interrupted, so an interrupted turn keeps exactly what was shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from livetui import events as ev
from livetui.live.codec import Exchange


@dataclass
class _Lines:
    """What was said in one turn."""

    user: str = ""
    text: str = ""
    transcript: str = ""

    def exchanges(self) -> list[Exchange]:
        model = self.text or self.transcript
        lines = [Exchange("user", self.user)] if self.user else []
        if model:
            lines.append(Exchange("model", model))
        return lines


class Replay:
    """The conversation of a session, turn by turn (see the module docstring), after the earlier
    conversation it carries on, if any."""

    def __init__(self, carried: Sequence[Exchange] = ()) -> None:
        self._carried = tuple(carried)
        self._turns: dict[int, _Lines] = {}

    def observe(self, event: ev.AnyEvent) -> None:
        """Keep what one event of the session adds to the conversation."""
        if isinstance(event, ev.UserText):
            self._lines(event.turn).user = event.text
        elif isinstance(event, ev.InputTranscript) and event.final:
            self._lines(event.turn).user = event.text
        elif isinstance(event, ev.TextDelta) and not event.thought:
            self._lines(event.turn).text += event.text
        elif isinstance(event, ev.OutputTranscript):
            self._lines(event.turn).transcript += event.text

    def _lines(self, turn: int) -> _Lines:
        return self._turns.setdefault(turn, _Lines())

    def exchanges(self) -> list[Exchange]:
        """The conversation so far, in the order of its turns."""
        said = [line for turn in sorted(self._turns) for line in self._turns[turn].exchanges()]
        return [*self._carried, *said]

    @property
    def turns(self) -> int:
        """How many turns have something to replay (a carried conversation counts its model lines)."""
        carried = sum(1 for line in self._carried if line.role == "model")
        return carried + sum(1 for lines in self._turns.values() if lines.exchanges())
