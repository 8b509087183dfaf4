"""Fuzzing the local server: hostile frames (hypothesis strategies), a server on its own thread, and one
exchange per frame that tells how the server took it.

Used by ``tests/server/test_fuzz.py`` (a few hundred examples) and ``bench/bench_fuzz_server.py`` (more,
with the numbers printed). Every frame is sent after a normal ``setup``; then a probe asks a question.
The server must either answer the probe or close the connection with 1007 (or 1009 for a frame over the
size limit), as Google's endpoint would, and never log an internal error.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from hypothesis import strategies as st
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from livetui.providers.gemini.paths import LIVE_PATH
from livetui.server.app import LiveServer, ServerConfig

SEED = 11
"""The seed every fuzz run uses, so a failure reproduces."""
PROBE = "probe"
"""The words of the question asked after each fuzzed frame."""
PROBES = 3
"""Probes sent before giving up (a fuzzed frame may interrupt the first replies, as speech would)."""
FRAME_TIMEOUT = 30.0
"""The longest wait for one exchange: only a guard against a hang (a loaded machine is slow)."""
ACCEPTED_CLOSES = frozenset((1007, 1009))
"""The close codes a bad frame may earn: invalid argument, too big."""

Outcome = Literal["answered", "refused"]
"""How the server took a frame: it went on answering, or it closed the connection with 1007/1009."""


class FuzzFailure(AssertionError):
    """The server took a frame as it must not: a wrong close code, no answer, or an internal error."""


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
"""Any small JSON value."""

TEXT = st.text(max_size=40) | st.sampled_from(["\udfff", "a\ud800b", "[/]", "[bold]x", "\x00", "é" * 30])
"""User text, lone surrogates and markup included."""

RATES = st.sampled_from(
    ["16000", "8000", "48000", "1", "1000000000000000", "\u00b2", "0", "-16000", "16k", "", "16000 "]
) | st.integers(min_value=0, max_value=10**20).map(str)
"""Sample rates as a MIME type may spell them."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _audio(rate: str, data: bytes) -> dict[str, Any]:
    return {"mimeType": f"audio/pcm;rate={rate}", "data": _b64(data)}


MESSAGES: st.SearchStrategy[Any] = st.one_of(
    st.builds(
        lambda text, done: {
            "clientContent": {"turns": [{"role": "user", "parts": [{"text": text}]}], "turnComplete": done}
        },
        TEXT,
        st.booleans(),
    ),
    st.builds(lambda text: {"realtimeInput": {"text": text}}, TEXT),
    st.builds(
        lambda rate, data: {"realtimeInput": {"audio": _audio(rate, data)}}, RATES, st.binary(max_size=640)
    ),
    st.builds(
        lambda rate, data: {"realtimeInput": {"mediaChunks": [_audio(rate, data)]}},
        RATES,
        st.binary(max_size=64),
    ),
    st.builds(
        lambda mime, data: {"realtimeInput": {"video": {"mimeType": mime, "data": _b64(data)}}},
        st.sampled_from(["image/jpeg", "image/png", "image/webp", "text/plain"]),
        st.binary(max_size=64).map(lambda tail: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xff\xff\xff" + tail)
        | st.binary(max_size=64),
    ),
    st.sampled_from(
        [
            {"realtimeInput": {"activityStart": {}}},
            {"realtimeInput": {"activityEnd": {}}},
            {"realtimeInput": {"audioStreamEnd": True}},
            {"setup": {"model": "again"}},
            {"clientContent": {"turns": [], "turnComplete": False}},
        ]
    ),
    st.builds(
        lambda name, response: {
            "toolResponse": {"functionResponses": [{"id": name, "name": name, "response": response}]}
        },
        st.text(max_size=10),
        JSON,
    ),
    st.dictionaries(
        st.sampled_from(["setup", "clientContent", "realtimeInput", "toolResponse", "x"]), JSON, max_size=2
    ),
)
"""Client messages, well-formed or not in their fields."""


def _nested(depth: int, opener: str) -> str:
    closer = "]" if opener == "[" else "}"
    inner = '{"a":' if opener == "{" else "["
    return '{"clientContent": ' + inner * depth + "1" + closer * depth + "}"


RAW: st.SearchStrategy[str | bytes] = st.one_of(
    st.builds(_nested, st.integers(min_value=1, max_value=3000), st.sampled_from(["[", "{"])),
    st.builds(lambda n: '{"clientContent": {"turnComplete": ' + "9" * n + "}}", st.integers(1, 6000)),
    st.sampled_from(['{"realtimeInput": {"n": 1e999}}', '{"realtimeInput": {"n": NaN}}', "[]", "null", "{}"]),
    st.binary(max_size=64),
    st.text(max_size=64),
)
"""Frames that are not JSON messages at all, or JSON at its extremes."""

FRAMES: st.SearchStrategy[str | bytes] = st.one_of(
    MESSAGES.map(lambda message: json.dumps(message)),
    MESSAGES.map(lambda message: json.dumps(message).encode()),
    RAW,
)
"""Every kind of fuzzed frame."""


@dataclass
class Tally:
    """What a fuzz run saw."""

    frames: int = 0
    """Frames sent."""
    outcomes: dict[str, int] = field(default_factory=dict)
    """How many frames were answered, and how many refused (by close code)."""

    def add(self, outcome: str) -> None:
        """Count one frame's outcome."""
        self.frames += 1
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


class _Errors(logging.Handler):
    """Collects the error records the server's side logs (internal errors, unretrieved task exceptions)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(f"{record.name}: {record.getMessage()}")


class ServerThread:
    """A `LiveServer` running on its own thread and event loop, so synchronous fuzz code can drive it."""

    def __init__(self, config: ServerConfig | None = None) -> None:
        self.config = config or ServerConfig()
        """The server's configuration."""
        self.url = ""
        """The endpoint URL, once started."""
        self.errors = _Errors()
        """Error records logged while it ran (by livetui.server, asyncio and websockets)."""
        self._loop = asyncio.new_event_loop()
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fuzzed server", daemon=True)
        self._failure: BaseException | None = None

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._serve())
        except BaseException as error:  # reported by start() or stop()
            self._failure = error
            self._ready.set()

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        async with LiveServer(self.config) as server:
            self.url = server.url + LIVE_PATH
            self._ready.set()
            await self._stop.wait()

    @contextmanager
    def running(self) -> Iterator[ServerThread]:
        """Start the server, yield it, stop it; error records are collected meanwhile."""
        loggers = [logging.getLogger(name) for name in ("livetui.server", "asyncio", "websockets")]
        for logger in loggers:
            logger.addHandler(self.errors)
        self._thread.start()
        self._ready.wait(30)
        if self._failure is not None:
            raise self._failure
        try:
            yield self
        finally:
            if self._stop is not None:
                self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(30)
            for logger in loggers:
                logger.removeHandler(self.errors)


