"""Latency bookkeeping: marks per turn, the stages between them, and their percentiles.

Marks (DESIGN.md): t0 user end of turn → t1 first reply frame → t2 first text painted → t3 first reply
sample handed to the device → t4 turn complete; k0 interrupt pressed → k1 playback silent (or the last
text painted) → k2 the server acknowledged.
"""

from __future__ import annotations

import statistics
from collections import deque
from dataclasses import dataclass, field

from livetui.events import Mark

STAGES: dict[str, tuple[Mark, Mark]] = {
    "first byte": ("t0", "t1"),
    "first text": ("t0", "t2"),
    "first audio": ("t0", "t3"),
    "total": ("t0", "t4"),
    "silence": ("k0", "k1"),
    "interrupt ack": ("k0", "k2"),
}
"""Named stages shown in the latency pane: (from mark, to mark)."""


@dataclass
class TurnLatency:
    """The marks of one turn (monotonic seconds)."""

    turn: int
    marks: dict[str, float] = field(default_factory=dict)

    def stage(self, name: str) -> float | None:
        """Seconds between a stage's two marks, or None if either is missing."""
        start, end = STAGES[name]
        if start in self.marks and end in self.marks:
            return self.marks[end] - self.marks[start]
        return None


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation; the single value for one sample."""
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[max(0, min(98, round(q) - 1))]


class LatencyTracker:
    """Collects marks per turn and keeps a bounded history for percentiles."""

    def __init__(self, history: int = 500) -> None:
        self._turns: dict[int, TurnLatency] = {}
        self._order: deque[int] = deque(maxlen=history)

    def mark(self, turn: int, mark: Mark, at: float) -> bool:
        """Record a mark; the first time wins. Returns True if it was new."""
        record = self._turns.get(turn)
        if record is None:
            if len(self._order) == self._order.maxlen:
                self._turns.pop(self._order[0], None)
            record = self._turns[turn] = TurnLatency(turn)
            self._order.append(turn)
        if mark in record.marks:
            return False
        record.marks[mark] = at
        return True

    @property
    def turns(self) -> list[int]:
        """The numbers of the turns kept, oldest first."""
        return list(self._order)

    def turn(self, turn: int) -> TurnLatency | None:
        """The marks of one turn, if any were recorded."""
        return self._turns.get(turn)

    def has(self, turn: int, mark: Mark) -> bool:
        """True if the turn already has this mark."""
        record = self._turns.get(turn)
        return record is not None and mark in record.marks

    def samples(self, stage: str) -> list[float]:
        """Every recorded value of a stage, oldest first."""
        values = (self._turns[t].stage(stage) for t in self._order if t in self._turns)
        return [v for v in values if v is not None]

    def summary(self, stage: str) -> tuple[float, float] | None:
        """(p50, p95) of a stage in seconds, or None without samples."""
        values = self.samples(stage)
        if not values:
            return None
        return percentile(values, 50), percentile(values, 95)
