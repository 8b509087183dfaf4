"""The journal: every domain event of a session, appended and flushed to ``events.jsonl`` as it happens.

Each line is one JSON object::

    {"t": <wall-clock seconds>, "m": <monotonic seconds>, "event": <event.model_dump(mode="json")>}

with, for an event that carries audio (`AudioOut`), its samples moved to a sidecar track and the line
saying where (``"audio": {"track": "model", "offset": <frame>, "frames": <count>, "rate": 24000}``), and
for a camera frame its JPEG moved to ``frames/`` (``"image": "frames/000001.jpg"``). A block of the
microphone's audio is a line with no event, only ``"audio"`` (track ``mic``). Lines are flushed one
by one, so a crash (even SIGKILL) loses nothing already written; a line cut off by a crash is skipped by
the reader. The directory and its files are private to the user. Events never hold the API key (the
engine redacts URLs and keeps the key in a header), so the journal cannot either.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import pydantic_core

from livetui import events as ev
from livetui.live.limits import LimitError
from livetui.record.paths import FRAMES, JOURNAL, PRIVATE_FILE, new_session_dir, private_dir
from livetui.record.tracks import TRACK_FILES, AudioRef, Track, TrackWriter

Clock = Callable[[], float]


class JournalError(Exception):
    """The journal could not be written (a full disk, a directory that went away). One line."""


class UnrecordableEvent(JournalError):
    """One event could not be journaled (audio at a rate no track takes); the journal goes on. One line."""


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _repaired(data: Any) -> Any:
    """Parsed JSON with each lone UTF-16 surrogate in its strings (keys included) replaced by U+FFFD."""
    if isinstance(data, str):
        return _LONE_SURROGATE.sub("\ufffd", data)
    if isinstance(data, dict):
        return {_repaired(key): _repaired(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_repaired(item) for item in data]
    return data


def _event_json(event: ev.AnyEvent) -> str:
    """An event as one line of JSON; a string no UTF-8 file can hold (a lone surrogate) is repaired."""
    try:
        return event.model_dump_json()
    except ValueError:  # pydantic refuses to encode a lone surrogate
        data = _repaired(event.model_dump(mode="json"))
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class Journal:
    """Writes one session's journal, its sidecar tracks and its camera frames."""

    def __init__(
        self, directory: Path, *, wall: Clock = time.time, monotonic: Clock = time.monotonic
    ) -> None:
        """Open (or create) the journal in `directory`, which must exist.

        Raises:
            JournalError: the journal file cannot be opened.
        """
        self.directory = directory
        """The session directory."""
        self.path = directory / JOURNAL
        """The journal file."""
        self.lines = 0
        """Lines written so far."""
        self._wall = wall
        self._monotonic = monotonic
        self._tracks: dict[Track, TrackWriter] = {}
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
        except OSError as error:
            raise JournalError(f"cannot write the journal {self.path}: {error.strerror}") from None
        self._file = os.fdopen(fd, "w", encoding="utf-8", buffering=1 << 16)

    @classmethod
    def start(cls, root: Path | None = None, *, now: datetime | None = None) -> Journal:
        """A journal in a new session directory under `root` (default: the user data directory).

        Raises:
            JournalError: the directory or the journal cannot be created.
        """
        try:
            directory = new_session_dir(root, now=now)
        except OSError as error:
            where = error.filename or root
            raise JournalError(f"cannot create a session directory in {where}: {error.strerror}") from None
        return cls(directory)

    def write(self, event: ev.AnyEvent) -> None:
        """Append one event as a line and flush it (audio and images go to their sidecars first).

        Raises:
            JournalError: the write failed.
        """
        t, m = self._wall(), self._monotonic()
        extra = ""
        try:
            if isinstance(event, ev.AudioOut):
                ref = self.audio("model", event.pcm, event.rate)
                event = event.model_copy(update={"pcm": b""})
                extra = ',"audio":' + pydantic_core.to_json(ref.as_json()).decode()
            elif isinstance(event, ev.CameraFrame):
                name = self._frame(event.number, event.jpeg)
                event = event.model_copy(update={"jpeg": b""})
                extra = ',"image":' + pydantic_core.to_json(name).decode()
            body = _event_json(event)
            self._file.write(f'{{"t":{t!r},"m":{m!r},"event":{body}{extra}}}\n')
            self._file.flush()
        except OSError as error:
            raise JournalError(f"cannot write the journal {self.path}: {error.strerror}") from None
        except LimitError as error:
            raise UnrecordableEvent(f"could not journal an {event.kind} event: {error}") from None
        self.lines += 1

    def mic(self, pcm: bytes, rate: int = 16000) -> None:
        """Append a block of the microphone's audio to the ``mic`` track, with a line saying where.

        Raises:
            JournalError: the write failed.
        """
        t, m = self._wall(), self._monotonic()
        try:
            ref = self.audio("mic", pcm, rate)
            audio = pydantic_core.to_json(ref.as_json()).decode()
            self._file.write(f'{{"t":{t!r},"m":{m!r},"audio":{audio}}}\n')
            self._file.flush()
        except OSError as error:
            raise JournalError(f"cannot write the journal {self.path}: {error.strerror}") from None
        except LimitError as error:
            raise UnrecordableEvent(f"could not journal the microphone: {error}") from None
        self.lines += 1

    def audio(self, track: Track, pcm: bytes, rate: int) -> AudioRef:
        """Append audio to a sidecar track; where it went (the caller journals the reference).

        Raises:
            LimitError: `rate` is not an audio rate livetui accepts (nothing is written).
        """
        writer = self._tracks.get(track)
        if writer is None:
            writer = self._tracks[track] = TrackWriter(self.directory / TRACK_FILES[track], track)
        return writer.append(pcm, rate)

    def _frame(self, number: int, jpeg: bytes) -> str:
        folder = private_dir(self.directory / FRAMES)
        name = f"{number:06d}.jpg"
        fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
        with os.fdopen(fd, "wb") as file:
            file.write(jpeg)
        return f"{FRAMES}/{name}"

    def close(self) -> None:
        """Flush and close the journal and its tracks."""
        for writer in self._tracks.values():
            writer.close()
        self._tracks.clear()
        if not self._file.closed:
            self._file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
