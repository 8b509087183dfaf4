"""Helpers for engine tests: a recorder of domain events that can be awaited, and a running session."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from livetui import events as ev
from livetui.live.config import SessionConfig
from livetui.providers.registry import local_endpoint, provider
from livetui.server.app import LiveServer, ServerConfig
from livetui.session.engine import LiveSession
from tests.conftest import Dialect

E = TypeVar("E", bound=ev.Event)

TEXT_CONFIG = SessionConfig(model="local", modality="text", transcription=False)
"""A text session's configuration."""


class Recorder:
    """Collects a session's events; tests await conditions on them instead of sleeping."""

    def __init__(self) -> None:
        self.events: list[ev.AnyEvent] = []
        """Every event, in order."""
        self._changed = asyncio.Event()

    def __call__(self, event: ev.AnyEvent) -> None:
        self.events.append(event)
        self._changed.set()

    def of(self, kind: type[E]) -> list[E]:
        """The events of one kind so far."""
        return [e for e in self.events if isinstance(e, kind)]

    async def wait_for(self, condition: Callable[[], bool], timeout: float = 30.0) -> None:
        """Wait until `condition()` holds (checked after every event); `timeout` only guards a hang."""
        async with asyncio.timeout(timeout):
            while not condition():
                self._changed.clear()
                await self._changed.wait()

    async def first(self, kind: type[E], where: Callable[[E], bool] = lambda e: True) -> E:
        """Wait for the first event of a kind that satisfies `where`."""
        await self.wait_for(lambda: any(where(e) for e in self.of(kind)))
        return next(e for e in self.of(kind) if where(e))


@contextlib.asynccontextmanager
async def running(session: LiveSession, recorder: Recorder | None = None) -> AsyncIterator[Recorder]:
    """Run a session in a task, its events going to `recorder` (a new one if None); on exit cancel it and
    wait for it to end."""
    recorder = Recorder() if recorder is None else recorder
    task = asyncio.create_task(session.run(recorder))
    try:
        yield recorder
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


@contextlib.asynccontextmanager
async def local_server(script: Path | None = None, key: str | None = None) -> AsyncIterator[LiveServer]:
    """The embedded server in-process on a free loopback port, scripted brain."""
    async with LiveServer(ServerConfig(port=0, script=script, key=key)) as server:
        yield server


def local_session(
    url: str, dialect: Dialect = "gemini", config: SessionConfig = TEXT_CONFIG, **options: Any
) -> LiveSession:
    """A session (not yet running) with the local server at `url`, in `dialect`; `options` go to
    `LiveSession` (a backoff, a handle)."""
    return LiveSession(local_endpoint(url, dialect=dialect), provider(dialect), config, **options)


@contextlib.asynccontextmanager
async def live_session(
    script: Path | None = None, dialect: Dialect = "gemini"
) -> AsyncIterator[tuple[LiveSession, Recorder]]:
    """A session with the local server in `dialect`, already past its setup (`SetupComplete`)."""
    async with local_server(script) as server:
        session = local_session(server.url, dialect)
        async with running(session) as recorder:
            await recorder.first(ev.SetupComplete)
            yield session, recorder


@pytest.fixture
def story_script(tmp_path: Path) -> Path:
    """A script whose 'story' reply streams slowly, so a test can interrupt it mid-reply."""
    path = tmp_path / "story.json"
    path.write_text(
        '{"rules": [{"match": "story", "reply": "Once upon a time there was a very long story that went on '
        'and on and on, well past any interruption a user could make.", "chunk_chars": 6, "interval_ms": 40},'
        '{"match": "count", "reply": "turn {turn}: {text}"}]}',
        encoding="utf-8",
    )
    return path
