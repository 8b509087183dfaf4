"""The tools pane: every function call of the session, and the whole of the selected one.

A table lists the calls (name, status, duration, id), newest last; below it the highlighted call is shown
whole: its arguments and result as indented JSON. In confirm and manual modes the pane asks the user, one
call at a time, with a dialog (`livetui.ui.screens.tool_dialogs`), and posts `ToolsPane.Decided` with the
answer for the app to hand to the engine's tool runner. Selecting a call that still waits (Enter on its
row) asks again.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from livetui import events as ev
from livetui.ui.messages import SessionEvent
from livetui.ui.screens.tool_dialogs import AnswerToolScreen, ConfirmToolScreen
from livetui.ui.widgets.tool_calls import CallView

COLUMNS = ("name", "status", "time", "id")
"""The table's columns."""

ID_CHARS = 8
"""Characters of a call's id shown in the table (the details show it whole)."""


def short_id(call_id: str) -> str:
    """The end of a call's id (Gemini's ids share a long ``function-call-`` prefix)."""
    return call_id if len(call_id) <= ID_CHARS else "…" + call_id[-ID_CHARS:]


class ToolsPane(Vertical):
    """Function calls: a table of every call and the details of the highlighted one."""

    CONSUMES: ClassVar[tuple[type[ev.Event], ...]] = (
        ev.ToolCallRequested,
        ev.ToolCallStatus,
        ev.ToolCallArguments,
    )
    """The session events the pane shows."""

    @dataclass
    class Decided(Message):
        """The user decided a call: `approved` (confirm mode) or `response` (manual mode)."""

        call_id: str
        """The call decided."""
        approved: bool | None = None
        """Confirm mode: True to run the call, False to deny it."""
        response: dict[str, Any] | None = None
        """Manual mode: the response to send."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.calls: dict[str, CallView] = {}
        """Every call of the session, by id, oldest first."""
        self.selected: str | None = None
        """The id of the call shown in the details."""
        self._asking: tuple[str, ModalScreen[Any]] | None = None
        self._to_ask: deque[str] = deque()

    def compose(self) -> ComposeResult:
        """A count line, the calls table and the details."""
        yield Label("no function calls yet", id="tools-count")
        table: DataTable[Text] = DataTable(id="tools-table", cursor_type="row", zebra_stripes=True)
        yield table
        with VerticalScroll(id="tools-detail"):
            yield Static("", id="tools-detail-text", markup=False)

    def on_mount(self) -> None:
        """Set up the table's columns."""
        table = self.query_one("#tools-table", DataTable)
        for column in COLUMNS:
            table.add_column(column, key=column)

    @on(SessionEvent)
    def _on_session_event(self, message: SessionEvent) -> None:
        event = message.event
        if isinstance(event, ev.ToolCallRequested):
            for call in event.calls:
                self._add(CallView(call))
        elif isinstance(event, ev.ToolCallArguments):
            self._growing(event)
        elif isinstance(event, ev.ToolCallStatus):
            view = self.calls.get(event.call_id)
            if view is None:
                return
            view.update(event)
            self._refresh_row(view)
            if event.awaiting is not None and event.status == "pending":
                self._ask_later(event.call_id)
            elif self._asking is not None and self._asking[0] == event.call_id:
                screen = self._asking[1]
                if self.app.screen is screen:  # decided elsewhere, or cancelled: the question is moot
                    screen.dismiss(None)

    def _add(self, view: CallView) -> None:
        table = self.query_one("#tools-table", DataTable)
        if view.call.call_id in self.calls:  # a server repeated a call id (or sent none twice): newest wins
            table.remove_row(view.call.call_id)
        self.calls[view.call.call_id] = view
        table.add_row(
            Text(view.call.name, style="bold"),
            view.status_text,
            Text(view.duration_text),
            Text(short_id(view.call.call_id), style="dim"),
            key=view.call.call_id,
        )
        if self.selected is None or table.cursor_row == table.row_count - 2:
            table.move_cursor(row=table.row_count - 1)
            self._show(view.call.call_id)
        self._count()

    def _growing(self, event: ev.ToolCallArguments) -> None:
        """A call whose arguments are still streaming: listed at once, its details growing."""
        call = ev.ToolCall(turn=event.turn, call_id=event.call_id, name=event.name, args=event.args)
        view = self.calls.get(event.call_id)
        if view is None:
            self._add(CallView(call, awaiting="arguments"))
            return
        view.call = call
        self._refresh_row(view)

    def _refresh_row(self, view: CallView) -> None:
        table = self.query_one("#tools-table", DataTable)
        key = view.call.call_id
        table.update_cell(key, "status", view.status_text, update_width=True)
        table.update_cell(key, "time", Text(view.duration_text), update_width=True)
        if self.selected == key:
            self._show(key)
        self._count()

    def _count(self) -> None:
        states = [view.status for view in self.calls.values()]
        parts = [f"{len(states)} {'call' if len(states) == 1 else 'calls'}"]
        for status in ("pending", "running", "error", "denied", "cancelled"):
            if states.count(status):
                parts.append(f"{states.count(status)} {status}")
        self.query_one("#tools-count", Label).update(" · ".join(parts))

    def _show(self, call_id: str) -> None:
        self.selected = call_id
        view = self.calls.get(call_id)
        detail = self.query_one("#tools-detail-text", Static)
        detail.update(view.details() if view is not None else "")

    @on(DataTable.RowHighlighted, "#tools-table")
    def _on_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if event.row_key.value is not None:
            self._show(event.row_key.value)

    @on(DataTable.RowSelected, "#tools-table")
    def _on_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        call_id = event.row_key.value
        view = self.calls.get(call_id) if call_id is not None else None
        if view is not None and view.status == "pending" and view.awaiting and call_id is not None:
            self._ask_later(call_id)

    # -- asking the user, one call at a time --------------------------------------------------------------

    def _ask_later(self, call_id: str) -> None:
        if call_id not in self._to_ask and (self._asking is None or self._asking[0] != call_id):
            self._to_ask.append(call_id)
        self._ask_next()

    def _ask_next(self) -> None:
        while self._asking is None and self._to_ask:
            call_id = self._to_ask.popleft()
            view = self.calls.get(call_id)
            if view is not None and view.status == "pending" and view.awaiting is not None:
                self._ask(view)

    def _ask(self, view: CallView) -> None:
        call_id = view.call.call_id
        if view.awaiting == "approval":
            confirm = ConfirmToolScreen(view)
            self._asking = (call_id, confirm)
            self.app.push_screen(confirm, lambda approved: self._answered(call_id, approved, None))
        else:
            answer = AnswerToolScreen(view)
            self._asking = (call_id, answer)
            self.app.push_screen(answer, lambda response: self._answered(call_id, None, response))

    def _answered(self, call_id: str, approved: bool | None, response: dict[str, Any] | None) -> None:
        self._asking = None
        view = self.calls.get(call_id)
        still_waiting = view is not None and view.status == "pending"
        if still_waiting and (approved is not None or response is not None):
            self.post_message(self.Decided(call_id, approved=approved, response=response))
        self._ask_next()
