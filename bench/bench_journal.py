"""Journal: the cost of journaling one event on the event loop, and memory over 10,000 turns.

Each turn writes what a text turn with speech journals in the app: the user's text, the frames both ways,
24 text deltas, 5 audio chunks of 40 ms (to the sidecar track), transcripts, marks, usage and the end of
the turn (about 70 lines). Every write is timed alone (append, then flush to the OS); RSS is read after the
first 1,000 turns and at the end, so growth shows whether the journal holds on to anything.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from livetui import events as ev
from livetui.record.journal import Journal

TURNS = 10_000
DELTAS = 24
AUDIO_CHUNKS = 5
CHUNK = b"\x01\x02" * 960
"""40 ms of 24 kHz PCM16."""


def rss_mb() -> float:
    """This process's resident memory, in MB (Linux /proc; 0 elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * 4096 / 1e6


def turn_events(turn: int) -> list[ev.AnyEvent]:
    """The events one turn journals, in order."""
    frame = '{"serverContent": {"modelTurn": {"parts": [{"text": "a few words of reply"}]}}}'
    events: list[ev.AnyEvent] = [
        ev.UserText(turn=turn, text="tell me something about the weather today"),
        ev.LatencyMark(turn=turn, mark="t0", at=1.0),
        ev.WireFrame(direction="out", summary="clientContent", text=frame, size=len(frame)),
    ]
    for index in range(DELTAS):
        events.append(ev.WireFrame(direction="in", summary="serverContent.modelTurn", text=frame, size=90))
        events.append(ev.TextDelta(turn=turn, text="a few words of reply "))
        if index < AUDIO_CHUNKS:
            events.append(ev.AudioOut(turn=turn, pcm=CHUNK))
            events.append(ev.OutputTranscript(turn=turn, text="a few words "))
    events += [
        ev.LatencyMark(turn=turn, mark="t1", at=1.1),
        ev.LatencyMark(turn=turn, mark="t2", at=1.2),
        ev.GenerationComplete(turn=turn),
        ev.Usage(turn=turn, prompt_tokens=100, response_tokens=120, total_tokens=220),
        ev.LatencyMark(turn=turn, mark="t4", at=1.5),
        ev.TurnComplete(turn=turn),
    ]
    return events


def main() -> None:
    """Journal 10,000 turns into a temporary directory and print the numbers."""
    per_turn = turn_events(1)
    audio_per_turn = sum(isinstance(event, ev.AudioOut) for event in per_turn)
    # Preallocated and written through (zeros would be mapped lazily), so the measurements themselves do not
    # grow the resident memory.
    text_costs = np.full(TURNS * (len(per_turn) - audio_per_turn), np.nan)
    audio_costs = np.full(TURNS * audio_per_turn, np.nan)
    texts = audios = 0
    with tempfile.TemporaryDirectory() as root:
        journal = Journal.start(Path(root))
        early = 0.0
        before = rss_mb()
        for turn in range(1, TURNS + 1):
            for event in turn_events(turn):
                started = time.perf_counter()
                journal.write(event)
                spent = time.perf_counter() - started
                if isinstance(event, ev.AudioOut):
                    audio_costs[audios], audios = spent, audios + 1
                else:
                    text_costs[texts], texts = spent, texts + 1
            if turn == 1_000:
                early = rss_mb()
        after = rss_mb()
        journal.close()
        size = sum(path.stat().st_size for path in journal.directory.iterdir() if path.is_file())
        lines = journal.lines
    for name, costs in (("event", text_costs), ("audio chunk (40 ms)", audio_costs)):
        p50, p95 = (float(value) * 1e6 for value in np.percentile(costs, [50, 95]))
        print(f"journal write, {name}: {p50:.1f} µs / {p95:.1f} µs (median / p95, {len(costs):,} writes)")
    print(
        f"memory: RSS {before:.0f} MB at start, {early:.0f} MB after 1,000 turns, {after:.0f} MB after "
        f"{TURNS:,} turns ({after - early:+.1f} MB after the first 1,000; budget: flat)"
    )
    per_turn_kb = size / TURNS / 1e3
    print(f"on disk: {lines:,} lines, {size / 1e6:.0f} MB with the audio track ({per_turn_kb:.1f} kB/turn)")


if __name__ == "__main__":
    main()
