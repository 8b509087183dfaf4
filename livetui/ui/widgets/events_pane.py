"""The events pane: every raw frame on the wire, both directions, filterable by its summary.

Frames arrive as `WireFrame` events (audio and image payloads already abbreviated by the engine), fifty
and more a second while the microphone streams, so the main screen hands them to :meth:`EventsPane.record`
directly instead of posting a message for each. The pane keeps the newest :data:`MAX_FRAMES` of them, so
the filter can be changed after the fact, and does nothing else with them while it is hidden: no log
written, no count shown. While it shows, new frames are written in batches, at most
:data:`REDRAWS_PER_SECOND` times a second; when it is shown again, the frames it missed are written then.
It shows one entry per frame: direction (↑ sent, ↓ received), summary and size, then the start of its
JSON, dimmed and folded to the pane's width.
"""

from __future__ import annotations

from collections import deque
from typing import ClassVar

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input, Label, RichLog

from livetui import events as ev

MAX_FRAMES = 2000
"""Frames kept (the log holds up to four lines for each)."""

EXCERPT = 160
"""Characters of a frame's JSON shown (two or three lines of the pane)."""

REDRAWS_PER_SECOND = 10
"""The most times a second the log and the count are brought up to date while the pane shows."""

ARROWS = {"out": "↑", "in": "↓"}
"""Direction arrows: ↑ client → server, ↓ server → client."""


def format_size(size: int) -> str:
    """A frame size: bytes, or KiB past 10 KiB."""
    return f"{size} B" if size < 10 * 1024 else f"{size / 1024:.0f} KiB"


def frame_line(frame: ev.WireFrame) -> Text:
    """A frame's entry in the log: direction, summary and size; then the start of its JSON, dimmed."""
    text = " ".join(frame.text.split())
    if len(text) > EXCERPT:
        text = text[: EXCERPT - 1] + "…"
    entry = Text(overflow="fold")
    entry.append(
        ARROWS[frame.direction] + " ", style="bold green" if frame.direction == "out" else "bold cyan"
    )
    entry.append(frame.summary, style="bold")
    entry.append(f"  {format_size(frame.size)}\n", style="dim")
    entry.append(text, style="dim")
    return entry


class EventsPane(Vertical):
    """Raw frames in both directions, with a substring filter on their summaries."""

    CONSUMES: ClassVar[tuple[type[ev.Event], ...]] = ()
    """No session events come as messages: frames come through :meth:`record`."""

    frame_log = getters.query_one("#events-log", RichLog)
    """The log the frames are written to."""

    def __init__(self, *, example: str = "", id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.example = example
        """A part of the provider's frame summaries, shown in the empty filter as an example."""
        self.frames: deque[ev.WireFrame] = deque(maxlen=MAX_FRAMES)
        """The newest frames, oldest first."""
        self.filter_text = ""
        """The current filter (lower case); a frame shows when its summary contains it."""
        self.recorded = 0
        """Frames recorded in all (the pane keeps the newest `MAX_FRAMES`)."""
        self._counts = {"out": 0, "in": 0}
        self._written = 0
        self._log_ready = False
        self._visible = False
        self._redraw: Timer | None = None

    def compose(self) -> ComposeResult:
        """The filter, a count line, and the log."""
        yield Input(placeholder=self._hint(), id="events-filter")
        yield Label("no frames yet", id="events-count")
        yield RichLog(max_lines=4 * MAX_FRAMES, min_width=20, wrap=True, id="events-log", auto_scroll=True)

    def _hint(self) -> str:
        return f"filter by summary (e.g. {self.example})" if self.example else "filter by summary"

    def use_example(self, example: str) -> None:
        """Show another provider's example in the empty filter (a new session with another provider)."""
        self.example = example
        if self.is_mounted:
            self.query_one("#events-filter", Input).placeholder = self._hint()

    @property
    def shown(self) -> int:
        """How many of the kept frames pass the filter."""
        return sum(1 for frame in self.frames if self.matches(frame))

    def matches(self, frame: ev.WireFrame) -> bool:
        """True when the frame passes the filter."""
        return self.filter_text in frame.summary.lower()

    def record(self, frame: ev.WireFrame) -> None:
        """Keep a frame (called on the event loop for every frame); shown at the next redraw, if showing."""
        self.frames.append(frame)
        self.recorded += 1
        self._counts[frame.direction] += 1
        if self._visible and self._redraw is None:
            self._redraw = self.set_timer(1 / REDRAWS_PER_SECOND, self._catch_up)

    def _catch_up(self) -> None:
        """Write the frames recorded since the log was last brought up to date, and show the count."""
        self._redraw = None
        if not self._visible:
            return
        if self._log_ready:
            missed = self.recorded - self._written
            if missed > len(self.frames):  # some went before they were written: start again
                self._refill()
            else:
                log = self.frame_log
                for index in range(len(self.frames) - missed, len(self.frames)):
                    if self.matches(frame := self.frames[index]):
                        log.write(frame_line(frame))
                self._written = self.recorded
        self._show_count()

    def on_show(self) -> None:
        """Fill the log the first time the pane is on screen (once the log has a size), else write what it
        missed while hidden; show the count."""
        self._visible = True
        if self._log_ready:
            self._catch_up()
        else:
            self._show_count()
            self.call_after_refresh(self._fill_when_sized)

    def on_hide(self) -> None:
        """Stop writing the log and the count while the pane is hidden."""
        self._visible = False
        if self._redraw is not None:
            self._redraw.stop()
            self._redraw = None

    def _fill_when_sized(self) -> None:
        if not self._log_ready and self.frame_log.size.width:
            self._log_ready = True
            self._refill()

    @on(Input.Changed, "#events-filter")
    def _on_filter(self, event: Input.Changed) -> None:
        event.stop()
        self.filter_text = event.value.strip().lower()
        if self._log_ready:
            self._refill()
        self._show_count()

    def _refill(self) -> None:
        log = self.frame_log
        log.clear()
        for frame in self.frames:
            if self.matches(frame):
                log.write(frame_line(frame))
        self._written = self.recorded

    def _show_count(self) -> None:
        if not self.frames:
            return
        counts = f"↑ {self._counts['out']} sent · ↓ {self._counts['in']} received"
        shown = f" · {self.shown} shown" if self.filter_text else ""
        self.query_one("#events-count", Label).update(counts + shown)
