"""A session that has ended for good leaves a working app: Reconnect, New session, and Continue on the
local server when its provider cannot be reached, each a key and a palette command."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from textual.app import SystemCommand
from textual.pilot import Pilot
from textual.widgets import Input

from livetui.cli import resolve_brain
from livetui.config import Settings
from livetui.live.endpoint import Endpoint
from livetui.providers.registry import local_endpoint, provider
from livetui.server.app import ServerConfig
from livetui.session.connect import Connector, SessionPlan, Target, connect_to, plan_local
from livetui.session.engine import LiveSession
from livetui.session.reconnect import Backoff
from livetui.session.setup import build_config
from livetui.ui.app import LiveApp, make_app
from livetui.ui.widgets.entries import ErrorEntry, NoticeEntry
from tests.conftest import Dialect, ScriptWriter, ServerStarter, both_dialects
from tests.ui.waiting import send, until, until_live

RESUMED = {
    "gemini": "the session resumed on a new connection",
    "openai": "the session resumed on a new connection by replaying 1 turn",
}
"""The notice of a session resumed after its first turn: by handle, or by replaying the conversation."""

CLOSE = {"rules": [{"match": "break", "reply": "one two three four five six", "fault": "close_1011"}]}
"""A script whose `break` turn ends the connection with 1011."""


def notices(app: LiveApp) -> list[str]:
    """The notice lines in the chat log, in order."""
    return [entry.text for entry in app.main.chat.query(NoticeEntry)]


def errors(app: LiveApp) -> list[str]:
    """The error lines in the chat log, in order."""
    return [entry.text for entry in app.main.chat.query(ErrorEntry)]


def offered(app: LiveApp) -> bool:
    """True once the chat log says how to bring the session back."""
    return any(line.startswith("the session has ended:") for line in notices(app))


def session_connector(
    endpoint: Endpoint, settings: Settings, *, attempts: int = 5, dialect: Dialect = "gemini"
) -> Connector:
    """A connector for `endpoint` (speaking `dialect`) that gives up after `attempts` reconnects."""

    @contextlib.asynccontextmanager
    async def connector() -> AsyncIterator[LiveSession]:
        config = build_config(settings)
        yield LiveSession(
            endpoint, provider(dialect), config, backoff=Backoff(attempts=attempts, first_delay=0.05)
        )

    return connector


def replied(app: LiveApp, turn: int, text: str) -> bool:
    """True once the model's reply to `turn` is complete and reads `text`."""
    model_turn = app.main.chat.turn(turn)
    return model_turn is not None and model_turn.complete and model_turn.text == text


async def fatal(pilot: Pilot[Any], app: LiveApp) -> None:
    """Wait for the session to end for good and the offer to appear."""
    await until(pilot, lambda: app.main.status.state == "error", "the error state")
    await until(pilot, lambda: offered(app), "the offer to reconnect")


def target_shown(app: LiveApp) -> str:
    """What the status bar says the session talks to, as rendered (`local · scripted`)."""
    status = app.main.status
    return f"{status.query_one('#provider').render()} {status.query_one('#model').render()}"


def palette_titles(app: LiveApp) -> list[str]:
    """The titles of the palette's system commands."""
    commands: list[SystemCommand] = list(app.get_system_commands(app.main))
    return [command.title for command in commands]


@both_dialects
async def test_reconnect_after_giving_up_resumes_the_same_session_and_journal(
    start_live_server: ServerStarter, write_script: ScriptWriter, settings: Settings, dialect: Dialect
) -> None:
    server = await start_live_server(ServerConfig(script=write_script(CLOSE)))
    endpoint = local_endpoint(server.url, dialect=dialect)
    connector = session_connector(endpoint, settings, attempts=0, dialect=dialect)
    app = make_app(settings, connector)
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        await pilot.press("ctrl+r")
        live = ["the session is live: there is nothing to reconnect"]
        await until(pilot, lambda: notices(app)[-1:] == live, "the notice that the session is live")
        await send(pilot, "break")
        await fatal(pilot, app)
        assert any(line.startswith("gave up after 0 reconnect attempts") for line in errors(app))
        assert "^r reconnects" in notices(app)[-1] and "^n starts a new session" in notices(app)[-1]
        assert "^o" not in notices(app)[-1], "a local session is not offered the local server"
        keeper = app.keeper
        assert keeper is not None
        journal = keeper.directory

        await pilot.press("ctrl+r")
        await until_live(pilot)
        assert app.keeper is keeper and keeper.directory == journal, "the same journal goes on"
        await until(pilot, lambda: RESUMED[dialect] in notices(app), "resumed")
        await send(pilot, "hello")
        await until(pilot, lambda: replied(app, 2, "You said: hello"), "the reply to turn 2")
        assert app.main.status.state == "live"


