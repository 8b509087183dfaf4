"""A long text session through the real app: latencies, idle CPU and memory at turns 1, 100, 500 and 1,000.

The app runs headless (`run_test`) against `livetui serve` started as `livetui` starts it. Turns between the
checkpoints are driven as fast as they complete (short replies); at each checkpoint a few turns are measured:
Enter → first painted text (t0→t2), Esc → last painted text (k0→k1, a long reply interrupted once it shows),
then the app is left alone for 10 s to read its CPU time over wall time, and its resident memory.
`BENCH_LONG_TURNS` sets the checkpoints (default ``1,100,500,1000``).
"""

from __future__ import annotations

import asyncio
import json
import os
import time

from textual import events
from textual.pilot import Pilot

from bench import bench_turns
from bench.bench_turns import _marked, _session, _until
from bench.isolation import isolated, rss_mb
from livetui.config import load_settings
from livetui.session.connect import open_session
from livetui.session.engine import LiveSession
from livetui.session.latency import percentile
from livetui.ui.app import make_app

CHECKPOINTS = tuple(int(n) for n in os.environ.get("BENCH_LONG_TURNS", "1,100,500,1000").split(","))
MEASURED = int(os.environ.get("BENCH_LONG_MEASURED", "10"))
"""Turns of each kind measured at a checkpoint."""
IDLE_SECONDS = float(os.environ.get("BENCH_LONG_IDLE", "10"))

SCRIPT = {
    "rules": bench_turns.SCRIPT["rules"],  # "story": a long reply, to interrupt
    "default": {"reply": "Noted, *turn {turn}*: `{text}`.\n\n- one\n- two"},
}


async def _idle_cpu(seconds: float) -> float:
    """The app's CPU time over wall time while nothing happens, in % of one core."""
    cpu, wall = time.process_time(), time.monotonic()
    await asyncio.sleep(seconds)
    return (time.process_time() - cpu) / (time.monotonic() - wall) * 100


def _type(pilot: Pilot[None], text: str) -> None:
    """Post the keys of `text`, then Enter, without waiting for the app to go idle between them (as a fast
    typist would; `pilot.press` waits for every queue to drain after each key)."""
    for char in text:
        pilot.app.post_message(events.Key(char, char))
    pilot.app.post_message(events.Key("enter", "\r"))


async def _short_turn(pilot: Pilot[None], session: LiveSession, turn: int) -> None:
    _type(pilot, f"hi {turn}")
    await _marked(pilot, session, turn, "t2", "t4")


async def _interrupted_turn(pilot: Pilot[None], session: LiveSession, turn: int) -> None:
    _type(pilot, "story")
    await _marked(pilot, session, turn, "t2")
    pilot.app.post_message(events.Key("escape", None))
    await _marked(pilot, session, turn, "k1", "t4")


def _ms(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return f"{percentile(ms, 50):7.1f} {percentile(ms, 95):7.1f}"


async def main() -> None:
    """Drive the turns and print one row per checkpoint."""
    with isolated() as folder:
        script = folder / "script.json"
        script.write_text(json.dumps(SCRIPT), encoding="utf-8")
        settings = load_settings(provider="local", script=script, text_only=True)
        app = make_app(settings, lambda: open_session(settings, brain="scripted"))
        print(
            "   turn | Enter→text p50  p95 | Esc→last p50  p95 | idle CPU % | RSS MB | fill turns/s",
            flush=True,
        )
        async with app.run_test(size=(140, 45)) as pilot:
            await _until(pilot, lambda: app.session is not None and app.session.ready)
            session = _session(app)
            turn = 0
            for checkpoint in CHECKPOINTS:
                fill_started, filled = time.monotonic(), 0
                while turn + 1 < checkpoint:
                    turn += 1
                    filled += 1
                    await _short_turn(pilot, session, turn)
                fill_rate = filled / max(time.monotonic() - fill_started, 1e-9)
                first_text: list[float] = []
                silence: list[float] = []
                for _ in range(MEASURED):
                    turn += 1
                    await _short_turn(pilot, session, turn)
                    first_text.append(session.latency.turn(turn).stage("first text") or float("nan"))  # type: ignore[union-attr]
                for _ in range(MEASURED):
                    turn += 1
                    await _interrupted_turn(pilot, session, turn)
                    silence.append(session.latency.turn(turn).stage("silence") or float("nan"))  # type: ignore[union-attr]
                await asyncio.sleep(1.0)  # let the last turn's timers and paints settle
                idle = await _idle_cpu(IDLE_SECONDS)
                print(
                    f"   {checkpoint:4d} |      {_ms(first_text)}   |     {_ms(silence)}  |"
                    f" {idle:10.2f} | {rss_mb():6.0f} | {fill_rate:8.1f}",
                    flush=True,
                )