async def _probe(ws: ClientConnection) -> bool:
    """Ask the probe question; True once a turn ends with its answer."""
    await ws.send(json.dumps({"realtimeInput": {"text": PROBE}}))
    said = ""
    while True:
        data = json.loads(await ws.recv())
        content = data.get("serverContent", {})
        said += "".join(part.get("text", "") for part in content.get("modelTurn", {}).get("parts", []))
        if content.get("turnComplete"):
            return said.endswith(f"You said: {PROBE}")


async def exchange(url: str, frame: str | bytes) -> str:
    """Send `frame` after setup, then probe: "answered", or "closed <code>" for an accepted close.

    Raises:
        FuzzFailure: the connection closed with another code, or nothing answered in time.
    """
    async with asyncio.timeout(FRAME_TIMEOUT), connect(url, max_size=None) as ws:
        await ws.send(
            json.dumps(
                {"setup": {"model": "models/fuzz", "generationConfig": {"responseModalities": ["TEXT"]}}}
            )
        )
        assert json.loads(await ws.recv()) == {"setupComplete": {}}
        try:
            await ws.send(frame)
            for _ in range(PROBES):
                if await _probe(ws):
                    return "answered"
        except ConnectionClosed:
            code = ws.close_code
            if code in ACCEPTED_CLOSES:
                return f"closed {code}"
            raise FuzzFailure(f"closed with {code} {ws.close_reason!r} after {frame[:80]!r}") from None
        raise FuzzFailure(f"no answer to {PROBES} probes after {frame[:80]!r}")


def check_frame(server: ServerThread, frame: str | bytes, tally: Tally) -> None:
    """One fuzz example: exchange `frame`, count the outcome, and fail on any error the server logged.

    Raises:
        FuzzFailure: see `exchange`; or the server logged an error while taking the frame.
    """
    logged = len(server.errors.records)
    outcome = asyncio.run(exchange(server.url, frame))
    tally.add(outcome)
    if len(server.errors.records) > logged:
        raise FuzzFailure(f"the server logged {server.errors.records[logged]!r} after {frame[:80]!r}")


def still_live(server: ServerThread) -> bool:
    """True when a fresh client is served normally."""
    return (
        asyncio.run(exchange(server.url, json.dumps({"realtimeInput": {"audioStreamEnd": True}})))
        == "answered"
    )
