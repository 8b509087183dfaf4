"""The Gemini Live dialect, as the server's registry sees it (`livetui.server.core.dialect.Dialect`)."""

from __future__ import annotations

from websockets.asyncio.server import ServerConnection
from websockets.datastructures import Headers

from livetui.server.core.dialect import ServerContext
from livetui.server.dialects.gemini import paths
from livetui.server.dialects.gemini.connection import Connection


class GeminiDialect:
    """Google's Live API on its ``BidiGenerateContent`` paths."""

    name = "gemini"
    """Its short name."""
    example_path = paths.EXAMPLE_PATH
    """A path it answers on."""
    bad_key_body = paths.BAD_KEY_REASON
    """What a client with a missing or wrong key is told, in Google's words."""

    def matches(self, target: str) -> bool:
        """True for a Live endpoint path."""
        return paths.is_live_path(target)

    def presented_key(self, target: str, headers: Headers) -> str | None:
        """The key, wherever Gemini clients put it."""
        return paths.presented_key(target, headers)

    async def serve(self, websocket: ServerConnection, context: ServerContext) -> None:
        """Serve one connection: ``setup`` first, then the reader loop."""
        connection = Connection(
            websocket,
            context.brain,
            context.hearing,
            context.handles,
            context.setup_timeout,
            lenient=context.lenient,
        )
        await connection.run()
