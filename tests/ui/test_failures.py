"""Failures are one clear line in the app, never a traceback: a refused connection, a connector that
raises, a message sent while not connected."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import AsyncIterator

import pytest

from livetui.config import Settings
from livetui.session.connect import connect_to
from livetui.session.engine import LiveSession
from livetui.session.local_server import LocalServerError
from livetui.ui.app import describe_failure, make_app
from livetui.ui.widgets.entries import ErrorEntry, NoticeEntry
from tests.ui.waiting import until


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_a_refused_connection_is_one_line_and_the_error_state(settings: Settings) -> None:
    app = make_app(settings, connect_to(f"ws://127.0.0.1:{closed_port()}", settings))
    async with app.run_test(size=(120, 40)) as pilot:
        status = app.main.status
        await until(pilot, lambda: status.state == "error", "the error state")
        await until(pilot, lambda: bool(app.main.chat.query(ErrorEntry)), "the error line")
        [error] = app.main.chat.query(ErrorEntry)
        host = error.text.removeprefix("cannot reach ").split(":", 2)
        assert error.text.startswith("cannot reach 127.0.0.1:") and host[0] == "127.0.0.1"
        assert error.text.endswith(": connection refused (nothing is listening on that port)")
        assert "\n" not in error.text
        assert status.detail == error.text
        assert app.session is None
    assert app.return_code in (None, 0)


@pytest.mark.parametrize(
    ("raised", "shown"),
    [
        (
            LocalServerError("the local server did not start: no brain"),
            "the local server did not start: no brain",
        ),
        (PermissionError("cannot open\nthe socket"), "could not start the session: cannot open the socket"),
    ],
    ids=["local server", "unexpected"],
)
async def test_a_connector_that_raises_is_one_line_not_a_traceback(
    settings: Settings, raised: Exception, shown: str
) -> None:
    @contextlib.asynccontextmanager
    async def failing() -> AsyncIterator[LiveSession]:
        raise raised
        yield  # pragma: no cover - makes this an async generator

    app = make_app(settings, failing)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.main.status.state == "error", "the error state")
        await pilot.pause()
        [error] = app.main.chat.query(ErrorEntry)
        assert error.text == shown
        assert app.main.status.detail == error.text


async def test_sending_while_not_connected_keeps_the_text_and_says_so(settings: Settings) -> None:
    app = make_app(settings, connect_to(f"ws://127.0.0.1:{closed_port()}", settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.main.status.state == "error", "the error state")
        await pilot.press("h", "i", "enter")
        not_sent = "not connected: the message was not sent"

        def texts() -> list[str]:
            return [notice.text for notice in app.main.chat.query(NoticeEntry)]

        await until(pilot, lambda: not_sent in texts(), "the notice")
        assert app.main.composer.text == "hi"


async def test_start_up_notices_open_the_chat_log(settings: Settings) -> None:
    notice = "smollm2 is not installed: using the scripted brain"
    app = make_app(settings, connect_to(f"ws://127.0.0.1:{closed_port()}", settings), notices=[notice])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        first = app.main.chat.children[0]
        assert isinstance(first, NoticeEntry) and first.text == notice


def test_a_failure_inside_the_runtimes_task_group_is_told_as_itself() -> None:
    group = ExceptionGroup("unhandled errors in a TaskGroup", [RuntimeError("the speaker broke")])
    assert describe_failure(group) == "could not start the session: the speaker broke"
    assert describe_failure(BaseExceptionGroup("nested", [group])) == describe_failure(group)
