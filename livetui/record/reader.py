"""Reading a journal back: every complete line, in order, as entries with their events.

A journal cut off mid-line (the app was killed while writing) is read up to its last complete line, and a
line that cannot be read (damaged, or an event kind from a newer livetui) is skipped; either way the
result says so in one line (`Recording.notices`), and nothing readable is lost.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from livetui import events as ev
from livetui.record.paths import JOURNAL
from livetui.record.tracks import TRACK_FILES, AudioRef, Track


@dataclass(frozen=True)
class Entry:
    """One journal line."""

    t: float
    """Wall-clock time it was written (UNIX seconds)."""
    m: float
    """Monotonic time it was written (the clock of latency marks)."""
    event: ev.AnyEvent | None
    """The event (None for a block of microphone audio)."""
    audio: AudioRef | None = None
    """Where the line's audio is, when it has some."""
    image: str | None = None
    """The camera frame's file, relative to the session directory."""


@dataclass
class Recording:
    """A session directory, read."""

    directory: Path
    """The session directory."""
    entries: list[Entry] = field(default_factory=list)
    """Every readable line, in order."""
    notices: list[str] = field(default_factory=list)
    """One line per problem met while reading (a cut-off end, skipped lines)."""

    @property
    def events(self) -> list[ev.AnyEvent]:
        """The events alone, in order."""
        return [entry.event for entry in self.entries if entry.event is not None]

    def track_path(self, track: Track) -> Path:
        """The sidecar file of a track."""
        return self.directory / TRACK_FILES[track]


def _entry(line: str) -> Entry:
    data = json.loads(line)
    raw_event = data.get("event")
    event = ev.EVENT_ADAPTER.validate_python(raw_event) if raw_event is not None else None
    audio = data.get("audio")
    ref = None
    if audio is not None:
        ref = AudioRef(audio["track"], int(audio["offset"]), int(audio["frames"]), int(audio["rate"]))
    return Entry(float(data["t"]), float(data["m"]), event, ref, data.get("image"))


def read_recording(directory: Path) -> Recording:
    """Read a session directory's journal.

    Raises:
        OSError: the journal cannot be read at all.
    """
    recording = Recording(directory)
    data = (directory / JOURNAL).read_bytes()
    complete, _, tail = data.rpartition(b"\n")
    if tail.strip():
        last = complete.count(b"\n") + 1 if complete else 0
        recording.notices.append(
            f"the journal ends mid-line (the app stopped while writing): read up to line {last}, "
            "its last complete line"
        )
    skipped = 0
    first_skipped = 0
    for number, raw in enumerate(complete.split(b"\n") if complete else [], start=1):
        if not raw.strip():
            continue
        try:
            recording.entries.append(_entry(raw.decode("utf-8")))
        except (ValueError, KeyError, TypeError, ValidationError):
            skipped += 1
            first_skipped = first_skipped or number
    if skipped:
        lines = "line" if skipped == 1 else "lines"
        recording.notices.append(
            f"skipped {skipped} unreadable {lines} of the journal (the first is line {first_skipped})"
        )
    return recording
