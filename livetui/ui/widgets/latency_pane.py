"""The latency pane: the current turn's stages, a sparkline of recent totals, and p50/p95 per stage.

Stages are the spans between marks (`livetui.session.latency.STAGES`: first byte t0→t1, first text
t0→t2, first audio t0→t3, total t0→t4, silence k0→k1, interrupt ack k0→k2). The pane reads the
session's `LatencyTracker` whenever a mark arrives, so coalesced updates lose nothing. In a session with
a speaker it also counts the jitter buffer's underruns.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Digits, Label, Sparkline

from livetui import events as ev
from livetui.session.latency import STAGES, LatencyTracker
from livetui.ui.messages import LatencyUpdate, SessionEvent

HISTORY = 40
"""Turns shown in the sparkline of totals."""

COLUMNS = ("stage", "turn", "p50", "p95")
"""The table's columns: the stage, its value for the current turn, and its percentiles."""


def format_ms(seconds: float | None) -> str:
    """Milliseconds for a span, `—` when the span is missing."""
    if seconds is None:
        return "—"
    millis = seconds * 1000
    if millis < 10:
        return f"{millis:.1f} ms"
    if millis < 10_000:
        return f"{millis:.0f} ms"
    return f"{seconds:.1f} s"


class LatencyPane(Vertical):
    """Latency of the current turn and of the session so far."""

    CONSUMES: ClassVar[tuple[type[ev.Event], ...]] = (ev.LatencyMark, ev.AudioState)
    """The session events the pane reads (a mark triggers a re-read of the tracker)."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.current_turn: int | None = None
        """The turn whose stages the table shows (the turn of the latest mark)."""

    def compose(self) -> ComposeResult:
        """Title, the headline number, the stages table, and the history sparkline with its caption."""
        yield Label("no turn yet", id="latency-title")
        with Horizontal(id="headline"):
            yield Digits("-", id="headline-digits")
            yield Label("ms to first text", id="headline-caption")
        table: DataTable[Text] = DataTable(id="latency-table", cursor_type="none", zebra_stripes=True)
        table.can_focus = False
        yield table
        yield Label(f"total, last {HISTORY} turns", id="history-caption")
        yield Sparkline([], id="latency-history")
        yield Label("", id="latency-audio")

    def on_mount(self) -> None:
        """One row per stage, all empty."""
        table = self.table
        table.add_column("stage", key="stage", width=13)
        for column in COLUMNS[1:]:
            table.add_column(Text(column, justify="right"), key=column, width=7)
        for stage in STAGES:
            table.add_row(Text(stage), *(Text("—", justify="right") for _ in COLUMNS[1:]), key=stage)

    @property
    def table(self) -> DataTable[Text]:
        """The stages table."""
        return self.query_one("#latency-table", DataTable)

    def cell(self, stage: str, column: str) -> str:
        """The text shown for a stage in a column (`turn`, `p50` or `p95`)."""
        return str(self.table.get_cell(stage, column))

    @on(SessionEvent)
    def _on_audio(self, message: SessionEvent) -> None:
        event = message.event
        if isinstance(event, ev.AudioState) and event.speaker:
            count = event.underruns
            self.query_one("#latency-audio", Label).update(
                f"jitter buffer: {count} underrun{'' if count == 1 else 's'}"
            )

    @on(LatencyUpdate)
    def _on_latency(self, message: LatencyUpdate) -> None:
        if message.session is None or not isinstance(message.event, ev.LatencyMark):
            return
        self.show(message.session.latency, message.event.turn)

    def show(self, tracker: LatencyTracker, turn: int) -> None:
        """Show one turn's stages and the session's percentiles."""
        self.current_turn = turn
        record = tracker.turn(turn)
        table = self.table
        for stage in STAGES:
            value = record.stage(stage) if record is not None else None
            summary = tracker.summary(stage)
            p50, p95 = summary if summary is not None else (None, None)
            table.update_cell(stage, "turn", Text(format_ms(value), justify="right"))
            table.update_cell(stage, "p50", Text(format_ms(p50), justify="right"))
            table.update_cell(stage, "p95", Text(format_ms(p95), justify="right"))
        self.query_one("#latency-title", Label).update(f"turn {turn}")
        first_text = record.stage("first text") if record is not None else None
        self.query_one("#headline-digits", Digits).update(
            "-" if first_text is None else f"{first_text * 1000:.0f}"
        )
        totals = [seconds * 1000 for seconds in tracker.samples("total")[-HISTORY:]]
        sparkline = self.query_one("#latency-history", Sparkline)
        sparkline.data = totals
        sparkline.styles.width = max(1, len(totals))  # one column per turn: a short history is not stretched
