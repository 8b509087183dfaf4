"""What a wire dialect is to the server: where it answers, how its clients present a key, how it serves.

The server holds one `ServerContext` (the brain, the ears, the limits) and a set of dialects; each upgrade
is matched to a dialect by its path (`livetui.server.dialects.registry`), checked by `Admission`, then
served by that dialect's `Dialect.serve`.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Protocol

from websockets.asyncio.server import ServerConnection
from websockets.datastructures import Headers

from livetui.server.core.brains.base import Brain
from livetui.server.core.handles import Handles
from livetui.server.core.senses.asr import SpeechModel

MAX_FRAME_BYTES = 1 << 20
"""The largest frame a client may send, in any dialect (Google's 1 MiB); larger ones close with 1009."""


@dataclass(frozen=True)
class ServerContext:
    """What every connection of a server shares."""

    brain: Brain
    """Writes the replies."""
    hearing: SpeechModel | None
    """The speech recogniser's model (None: streamed audio is ignored)."""
    handles: Handles | None
    """Resumable conversations by handle (None: resumption is not offered)."""
    setup_timeout: float
    """Seconds a client has to open its session, in dialects that wait for an opening message."""
    max_session: float
    """Seconds a session may last, in dialects that limit it."""
    lenient: bool = False
    """Accept opening fields the dialect does not know, where the real service refuses them."""


class Dialect(Protocol):
    """One wire dialect the server speaks."""

    @property
    def name(self) -> str:
        """Its short name (``gemini``, ``openai``)."""
        ...

    @property
    def example_path(self) -> str:
        """A path it answers on, named in the 404 body."""
        ...

    @property
    def bad_key_body(self) -> str:
        """The body of the 401/403 answer to a missing or wrong key, in the provider's words."""
        ...

    def matches(self, target: str) -> bool:
        """True when the request target (query included) is one of its paths."""
        ...

    def presented_key(self, target: str, headers: Headers) -> str | None:
        """The key the client presented, wherever this dialect's clients put it; None if none."""
        ...

    async def serve(self, websocket: ServerConnection, context: ServerContext) -> None:
        """Serve one admitted connection until either side closes it."""
        ...


def key_accepted(dialect: Dialect, expected: str | None, target: str, headers: Headers) -> bool:
    """True when no key is required, or the key presented the dialect's way equals the expected one."""
    if expected is None:
        return True
    given = dialect.presented_key(target, headers)
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())
