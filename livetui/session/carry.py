"""Continue a recorded session: its conversation, read from the journal, as the history a new session
opens with (the engine's `LiveSession.carry`).

What is carried is what the replay after a reconnect would carry (`livetui.session.replay`): for each turn
what the user typed or was heard to say, and what the model showed (or else said); an interrupted reply
carries what was shown, and of its speech what was heard.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from livetui import events as ev
from livetui.live.codec import Exchange
from livetui.record.reader import read_recording
from livetui.session.replay import Replay
from livetui.wording import counted


@dataclass(frozen=True)
class Carried:
    """The conversation of a recorded session, to continue it."""

    name: str
    """The session directory's name."""
    history: tuple[Exchange, ...]
    """Its lines, in order."""
    turns: int
    """How many of its turns have something carried."""

    @property
    def notice(self) -> str:
        """The line that says what the new session carries."""
        turns = counted(self.turns, "turn")
        return f"continuing {self.name}: {turns} of its conversation carried as context"


def carried_from(directory: Path) -> Carried:
    """The conversation recorded in `directory`.

    Raises:
        OSError: the journal cannot be read.
    """
    replay = Replay()
    for entry in read_recording(directory).entries:
        if entry.event is not None:
            replay.observe(entry.event)
        if isinstance(entry.event, ev.AudioOut) and entry.audio is not None:
            replay.spoken(entry.event.turn, entry.audio.duration)
    return Carried(directory.name, tuple(replay.exchanges()), replay.turns)
