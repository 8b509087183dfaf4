"""A session's conversation rebuilt from its journal: turns (what the user said, what the model showed and
said, tool calls, interruptions) and notes (notices, errors, reconnects), in the order they happened.

Every export reads this, not the raw events. The tokens each turn used (and the session, added up) come
from the server's usage reports, and the session's estimated cost from those and a price table
(`Transcript.cost`). Times are kept both ways: wall-clock (`Entry.t`, for
timestamps a person reads) and session time (seconds since the first journal line, on the monotonic clock,
for captions and audio placed on one timeline).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from livetui import events as ev
from livetui.config import Price
from livetui.record.reader import Entry, Recording
from livetui.record.tracks import AudioRef
from livetui.record.usage import Cost, Tokens, shown_cost


@dataclass
class ToolCallRecord:
    """One function call of a turn, and how it ended."""

    call_id: str
    """The call's id."""
    name: str
    """The function's name."""
    args: dict[str, object]
    """Its arguments."""
    status: str = "requested"
    """The last status seen: ``requested``, ``running``, ``done``, ``error``, ``cancelled``, ``denied``..."""
    result: dict[str, object] | None = None
    """The response sent, if one was."""


@dataclass(frozen=True)
class Piece:
    """A piece of a turn's text and when it arrived (session seconds)."""

    at: float
    """Session time of arrival."""
    text: str
    """The text."""


@dataclass(frozen=True)
class Clip:
    """A chunk of a turn's audio and where it is in its sidecar track."""

    at: float
    """Session time the chunk arrived."""
    ref: AudioRef
    """Where its samples are."""


@dataclass
class Turn:
    """One turn: the user's input and the model's reply (numbered as in the app)."""

    number: int
    """The turn's number."""
    at: float
    """Wall-clock time the turn appeared in the journal."""
    user: str = ""
    """What the user typed."""
    heard: str = ""
    """What the model heard the user say (input transcript)."""
    text: list[Piece] = field(default_factory=list)
    """The model's text, as shown, piece by piece."""
    thoughts: str = ""
    """Thought text the model showed (not part of its answer)."""
    spoken: list[Piece] = field(default_factory=list)
    """The transcript of the model's speech, piece by piece."""
    audio: list[Clip] = field(default_factory=list)
    """The model's speech."""
    tools: list[ToolCallRecord] = field(default_factory=list)
    """Function calls, in the order asked."""
    reply_at: float | None = None
    """Wall-clock time of the reply's first text, speech or tool call."""
    ended_at: float | None = None
    """Wall-clock time the turn ended."""
    ended: float | None = None
    """Session time the turn ended."""
    reason: str | None = None
    """How it ended: ``complete``, ``interrupted``, ``disconnected``... (None: still open when the journal
    stops)."""
    interrupted_by: Literal["user", "server"] | None = None
    """Who interrupted it, first."""
    interrupted: float | None = None
    """Session time of the interruption."""
    usage: Tokens | None = None
    """Tokens the turn used, as the server reported them (None: it reported none)."""

    @property
    def reply(self) -> str:
        """The model's text as shown."""
        return "".join(piece.text for piece in self.text)

    @property
    def speech(self) -> str:
        """The transcript of the model's speech."""
        return "".join(piece.text for piece in self.spoken)

    def tool(self, call_id: str) -> ToolCallRecord | None:
        """A call of this turn by id."""
        return next((call for call in self.tools if call.call_id == call_id), None)


@dataclass(frozen=True)
class Note:
    """A line for the reader that is not part of a turn: a notice, an error, a reconnect."""

    at: float
    """Wall-clock time."""
    kind: Literal["notice", "error"]
    """A notice (information) or an error."""
    text: str
    """The line."""


@dataclass
class Transcript:
    """A session's conversation (see the module docstring)."""

    name: str
    """The session directory's name."""
    started: float | None = None
    """Wall-clock time of the first journal line (None for an empty journal)."""
    origin: float = 0.0
    """Monotonic time of the first journal line: session time 0."""
    items: list[Turn | Note] = field(default_factory=list)
    """Turns and notes, in the order they first appeared."""
    notices: list[str] = field(default_factory=list)
    """Problems met reading the journal (one line each)."""
    mic: list[Clip] = field(default_factory=list)
    """The microphone's audio blocks."""
    end: float = 0.0
    """Session time of the last journal line."""
    usage: Tokens | None = None
    """Tokens the session used, added up (None: the server reported none)."""
    provider: str | None = None
    """Who the session was with (None: the journal does not say)."""
    model: str | None = None
    """The model it talked to (None: the journal does not say)."""

    def cost(self, prices: Mapping[str, Price]) -> Cost | None:
        """The session's estimated cost at `prices`, as the status bar showed it; None where none is
        shown (no usage reported, no provider recorded, or the embedded local server)."""
        if self.usage is None or self.provider is None or self.model is None:
            return None
        return shown_cost(self.usage, prices, self.provider, self.model)

    @property
    def turns(self) -> list[Turn]:
        """The turns alone, in order."""
        return [item for item in self.items if isinstance(item, Turn)]


