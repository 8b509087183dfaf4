"""The latency pane: the current turn's stages, a sparkline of recent totals, and p50/p95 per stage.

Stages are the spans between marks (`livetui.session.latency.STAGES`: first byte t0→t1, first text
t0→t2, first audio t0→t3, total t0→t4, silence k0→k1, interrupt ack k0→k2). The pane reads the
session's `LatencyTracker` whenever a mark arrives, so coalesced updates lose nothing. Below the table
are the current turn's marks themselves (t0–t4 from t0, k0–k2 from k0, in milliseconds), and the link:
the WebSocket round trip, the frames waiting in the send queue, and the jitter buffer's underruns ("–"
until there is a speaker), and, for a provider that reports them, its rate limits (hidden until then).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import DataTable, Digits, Label, Sparkline

from livetui import events as ev
from livetui.events import Mark
from livetui.record.usage import Tokens
from livetui.session.latency import STAGES, LatencyTracker
from livetui.ui.messages import LatencyUpdate, SessionEvent
from livetui.ui.widgets import status
from livetui.ui.widgets.label_text import show_text

HISTORY = 40
"""Turns shown in the sparkline of totals."""

COLUMNS = ("stage", "turn", "p50", "p95")
"""The table's columns: the stage, its value for the current turn, and its percentiles."""

TURN_MARKS: tuple[Mark, ...] = ("t0", "t1", "t2", "t3", "t4")
"""The marks of a turn, shown from t0."""
INTERRUPT_MARKS: tuple[Mark, ...] = ("k0", "k1", "k2")
"""The marks of an interruption, shown from k0."""


def format_marks(marks: dict[str, float], names: tuple[Mark, ...]) -> str:
    """Marks as milliseconds after the first of `names` (``t0 0 · t1 +12 · t2 — ms``)."""
    origin = marks.get(names[0])
    parts = []
    for name in names:
        at = marks.get(name)
        if at is None or origin is None:
            parts.append(f"{name} —")
        else:
            parts.append(f"{name} {'+' if at > origin else ''}{(at - origin) * 1000:.0f}")
    return " · ".join(parts) + " ms"


def format_link(round_trip: float | None, queued: int | None, underruns: int | None) -> str:
    """The link line: round trip, send-queue depth, jitter-buffer underruns (``–`` when unknown)."""
    rtt = "rtt –" if round_trip is None else status.format_round_trip(round_trip)  # as the status bar says it
    queue = "–" if queued is None else str(queued)
    dry = "–" if underruns is None else str(underruns)
    return f"{rtt} · send queue {queue} · underruns {dry}"


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


def format_rate_limits(limits: tuple[ev.RateLimit, ...]) -> str:
    """The rate-limits line, what is left of each: ``limits: requests 999/1000 · tokens 49000/50000``."""
    parts = []
    for limit in limits:
        left = "?" if limit.remaining is None else str(limit.remaining)
        parts.append(f"{limit.name} {left}/{'?' if limit.limit is None else limit.limit}")
    return "limits: " + (" · ".join(parts) or "none")


def format_usage(turn: int, tokens: Tokens) -> str:
    """The usage line: ``tokens, turn 3: prompt 120 · response 45 · total 165``."""
    return f"tokens, turn {turn}: {tokens.describe()}"


REDRAW_INTERVAL = 0.1
"""Seconds at most between an event and the pane showing it; events in between share one redraw."""


