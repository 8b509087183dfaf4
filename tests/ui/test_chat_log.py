"""The chat log under load: turns faster than they mount, turns dropped while text still arrives, and old
entries folded into archive blocks that still show what the live entries showed."""

from __future__ import annotations

import asyncio
import time

import pytest
from textual.app import App, ComposeResult
from textual.dom import DOMNode
from textual.geometry import Region
from textual.message import Message
from textual.widgets import Label

from livetui import events as ev
from livetui.ui.app import STYLES
from livetui.ui.messages import SessionEvent, wrap
from livetui.ui.widgets import chat
from livetui.ui.widgets.archive import ArchiveBlock
from livetui.ui.widgets.chat import ChatLog
from livetui.ui.widgets.entries import UserEntry
from livetui.ui.widgets.growing import StreamedParagraph
from livetui.ui.widgets.model_turn import ModelTurn
from tests.ui.waiting import TIMEOUT, until


class LogApp(App[None]):
    """A chat log alone, 60 columns wide."""

    CSS_PATH = [STYLES / "chat.tcss"]

    def compose(self) -> ComposeResult:
        yield ChatLog()


def deliver(log: ChatLog, *events: ev.AnyEvent) -> None:
    """Post events to the log without waiting for any of them (as a fast server's burst arrives)."""
    for event in events:
        log.post_message(SessionEvent(event, None))


def drawn(block: ArchiveBlock) -> str:
    """The text a block draws."""
    strips = block.render_lines(Region(0, 0, block.size.width, block.size.height))
    return "\n".join(strip.text for strip in strips)


async def test_text_reaching_a_turn_before_its_children_are_mounted_is_shown_once_they_are() -> None:
    async with LogApp().run_test(size=(60, 30)) as pilot:
        log = pilot.app.query_one(ChatLog)
        turn = ModelTurn(1, None)
        _ = log.mount(turn)  # not awaited: the delta comes before the turn has composed its children
        await turn.add_text("Hello **there**")
        await turn.add_text(", friend.")
        await until(pilot, lambda: bool(turn.query(".reply")), "the turn's children")
        await until(pilot, lambda: turn.markdown.source == "Hello **there**, friend.", "the early text")
        assert turn.text == "Hello **there**, friend."


async def test_a_burst_of_deltas_queued_for_the_log_is_handled_as_few_and_loses_nothing() -> None:
    handled: list[ev.TextDelta] = []

    def hook(message: Message) -> None:
        if isinstance(message, SessionEvent) and isinstance(message.event, ev.TextDelta):
            handled.append(message.event)

    words = [f"word{i} " for i in range(60)]
    async with LogApp().run_test(size=(60, 30), message_hook=hook) as pilot:
        log = pilot.app.query_one(ChatLog)
        burst: list[ev.AnyEvent] = [ev.UserText(turn=1, text="go")]
        burst += [ev.TextDelta(turn=1, text=word) for word in words[:30]]
        burst += [ev.TextDelta(turn=1, text="a thought", thought=True)]
        burst += [ev.TextDelta(turn=1, text=word) for word in words[30:]]
        burst += [ev.TurnComplete(turn=1, reason="complete")]
        for event in burst:
            log.post_message(wrap(event, None))
        await until(pilot, lambda: (t := log.turn(1)) is not None and t.complete, "the reply to finish")
        turn = log.turn(1)
        assert turn is not None
        assert turn.text == "".join(words)
        assert turn.thought_chunks == ["a thought"]  # a thought is never folded into the reply's text
        await until(pilot, lambda: turn.markdown.source == "".join(words), "the whole reply shown")
    assert len(handled) < len(words) // 2  # queued deltas of one turn and kind were folded together
    assert "".join(d.text for d in handled if not d.thought) == "".join(words)


async def test_turns_dropped_by_the_cap_while_text_still_arrives_stay_gone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(chat, "MAX_ENTRIES", 6)
    async with LogApp().run_test(size=(60, 30)) as pilot:
        log = pilot.app.query_one(ChatLog)
        for turn in range(1, 41):
            deliver(
                log, ev.UserText(turn=turn, text=f"question {turn}"), ev.TextDelta(turn=turn, text="reply ")
            )
            if turn > 4:  # an older turn, still streaming, gets more text after newer turns pushed it out
                deliver(log, ev.TextDelta(turn=turn - 4, text="late "), ev.TurnComplete(turn=turn - 4))
        deliver(log, ev.TextDelta(turn=40, text="40"))
        await until(
            pilot, lambda: (t := log.turn(40)) is not None and t.markdown.source == "reply 40", "turn 40"
        )
        await pilot.pause()
        numbers = [turn.turn for turn in log.model_turns]
        assert numbers == sorted(set(numbers)), "each turn once, in order: no old turn reborn at the bottom"
        assert numbers[-1] == 40 and log.entry_count <= chat.MAX_ENTRIES
        assert log.turn(2) is None


