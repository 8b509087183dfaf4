"""``livetui serve --replay SESSION``: a local server that answers with the frames a real server sent in a
recorded session, turn by turn as the client sends its turns, so a bug seen against a provider can be
reproduced offline against the very frames that caused it.

The journal (``events.jsonl``) holds every frame both ways as a wire-frame event, with base64 payloads
abbreviated to ``<N bytes>``; the model's speech is put back from the session's ``model.wav``, chunk by
chunk, in the order the journal names it. The frames the server sent are cut into the *opening* (up to
the client's first turn: ``setupComplete``, or ``session.created`` and ``session.updated``) and one
segment per client turn: a frame that asks for a reply (Gemini: ``clientContent`` with ``turnComplete``,
``realtimeInput`` text, ``toolResponse``, ``activityEnd``; OpenAI: ``response.create``). A client is sent
the opening after its first frame, then the next segment after each frame of its that asks for a reply;
its other frames (audio, pictures, settings) are read and not answered. One client at a time is served
the whole recording; each new connection starts it again.

Each segment is sent with its recorded timing, after the segment before it and from a task of its own,
so the client is read meanwhile (a cancel or its microphone audio never waits for a long reply): every
frame as long after the one before (the first, after the client's frame it answers) as it was in the
session, a pause never longer than `max_gap` seconds (`schedule`), as ``livetui replay`` shortens long
silences.

This module reads the journal as JSON lines, not through the client's record package: the server shares
only the wire protocol with the client.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import re
import time
import wave
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from livetui.config import data_dir
from livetui.live.limits import LimitError, bounded_json
from livetui.server.errors import StartupError

log = logging.getLogger("livetui.server.replay")

JOURNAL = "events.jsonl"
"""The journal's name in a session directory."""

PLACEHOLDER = re.compile(r"^<\d+ bytes>$")
"""How the journal abbreviates a base64 payload."""

MAX_GAP = 3.0
"""The longest pause kept between two frames sent, in seconds (as ``livetui replay``'s ``--max-gap``)."""


@dataclass(frozen=True)
class Timed:
    """A recorded server frame, and when it was sent."""

    after: float
    """Seconds after the client frame its segment answers (journal time)."""
    text: str
    """The frame."""


def schedule(segment: Sequence[Timed], max_gap: float = MAX_GAP) -> list[float]:
    """When to send each frame of `segment`, in seconds after the client's frame it answers: as recorded,
    but with each pause (the one before the first frame too) cut to at most `max_gap`."""
    offsets: list[float] = []
    at = previous = 0.0
    for frame in segment:
        at += min(max(frame.after - previous, 0.0), max_gap)
        previous = max(previous, frame.after)
        offsets.append(at)
    return offsets


@dataclass
class Recorded:
    """The server's side of a recorded session, cut by the client's turns."""

    dialect: str
    """`gemini` or `openai`: the protocol the session spoke."""
    opening: list[Timed] = field(default_factory=list)
    """The frames sent before the client's first turn (timed from its first frame)."""
    turns: list[list[Timed]] = field(default_factory=list)
    """The frames sent after each of the client's turns, in order (timed from the turn's frame)."""
    missing_audio: int = 0
    """Audio payloads the model track could not fill (sent empty)."""


def asks_for_reply(dialect: str, frame: dict[str, Any]) -> bool:
    """True for a client frame that starts (or continues) a reply: the end of a client turn."""
    if dialect == "openai":
        return frame.get("type") == "response.create"
    content = frame.get("clientContent")
    if isinstance(content, dict):
        return bool(content.get("turnComplete"))
    realtime = frame.get("realtimeInput")
    if isinstance(realtime, dict) and ("text" in realtime or "activityEnd" in realtime):
        return True
    return "toolResponse" in frame


def find_recording(name: str) -> Path:
    """The session directory `name` means: a path, or a name in the data directory's sessions.

    Raises:
        StartupError: there is no such session.
    """
    for path in (Path(name).expanduser(), data_dir() / "sessions" / name):
        if (path / JOURNAL).is_file():
            return path
    raise StartupError(f"no recorded session {name!r} (a session directory, or a name from livetui sessions)")


def _payloads(frame: Any) -> Iterator[tuple[Any, Any]]:
    """Each (container, key) whose value is an abbreviated payload, in document order."""
    if isinstance(frame, dict):
        for key, value in frame.items():
            if isinstance(value, str) and PLACEHOLDER.match(value):
                yield frame, key
            else:
                yield from _payloads(value)
    elif isinstance(frame, list):
        for index, value in enumerate(frame):
            if isinstance(value, str) and PLACEHOLDER.match(value):
                yield frame, index
            else:
                yield from _payloads(value)


class _Speech:
    """The model track, handed out chunk by chunk as base64."""

    def __init__(self, path: Path) -> None:
        self.pcm = b""
        if path.is_file():
            with wave.open(str(path), "rb") as wav:
                self.pcm = wav.readframes(wav.getnframes())

    def chunk(self, ref: dict[str, Any]) -> str:
        start = int(ref["offset"]) * 2
        return base64.b64encode(self.pcm[start : start + int(ref["frames"]) * 2]).decode()


