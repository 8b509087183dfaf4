"""The upgrade is where clients are refused: the connection cap (503), and accept() failures logged once."""

from __future__ import annotations

import asyncio
import errno
import logging

import pytest
from websockets.exceptions import InvalidStatus

from livetui.server.app import ServerConfig
from livetui.server.core.admission import BUSY_BODY, capacity_for
from livetui.server.core.overload import ACCEPT_MESSAGE, AcceptErrorLog
from tests.conftest import ServerStarter
from tests.server.wire import TIMEOUT, ask, raw_socket, session


def test_the_default_cap_is_well_under_the_file_limit() -> None:
    assert capacity_for(1024) == 480
    assert capacity_for(256) == 96
    assert capacity_for(20) == 1
    assert capacity_for(1_000_000) == 4096


async def test_clients_over_the_connection_cap_are_refused_with_503_until_one_leaves(
    start_live_server: ServerStarter,
) -> None:
    server = await start_live_server(ServerConfig(max_connections=2))
    async with session(server) as first, raw_socket(server):  # the second has not even sent setup
        with pytest.raises(InvalidStatus) as refused:
            async with raw_socket(server):
                pass
        assert refused.value.response.status_code == 503
        assert refused.value.response.body == BUSY_BODY.encode()
        assert server.admission.refused_busy == 1
        assert await ask(first, "still served?") == "You said: still served?"
    async with asyncio.timeout(TIMEOUT):  # the two have left: their places are free again
        while True:
            try:
                async with session(server) as ws:
                    assert await ask(ws, "in") == "You said: in"
                    break
            except InvalidStatus:
                await asyncio.sleep(0.01)


async def test_accept_failures_are_logged_once_then_once_a_minute(caplog: pytest.LogCaptureFixture) -> None:
    loop = asyncio.get_running_loop()
    others: list[dict[str, object]] = []
    loop.set_exception_handler(lambda _loop, context: others.append(context))
    accept_log = AcceptErrorLog(loop)
    accept_log.install()
    try:
        with caplog.at_level(logging.WARNING, logger="livetui.server"):
            failure = OSError(errno.EMFILE, "Too many open files")
            for _ in range(500):
                loop.call_exception_handler({"message": ACCEPT_MESSAGE, "exception": failure})
            loop.call_exception_handler({"message": "something else"})
    finally:
        accept_log.uninstall()
    lines = [record.getMessage() for record in caplog.records]
    assert lines == ["cannot accept new connections: Too many open files (retrying every second)"]
    assert all(record.exc_info is None for record in caplog.records), "no traceback"
    assert accept_log.failures == 500
    assert others == [{"message": "something else"}], "other reports reach the handler that was there"
    loop.call_exception_handler({"message": ACCEPT_MESSAGE})
    assert len(others) == 2, "uninstalled, the previous handler is back"
