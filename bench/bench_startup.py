"""Start-up: `livetui --help`, and the app from launch to a live session on the local server.

Budgets (DESIGN.md): `--help` ≤ 200 ms; first frame connected to the local server ≤ 1.5 s. The second is
timed from creating the app to `setupComplete` from a local server it started as a child process, with
the scripted brain and with smollm2 (which loads its model first). Also the look at the sound devices a
spoken session makes before it connects (to ask for text replies when nothing can play speech), in a
fresh process each time, as at launch: PortAudio lists the devices as it loads.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from livetui.config import load_settings
from livetui.session.connect import open_session
from livetui.session.latency import percentile
from livetui.ui.app import make_app

RUNS = 5


def _help_ms() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "livetui", "--help"], capture_output=True, check=True)
    return (time.perf_counter() - started) * 1000


PROBE = """
import asyncio, time
from livetui.media.audio.speaker import DeviceSink
from livetui.live.config import SessionConfig
from livetui.providers.registry import local_endpoint, provider
from livetui.session.engine import LiveSession
from livetui.session.replies import speaker_missing
from livetui.session.voice import Voice
session = LiveSession(local_endpoint("ws://127.0.0.1:9"), provider("gemini"), SessionConfig(model="local"))
voice = Voice(session, sink=DeviceSink())
started = time.perf_counter()
asyncio.run(speaker_missing(voice))
print((time.perf_counter() - started) * 1000)
"""
"""Times the sound-device look a spoken session makes before it connects, from a cold start."""


def _probe_ms() -> float:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


async def _live_ms(brain: str) -> float:
    settings = load_settings(provider="local", text_only=True)
    started = time.perf_counter()
    app = make_app(settings, lambda: open_session(settings, brain=brain))
    async with app.run_test(size=(120, 40)):
        while app.session is None or not app.session.ready:
            await asyncio.sleep(0.001)
        return (time.perf_counter() - started) * 1000


def _print(name: str, values: list[float], budget: str) -> None:
    print(
        f"   {name}: median {percentile(values, 50):.0f} ms, p95 {percentile(values, 95):.0f} ms "
        f"over {len(values)} runs (budget {budget})"
    )


async def main() -> None:
    """Time both and print the numbers."""
    with tempfile.TemporaryDirectory() as folder:
        os.environ["LIVETUI_CONFIG"] = str(Path(folder) / "none.toml")
        os.environ["LIVETUI_DATA_DIR"] = str(Path(folder) / "data")
        _print("livetui --help", [_help_ms() for _ in range(RUNS)], "≤ 200 ms")
        _print("sound devices looked at before connecting", [_probe_ms() for _ in range(RUNS)], "—")
        for brain in ("scripted", "smollm2"):
            _print(
                f"launch → live on the local server ({brain})",
                [await _live_ms(brain) for _ in range(RUNS)],
                "≤ 1.5 s",
            )
