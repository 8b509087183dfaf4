"""Logging an overloaded listening socket once, then at most once a minute, instead of on every retry.

When ``accept()`` fails for lack of resources (EMFILE: out of file descriptors, ENFILE, ENOBUFS, ENOMEM),
asyncio pauses the listening socket for a second, retries, and reports every failure to the loop's
exception handler with a full traceback: a flood of idle connections once made the server write 174 MB of
tracebacks a minute. `AcceptErrorLog` takes those reports over: the first is one warning line, later ones
are counted and summed up in one line per `INTERVAL`. Every other report goes to the handler that was
there before.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

log = logging.getLogger("livetui.server")

INTERVAL = 60.0
"""Seconds between two log lines about failing accepts."""

ACCEPT_MESSAGE = "socket.accept() out of system resource"
"""The message asyncio reports a failed ``accept()`` with."""


class AcceptErrorLog:
    """A loop exception handler that rate-limits accept() failures (see the module docstring)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, interval: float = INTERVAL) -> None:
        self.interval = interval
        """Seconds between two log lines."""
        self.failures = 0
        """Failed accepts seen so far."""
        self._loop = loop
        self._previous = loop.get_exception_handler()
        self._logged_at: float | None = None
        self._unlogged = 0

    def install(self) -> None:
        """Become the loop's exception handler."""
        self._loop.set_exception_handler(self._handle)

    def uninstall(self) -> None:
        """Give the loop back the handler it had before."""
        self._loop.set_exception_handler(self._previous)

    def _handle(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if context.get("message") != ACCEPT_MESSAGE:
            if self._previous is not None:
                self._previous(loop, context)
            else:
                loop.default_exception_handler(context)
            return
        self.failures += 1
        self._unlogged += 1
        now = time.monotonic()
        if self._logged_at is not None and now - self._logged_at < self.interval:
            return
        error = context.get("exception")
        detail = error.strerror if isinstance(error, OSError) and error.strerror else repr(error)
        if self._logged_at is None:
            log.warning("cannot accept new connections: %s (retrying every second)", detail)
        else:
            log.warning("still cannot accept new connections: %s (%d failures)", detail, self._unlogged)
        self._logged_at = now
        self._unlogged = 0
