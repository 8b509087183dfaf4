"""The app's child server with the bridge brain: the `[local]` settings become its flags, and the key
reaches the model server from the one variable named for it, never on a command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from livetui import events as ev
from livetui.config import load_settings
from livetui.providers.registry import local_endpoint, provider
from livetui.session.connect import start_local
from livetui.session.engine import LiveSession
from tests.server.model_servers import MODEL, ScriptedModelServer, delta
from tests.session.conftest import TEXT_CONFIG, running

KEY = "bridge-key-3e9a"
"""The model server's key, in the environment only."""


def greets(request: dict[str, Any]) -> list[dict[str, Any]]:
    """A model that answers every chat with a greeting."""
    return [delta(role="assistant"), delta(content="Hello from "), delta(content="the bridge.")]


async def test_the_settings_start_a_bridged_server_with_the_key_from_its_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LIVETUI_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("LIVETUI_TEST_BRIDGE_KEY", KEY)
    async with ScriptedModelServer(greets).running() as model:
        settings = load_settings(
            brain="openai-compat",
            brain_url=model.url,
            brain_model=MODEL,
            brain_key_env="LIVETUI_TEST_BRIDGE_KEY",
        )
        server = await start_local(settings, settings.local.brain)
        try:
            command_line = Path(f"/proc/{server.process.pid}/cmdline").read_bytes().decode()
            session = LiveSession(local_endpoint(server.url), provider("gemini"), TEXT_CONFIG)
            async with running(session) as recorder:
                await recorder.first(ev.SetupComplete)
                session.send_text("hi")
                await recorder.first(ev.TurnComplete)
        finally:
            await server.stop()
    errors = [e.message for e in recorder.of(ev.SessionError)] + [
        repr(e) for e in recorder.of(ev.Disconnected)
    ]
    assert "".join(d.text for d in recorder.of(ev.TextDelta)) == "Hello from the bridge.", errors
    assert model.authorizations and set(model.authorizations) == {f"Bearer {KEY}"}
    assert "--brain-key-env\0LIVETUI_TEST_BRIDGE_KEY" in command_line and KEY not in command_line
