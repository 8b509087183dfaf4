"""The app's child server: `livetui serve` started as a process, reachable, and stopped."""

from __future__ import annotations

from pathlib import Path

import pytest

from livetui import events as ev
from livetui.providers.registry import local_endpoint, provider
from livetui.session.engine import LiveSession
from livetui.session.local_server import LocalServer, LocalServerError
from tests.session.conftest import TEXT_CONFIG, running


async def test_the_child_server_answers_and_stops() -> None:
    server = await LocalServer.start(brain="scripted")
    try:
        assert server.url.startswith("ws://127.0.0.1:")
        session = LiveSession(local_endpoint(server.url), provider("gemini"), TEXT_CONFIG)
        async with running(session) as recorder:
            await recorder.first(ev.SetupComplete)
            session.send_text("ping")
            await recorder.first(ev.TurnComplete)
        assert "".join(d.text for d in recorder.of(ev.TextDelta)) == "You said: ping"
    finally:
        await server.stop()
    assert server.process.returncode == 0, "SIGTERM ends the server cleanly"


async def test_a_bad_script_is_a_one_line_start_error(tmp_path: Path) -> None:
    script = tmp_path / "bad.json"
    script.write_text('{"rules": [{"match": "(", "reply": "x"}]}', encoding="utf-8")
    with pytest.raises(LocalServerError) as caught:
        await LocalServer.start(brain="scripted", script=script)
    message = str(caught.value)
    assert message.startswith("the local server did not start: ") and "bad.json" in message
    assert "\n" not in message and "Traceback" not in message