async def test_new_session_after_a_refused_key_opens_a_fresh_session_and_journal(
    start_live_server: ServerStarter, settings: Settings
) -> None:
    server = await start_live_server(ServerConfig(key="right-key"))
    keys = ["wrong-key"]

    @contextlib.asynccontextmanager
    async def connector() -> AsyncIterator[LiveSession]:
        endpoint = local_endpoint(server.url, SecretStr(keys[-1]))
        yield LiveSession(endpoint, provider("gemini"), build_config(settings))

    app = make_app(settings, connector)
    async with app.run_test(size=(120, 40)) as pilot:
        await fatal(pilot, app)
        assert any("refused the API key (HTTP 403): check the key" in line for line in errors(app))
        first = app.keeper
        assert first is not None and first.directory is not None
        assert "New session" in palette_titles(app) and "Reconnect" in palette_titles(app)

        keys.append("right-key")  # the user fixed the key
        await pilot.press("ctrl+n")
        await until_live(pilot)
        second = app.keeper
        assert second is not None and second.directory is not None
        assert second.directory != first.directory and second.directory.is_dir()
        assert not errors(app), "the chat log starts afresh"
        await send(pilot, "hi")
        await until(pilot, lambda: replied(app, 1, "You said: hi"), "the reply")
    journal = (second.directory / "events.jsonl").read_text()
    assert "You said: hi" in journal and "You said: hi" not in (first.directory / "events.jsonl").read_text()


async def test_reconnect_after_a_bad_script_starts_the_local_server_again(
    tmp_path: Path, settings: Settings
) -> None:
    script = tmp_path / "script.json"
    script.write_text("{not json", encoding="utf-8")
    local = settings.model_copy(
        update={"local": settings.local.model_copy(update={"script": script, "brain": "scripted"})}
    )
    plan = plan_local(local, resolve=resolve_brain)
    app = make_app(local, plan.connector, target=plan.target)
    async with app.run_test(size=(120, 40)) as pilot:
        await fatal(pilot, app)
        [error] = errors(app)
        assert error.startswith("the local server did not start")
        script.write_text('{"rules": [{"match": "ping", "reply": "pong"}]}', encoding="utf-8")
        await pilot.press("ctrl+r")
        await until_live(pilot)
        await send(pilot, "ping")
        await until(pilot, lambda: replied(app, 1, "pong"), "the reply from the fixed script")


@pytest.mark.parametrize("provider", ["gemini", "openai"])
async def test_an_unreachable_provider_offers_the_local_server(
    start_live_server: ServerStarter, settings: Settings, provider: str
) -> None:
    server = await start_live_server()
    # `.invalid` never resolves (RFC 2606): the lookup fails here, with no network traffic.
    gemini = Endpoint(
        url="wss://livetui.invalid/ws",
        provider=provider,
        secret_headers=(("x-goog-api-key", SecretStr("k")),),
    )
    local = SessionPlan(connect_to(server.url, settings), Target("local", "scripted"))
    app = make_app(
        settings,
        session_connector(gemini, settings),
        target=Target(provider, "a-live-model"),
        local=lambda: local,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await fatal(pilot, app)
        [error] = errors(app)
        assert error.startswith("cannot reach livetui.invalid:443: its name ")
        assert "Errno" not in error
        assert "^o continues on the local server" in notices(app)[-1]
        assert "Continue on the local server" in palette_titles(app)
        events_filter = app.main.events.query_one("#events-filter", Input)
        examples = {"gemini": "serverContent", "openai": "response."}
        assert events_filter.placeholder == f"filter by summary (e.g. {examples[provider]})"

        await pilot.press("ctrl+o")
        await until_live(pilot)
        status = app.main.status
        assert (status.provider, status.model) == ("local", "scripted")
        assert events_filter.placeholder == "filter by summary (e.g. serverContent)", "the local server's"
        assert "Continue on the local server" not in palette_titles(app)
        await send(pilot, "hi")
        await until(pilot, lambda: replied(app, 1, "You said: hi"), "the local reply")


async def test_the_status_bar_names_the_local_brain_while_connecting(settings: Settings) -> None:
    from livetui.session.connect import plan_session

    local = settings.model_copy(update={"local": settings.local.model_copy(update={"brain": "scripted"})})
    plan = plan_session(local, resolve=resolve_brain)
    [notice] = plan.notices
    assert notice.startswith("No API key: you are talking to the local server's scripted brain")
    assert "set GEMINI_API_KEY" in notice
    release = asyncio.Event()

    @contextlib.asynccontextmanager
    async def held() -> AsyncIterator[LiveSession]:
        await release.wait()  # the screen before the session exists: what a slow start shows
        async with plan.connector() as session:
            yield session

    app = make_app(local, held, notices=plan.notices, target=plan.target)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.main.status.state == "connecting"
        assert target_shown(app) == "local · scripted"
        assert notices(app)[0] == notice
        release.set()
        await until_live(pilot)
        assert target_shown(app) == "local · scripted"