class LatencyPane(Vertical):
    """Latency of the current turn and of the session so far."""

    CONSUMES: ClassVar[tuple[type[ev.Event], ...]] = (
        ev.LatencyMark,
        ev.AudioState,
        ev.RoundTrip,
        ev.RateLimits,
        ev.Usage,
    )
    """The session events the pane reads (a mark triggers a re-read of the tracker)."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.current_turn: int | None = None
        """The turn whose stages the table shows (the turn of the latest mark)."""
        self.round_trip: float | None = None
        """The latest WebSocket round trip, in seconds."""
        self.queued: int | None = None
        """Frames waiting in the session's send queue, when last looked."""
        self.underruns: int | None = None
        """The jitter buffer's underruns so far (None: no speaker)."""
        self.rate_limits: tuple[ev.RateLimit, ...] | None = None
        """The provider's rate limits as last reported (None: it reports none)."""
        self.usage: dict[int, Tokens] = {}
        """The tokens of each turn the server reported usage for."""
        self._pending: tuple[LatencyTracker, int] | None = None
        self._redraw: Timer | None = None
        self._link = ""
        self._usage_turn: int | None = None

    def compose(self) -> ComposeResult:
        """Title, the headline number, the stages table, and the history sparkline with its caption."""
        yield Label("no turn yet", id="latency-title")
        with Horizontal(id="headline"):
            yield Digits("-", id="headline-digits")
            yield Label("ms to first text", id="headline-caption")
        table: DataTable[Text] = DataTable(id="latency-table", cursor_type="none", zebra_stripes=True)
        table.can_focus = False
        yield table
        yield Label(format_marks({}, TURN_MARKS), id="latency-marks")
        yield Label(format_marks({}, INTERRUPT_MARKS), id="latency-interrupt-marks")
        yield Label(f"total, last {HISTORY} turns", id="history-caption")
        yield Sparkline([], id="latency-history")
        yield Label(format_link(None, None, None), id="latency-link")
        yield Label("", id="latency-limits", markup=False)  # names from the server: data, never markup
        yield Label("", id="latency-usage", markup=False)

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
    def _on_link(self, message: SessionEvent) -> None:
        """Every event the pane gets (marks included) updates the link line at the next redraw."""
        event = message.event
        if isinstance(event, ev.AudioState):
            self.underruns = event.underruns if event.speaker else None
        elif isinstance(event, ev.RoundTrip):
            self.round_trip = event.seconds
        elif isinstance(event, ev.RateLimits):
            self.rate_limits = event.limits
        elif isinstance(event, ev.Usage):
            self.usage.setdefault(event.turn, Tokens()).add(event)
            self._usage_turn = event.turn
        if message.queued is not None:
            self.queued = message.queued
        self._schedule_redraw()

    def _show_link(self) -> None:
        link = format_link(self.round_trip, self.queued, self.underruns)
        if link != self._link:
            self._link = link
            show_text(self.query_one("#latency-link", Label), link)
        if self._usage_turn is not None:
            usage = self.query_one("#latency-usage", Label)
            usage.add_class("-shown")
            show_text(usage, format_usage(self._usage_turn, self.usage[self._usage_turn]))
        if self.rate_limits is not None:
            limits = self.query_one("#latency-limits", Label)
            limits.add_class("-shown")
            show_text(limits, format_rate_limits(self.rate_limits))

    @on(LatencyUpdate)
    def _on_latency(self, message: LatencyUpdate) -> None:
        tracker = message.runtime.latency if message.runtime is not None else None
        if tracker is None or not isinstance(message.event, ev.LatencyMark):
            return
        self._pending = (tracker, message.event.turn)
        self._schedule_redraw()

    def _schedule_redraw(self) -> None:
        """Redraw once after `REDRAW_INTERVAL`, however many events arrive until then.

        Each redraw updates a dozen cells and labels, and a label that changes size costs a layout of the
        whole screen, whose cost grows with the chat log; an interruption alone brings half a dozen marks
        and frames. Coalescing them keeps the pane from delaying the chat log's own paint.
        """
        if self._redraw is None:
            self._redraw = self.set_timer(REDRAW_INTERVAL, self._redraw_now)

    def _redraw_now(self) -> None:
        self._redraw = None
        pending, self._pending = self._pending, None
        if pending is not None:
            self.show(*pending)
        self._show_link()

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
        marks = record.marks if record is not None else {}
        self.query_one("#latency-marks", Label).update(format_marks(marks, TURN_MARKS))
        self.query_one("#latency-interrupt-marks", Label).update(format_marks(marks, INTERRUPT_MARKS))
        first_text = record.stage("first text") if record is not None else None
        self.query_one("#headline-digits", Digits).update(
            "-" if first_text is None else f"{first_text * 1000:.0f}"
        )
        totals = [seconds * 1000 for seconds in tracker.samples("total")[-HISTORY:]]
        sparkline = self.query_one("#latency-history", Sparkline)
        sparkline.data = totals
        width = max(1, len(totals))  # one column per turn: a short history is not stretched
        if sparkline.styles.width is None or sparkline.styles.width.value != width:
            sparkline.styles.width = width  # a new width lays the screen out again: only when it changes
