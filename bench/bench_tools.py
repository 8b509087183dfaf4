"""Function calls through the engine and the local server: the client's turnaround and the whole turn.

A session with the built-in tools talks to an in-process local server whose script answers every turn
with a `calculator` call (a plain function, run in a worker thread) and then quotes the result. For 50
turns it times the function's run, the client's turnaround (toolCall decoded → toolResponse queued), and
the whole turn (Enter → turnComplete).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import tempfile
from pathlib import Path

from livetui import events as ev
from livetui.live.config import SessionConfig
from livetui.providers.registry import local_endpoint, provider
from livetui.server.app import LiveServer, ServerConfig
from livetui.session.engine import LiveSession
from livetui.session.latency import percentile
from livetui.session.tools_runner import ToolRunner
from livetui.tools.registry import ToolRegistry

TURNS = 50

SCRIPT = {
    "rules": [
        {
            "match": "times",
            "tool_calls": [{"name": "calculator", "args": {"expression": "6 * 7"}}],
            "reply": "6 times 7 is {output}.",
        }
    ]
}


def _report(name: str, seconds: list[float]) -> None:
    ms = [s * 1000 for s in seconds]
    print(
        f"   {name}: median {percentile(ms, 50):.2f} ms, p95 {percentile(ms, 95):.2f} ms over {len(ms)} calls"
    )


async def main() -> None:
    """Run the turns and print the medians and p95s."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "script.json"
        script.write_text(json.dumps(SCRIPT), encoding="utf-8")
        async with LiveServer(ServerConfig(script=script)) as server:
            registry = ToolRegistry.load()
            config = SessionConfig(
                model="local", modality="text", transcription=False, tools=registry.declarations()
            )
            session = LiveSession(local_endpoint(server.url), provider("gemini"), config)
            runner = ToolRunner(session, registry)
            stamped: list[tuple[float, ev.AnyEvent]] = []
            changed = asyncio.Event()

            def record(event: ev.AnyEvent) -> None:
                stamped.append((session.clock(), event))
                changed.set()

            async def until(condition: type[ev.Event]) -> None:
                while not any(isinstance(e, condition) for _, e in stamped):
                    changed.clear()
                    await changed.wait()

            task = asyncio.create_task(session.run(runner.wrap(record)))
            try:
                await until(ev.SetupComplete)
                runs: list[float] = []
                turnarounds: list[float] = []
                turns: list[float] = []
                for _ in range(TURNS):
                    stamped.clear()
                    started = session.clock()
                    session.send_text("what is 6 times 7")
                    await until(ev.TurnComplete)
                    requested = next(t for t, e in stamped if isinstance(e, ev.ToolCallRequested))
                    answered = next(t for t, e in stamped if isinstance(e, ev.ToolResult))
                    done = next(
                        e for _, e in stamped if isinstance(e, ev.ToolCallStatus) and e.status == "done"
                    )
                    finished = next(t for t, e in stamped if isinstance(e, ev.TurnComplete))
                    assert done.duration is not None
                    runs.append(done.duration)
                    turnarounds.append(answered - requested)
                    turns.append(finished - started)
                _report("calculator run (in a worker thread)", runs)
                _report("client turnaround (toolCall decoded → toolResponse queued)", turnarounds)
                _report("whole turn with one call (send → turnComplete)", turns)
            finally:
                await runner.aclose()
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
