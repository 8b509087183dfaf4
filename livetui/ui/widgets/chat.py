"""The chat log: the conversation as it happens, one entry per user turn, model reply, notice or error.

It shows the session events a person reads (`UserText`, text deltas, transcripts, function calls,
interruptions, notices, errors) and keeps the view anchored to the bottom while a reply streams, until the
user scrolls up. Long sessions keep only the newest :data:`MAX_ENTRIES` entries mounted. Keyboard
navigation, selection and copying, the new-text flag and the first-turn hint are `NavigableLog`'s
(`chat_nav.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.geometry import Size
from textual.widget import Widget

from livetui import events as ev
from livetui.session.engine import LiveSession
from livetui.ui.messages import SessionEvent
from livetui.ui.widgets.chat_nav import NavigableLog
from livetui.ui.widgets.entries import ErrorEntry, HeardEntry, NoticeEntry, UserEntry
from livetui.ui.widgets.model_turn import ModelTurn
from livetui.ui.widgets.tool_calls import CallView
from livetui.ui.widgets.tool_entry import ToolEntry

MAX_ENTRIES = 200
"""Entries kept mounted; older ones are removed as new ones arrive."""


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

    def compose(self) -> ComposeResult:
        """The start-up notices."""
        for notice in self.notices:
            yield NoticeEntry(notice)

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
        return list(self.query_children(ModelTurn))

    @on(SessionEvent)
    async def _on_session_event(self, message: SessionEvent) -> None:
        event, session = message.event, message.session
        match event:
            case ev.UserText(turn=turn, text=text):
                await self._append(UserEntry(turn, text))
                await self._model_turn(turn, session)
            case ev.TextDelta(turn=turn, text=text, thought=thought):
                await (await self._model_turn(turn, session)).add_text(text, thought=thought)
            case ev.OutputTranscript(turn=turn, text=text):
                (await self._model_turn(turn, session)).add_transcript(text)
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
                await (await self._model_turn(turn, session)).interrupt(by)
            case ev.TurnComplete(turn=turn, reason=reason):
                model_turn = self._turns.get(turn)
                if model_turn is not None:
                    await model_turn.finish(reason)
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
        await self.remove_children()
        self.anchor(False)

    async def _model_turn(self, turn: int, session: LiveSession | None) -> ModelTurn:
        model_turn = self._turns.get(turn)
        if model_turn is None:
            model_turn = self._turns[turn] = ModelTurn(turn, session)
            await self._append(model_turn)
        return model_turn

    async def _heard_entry(self, event: ev.InputTranscript) -> None:
        entry = self._heard.get(event.turn)
        if entry is None:
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

    async def _append(self, entry: Widget) -> None:
        await self.mount(entry)
        excess = len(self.children) - MAX_ENTRIES
        if excess > 0:
            old = list(self.children[:excess])
            for widget in old:
                if isinstance(widget, ModelTurn):
                    await widget.close()
                    self._turns.pop(widget.turn, None)
                elif isinstance(widget, HeardEntry):
                    self._heard.pop(widget.turn, None)
                elif isinstance(widget, ToolEntry):
                    self._tool_entries.pop(widget.call_id, None)
            await self.remove_children(old)
