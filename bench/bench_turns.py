"""Turns through the real app, in both dialects: Enter → first painted text, Esc → last painted text.

The app runs headless (`run_test`) against `livetui serve` started as a child process, exactly as
`livetui` does; keys are pressed with Pilot and the marks are read from the session's latency tracker
(t0 at Enter, t2 first text painted; k0 at Esc, k1 the interrupted turn's text final on screen).
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from textual import events
from textual.pilot import Pilot

from livetui.config import load_settings
from livetui.events import Mark
from livetui.session.connect import plan_local
from livetui.session.engine import LiveSession
from livetui.session.latency import percentile
from livetui.ui.app import LiveApp, make_app

TURNS = int(os.environ.get("BENCH_TURNS", "20"))

DIALECTS = ("gemini", "openai")
"""The local server's dialects, run one after the other."""

SCRIPT = {
    "rules": [
        {
            "match": "story",
            "reply": "Once upon a time " + "and then it went on " * 60,
            "chunk_chars": 12,
            "interval_ms": 20,
        },
    ],
}


async def _until(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 20.0) -> None:
    """Poll without Pilot: `pilot.pause` first waits for every queue to drain, which a streaming app's
    queues do only between deltas, so it would time the bench instead of the app."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            app = pilot.app
            assert isinstance(app, LiveApp)
            session = app.session
            state = (
                "no session"
                if session is None
                else f"last turn: {session.latency.turn(max(session.latency.turns))} "
                f"stack={app.screen_stack} focused={app.focused} replying={session.replying}"
            )
            raise TimeoutError(f"the app did not reach the expected state ({state})")
        await asyncio.sleep(0.001)


async def _marked(pilot: Pilot[None], session: LiveSession, turn: int, *marks: Mark) -> None:
    await _until(pilot, lambda: all(session.latency.has(turn, mark) for mark in marks))


def _session(app: LiveApp) -> LiveSession:
    assert app.session is not None
    return app.session


async def _type(pilot: Pilot[None], text: str) -> None:
    """Type while the app is idle, then post Enter as a key event: `pilot.press` would wait for the app to
    go idle again, which it is not while the reply streams."""
    await pilot.press(*text)
    pilot.app.post_message(events.Key("enter", "\r"))


STAGES = (
    ("first text", "Enter → first painted text", "first text ≤ 16 ms after its frame"),
    ("silence", "Esc → last painted text", "≤ 30 ms p95 to silence"),
    ("first byte", "Enter → first server frame", "loopback"),
)
"""The stages printed: the latency tracker's name, what it measures, and its budget."""


def _cell(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return f"{percentile(ms, 50):6.1f} / {percentile(ms, 95):6.1f} ms" if ms else "—"


def _table(samples: dict[str, dict[str, list[float]]]) -> None:
    """The medians and p95s of every stage, one column per dialect."""
    print(f"   {'median / p95':30}" + "".join(f"{dialect:>22}" for dialect in samples) + "   budget")
    for stage, what, budget in STAGES:
        cells = "".join(f"{_cell(by_stage[stage]):>22}" for by_stage in samples.values())
        print(f"   {what:30}{cells}   {budget}")
    counts = ", ".join(f"{d}: {len(s['silence'])}" for d, s in samples.items())
    print(f"   (turns per stage: {counts})")


async def _turns(dialect: str, script: Path) -> dict[str, list[float]]:
    """Run the turns against the local server speaking `dialect`; the samples of each stage."""
    settings = load_settings(provider="local", dialect=dialect, script=script, text_only=True)
    plan = plan_local(settings, resolve=lambda brain: ("scripted", []))
    app = make_app(settings, plan.connector)
    async with app.run_test(size=(140, 45)) as pilot:
        await _until(pilot, lambda: app.session is not None and app.session.ready)
        session = _session(app)
        for turn in range(1, TURNS + 1):
            await _type(pilot, f"hello {turn}")
            await _marked(pilot, session, turn, "t4")
        first_text = session.latency.samples("first text")
        for turn in range(TURNS + 1, 2 * TURNS + 1):
            await _type(pilot, "tell me a story")
            await _marked(pilot, session, turn, "t2")
            pilot.app.post_message(events.Key("escape", None))  # as _type does for Enter
            await _marked(pilot, session, turn, "k1", "t4")
        return {
            "first text": first_text,
            "silence": session.latency.samples("silence"),
            "first byte": session.latency.samples("first byte")[:TURNS],
        }


async def main() -> None:
    """Run the turns in each dialect of the local server and print the medians and p95s side by side."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "script.json"
        script.write_text(json.dumps(SCRIPT), encoding="utf-8")
        os.environ["LIVETUI_CONFIG"] = str(Path(folder) / "none.toml")
        os.environ["LIVETUI_DATA_DIR"] = str(Path(folder) / "data")
        samples = {dialect: await _turns(dialect, script) for dialect in DIALECTS}  # text, not speech
        _table(samples)
