"""The journal as the app keeps it: started with the session, fed every event, and never in the way.

A journal that cannot be created or written is reported once (through `notify`) and recording stops;
the session goes on. An event that cannot be recorded (`UnrecordableEvent`) is reported and skipped.
What the journal holds of what the client sent is written within :data:`WRITE_HELD_WITHIN` even when
nothing comes after it (the microphone was muted): on the event loop's clock, or at once when there is
no loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from livetui import events as ev
from livetui.record.journal import HOLD_SECONDS, Journal, JournalError, UnrecordableEvent

WRITE_HELD_WITHIN = 1.5 * HOLD_SECONDS
"""Seconds after the journal starts holding something by which the keeper writes it, if the journal has not
(later than the journal's own :data:`HOLD_SECONDS`, so that a streaming microphone never has the timer wake
the process: its block that makes the held audio old enough writes it first)."""

Notify = Callable[[str], None]
"""Shows the user one line."""


class JournalKeeper:
    """Keeps one session's journal for the app."""

    def __init__(self, notify: Notify, root: Path | None = None) -> None:
        """Start a journal in a new session directory under `root` (default: the user data directory)."""
        self._notify = notify
        self.directory: Path | None = None
        """The session directory (None when the journal could not be started)."""
        self._journal: Journal | None = None
        self._timer: asyncio.TimerHandle | None = None
        try:
            self._journal = Journal.start(root)
        except JournalError as error:
            notify(f"{error}: this session is not recorded")
            return
        self.directory = self._journal.directory

    @property
    def recording(self) -> bool:
        """True while events are being journaled."""
        return self._journal is not None

    def event(self, event: ev.AnyEvent) -> None:
        """Journal an event."""
        if self._journal is not None:
            try:
                self._journal.write(event)
            except UnrecordableEvent as error:
                self._notify(str(error))
            except JournalError as error:
                self._fail(error)
            self._watch_held()

    def mic(self, pcm: bytes, rate: int) -> None:
        """Journal a block of microphone audio."""
        if self._journal is not None:
            try:
                self._journal.mic(pcm, rate)
            except UnrecordableEvent as error:
                self._notify(str(error))
            except JournalError as error:
                self._fail(error)
            self._watch_held()

    def flush(self) -> None:
        """Write what the journal holds now (the keeper's timer does, when nothing else has)."""
        self._stop_timer()
        if self._journal is not None:
            try:
                self._journal.write_held()
            except JournalError as error:
                self._fail(error)

    def _watch_held(self) -> None:
        """Have what the journal holds written within :data:`WRITE_HELD_WITHIN`, or stop waiting when it
        has been (a cancelled timer never wakes the loop)."""
        holding = self._journal is not None and self._journal.holding
        if not holding:
            self._stop_timer()
        elif self._timer is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                self.flush()
                return
            self._timer = loop.call_later(WRITE_HELD_WITHIN, self.flush)

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _fail(self, error: JournalError) -> None:
        journal, self._journal = self._journal, None
        if journal is not None:
            journal.close()
        self._notify(f"{error}: the rest of this session is not recorded")

    def close(self) -> None:
        """Finish the journal (the directory stays known, for exports)."""
        self._stop_timer()
        journal, self._journal = self._journal, None
        if journal is not None:
            try:
                journal.close()
            except JournalError as error:
                self._notify(f"{error}: the end of this session is not recorded")
