"""Fuzzing the local server: frames fuzzed, exceptions escaped (budget 0), the server still live.

Seeded hypothesis examples from the same strategies as ``tests/server/test_fuzz.py``, many more of them:
each frame is sent on its own connection after ``setup``, then a probe question. A frame must be answered
or refused with 1007 (1009 when too big); anything else, or an error the server logs, counts as escaped.
"""

from __future__ import annotations

import importlib.util
import time

EXAMPLES = 1500
"""Frames fuzzed."""


def main() -> None:
    """Fuzz the server and print the tally (hypothesis is a test dependency: ``make fuzz`` installs it)."""
    if importlib.util.find_spec("hypothesis") is None:
        print("   skipped: hypothesis is not installed (make fuzz installs the test dependencies)")
        return
    from hypothesis import HealthCheck, given, seed, settings

    from tests.server.fuzz import FRAMES, SEED, FuzzFailure, ServerThread, Tally, check_frame, still_live

    tally = Tally()
    escaped: list[str] = []
    with ServerThread().running() as server:

        @seed(SEED)
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(frame=FRAMES)
        def fuzz(frame: str | bytes) -> None:
            try:
                check_frame(server, frame, tally)
            except (FuzzFailure, OSError, TimeoutError) as failure:  # counted, and the run goes on
                escaped.append(" ".join(str(failure).split())[:160])

        started = time.perf_counter()
        fuzz()
        seconds = time.perf_counter() - started
        live = still_live(server)
    outcomes = ", ".join(f"{name} {count}" for name, count in sorted(tally.outcomes.items()))
    print(
        f"   frames fuzzed: {tally.frames} in {seconds:.1f} s ({tally.frames / seconds:.0f}/s, seed {SEED})"
    )
    print(f"   outcomes: {outcomes}")
    print(f"   escaped exceptions: {len(escaped)} (budget 0)")
    for line in escaped[:5]:
        print(f"     {line}")
    print(f"   server still live: {'yes' if live else 'NO'}")