async def test_old_entries_are_archived_and_show_what_they_showed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chat, "LIVE_ENTRIES", 4)
    async with LogApp().run_test(size=(60, 30)) as pilot:
        log = pilot.app.query_one(ChatLog)
        for turn in range(1, 21):
            deliver(log, ev.UserText(turn=turn, text=f"question {turn}"))
            deliver(log, ev.TextDelta(turn=turn, text=f"The **answer** to {turn}."))
            if turn == 3:
                deliver(log, ev.Interrupted(turn=turn, by="user"))
            deliver(log, ev.TurnComplete(turn=turn, reason="interrupted" if turn == 3 else "complete"))
        deliver(log, ev.Notice(message="the last notice"))
        await until(
            pilot, lambda: bool(log.archived) and log.archived[-1].text == "question 19", "the archive"
        )
        await pilot.pause()

        live = [c for c in log.children if not isinstance(c, ArchiveBlock) and not c.has_class("-spare")]
        assert len(live) == 4, "only the newest entries stay widgets of their own"
        assert len(log.query_children(ArchiveBlock)) <= 3, "40 old entries in a few blocks"
        archived = log.archived
        assert [e.text for e in archived[:2]] == ["question 1", "The **answer** to 1."]
        assert archived[5].marker == "■ interrupted by you" and archived[5].warn

        blocks = list(log.query_children(ArchiveBlock))
        first = drawn(blocks[0])
        assert "question 1" in first and "The answer to 1." in first, "the reply drawn as Markdown"
        assert "model · turn 3" in first and "■ interrupted by you" in first
        assert blocks[0].size.height == len(first.splitlines()) > 20


async def test_a_reply_shows_and_stops_waiting_without_restyling_its_widgets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Claiming the spare reply and its first delta are on the way to the first paint: neither restyles the
    turn and its children (a class change would), yet the turn shows, and "waiting…" goes."""
    async with LogApp().run_test(size=(60, 30)) as pilot:
        log = pilot.app.query_one(ChatLog)
        await until(pilot, lambda: bool(log.query_children(ModelTurn)), "the spare reply")
        restyled: list[object] = []
        update_styles = pilot.app.update_styles

        def recorded(node: DOMNode, animate: bool = True) -> None:
            restyled.append(node)
            update_styles(node, animate)

        monkeypatch.setattr(pilot.app, "update_styles", recorded)
        deliver(log, ev.UserText(turn=1, text="hello"))
        await until(pilot, lambda: log.turn(1) is not None, "the reply")
        turn = log.turn(1)
        assert turn is not None
        waiting = turn.query_one(".waiting", Label)
        await pilot.pause()
        assert turn.display and waiting.display and waiting.region.height == 1
        deliver(log, ev.TextDelta(turn=1, text="Hi **there**"))
        await until(pilot, lambda: turn.markdown.source == "Hi **there**", "the text")
        await pilot.pause()
        assert not waiting.display and waiting.region.height == 0
        assert turn.region.height > 0
        assert turn not in restyled


async def test_a_selected_entry_stays_selected_once_archived(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chat, "LIVE_ENTRIES", 4)
    async with LogApp().run_test(size=(60, 30)) as pilot:
        log = pilot.app.query_one(ChatLog)

        def turn(number: int) -> None:
            deliver(log, ev.UserText(turn=number, text=f"question {number}"))
            deliver(log, ev.TextDelta(turn=number, text=f"The **answer** to {number}."))
            deliver(log, ev.TurnComplete(turn=number, reason="complete"))

        turn(1)
        turn(2)
        await until(pilot, lambda: (t := log.turn(2)) is not None and t.complete, "turn 2")
        log.focus()
        await pilot.press("up", "up", "up", "up")
        first = log.selected
        assert isinstance(first, UserEntry) and first.text == "question 1"
        turn(3)  # a reply arriving while the user reads: question 1 is archived
        await until(pilot, lambda: bool(log.archived), "the archive")
        archived = log.archived[0]
        assert log.selected is archived and archived.text == "question 1"
        block = log.query_one(ArchiveBlock)
        assert block.selected == 0
        await pilot.press("c")
        assert pilot.app.clipboard == "question 1"
        await pilot.press("j")
        assert log.selected is log.archived[1] and block.selected == 1


async def test_a_reply_s_first_text_is_painted_once_appended_not_at_the_next_frame(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with LogApp().run_test(size=(60, 30)) as pilot:
        log = pilot.app.query_one(ChatLog)
        turn = ModelTurn(1, None)
        await log.mount(turn)
        await pilot.pause()
        screen = pilot.app.screen
        monkeypatch.setattr(screen._update_timer, "resume", lambda: None)  # no frame ticks from here on

        await turn.add_text("Hello **there**")

        def on_screen() -> bool:  # (what the last update painted: the compositor's map is made to paint)
            painted = screen._compositor.visible_widgets
            return any(isinstance(block, StreamedParagraph) for block in painted)

        deadline = time.monotonic() + TIMEOUT
        while not on_screen():  # (no `pilot.pause()`: it would paint)
            assert time.monotonic() < deadline, "the first text was not painted without a frame tick"
            await asyncio.sleep(0.005)
        assert turn.markdown.source == "Hello **there**"

        await turn.add_text(", friend.")  # later text waits for the next frame, with whatever else came
        await pilot.pause()
        assert turn.markdown.source == "Hello **there**, friend."