def load_recorded(directory: Path) -> Recorded:
    """Read a session's server frames (see the module docstring).

    Raises:
        StartupError: the journal cannot be read, or holds no server frames.
    """
    try:
        lines = (directory / JOURNAL).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise StartupError(f"cannot read {directory / JOURNAL}: {error}") from None
    speech = _Speech(directory / "model.wav")
    sent: list[tuple[str, dict[str, Any], float]] = []  # (direction, frame, journal time) in order
    waiting: list[tuple[Any, Any]] = []  # payloads of the latest server frame not yet filled
    for line in lines:
        try:
            data = json.loads(line)
        except (ValueError, RecursionError):
            continue  # a line cut off by a crash
        event = data.get("event") if isinstance(data, dict) else None
        if not isinstance(event, dict):
            continue
        if event.get("kind") == "wire_frame":
            try:
                frame = json.loads(event["text"])
            except (KeyError, TypeError, ValueError, RecursionError):
                continue
            if not isinstance(frame, dict):
                continue
            at = data.get("m")
            sent.append(
                (event.get("direction", ""), frame, float(at) if isinstance(at, int | float) else 0.0)
            )
            waiting = list(_payloads(frame)) if event.get("direction") == "in" else waiting
        elif event.get("kind") == "audio_out" and "audio" in data and waiting:
            container, key = waiting.pop(0)
            container[key] = speech.chunk(data["audio"])
    dialect = "openai" if any(frame.get("type") == "session.update" for _, frame, _ in sent) else "gemini"
    recorded = Recorded(dialect)
    segment = recorded.opening
    started = sent[0][2] if sent else 0.0  # the opening answers the client's first frame
    for direction, frame, at in sent:
        if direction == "out" and asks_for_reply(dialect, frame):
            segment, started = [], at
            recorded.turns.append(segment)
        elif direction == "in":
            for container, key in _payloads(frame):
                container[key] = ""  # no audio for it in the track
                recorded.missing_audio += 1
            text = json.dumps(frame, ensure_ascii=False, separators=(",", ":"))
            segment.append(Timed(max(0.0, at - started), text))
    if not recorded.opening and not any(recorded.turns):
        raise StartupError(f"{directory / JOURNAL} holds no frames from a server to replay")
    return recorded


class ReplayServer:
    """Serves a `Recorded` session on a local socket (see the module docstring)."""

    def __init__(
        self,
        recorded: Recorded,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        max_gap: float = MAX_GAP,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.recorded = recorded
        """What is replayed."""
        self.max_gap = max_gap
        """The longest pause kept between two frames sent, in seconds."""
        self._clock = clock
        self._sleep = sleep
        self.host = host
        """The address listened on."""
        self.port = port
        """The port (0: any free one, until started)."""
        self._server: Server | None = None

    @property
    def url(self) -> str:
        """``ws://HOST:PORT``."""
        return f"ws://{self.host}:{self.port}"

    async def start(self) -> None:
        """Listen."""
        self._server = await serve(self._handle, self.host, self.port, max_size=16 << 20, compression=None)
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        """Stop listening and close the connections."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _handle(self, websocket: ServerConnection) -> None:
        recorded = self.recorded
        turns = iter(recorded.turns)
        sending: asyncio.Task[None] | None = None  # the segments go out in order while the client is read
        try:
            await websocket.recv()  # setup or session.update: the opening answers it
            await self._send(websocket, recorded.opening)
            async for message in websocket:
                try:
                    frame = bounded_json(message)
                except LimitError:
                    continue
                if isinstance(frame, dict) and asks_for_reply(recorded.dialect, frame):
                    sending = asyncio.create_task(self._send(websocket, next(turns, []), after=sending))
        except ConnectionClosed:
            pass
        finally:
            if sending is not None:
                sending.cancel()
        log.info("replayed a session to %s", websocket.remote_address)

    async def _send(
        self, websocket: ServerConnection, segment: list[Timed], *, after: asyncio.Task[None] | None = None
    ) -> None:
        """Send a segment's frames at their scheduled times (from now, or from when the segment `after`
        has been sent)."""
        if after is not None:
            await after  # it ends quietly when the connection closes
        started = self._clock()
        for offset, frame in zip(schedule(segment, self.max_gap), segment, strict=True):
            delay = started + offset - self._clock()
            if delay > 0:
                await self._sleep(delay)
            try:
                await websocket.send(frame.text)
            except ConnectionClosed:
                return


async def serve_replay(
    name: str, host: str, port: int, stop: asyncio.Event, *, max_gap: float = MAX_GAP
) -> None:
    """Serve the recorded session `name` until `stop` is set, announcing the URL on stdout; pauses
    between frames are kept up to `max_gap` seconds."""
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise StartupError("--replay serves on loopback only (its frames may hold what the session said)")
    if not max_gap >= 0:
        raise StartupError("--max-gap must be at least 0 seconds")
    recorded = load_recorded(find_recording(name))
    server = ReplayServer(recorded, host, port, max_gap=max_gap)
    await server.start()
    try:
        print(f"listening on {server.url}", flush=True)
        log.info("replaying %d turns in the %s dialect", len(recorded.turns), recorded.dialect)
        if recorded.missing_audio:
            log.warning("%d audio payloads are not in the model track: sent empty", recorded.missing_audio)
        await stop.wait()
    finally:
        await server.close()
