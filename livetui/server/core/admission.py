"""Who gets past the opening handshake: the path, the API key, and the cap on concurrent connections.

Everything here is decided on the HTTP upgrade request, before any frame is read, so a client that is
refused costs the server one short HTTP answer:

- a path no dialect answers on: 404;
- a missing key (when one is required): 401; a wrong one: 403, with the dialect's provider's wording in
  the body;
- more connections open than `Admission.capacity`: 503, so a flood of idle sockets cannot use up the
  process's file descriptors and lock every other client out.
"""

from __future__ import annotations

import resource
from collections.abc import Sequence
from http import HTTPStatus

from websockets.asyncio.server import ServerConnection
from websockets.http11 import Request, Response
from websockets.protocol import State

from livetui.server.core.dialect import Dialect, key_accepted

RESERVED_FILES = 64
"""File descriptors kept back from connections for the server's own use (logs, models, threads)."""
MAX_CONNECTIONS = 4096
"""The most concurrent connections the default cap allows, however high the file limit is."""

BUSY_BODY = "The local live server is at its connection limit; try again shortly.\n"
"""The body of the 503 answer to a client over the cap."""


def capacity_for(file_limit: int) -> int:
    """The default cap on concurrent connections under an open-file limit: half of what is left after
    `RESERVED_FILES` (so 480 under the common limit of 1,024), at least 1 and at most `MAX_CONNECTIONS`."""
    if file_limit == resource.RLIM_INFINITY:
        return MAX_CONNECTIONS
    return max(1, min(MAX_CONNECTIONS, (file_limit - RESERVED_FILES) // 2))


def default_capacity() -> int:
    """The default cap on concurrent connections for this process (`capacity_for` its RLIMIT_NOFILE)."""
    return capacity_for(resource.getrlimit(resource.RLIMIT_NOFILE)[0])


class Admission:
    """The websockets ``process_request`` hook that admits or refuses each upgrade (module docstring)."""

    def __init__(self, key: str | None, capacity: int, dialects: Sequence[Dialect]) -> None:
        self.dialects = tuple(dialects)
        """The dialects served, each on its own paths."""
        self.capacity = capacity
        """The most connections served at once."""
        self.refused_busy = 0
        """Upgrades refused with 503 so far."""
        self._key = key
        self._admitted: set[ServerConnection] = set()

    @property
    def open_connections(self) -> int:
        """Connections admitted and not yet closed."""
        self._forget_closed()
        return len(self._admitted)

    def dialect_for(self, target: str) -> Dialect | None:
        """The dialect answering on the request target `target`, or None."""
        return next((dialect for dialect in self.dialects if dialect.matches(target)), None)

    def _forget_closed(self) -> None:
        self._admitted = {c for c in self._admitted if c.state is not State.CLOSED}

    def __call__(self, connection: ServerConnection, request: Request) -> Response | None:
        """Answer `request` with an HTTP error, or None to let the upgrade go ahead."""
        dialect = self.dialect_for(request.path)
        if dialect is None:
            where = " or ".join(d.example_path for d in self.dialects)
            return connection.respond(HTTPStatus.NOT_FOUND, f"Not found: the live endpoint is {where}\n")
        if not key_accepted(dialect, self._key, request.path, request.headers):
            given = dialect.presented_key(request.path, request.headers)
            status = HTTPStatus.UNAUTHORIZED if given is None else HTTPStatus.FORBIDDEN
            return connection.respond(status, dialect.bad_key_body + "\n")
        if len(self._admitted) >= self.capacity:  # closed ones are forgotten only then: O(n) when full
            self._forget_closed()
        if len(self._admitted) >= self.capacity:
            self.refused_busy += 1
            return connection.respond(HTTPStatus.SERVICE_UNAVAILABLE, BUSY_BODY)
        self._admitted.add(connection)
        return None
