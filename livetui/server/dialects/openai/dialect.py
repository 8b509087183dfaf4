"""The OpenAI Realtime dialect, as the server's registry sees it (`livetui.server.core.dialect.Dialect`)."""

from __future__ import annotations

from websockets.asyncio.server import ServerConnection
from websockets.datastructures import Headers

from livetui.server.core.dialect import ServerContext
from livetui.server.dialects.openai import paths
from livetui.server.dialects.openai.connection import RealtimeConnection


class OpenAIDialect:
    """OpenAI's Realtime API (GA) at ``/v1/realtime``."""

    name = "openai"
    """Its short name."""
    example_path = paths.REALTIME_PATH
    """The path it answers on."""
    bad_key_body = paths.BAD_KEY_BODY
    """What a client with a missing or wrong key is told."""

    def matches(self, target: str) -> bool:
        """True for ``/v1/realtime``."""
        return paths.is_realtime_path(target)

    def presented_key(self, target: str, headers: Headers) -> str | None:
        """The key, wherever OpenAI clients put it."""
        return paths.presented_key(target, headers)

    async def serve(self, websocket: ServerConnection, context: ServerContext) -> None:
        """Serve one connection until it closes or its time is up."""
        await RealtimeConnection(websocket, context).run()
