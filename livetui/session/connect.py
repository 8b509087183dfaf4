"""Open a session as settings ask: Gemini with a key, else the embedded local server in a child process."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager

from livetui.config import Settings
from livetui.session.endpoint import Endpoint
from livetui.session.engine import Clock, LiveSession
from livetui.session.local_server import LocalServer
from livetui.session.setup import build_setup
from livetui.tools.registry import ToolRegistry

Connector = Callable[[], AbstractAsyncContextManager[LiveSession]]
"""What the app calls to get a session: an async context manager that cleans up after it."""


@contextlib.asynccontextmanager
async def open_session(
    settings: Settings, *, brain: str = "scripted", tools: ToolRegistry | None = None
) -> AsyncIterator[LiveSession]:
    """A session for these settings; a local server it started is stopped on exit.

    Args:
        settings: the user's settings.
        brain: the local server's brain (`smollm2` or `scripted`), already resolved by the caller.
        tools: the tools declared in `setup` (none when None).

    Raises:
        LocalServerError: the local server could not be started.
    """
    setup = build_setup(settings, tools=tools)
    if settings.use_gemini and settings.api_key is not None:
        yield LiveSession(Endpoint.gemini(settings.api_key), setup, text_route=settings.text_route)
        return
    # On the local server the model that answers is its brain: say so in setup (and so in the status bar).
    setup = setup.model_copy(update={"model": f"models/{brain}"})
    grammar = ("--grammar", str(settings.grammar)) if settings.grammar is not None else ()
    server = await LocalServer.start(brain=brain, script=settings.script, extra=grammar)
    try:
        yield LiveSession(Endpoint.local(server.url), setup, text_route=settings.text_route)
    finally:
        await server.stop()


def connect_to(
    url: str, settings: Settings, *, clock: Clock | None = None, tools: ToolRegistry | None = None
) -> Connector:
    """A connector for a server that is already running at `ws://HOST:PORT` (tests, `--url`); `tools` are
    declared in `setup`, and the settings' `url_key` is presented in a header."""

    @contextlib.asynccontextmanager
    async def connector() -> AsyncIterator[LiveSession]:
        # Which brain answers is the server's business: the status bar says `local`, not a Gemini model.
        setup = build_setup(settings, tools=tools).model_copy(update={"model": "models/local"})
        key = settings.url_key
        endpoint = Endpoint.local(url, key if key is not None and key.get_secret_value() else None)
        session = LiveSession(endpoint, setup, text_route=settings.text_route)
        if clock is not None:
            session.clock = clock
        yield session

    return connector
