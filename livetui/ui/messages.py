"""Textual messages that carry the session's domain events to the panes that show them.

The engine calls the app's `emit` with each domain event (`livetui.events`); the main screen wraps it with
:func:`wrap` and posts it to every pane that declares the event's type in its ``CONSUMES``. A pane never
sees a wire frame except as a `WireFrame` event. The message carries the runtime whose session produced
the event (a model turn posts the marks only it can see, ``t2`` first text painted and ``k1`` interrupted
text final, for the app to hand to that runtime) and the frames waiting in its send queue at the time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Protocol

from textual.message import Message

from livetui import events as ev
from livetui.session.runtime import Runtime


@dataclass
class SessionEvent(Message, bubble=False):
    """A domain event from the session, delivered to one pane (it never bubbles; each subclass says so again,
    as Textual's messages bubble unless their own class says otherwise)."""

    event: ev.AnyEvent
    """The event, as the engine emitted it."""
    runtime: Runtime | None
    """The runtime whose session emitted it; None for an event the app made itself (a connector that
    failed)."""
    queued: int | None = None
    """Frames waiting in the session's send queue when the event was delivered (None: no session)."""


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
            and message.runtime is self.runtime
        ):
            return False
        message.event = later.model_copy(update={"text": earlier.text + later.text})
        return True


def wrap(event: ev.AnyEvent, runtime: Runtime | None) -> SessionEvent:
    """The message that carries `event` to a pane: high-rate latency marks, mic levels and text deltas may
    be coalesced."""
    queued = runtime.send_queue_depth if runtime is not None else None
    if isinstance(event, ev.TextDelta):
        return TextUpdate(event, runtime, queued)
    if isinstance(event, ev.LatencyMark):
        return LatencyUpdate(event, runtime, queued)
    if isinstance(event, ev.MicLevel):
        return MicLevelUpdate(event, runtime, queued)
    return SessionEvent(event, runtime, queued)


class EventConsumer(Protocol):
    """A pane that receives session events: the main screen routes by ``CONSUMES``."""

    CONSUMES: ClassVar[tuple[type[ev.Event], ...]]
    """The domain event types this pane shows."""

    def post_message(self, message: Message) -> bool:
        """Queue a message for the pane (Textual's `MessagePump.post_message`)."""
        ...
