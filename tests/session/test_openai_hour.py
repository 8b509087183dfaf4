"""OpenAI ends a session after its maximum duration with 1001: the engine reconnects and replays the
conversation so far, and the model goes on from it (the local server's scripted `{turn}` counts the user
turns it knows)."""

from __future__ import annotations

import json
from pathlib import Path

from livetui import events as ev
from livetui.providers.registry import local_endpoint, provider
from livetui.server.app import LiveServer, ServerConfig
from livetui.session.engine import LiveSession
from livetui.session.reconnect import Backoff
from tests.session.conftest import TEXT_CONFIG, running


async def test_the_hour_limit_reconnects_and_replays_the_conversation(tmp_path: Path) -> None:
    script = tmp_path / "script.json"
    script.write_text(json.dumps({"rules": [{"match": "count", "reply": "turn {turn}"}]}), encoding="utf-8")
    config = ServerConfig(port=0, script=script, max_session=1.5)
    async with LiveServer(config) as server:
        endpoint = local_endpoint(server.url, dialect="openai")
        session = LiveSession(endpoint, provider("openai"), TEXT_CONFIG, backoff=Backoff(first_delay=0.01))
        async with running(session) as recorder:
            await recorder.first(ev.SetupComplete)
            for _ in range(2):
                turn = session.send_text("count")
                await recorder.first(ev.TurnComplete, lambda e: e.turn == turn)  # noqa: B023
            closed = await recorder.first(ev.Disconnected)
            assert closed.code == 1001 and closed.will_retry
            assert "maximum duration" in closed.reason
            await recorder.first(ev.Resumed)
            await recorder.wait_for(lambda: session.ready)
            turn = session.send_text("count")
            await recorder.first(ev.TurnComplete, lambda e: e.turn == turn)
        notices = [n.message for n in recorder.of(ev.Notice)]
        assert "the session resumed on a new connection by replaying 2 turns" in notices
        reply = "".join(d.text for d in recorder.of(ev.TextDelta) if d.turn == turn)
        assert turn == 3 and reply == "turn 3", "the new connection knows the two turns before"
