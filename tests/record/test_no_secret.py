"""The API key never reaches the session directory: a real session with a key, journaled and exported."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from pydantic import SecretStr

from livetui import events as ev
from livetui.live.endpoint import Endpoint
from livetui.providers.registry import provider
from livetui.record.export import FORMATS, export_session
from livetui.record.journal import Journal
from livetui.session.engine import LiveSession
from tests.session.conftest import TEXT_CONFIG, Recorder, local_server

KEY = "AIzaSy-this-is-the-secret-key-0123456789"


async def test_the_key_appears_in_no_file_of_the_session(tmp_path: Path) -> None:
    journal = Journal.start(tmp_path)
    recorder = Recorder()

    def emit(event: ev.AnyEvent) -> None:
        recorder(event)
        journal.write(event)

    async with local_server(key=KEY) as server:
        endpoint = Endpoint(
            url=server.url + "/ws/google.ai.generativelanguage.v1beta.GenerativeService."
            f"BidiGenerateContent?key={KEY}",
            provider="gemini",
            secret_headers=(("x-goog-api-key", SecretStr(KEY)),),
        )
        session = LiveSession(endpoint, provider("gemini"), TEXT_CONFIG)
        task = asyncio.create_task(session.run(emit))
        try:
            await recorder.first(ev.SetupComplete)
            turn = session.send_text("hello")
            await recorder.first(ev.TurnComplete, lambda e: e.turn == turn)
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    journal.close()
    for fmt in FORMATS:
        if fmt != "wav":  # a text session has no audio
            export_session(journal.directory, fmt)
    files = [path for path in journal.directory.rglob("*") if path.is_file()]
    assert {path.name for path in files} >= {"events.jsonl", "transcript.md", "captions.srt"}
    assert journal.lines > 10 and "key=***" in (journal.directory / "events.jsonl").read_text()
    for path in files:
        assert KEY.encode() not in path.read_bytes(), f"the key is in {path.name}"