class _Builder:
    def __init__(self, recording: Recording) -> None:
        self.transcript = Transcript(recording.directory.name, notices=list(recording.notices))
        self.turns: dict[int, Turn] = {}

    def turn(self, number: int, entry: Entry) -> Turn:
        turn = self.turns.get(number)
        if turn is None:
            turn = self.turns[number] = Turn(number, entry.t)
            self.transcript.items.append(turn)
        return turn

    def reply(self, number: int, entry: Entry) -> Turn:
        turn = self.turn(number, entry)
        if turn.reply_at is None:
            turn.reply_at = entry.t
        return turn

    def note(self, entry: Entry, kind: Literal["notice", "error"], text: str) -> None:
        self.transcript.items.append(Note(entry.t, kind, text))

    def take(self, entry: Entry) -> None:
        at = entry.m - self.transcript.origin
        self.transcript.end = max(self.transcript.end, at)
        event = entry.event
        if event is None:
            if entry.audio is not None and entry.audio.track == "mic":
                self.transcript.mic.append(Clip(at, entry.audio))
            return
        match event:
            case ev.UserText(turn=number, text=text):
                self.turn(number, entry).user += text
            case ev.InputTranscript(turn=number):
                turn = self.turn(number, entry)
                turn.heard = event.heard_after(turn.heard)
            case ev.TextDelta(turn=number, text=text, thought=True):
                self.reply(number, entry).thoughts += text
            case ev.TextDelta(turn=number, text=text):
                self.reply(number, entry).text.append(Piece(at, text))
            case ev.OutputTranscript(turn=number, text=text):
                self.reply(number, entry).spoken.append(Piece(at, text))
            case ev.AudioOut(turn=number) if entry.audio is not None:
                self.reply(number, entry).audio.append(Clip(at, entry.audio))
            case ev.ToolCallRequested(turn=number, calls=calls):
                turn = self.reply(number, entry)
                turn.tools.extend(ToolCallRecord(call.call_id, call.name, dict(call.args)) for call in calls)
            case ev.ToolCallStatus(turn=number, call_id=call_id, status=status, result=result):
                self._tool(number, call_id, status, result)
            case ev.ToolResult(turn=number, call_id=call_id, response=response):
                self._tool(number, call_id, "error" if "error" in response else "done", response)
            case ev.ToolCallCancelled(turn=number, call_ids=ids):
                for call_id in ids:
                    self._tool(number, call_id, "cancelled", None)
            case ev.Interrupted(turn=number, by=by):
                turn = self.turn(number, entry)
                if turn.interrupted_by is None:
                    turn.interrupted_by, turn.interrupted = by, at
            case ev.TurnComplete(turn=number, reason=reason):
                turn = self.turn(number, entry)
                turn.reason, turn.ended_at, turn.ended = reason, entry.t, at
            case ev.Usage(turn=number):
                self._usage(self.turn(number, entry), event)
            case ev.SessionInfo(provider=provider, model=model) if self.transcript.provider is None:
                self.transcript.provider, self.transcript.model = provider, model
            case ev.Notice(message=text):
                self.note(entry, "notice", text)
            case ev.SessionError(message=text):
                self.note(entry, "error", text)
            case ev.Disconnected(reason=reason, will_retry=retry):
                self.note(entry, "notice", f"disconnected: {reason}" + (" (reconnecting)" if retry else ""))
            case _:
                pass

    def _usage(self, turn: Turn, usage: ev.Usage) -> None:
        turn.usage = turn.usage or Tokens()
        turn.usage.add(usage)
        self.transcript.usage = self.transcript.usage or Tokens()
        self.transcript.usage.add(usage)

    def _tool(self, number: int, call_id: str, status: str | None, result: dict[str, object] | None) -> None:
        turn = self.turns.get(number)
        call = turn.tool(call_id) if turn is not None else None
        if call is None:
            return
        if status is not None:
            call.status = status
        if result is not None:
            call.result = result


def build_transcript(recording: Recording) -> Transcript:
    """The conversation in a recording (see the module docstring)."""
    builder = _Builder(recording)
    if recording.entries:
        builder.transcript.started = recording.entries[0].t
        builder.transcript.origin = recording.entries[0].m
    for entry in recording.entries:
        builder.take(entry)
    return builder.transcript
