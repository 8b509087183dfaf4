"""The journal: every domain event of a session, appended and flushed to ``events.jsonl`` as it happens
(what the client sends by itself, within a fraction of a second).

Each line is one JSON object::

    {"t": <wall-clock seconds>, "m": <monotonic seconds>, "event": <event.model_dump(mode="json")>}

with, for an event that carries audio (`AudioOut`), its samples moved to a sidecar track and the line
saying where (``"audio": {"track": "model", "offset": <frame>, "frames": <count>, "rate": 24000}``), and
for a camera frame its JPEG moved to ``frames/`` (``"image": "frames/000001.jpg"``). A block of the
microphone's audio is a line with no event, only ``"audio"`` (track ``mic``).

Everything the session receives or does is written and flushed as it happens, so a crash (even SIGKILL)
loses nothing already received. What the client sends by itself many times a second (the microphone's
blocks and the frames it writes to the wire) is held for a fraction of a second (:data:`HOLD_SECONDS`;
`JournalKeeper` writes it a little later if nothing follows it) and written in one go, in its place among
the lines: anything else written after it writes it first. A crash loses at most that much of what was
sent, never anything received. A line cut off by a crash is skipped by the reader.

The directory and its files are private to the user. Events never hold the API key (the engine redacts
URLs and keeps the key in a header), so the journal cannot either.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import pydantic_core

from livetui import events as ev
from livetui.live.limits import LimitError
from livetui.record.paths import FRAMES, JOURNAL, PRIVATE_FILE, new_session_dir, private_dir
from livetui.record.tracks import TRACK_FILES, AudioRef, Track, TrackWriter, check_rate

Clock = Callable[[], float]

HOLD_SECONDS = 0.2
"""What the client sends by itself is written once the oldest of it is this old (or sooner, when anything
else is written): one write of the journal and one of the ``mic`` track for five blocks of 40 ms instead of
a write of each for every block. (`JournalKeeper` writes it soon after, even if nothing follows it.)"""
HOLD_LINES = 64
"""At most this many lines are held, however close together they were sent."""


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


@dataclass(frozen=True, slots=True)
class _Sent:
    """Something the client sent, held to be written (`Journal.write_held`): a frame, or a mic block."""

    t: float
    m: float
    frame: ev.WireFrame | None = None
    pcm: bytes = b""
    rate: int = 0


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
        self._held: list[_Sent] = []
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
        except OSError as error:
            raise self._cannot_write(error) from None
        self._file = os.fdopen(fd, "w", encoding="utf-8", buffering=1 << 16)

    def _cannot_write(self, error: OSError) -> JournalError:
        """The one-line error for a journal that `error` kept from being written."""
        return JournalError(f"cannot write the journal {self.path}: {error.strerror}")

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

    @property
    def holding(self) -> bool:
        """True while something the client sent is held, not yet written (see the module docstring)."""
        return bool(self._held)

    def write(self, event: ev.AnyEvent) -> None:
        """Append one event as a line and flush it, after what is held (audio and images go to their
        sidecars first); a frame the client wrote is held instead (see the module docstring).

        Raises:
            JournalError: the write failed.
        """
        t, m = self._wall(), self._monotonic()
        if isinstance(event, ev.WireFrame) and event.direction == "out":
            self._hold(_Sent(t, m, frame=event))
            return
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
            self._write_held()
            self._file.write(f'{{"t":{t!r},"m":{m!r},"event":{body}{extra}}}\n')
            self._file.flush()
        except OSError as error:
            raise self._cannot_write(error) from None
        except LimitError as error:
            raise UnrecordableEvent(f"could not journal an {event.kind} event: {error}") from None
        self.lines += 1

    def mic(self, pcm: bytes, rate: int = 16000) -> None:
        """Hold a block of the microphone's audio for the ``mic`` track, with a line saying where it went
        (written with the rest of what is held: see the module docstring).

        Raises:
            UnrecordableEvent: `rate` is not an audio rate livetui accepts (the block is dropped).
            JournalError: writing what was held failed.
        """
        try:
            check_rate(rate)
        except LimitError as error:
            raise UnrecordableEvent(f"could not journal the microphone: {error}") from None
        self._hold(_Sent(self._wall(), self._monotonic(), pcm=pcm, rate=rate))

    def _hold(self, sent: _Sent) -> None:
        """Hold `sent`; write all that is held once the oldest of it is :data:`HOLD_SECONDS` old."""
        held = self._held
        held.append(sent)
        if sent.m - held[0].m >= HOLD_SECONDS or len(held) >= HOLD_LINES:
            self.write_held()

    def write_held(self) -> None:
        """Write and flush what the client sent that is still held, in order.

        Raises:
            JournalError: the write failed (what was held is dropped: the journal stops anyway).
        """
        if self._held:
            try:
                self._write_held()
                self._file.flush()
            except OSError as error:
                raise self._cannot_write(error) from None

    def _write_held(self) -> None:
        """Hand what is held to the journal's buffer (the mic blocks to their track in one write)."""
        held, self._held = self._held, []
        if not held:
            return
        blocks = [(sent.pcm, sent.rate) for sent in held if sent.frame is None]
        refs = iter(self._track("mic").append_all(blocks) if blocks else ())
        lines: list[str] = []
        for sent in held:
            if sent.frame is not None:
                lines.append(f'{{"t":{sent.t!r},"m":{sent.m!r},"event":{_event_json(sent.frame)}}}\n')
            else:
                audio = pydantic_core.to_json(next(refs).as_json()).decode()
                lines.append(f'{{"t":{sent.t!r},"m":{sent.m!r},"audio":{audio}}}\n')
        self._file.write("".join(lines))
        self.lines += len(lines)

    def audio(self, track: Track, pcm: bytes, rate: int) -> AudioRef:
        """Append audio to a sidecar track; where it went (the caller journals the reference).

        Raises:
            LimitError: `rate` is not an audio rate livetui accepts (nothing is written).
        """
        return self._track(track).append(pcm, rate)

    def _track(self, track: Track) -> TrackWriter:
        writer = self._tracks.get(track)
        if writer is None:
            writer = self._tracks[track] = TrackWriter(self.directory / TRACK_FILES[track], track)
        return writer

    def _frame(self, number: int, jpeg: bytes) -> str:
        folder = private_dir(self.directory / FRAMES)
        name = f"{number:06d}.jpg"
        fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
        with os.fdopen(fd, "wb") as file:
            file.write(jpeg)
        return f"{FRAMES}/{name}"

    def close(self) -> None:
        """Write what is held, then flush and close the journal and its tracks.

        Raises:
            JournalError: what was held could not be written (the files are closed all the same).
        """
        try:
            if not self._file.closed:
                self.write_held()
        finally:
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
