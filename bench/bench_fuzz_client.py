"""Client fuzz: random, mutated and known-hostile server frames into the decoder and through the engine.

Prints how many frames were fuzzed, how many exceptions escaped (the budget is 0), how many frames
became error events, and whether the session was still live afterwards (it read a whole reply sent
after them). The frames are drawn by hypothesis with a fixed seed, so a failure reproduces; the test
suite runs the same harness with fewer frames (tests/protocol/test_hostile_frames.py,
tests/session/test_hostile_server.py). Needs the test dependency group (hypothesis).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import time
from typing import TYPE_CHECKING

from livetui import events as ev
from livetui.providers.gemini.client import Setup
from livetui.providers.gemini.session import GeminiSession
from livetui.providers.registry import local_endpoint, provider
from livetui.session.engine import LiveSession

if TYPE_CHECKING:
    from tests.hostile import Frame

FRAMES = int(os.environ.get("LIVETUI_FUZZ_FRAMES", "3000"))
"""Random frames drawn (set LIVETUI_FUZZ_FRAMES for a longer run)."""

SEED = int(os.environ.get("LIVETUI_FUZZ_SEED", "20261201"))
"""The hypothesis seed: the same seed draws the same frames."""


def fuzz_decoder(frames: list[Frame]) -> tuple[int, int, bool]:
    """Each frame into a fresh live state machine: (escaped exceptions, error events, still live)."""
    from tests.hostile import SENTINEL_FRAMES

    escaped = errors = 0
    live = True
    for frame in frames:
        session = GeminiSession(setup=Setup(model="models/x"))
        session.start()
        session.receive('{"setupComplete":{}}', at=0.0)
        try:
            session.receive(frame, at=0.5)
            errors += sum(isinstance(e, ev.SessionError) for e in session.events_received())
            for good in SENTINEL_FRAMES:
                session.receive(good, at=1.0)
        except Exception as error:  # counted, and shown once
            if not escaped:
                print(f"   first escaped exception: {type(error).__name__}: {error!s:.200} on {frame!r:.200}")
            escaped += 1
            continue
        done = [e for e in session.events_received() if isinstance(e, ev.TurnComplete)]
        live = live and session.ready and len(done) == 1
    return escaped, errors, live


async def fuzz_engine(frames: list[Frame]) -> tuple[int, int, bool]:
    """All frames through one connection to a loopback peer: (frames the engine reported, error events,
    still live)."""
    from tests.hostile import hostile_peer
    from tests.session.conftest import TEXT_CONFIG, running

    async with hostile_peer(frames) as (url, _received):
        session = LiveSession(local_endpoint(url), provider("gemini"), TEXT_CONFIG)
        async with running(session) as recorder:

            def wire_in() -> list[ev.WireFrame]:
                return [e for e in recorder.of(ev.WireFrame) if e.direction == "in"]

            with contextlib.suppress(TimeoutError):  # a session that died reports fewer frames
                await recorder.wait_for(lambda: len(wire_in()) >= len(frames) + 3, timeout=120)
            live = session.ready and not recorder.of(ev.Disconnected)
    seen = len(wire_in()) - 3
    return seen, len(recorder.of(ev.SessionError)), live


async def main() -> None:
    """Draw the frames, fuzz the decoder and the engine, print the numbers."""
    if importlib.util.find_spec("hypothesis") is None:
        print("   skipped: hypothesis is not installed (make fuzz installs the test dependencies)")
        return
    from tests.hostile import GO_AWAY, HOSTILE_FRAMES, fuzzed_frames, moves_the_session

    started = time.perf_counter()
    drawn = fuzzed_frames(FRAMES, SEED)
    explicit = list(HOSTILE_FRAMES.values())
    print(f"drew {len(drawn)} random frames (seed {SEED}) in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    escaped, errors, live = fuzz_decoder([*explicit, *drawn])
    took = time.perf_counter() - started
    total = len(explicit) + len(drawn)
    print(
        f"decoder: frames fuzzed: {total} ({len(explicit)} explicit), "
        f"escaped exceptions: {escaped} (budget 0)"
    )
    print(
        f"decoder: error events: {errors}, session still live after each: {live}, "
        f"{total / took:,.0f} frames/s"
    )

    through = [f for f in [*explicit, *drawn] if not moves_the_session(f)]
    skipped = len(explicit) + len(drawn) - len(through)
    started = time.perf_counter()
    seen, errors, live = await fuzz_engine(through)
    took = time.perf_counter() - started
    print(
        f"engine: frames fuzzed: {len(through)} through one connection ({skipped} goAway frames left out: "
        f"the session moves by design; {len(GO_AWAY)} of them explicit)"
    )
    print(
        f"engine: frames reported: {seen} of {len(through)}, error events: {errors}, "
        f"escaped exceptions: {len(through) - seen} (budget 0), session still live: {live}, "
        f"{len(through) / took:,.0f} frames/s"
    )
