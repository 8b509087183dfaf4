"""The chat log: the conversation as it happens, one entry per user turn, model reply, notice or error.

It shows the session events a person reads (`UserText`, text deltas, transcripts, function calls,
interruptions, notices, errors) and keeps the view anchored to the bottom while a reply streams, until the
user scrolls up. Only the newest :data:`LIVE_ENTRIES` entries are widgets of their own; older entries that
can no longer change are folded into archive blocks (`livetui.ui.widgets.archive`), so a long session lays
out and paints as cheaply as a fresh one. Long sessions keep the newest :data:`MAX_ENTRIES` entries. Keyboard
navigation, selection and copying, the new-text flag and the first-turn hint are `NavigableLog`'s
(`chat_nav.py`).

The reply to the next typed turn is mounted ahead of time, hidden, while nothing streams: when the user
sends a turn its reply is already composed, and the first delta only appends to its Markdown.

Events for a turn whose entries already left the log (archived, or dropped by the cap) are ignored: a late
delta never brings an old turn back at the bottom of the log.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.events import Mount
from textual.geometry import Size
from textual.widget import Widget

from livetui import events as ev
from livetui.session.runtime import Runtime
from livetui.ui.messages import SessionEvent
from livetui.ui.widgets.archive import ENTRIES_PER_BLOCK, ArchiveBlock, ArchivedEntry
from livetui.ui.widgets.chat_nav import NavigableLog, Selectable
from livetui.ui.widgets.entries import ErrorEntry, HeardEntry, NoticeEntry, UserEntry
from livetui.ui.widgets.model_turn import ModelTurn
from livetui.ui.widgets.tool_calls import CallView
from livetui.ui.widgets.tool_entry import ToolEntry

MAX_ENTRIES = 200
"""Entries kept (live and archived); older ones are removed as new ones arrive."""

LIVE_ENTRIES = 8
"""The newest entries kept as widgets of their own; older ones are archived once they can no longer change."""

Entry = UserEntry | HeardEntry | NoticeEntry | ErrorEntry | ToolEntry | ModelTurn
"""A live entry of the log."""


class ChatLog(NavigableLog, can_focus=True):
    """The conversation: user turns, streamed model replies, transcripts, notices and errors."""

    CONSUMES: ClassVar[tuple[type[ev.Event], ...]] = (
        ev.UserText,
        ev.TextDelta,
        ev.InputTranscript,
        ev.OutputTranscript,
        ev.ToolCallRequested,
        ev.ToolCallStatus,
        ev.Interrupted,
        ev.TurnComplete,
        ev.Notice,
        ev.SessionError,
        ev.Disconnected,
    )
    """The session events the chat log shows."""

    def __init__(self, notices: Iterable[str] = (), *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.notices = tuple(notices)
        """Lines shown at the top of the log when the app starts."""
        self._turns: dict[int, ModelTurn] = {}
        self._heard: dict[int, HeardEntry] = {}
        self._tool_entries: dict[str, ToolEntry] = {}
        self._retired_turn = 0
        """The newest turn whose reply left the live entries (its late events are ignored)."""
        self._retired_heard = 0
        """The newest turn whose heard entry left the live entries."""
        self._completed_turn = 0
        """The newest turn the server closed."""
        self._spare: ModelTurn | None = None
        """A reply mounted hidden at the end of the log, ready for the next typed turn."""

    def compose(self) -> ComposeResult:
        """The start-up notices."""
        for notice in self.notices:
            yield NoticeEntry(notice)

    @on(Mount)
    async def _first_spare(self) -> None:
        """A reply ready for the first turn."""
        await self._ready_spare()

    def _entries(self) -> list[Selectable]:
        """The selectable entries: never the hidden spare reply."""
        return [entry for entry in super()._entries() if entry is not self._spare]

    async def _ready_spare(self) -> None:
        """Mount a hidden reply for the next typed turn, unless one is ready."""
        if self._spare is None:
            self._spare = ModelTurn(0, None)
            self._spare.add_class("-spare")
            await self.mount(self._spare)

    def watch_virtual_size(self, size: Size) -> None:
        """Once the entries overflow the view, stay at the bottom as they grow, until the user scrolls up.

        (Anchoring earlier would push a short log to the bottom of the view.)
        """
        if not self.is_anchored and size.height > self.scrollable_content_region.height:
            self.anchor()

    def turn(self, number: int) -> ModelTurn | None:
        """The model reply of a turn, if it is still mounted."""
        return self._turns.get(number)

    @property
    def model_turns(self) -> list[ModelTurn]:
        """The mounted model replies, oldest first."""
        return [turn for turn in self.query_children(ModelTurn) if turn is not self._spare]

    @property
    def archived(self) -> list[ArchivedEntry]:
        """The archived entries, oldest first (they come before every live entry)."""
        return [entry for block in self.query_children(ArchiveBlock) for entry in block.entries]

    @property
    def entry_count(self) -> int:
        """The entries kept: archived and live."""
        return sum(
            b.count if isinstance(b, ArchiveBlock) else 1 for b in self.children if b is not self._spare
        )

    @on(SessionEvent)
    async def _on_session_event(self, message: SessionEvent) -> None:
        event, runtime = message.event, message.runtime
        match event:
            case ev.UserText(turn=turn, text=text):
                # The reply's turn is mounted with the user's entry: one layout and paint for both, so the
                # first delta finds its Markdown ready (a spare one, already composed, if there is one).
                # Archiving waits for the end of the turn, off the path to its first paint.
                user = UserEntry(turn, text)
                if turn in self._turns or turn <= self._retired_turn:
                    await self._append(user, tidy=False)
                elif (spare := self._spare) is not None:
                    self._spare = None
                    self._turns[turn] = spare
                    await self.mount(user, before=spare)
                    spare.claim(turn, runtime)
                else:
                    self._turns[turn] = ModelTurn(turn, runtime)
                    await self._append(user, self._turns[turn], tidy=False)
                await self._evict()  # turns that never end still leave the log
            case ev.TextDelta(turn=turn, text=text, thought=thought):
                if model_turn := await self._model_turn(turn, runtime):
                    await model_turn.add_text(text, thought=thought)
            case ev.OutputTranscript(turn=turn, text=text):
                if model_turn := await self._model_turn(turn, runtime):
                    model_turn.add_transcript(text)
            case ev.InputTranscript():
                await self._heard_entry(event)
            case ev.ToolCallRequested(calls=calls):
                for call in calls:
                    await self._tool_entry(CallView(call))
            case ev.ToolCallStatus(call_id=call_id):
                entry = self._tool_entries.get(call_id)
                if entry is not None:
                    entry.view.update(event)
                    entry.refresh_view()
            case ev.Interrupted(turn=turn, by=by):
                if model_turn := await self._model_turn(turn, runtime):
                    await model_turn.interrupt(by)
            case ev.TurnComplete(turn=turn, reason=reason):
                self._completed_turn = max(self._completed_turn, turn)
                model_turn = self._turns.get(turn)
                if model_turn is not None:
                    await model_turn.finish(reason)
                await self._tidy()
                if all(t.complete for t in self._turns.values()):
                    await self._ready_spare()
            case ev.Notice(message=text):
                await self.add_notice(text)
            case ev.SessionError(message=text):
                await self.add_error(text)
            case ev.Disconnected(code=code, reason=reason, will_retry=will_retry):
                retry = " (reconnecting)" if will_retry else ""
                await self.add_notice(f"disconnected ({code}): {reason}{retry}")
            case _:
                pass

    async def add_notice(self, text: str) -> None:
        """Show a notice line."""
        await self._append(NoticeEntry(text))

    async def add_error(self, text: str) -> None:
        """Show an error line."""
        await self._append(ErrorEntry(text))

    async def clear(self) -> None:
        """Remove every entry; replies still streaming are stopped first."""
        for model_turn in self._turns.values():
            await model_turn.close()
        self._turns.clear()
        self._heard.clear()
        self._tool_entries.clear()
        self._retired_turn = self._retired_heard = self._completed_turn = 0
        self._spare = None
        await self.remove_children()
        self.anchor(False)  # (the next turn's reply is mounted when it comes; a spare follows its end)

    async def _model_turn(self, turn: int, runtime: Runtime | None) -> ModelTurn | None:
        """The turn's reply, mounted on its first event; None once the turn left the log."""
        model_turn = self._turns.get(turn)
        if model_turn is None and turn > self._retired_turn:
            model_turn = self._turns[turn] = ModelTurn(turn, runtime)
            await self._append(model_turn)
        return model_turn

    async def _heard_entry(self, event: ev.InputTranscript) -> None:
        entry = self._heard.get(event.turn)
        if entry is None:
            if event.turn <= self._retired_heard:
                return
            entry = self._heard[event.turn] = HeardEntry(event.turn)
            await self._append(entry)
        entry.add(event)

    async def _tool_entry(self, view: CallView) -> None:
        """A call's entry goes just above its turn's reply, so the log reads: question, call, answer."""
        entry = self._tool_entries[view.call.call_id] = ToolEntry(view)
        model_turn = self._turns.get(view.call.turn)
        if model_turn is not None and model_turn.parent is self:
            await self.mount(entry, before=model_turn)
        else:
            await self._append(entry)

    async def _append(self, *entries: Widget, tidy: bool = True) -> None:
        await self.mount_all(entries, before=self._spare)
        if tidy:
            await self._tidy()

    async def _tidy(self) -> None:
        """Archive what can be archived, then drop what the cap does not keep."""
        await self._fold()
        await self._evict()

    def _settled(self, widget: Widget) -> bool:
        """True when an entry can no longer change (so it may be archived)."""
        match widget:
            case ModelTurn():
                return widget.complete
            case HeardEntry():
                return widget.turn <= self._completed_turn
            case ToolEntry():
                return widget.settled
            case UserEntry() | NoticeEntry() | ErrorEntry():
                return True
            case _:
                return False

    def _forget(self, widget: Widget) -> None:
        """Stop routing events to an entry that leaves the live entries."""
        match widget:
            case ModelTurn():
                self._turns.pop(widget.turn, None)
                self._retired_turn = max(self._retired_turn, widget.turn)
            case HeardEntry():
                self._heard.pop(widget.turn, None)
                self._retired_heard = max(self._retired_heard, widget.turn)
            case ToolEntry():
                self._tool_entries.pop(widget.call_id, None)
            case _:
                pass

    async def _fold(self) -> None:
        """Archive the oldest live entries beyond :data:`LIVE_ENTRIES` that can no longer change."""
        live = [c for c in self.children if isinstance(c, Entry) and c is not self._spare]
        folding: list[Entry] = []
        for widget in live[: max(0, len(live) - LIVE_ENTRIES)]:
            if not self._settled(widget):
                break
            folding.append(widget)
        if not folding:
            return
        records = [widget.archived() for widget in folding]
        for widget in folding:
            self._forget(widget)
        folded = dict(zip(folding, records, strict=True))
        blocks = list(self.query_children(ArchiveBlock))
        block = blocks[-1] if blocks else None
        with self.app.batch_update():
            while records:
                if block is None or block.full:
                    block = ArchiveBlock()
                    await self.mount(block, before=folding[0])
                room = ENTRIES_PER_BLOCK - block.count
                block.add(records[:room])
                records = records[room:]
            await self.remove_children(folding)
            if isinstance(selected := self.selected, Widget) and selected in folded:  # it stays selected
                self.reselect(folded[selected])

    async def _evict(self) -> None:
        """Drop the oldest entries beyond :data:`MAX_ENTRIES`, archived ones first."""
        excess = self.entry_count - MAX_ENTRIES
        gone: list[Widget] = []
        for child in self.children:
            if excess <= 0 or child is self._spare:
                break
            if not isinstance(child, ArchiveBlock | Entry):  # the first-turn hint
                continue
            if isinstance(child, ArchiveBlock):
                if child.count <= excess:
                    excess -= child.count
                    gone.append(child)
                else:
                    child.drop(excess)
                    excess = 0
            else:
                if isinstance(child, ModelTurn):
                    await child.close()
                self._forget(child)
                gone.append(child)
                excess -= 1
        if gone:
            await self.remove_children(gone)
