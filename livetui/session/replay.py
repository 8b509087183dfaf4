"""The conversation so far, kept in neutral terms to be replayed on a new connection where the provider
cannot resume a session by handle (and, first, any earlier conversation the session continues).

Each turn keeps what the user said (the typed text, or the final transcript of their speech) and what the
model said (its text, or else the transcript of its speech). The codec drops a reply's output once the
turn is interrupted, so an interrupted turn keeps exactly what was shown.

Speech arrives ahead of playback, so when it is cut (`Heard`) its transcript is cut where the user stopped
hearing it, as OpenAI's server cuts its own copy of the item: each piece of the transcript is kept if the
speech received before it (the speech it begins) began before the cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from livetui import events as ev
from livetui.live.codec import Exchange


@dataclass
class _Lines:
    """What was said in one turn."""

    user: str = ""
    text: str = ""
    said: list[tuple[float, str]] = field(default_factory=list)
    """The pieces of the speech's transcript, each with the milliseconds of speech received before it."""
    spoken_ms: float = 0.0
    """Milliseconds of speech received."""
    heard_ms: float | None = None
    """Where the speech was cut (None: it was not)."""

    @property
    def transcript(self) -> str:
        cut = self.heard_ms
        return "".join(piece for at, piece in self.said if cut is None or at < cut)

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
            lines = self._lines(event.turn)
            lines.said.append((lines.spoken_ms, event.text))
        elif isinstance(event, ev.AudioOut) and event.rate > 0:
            self.spoken(event.turn, len(event.pcm) / 2 / event.rate)
        elif isinstance(event, ev.Heard):
            self._lines(event.turn).heard_ms = event.ms

    def spoken(self, turn: int, seconds: float) -> None:
        """`seconds` more of `turn`'s speech arrived (a journal read back gives them apart from its
        events)."""
        self._lines(turn).spoken_ms += seconds * 1000

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
