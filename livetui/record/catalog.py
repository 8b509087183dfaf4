"""The recorded sessions as a list a person can browse: when each started, what it talked to, how many
turns it had, how long it lasted, and its first words; and the trash a deleted session goes to.

A summary is read from the journal itself (`read_recording`), so it is true for a session cut off by a
crash too. What the session talked to comes from its `SessionInfo` line; a journal written before that
line existed is named by the host it connected to. Deleting never removes anything: the session's
directory is moved into ``trash/`` in the data directory, where the user can take it back.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from livetui import events as ev
from livetui.config import data_dir
from livetui.record.paths import list_sessions, private_dir
from livetui.record.reader import Recording, read_recording
from livetui.record.transcript import Transcript, build_transcript

TRASH = "trash"
"""The folder in the data directory that deleted sessions are moved to."""

FIRST_WORDS = 60
"""Characters of the first thing said that a summary keeps."""


@dataclass(frozen=True)
class SessionSummary:
    """One recorded session, as the sessions list shows it."""

    directory: Path
    """The session directory."""
    started: float | None
    """Wall-clock time of its first journal line (None for an empty journal)."""
    provider: str
    """What it talked to: `gemini`, `openai`, `local` (`?` when the journal does not say)."""
    model: str
    """The model (on the local server, its brain); "" when the journal does not say."""
    turns: int
    """Turns in the conversation."""
    duration: float
    """Seconds from its first journal line to its last."""
    first_words: str
    """The beginning of the first thing the user (or else the model) said; "" for none."""
    text: str
    """Everything said, in lower case, for the search box."""
    continued_from: str | None = None
    """The session it continues, if it does."""

    @property
    def name(self) -> str:
        """The session directory's name."""
        return self.directory.name

    def matches(self, query: str) -> bool:
        """True when every word of `query` is in the session's name, provider, model or conversation."""
        haystack = f"{self.name} {self.provider} {self.model} {self.text}".lower()
        return all(word in haystack for word in query.lower().split())

    def as_json(self) -> dict[str, object]:
        """The summary as a JSON object (`livetui sessions --json`)."""
        from livetui.record.export.jsondoc import iso

        return {
            "session": self.name,
            "path": str(self.directory),
            "started": iso(self.started),
            "provider": self.provider,
            "model": self.model,
            "turns": self.turns,
            "duration_seconds": round(self.duration, 3),
            "first_words": self.first_words,
            "continued_from": self.continued_from,
        }


def _host_provider(url: str) -> str:
    """The provider an endpoint's URL names, for journals without a `SessionInfo` line."""
    host = urlsplit(url).hostname or ""
    if host.endswith("googleapis.com"):
        return "gemini"
    if host.endswith(("openai.com", "azure.com", "x.ai")):
        return "openai"
    return "local" if host in ("127.0.0.1", "localhost", "::1") else "?"


def _first_words(transcript: Transcript) -> str:
    for turn in transcript.turns:
        said = (turn.user or turn.heard or turn.reply or turn.speech).strip()
        if said:
            words = " ".join(said.split())
            return words if len(words) <= FIRST_WORDS else words[: FIRST_WORDS - 1].rstrip() + "…"
    return ""


def summarize(recording: Recording) -> SessionSummary:
    """The summary of one read session."""
    transcript = build_transcript(recording)
    info = next((event for event in recording.events if isinstance(event, ev.SessionInfo)), None)
    if info is not None:
        provider, model = info.provider, info.model
    else:
        url = next((event.url for event in recording.events if isinstance(event, ev.Connecting)), "")
        provider, model = _host_provider(url), ""
    said = [piece for turn in transcript.turns for piece in (turn.user, turn.heard, turn.reply, turn.speech)]
    return SessionSummary(
        directory=recording.directory,
        started=transcript.started,
        provider=provider,
        model=model,
        turns=len([turn for turn in transcript.turns if turn.user or turn.heard or turn.reply]),
        duration=transcript.end,
        first_words=_first_words(transcript),
        text=" ".join(" ".join(said).split()).lower(),
        continued_from=info.continued_from if info is not None else None,
    )


def session_summaries(root: Path | None = None) -> Iterator[SessionSummary]:
    """A summary of every recorded session under `root` (default: the data directory), newest first; a
    journal that cannot be read at all is left out."""
    for directory in reversed(list_sessions(root)):
        try:
            recording = read_recording(directory)
        except OSError:
            continue
        yield summarize(recording)


def trash_dir(root: Path | None = None) -> Path:
    """Where deleted sessions go (`root` defaults to the user data directory)."""
    return (root if root is not None else data_dir()) / TRASH


def move_to_trash(directory: Path, root: Path | None = None) -> Path:
    """Move a session directory into the trash; returns where it went (a name already there gets a number).

    Raises:
        OSError: it could not be moved.
    """
    trash = private_dir(trash_dir(root))
    target = trash / directory.name
    number = 1
    while target.exists():
        number += 1
        target = trash / f"{directory.name}.{number}"
    shutil.move(directory, target)
    return target
