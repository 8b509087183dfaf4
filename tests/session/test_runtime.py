"""The runtime against the local server: events reach the one callback journaled, cancelling it leaves no
task it started, and a fatal error ends the session with every event in the journal."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TypeGuard

import pytest

from livetui import events as ev
from livetui.config import CameraSettings, Settings
from livetui.media.audio.sink import FakeSink
from livetui.media.audio.source import FakeSource
from livetui.providers.registry import local_endpoint, provider
from livetui.record.reader import read_recording
from livetui.server.app import LiveServer, ServerConfig
from livetui.session.connect import Connector, connect_to
from livetui.session.engine import LiveSession
from livetui.session.reconnect import Backoff
from livetui.session.runtime import Runtime
from livetui.session.setup import build_config
from livetui.session.voice import Voice
from livetui.tools.registry import ToolRegistry
from tests.conftest import ScriptWriter, ServerStarter
from tests.session.conftest import Recorder

SCRIPT = {
    "rules": [
        {"match": "times", "tool_calls": [{"name": "calculator", "args": {"expression": "6 * 7"}}]},
        {"match": "break", "reply": "one two three four five six", "fault": "close_1011"},
    ]
}
"""`times` calls the calculator (left waiting in manual mode); `break` ends the connection with 1011."""


@pytest.fixture(autouse=True)
def isolated_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Journals go to the test's directory; no user config."""
    monkeypatch.setenv("LIVETUI_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("LIVETUI_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
async def server(start_live_server: ServerStarter, write_script: ScriptWriter) -> LiveServer:
    """A scripted local server."""
    return await start_live_server(ServerConfig(script=write_script(SCRIPT)))


def voiced(session: LiveSession) -> Voice:
    """A voice with a microphone and a speaker that need no device."""
    return Voice(session, source=FakeSource(), sink=FakeSink(realtime=False))


def giving_up(url: str, settings: Settings) -> Connector:
    """A connector whose session makes no reconnect attempt: a lost connection is fatal."""

    @contextlib.asynccontextmanager
    async def connector() -> AsyncIterator[LiveSession]:
        config = build_config(settings)
        yield LiveSession(local_endpoint(url), provider("gemini"), config, backoff=Backoff(attempts=0))

    return connector


def journaled(runtime: Runtime) -> list[ev.AnyEvent]:
    """The events in the runtime's journal."""
    assert runtime.keeper is not None and runtime.keeper.directory is not None
    return read_recording(runtime.keeper.directory).events


def as_journaled(event: ev.AnyEvent) -> ev.AnyEvent:
    """An event as its journal line reads back: a camera frame's picture is in a file of its own."""
    return event.model_copy(update={"jpeg": b""}) if isinstance(event, ev.CameraFrame) else event


def started_here(before: set[asyncio.Task[object]]) -> set[asyncio.Task[object]]:
    """Tasks started since `before` that are still alive (the server's included), but not this one."""
    return {task for task in asyncio.all_tasks() - before if not task.done()} - {asyncio.current_task()}


def client_side(tasks: set[asyncio.Task[object]]) -> list[tuple[str, str]]:
    """The tasks among `tasks` that run client code (not the server's): (name, coroutine)."""
    found = []
    for task in tasks:
        code = getattr(task.get_coro(), "cr_code", None)
        where = code.co_filename if code is not None else ""
        if "/livetui/server/" not in where and "/websockets/asyncio/server" not in where:
            found.append((task.get_name(), getattr(code, "co_qualname", "?")))
    return sorted(found)


async def until(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    """Let the loop run until `condition()` holds."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)
    assert condition(), what


def sent(event: ev.AnyEvent) -> TypeGuard[ev.WireFrame]:
    """True for a frame the client wrote (the journal holds those for a moment: see `Journal`)."""
    return isinstance(event, ev.WireFrame) and event.direction == "out"


async def test_events_reach_the_callback_each_journaled_before(server: LiveServer) -> None:
    settings = Settings(text_only=True)
    unjournaled: list[ev.AnyEvent] = []
    recorder = Recorder()

    def deliver(event: ev.AnyEvent) -> None:
        if not sent(event) and as_journaled(event) not in journaled(runtime):
            unjournaled.append(event)
        recorder(event)

    runtime = Runtime(connect_to(server.url, settings), settings, deliver)
    task = asyncio.create_task(runtime.run())
    try:
        await until(lambda: runtime.ready, "the session to go live")
        assert runtime.send_text("hello")
        await recorder.first(ev.TurnComplete)
        text = "".join(delta.text for delta in recorder.of(ev.TextDelta))
        assert text == "You said: hello"
        assert [user.text for user in recorder.of(ev.UserText)] == ["hello"]
        assert not unjournaled, f"delivered before it was journaled: {unjournaled}"
        frames: list[ev.WireFrame] = [event for event in recorder.events if sent(event)]
        assert [frame.summary for frame in frames] == ["setup", "clientContent"]
        on_disk = journaled(runtime)
        assert all(frame in on_disk for frame in frames), "what was sent is written before what followed it"
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_cancelling_the_runtime_stops_every_task_it_started(server: LiveServer) -> None:
    settings = Settings(tool_mode="manual", camera=CameraSettings(device="test", fps=10))
    before = set(asyncio.all_tasks())
    recorder = Recorder()
    runtime = Runtime(
        connect_to(server.url, settings), settings, recorder, tools=ToolRegistry(), voice=voiced
    )
    task = asyncio.create_task(runtime.run())
    await until(lambda: runtime.ready, "the session to go live")
    assert runtime.send_text("times")
    await recorder.first(ev.ToolCallStatus, lambda s: s.awaiting == "answer")  # a call left waiting
    await recorder.first(ev.CameraFrame)
    await recorder.first(ev.AudioState, lambda s: s.speaker == "fake speaker")
    running = client_side(started_here(before))
    for part in ("voice", "camera", "tool-call", "microphone"):
        assert any(name.startswith(part) for name, _ in running), (part, running)

    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert client_side(started_here(before)) == [], "a task the runtime started outlived it"
    await until(lambda: not started_here(before), "the server to see the session go")
    assert runtime.session is None and runtime.voice is None
    assert runtime.keeper is not None and not runtime.keeper.recording, "the journal is closed"
    events = journaled(runtime)
    assert any(isinstance(e, ev.ToolCallRequested) for e in events)
    assert events == [as_journaled(e) for e in recorder.events], "the journal holds every event, in order"


async def test_a_fatal_error_ends_the_session_with_every_event_journaled(server: LiveServer) -> None:
    settings = Settings(text_only=True, camera=CameraSettings(device="test", fps=10))
    recorder = Recorder()
    ended: list[str] = []
    runtime = Runtime(giving_up(server.url, settings), settings, recorder, voice=voiced, ended=ended.append)
    before = set(asyncio.all_tasks())
    task = asyncio.create_task(runtime.run())
    try:
        await until(lambda: runtime.ready, "the session to go live")
        await recorder.first(ev.CameraFrame)
        assert runtime.send_text("break")
        error = await recorder.first(ev.SessionError, lambda e: e.fatal)
        assert error.message.startswith("gave up after 0 reconnect attempts")
        await until(lambda: bool(ended), "the runtime to say the session ended")
        assert ended == ["local"] and runtime.ended
        assert runtime.session is None and runtime.voice is None and runtime.tool_runner is None
        [(_, waiting)] = client_side(started_here(before))
        assert waiting == "Runtime.run", "only the runtime waits, for Reconnect"
        delivered = [as_journaled(e) for e in recorder.events]
        assert journaled(runtime) == delivered, "the journal holds every event, in order"
        assert not runtime.send_text("anyone there?"), "an ended session takes no text"
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert runtime.keeper is not None and not runtime.keeper.recording
