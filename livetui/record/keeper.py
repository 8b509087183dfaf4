"""The journal as the app keeps it: started with the session, fed every event, and never in the way.

A journal that cannot be created or written is reported once (through `notify`) and recording stops;
the session goes on. An event that cannot be recorded (`UnrecordableEvent`) is reported and skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from livetui import events as ev
from livetui.record.journal import Journal, JournalError, UnrecordableEvent

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

    def mic(self, pcm: bytes, rate: int) -> None:
        """Journal a block of microphone audio."""
        if self._journal is not None:
            try:
                self._journal.mic(pcm, rate)
            except UnrecordableEvent as error:
                self._notify(str(error))
            except JournalError as error:
                self._fail(error)

    def _fail(self, error: JournalError) -> None:
        journal, self._journal = self._journal, None
        if journal is not None:
            journal.close()
        self._notify(f"{error}: the rest of this session is not recorded")

    def close(self) -> None:
        """Finish the journal (the directory stays known, for exports)."""
        if self._journal is not None:
            self._journal.close()
            self._journal = None
