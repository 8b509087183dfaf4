"""Handing a session's events on safely: one consumer's failure on an event is one error line, never the
loss of the events after it (of the same frame too), nor the end of the session."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from livetui import events as ev

Deliver = Callable[[ev.AnyEvent], None]
"""Hands one event on."""


def one_line(error: BaseException) -> str:
    """An exception's message on one line (at most 200 characters), or its type's name."""
    return " ".join(str(error).split())[:200] or type(error).__name__


def guarded(emit: Deliver) -> Deliver:
    """`emit`, made safe to call with each event in turn: an event its consumer fails on becomes one
    non-fatal `SessionError` (delivered the same way), and the caller goes on with the next event."""

    def deliver(event: ev.AnyEvent) -> None:
        try:
            emit(event)
        except Exception as error:  # one consumer's failure must not drop the events after it
            message = f"could not handle a {event.kind} event: {one_line(error)}"
            with contextlib.suppress(Exception):  # nothing more to do if the error cannot be told either
                emit(ev.SessionError(message=message))

    return deliver
