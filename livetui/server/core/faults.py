"""Faults the local server injects on purpose, so clients can be tested against a misbehaving server.

A script rule names one with ``fault = "..."`` (see `livetui.server.script`); the scripted brain yields a
`Fault` at the point of the reply where it strikes, and the connection carries it out with `FaultInjector`:

- ``go_away``: the client is told the connection ends soon (Gemini's ``goAway`` with a short
  ``timeLeft``) as the reply starts; when the time is up the server closes the connection as the dialect
  ends a session whose time is up (Gemini: 1011 "Deadline expired before operation could complete.";
  OpenAI, which announces nothing: 1001 "Your session hit the maximum duration of …").
- ``drop``: the TCP connection aborted halfway through the reply, with no close frame (1006).
- ``close_1011``: a close with 1011 "Internal error encountered." halfway through the reply.
- ``malformed``: a frame that is not valid JSON after the reply's first delta; the reply then goes on.
- ``burst``: every delta of the reply at once, with no pause in between (the brain's pacing: nothing is
  yielded for it).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Literal

from websockets.asyncio.server import ServerConnection

from livetui.server.core.closing import INTERNAL, INTERNAL_REASON
from livetui.server.core.sink import Sink

FaultKind = Literal["go_away", "drop", "close_1011", "malformed", "burst"]
"""The faults a script rule can ask for."""

DEADLINE_REASON = "Deadline expired before operation could complete."
"""The close reason when a ``goAway`` deadline passes, in Google's words."""


@dataclass(frozen=True)
class Fault:
    """Yielded by a reply instead of text: the server misbehaves here, on purpose."""

    kind: FaultKind
    """Which fault (``burst`` is pacing, never yielded)."""
    time_left: float = 1.0
    """For ``go_away``: the seconds announced in ``timeLeft`` before the server closes the connection."""

    @property
    def ends_connection(self) -> bool:
        """True when the connection is gone after this fault (the reply stops)."""
        return self.kind in ("drop", "close_1011")


class FaultInjector:
    """Carries out faults on one connection."""

    def __init__(
        self,
        websocket: ServerConnection,
        sink: Sink,
        malformed: bytes,
        expired: tuple[int, str] = (INTERNAL, DEADLINE_REASON),
    ) -> None:
        self.websocket = websocket
        """The connection that misbehaves."""
        self.malformed = malformed
        """The frame ``malformed`` sends (JSON cut off, in the dialect's shape)."""
        self.expired = expired
        """The close code and reason when a ``go_away`` deadline passes, in the dialect's terms."""
        self._sink = sink
        self._deadline: asyncio.Task[None] | None = None

    async def __call__(self, fault: Fault) -> None:
        """Inject `fault` now."""
        if fault.kind == "go_away":
            await self._sink.going_away(fault.time_left)
            if self._deadline is None:
                self._deadline = asyncio.create_task(self._expire(fault.time_left), name="goAway deadline")
        elif fault.kind == "drop":
            self.websocket.transport.abort()
        elif fault.kind == "close_1011":
            await self.websocket.close(INTERNAL, INTERNAL_REASON)
        elif fault.kind == "malformed":
            with contextlib.suppress(Exception):
                await self.websocket.send(self.malformed)

    async def _expire(self, time_left: float) -> None:
        await asyncio.sleep(time_left)
        await self.websocket.close(*self.expired)

    async def aclose(self) -> None:
        """The connection is over: a pending ``goAway`` deadline no longer matters."""
        if self._deadline is not None and not self._deadline.done():
            self._deadline.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._deadline
