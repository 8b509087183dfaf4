"""Every way a connection can end becomes a clear event, against a real WebSocket peer on loopback."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import pytest
from websockets.asyncio.server import ServerConnection, serve

from livetui import events as ev
from livetui.live.endpoint import Endpoint
from livetui.providers.registry import provider
from livetui.session.engine import LiveSession
from livetui.session.reconnect import Backoff
from tests.session.conftest import TEXT_CONFIG, running


@contextlib.asynccontextmanager
async def peer(code: int | None, reason: str = "", answer_setup: bool = True) -> AsyncIterator[str]:
    """A server that answers setup, then closes with `code` (None: drops the TCP connection)."""

    async def handler(ws: ServerConnection) -> None:
        await ws.recv()
        if answer_setup:
            await ws.send('{"setupComplete": {}}')
        if code is None:
            ws.transport.abort()
        else:
            await ws.close(code, reason)

    async with serve(handler, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        yield f"ws://127.0.0.1:{port}"


@pytest.mark.parametrize(
    ("code", "reason", "fatal", "words"),
    [
        (1007, "Request contains an invalid argument.", True, "rejected a message as invalid (1007)"),
        (
            1008,
            "API key not valid. Please pass a valid API key.",
            True,
            "refused the session (check the API key",
        ),
    ],
)
async def test_error_close_codes_become_one_line_errors(
    code: int, reason: str, fatal: bool, words: str
) -> None:
    async with peer(code, reason) as url:
        session = LiveSession(Endpoint(url=url, provider="local"), provider("gemini"), TEXT_CONFIG)
        async with running(session) as recorder:
            error = await recorder.first(ev.SessionError)
            gone = await recorder.first(ev.Disconnected)
    assert error.fatal is fatal
    assert words in error.message and "\n" not in error.message
    assert gone.code == code and reason in gone.reason


async def test_an_internal_error_is_retried_with_backoff_a_bounded_number_of_times() -> None:
    async with peer(1011, "Internal error encountered.") as url:
        backoff = Backoff(attempts=2, first_delay=0.001)
        session = LiveSession(
            Endpoint(url=url, provider="local"), provider("gemini"), TEXT_CONFIG, backoff=backoff
        )
        async with running(session) as recorder:
            error = await recorder.first(ev.SessionError)
    assert [e.attempt for e in recorder.of(ev.Connecting)] == [1, 2, 3]
    gone = recorder.of(ev.Disconnected)
    assert [(e.code, e.will_retry) for e in gone] == [(1011, True), (1011, True), (1011, False)]
    assert "internal error (1011): Internal error encountered." in gone[0].reason
    retries = [e.message for e in recorder.of(ev.Notice) if "reconnecting in" in e.message]
    assert [m.rsplit("(", 1)[-1] for m in retries] == ["attempt 1 of 2)", "attempt 2 of 2)"]
    assert error.fatal and error.message.startswith("gave up after 2 reconnect attempts: the server had")
    assert len(recorder.of(ev.SessionError)) == 1


async def test_a_normal_close_is_a_disconnect_not_an_error() -> None:
    async with peer(1000, "bye") as url:
        session = LiveSession(Endpoint(url=url, provider="local"), provider("gemini"), TEXT_CONFIG)
        async with running(session) as recorder:
            gone = await recorder.first(ev.Disconnected)
    assert gone.code == 1000 and not recorder.of(ev.SessionError)


async def test_a_dropped_connection_is_reported_as_such() -> None:
    async with peer(None) as url:
        session = LiveSession(Endpoint(url=url, provider="local"), provider("gemini"), TEXT_CONFIG)
        async with running(session) as recorder:
            gone = await recorder.first(ev.Disconnected)
    assert gone.code == 1006 and "connection dropped" in gone.reason
    assert gone.will_retry, "a dropped connection is worth reconnecting"


async def test_a_server_that_never_answers_setup_is_a_fatal_error() -> None:
    async def silent(ws: ServerConnection) -> None:
        await ws.recv()
        await ws.wait_closed()

    async with serve(silent, "127.0.0.1", 0) as server:
        url = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        session = LiveSession(
            Endpoint(url=url, provider="local"), provider("gemini"), TEXT_CONFIG, open_timeout=0.3
        )
        async with running(session) as recorder:
            error = await recorder.first(ev.SessionError)
            await recorder.first(ev.Disconnected)
    assert error.fatal and error.message == "the server did not answer setup in time"
