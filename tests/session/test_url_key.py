"""A `--url` server started with a key: livetui presents `LIVETUI_URL_KEY` in a header, never in the URL,
and never shows it; the Gemini key is never sent there."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from livetui import events as ev
from livetui.config import Settings
from livetui.session.connect import connect_to
from tests.session.conftest import local_server, running

KEY = "url-key-5f2c"
"""The key the server is started with."""


@pytest.fixture(autouse=True)
def no_user_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Settings from these tests alone: no config file, no key from the developer's environment."""
    monkeypatch.setenv("LIVETUI_CONFIG", str(tmp_path / "none.toml"))
    for name in ("LIVETUI_URL_KEY", "LIVETUI_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY"):
        monkeypatch.delenv(name, raising=False)


async def test_the_url_key_from_the_environment_opens_a_server_that_needs_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LIVETUI_URL_KEY", KEY)
    monkeypatch.setenv("GEMINI_API_KEY", "gemini-key-never-sent")
    settings = Settings(provider="local")
    async with local_server(key=KEY) as server, connect_to(server.url, settings)() as session:
        assert session.endpoint.headers() == {"x-goog-api-key": KEY}, "the URL key, not the Gemini key"
        async with running(session) as recorder:
            await recorder.first(ev.SetupComplete)
        shown = " ".join(event.model_dump_json() for event in recorder.events)
        assert KEY not in session.endpoint.url and KEY not in shown
        assert KEY not in repr(settings) and KEY not in repr(session.endpoint)


@pytest.mark.parametrize("key", [None, "wrong-key", ""], ids=["none", "wrong", "empty"])
async def test_without_the_right_url_key_the_server_refuses_in_one_line(key: str | None) -> None:
    settings = Settings(provider="local", url_key=None if key is None else SecretStr(key))
    async with local_server(key=KEY) as server, connect_to(server.url, settings)() as session:
        assert session.endpoint.headers() == ({"x-goog-api-key": key} if key else {})
        async with running(session) as recorder:
            error = await recorder.first(ev.SessionError)
    assert error.fatal and "\n" not in error.message
