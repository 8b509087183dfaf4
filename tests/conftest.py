"""Fixtures shared by every test package: an in-process local live server, and script files for it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any, Literal, Protocol

import pytest

from livetui.server.app import LiveServer, ServerConfig
from livetui.server.core.brains.base import Brain


class ScriptWriter(Protocol):
    """Writes a script for the scripted brain and returns its path (``.json`` or ``.toml``)."""

    def __call__(self, data: Mapping[str, Any], suffix: str = ".json") -> Path: ...


ServerStarter = Callable[..., Awaitable[LiveServer]]
"""``await start(config=None, brain=None)``: a started `LiveServer`, closed when the test ends."""

Dialect = Literal["gemini", "openai"]
"""A protocol the local server speaks (both, on one port, by path)."""

DIALECTS: tuple[Dialect, ...] = ("gemini", "openai")
"""Every dialect, in the order tests run them."""

both_dialects = pytest.mark.parametrize("dialect", DIALECTS)
"""Run a test once per dialect (ids `gemini`, `openai`): it, or a fixture it uses, takes `dialect`."""


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # JSON string escapes are valid TOML basic-string escapes
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _toml_pairs(table: Mapping[str, Any]) -> list[str]:
    return [f"{key} = {_toml_value(value)}" for key, value in table.items() if not isinstance(value, dict)]


def to_toml(data: Mapping[str, Any]) -> str:
    """TOML for the shapes scripts use: scalars, tables, and arrays of tables (one level deep)."""
    lines = _toml_pairs({k: v for k, v in data.items() if not _is_table_list(v)})
    for key, value in data.items():
        if isinstance(value, dict):
            lines += ["", f"[{key}]", *_toml_pairs(value)]
        elif _is_table_list(value):
            for table in value:
                lines += ["", f"[[{key}]]", *_toml_pairs(table)]
    return "\n".join(lines) + "\n"


def _is_table_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


LLM_TIMEOUT = 300
"""Seconds a test of the real model (marked `llm`) may run before pytest-timeout stops it: on a loaded
machine two short replies took about a minute, half the suite's default; its own waits still catch a hang."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give the tests of the real model their longer timeout, unless a test sets its own."""
    for item in items:
        if item.get_closest_marker("llm") and not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(LLM_TIMEOUT))


@pytest.fixture(autouse=True)
def isolated_state(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep the developer's remembered theme out of every test (and the tests' themes out of theirs)."""
    monkeypatch.setenv("LIVETUI_STATE_DIR", str(tmp_path / "state"))


@pytest.fixture
def dialect() -> Dialect:
    """The dialect a test speaks to the local server: Gemini's, unless `both_dialects` runs it in each."""
    return "gemini"


@pytest.fixture
def write_script(tmp_path: Path) -> ScriptWriter:
    """Write a script (a dict) to a file in the test's directory, as JSON or TOML by `suffix`."""
    count = 0

    def write(data: Mapping[str, Any], suffix: str = ".json") -> Path:
        nonlocal count
        count += 1
        path = tmp_path / f"script{count}{suffix}"
        path.write_text(to_toml(data) if suffix == ".toml" else json.dumps(data), encoding="utf-8")
        return path

    return write


@pytest.fixture
async def start_live_server() -> AsyncIterator[ServerStarter]:
    """Start in-process local servers on 127.0.0.1 (port 0 unless told); all are closed at teardown."""
    servers: list[LiveServer] = []

    async def start(config: ServerConfig | None = None, brain: Brain | None = None) -> LiveServer:
        server = LiveServer(config or ServerConfig(), brain=brain)
        await server.start()
        servers.append(server)
        return server

    yield start
    for server in reversed(servers):
        await server.close()


@pytest.fixture
async def live_server(start_live_server: ServerStarter) -> LiveServer:
    """An in-process local server on 127.0.0.1, a free port, the scripted brain with no script."""
    return await start_live_server()
