"""Textual messages that carry the session's domain events to the panes that show them.

The engine calls the app's `emit` with each domain event (`livetui.events`); the main screen wraps it with
:func:`wrap` and posts it to every pane that declares the event's type in its ``CONSUMES``. A pane never
sees a wire frame except as a `WireFrame` event. The message carries the session that produced the event,
so a pane can record the marks only it can see (``t2`` first text painted, ``k1`` interrupted text final).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Protocol

from textual.message import Message

from livetui import events as ev
from livetui.session.engine import LiveSession


@dataclass
class SessionEvent(Message, bubble=False):
    """A domain event from the session, delivered to one pane (it never bubbles; each subclass says so again,
    as Textual's messages bubble unless their own class says otherwise)."""

    event: ev.AnyEvent
    """The event, as the engine emitted it."""
    session: LiveSession | None
    """The session that emitted it; None for an event the app made itself (a connector that failed)."""


@dataclass
class LatencyUpdate(SessionEvent, bubble=False):
    """A latency mark; a newer one replaces one still queued (the pane reads the tracker, not the mark)."""

    def can_replace(self, message: Message) -> bool:
        """A queued latency update is superseded by any newer one."""
        return isinstance(message, LatencyUpdate)


@dataclass
class MicLevelUpdate(SessionEvent, bubble=False):
    """The microphone's level (ten a second); a newer one replaces one still queued."""

    def can_replace(self, message: Message) -> bool:
        """A queued level is superseded by any newer one."""
        return isinstance(message, MicLevelUpdate)


@dataclass
class TextUpdate(SessionEvent, bubble=False):
    """A text delta; deltas of one turn queued one behind the other are handled as one (the chat appends
    them in one go, however fast a server sends them)."""

    def can_replace(self, message: Message) -> bool:
        """A queued delta is folded into the next one of the same turn and kind: its text goes first."""
        earlier, later = self.event, getattr(message, "event", None)
        if not (
            isinstance(message, TextUpdate)
            and isinstance(earlier, ev.TextDelta)
            and isinstance(later, ev.TextDelta)
            and (later.turn, later.thought) == (earlier.turn, earlier.thought)
            and message.session is self.session
        ):
            return False
        message.event = later.model_copy(update={"text": earlier.text + later.text})
        return True


def wrap(event: ev.AnyEvent, session: LiveSession | None) -> SessionEvent:
    """The message that carries `event` to a pane: high-rate latency marks, mic levels and text deltas may
    be coalesced."""
    if isinstance(event, ev.TextDelta):
        return TextUpdate(event, session)
    if isinstance(event, ev.LatencyMark):
        return LatencyUpdate(event, session)
    if isinstance(event, ev.MicLevel):
        return MicLevelUpdate(event, session)
    return SessionEvent(event, session)


class EventConsumer(Protocol):
    """A pane that receives session events: the main screen routes by ``CONSUMES``."""

    CONSUMES: ClassVar[tuple[type[ev.Event], ...]]
    """The domain event types this pane shows."""

    def post_message(self, message: Message) -> bool:
        """Queue a message for the pane (Textual's `MessagePump.post_message`)."""
        ...
