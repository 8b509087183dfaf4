"""The composer: a pasted block is one message, Ctrl+J starts a line, Up/Down walk the history, and a
message longer than a frame is sent whole."""

from __future__ import annotations

import json

import pytest
from textual import events
from textual.widgets import TextArea

from livetui.config import Settings
from livetui.providers.gemini.codec import MAX_FRAME_BYTES
from livetui.server.script import ReplySpec, Script
from livetui.session.connect import connect_to
from livetui.ui.app import LiveApp, make_app
from livetui.ui.widgets import composer as composer_module
from livetui.ui.widgets.composer import Composer
from livetui.ui.widgets.entries import UserEntry
from tests.conftest import ServerStarter
from tests.ui.recording_brain import RecordingBrain
from tests.ui.waiting import send, until, until_live

FIVE_LINES = "first line\nsecond line\n\n  fourth, indented\nfifth and last"
"""A pasted block: five lines, one of them blank, one indented."""


@pytest.fixture
def brain() -> RecordingBrain:
    """The local server's brain: answers every message "got it" and keeps what it was asked."""
    return RecordingBrain(Script(default=ReplySpec(reply="got it")))


@pytest.fixture
async def app(start_live_server: ServerStarter, brain: RecordingBrain, settings: Settings) -> LiveApp:
    """The app on a local server started for the test with `brain`."""
    server = await start_live_server(brain=brain)
    return make_app(settings, connect_to(server.url, settings))


def journaled_user_texts(app: LiveApp) -> list[str]:
    """The text of every `user_text` event in the session's journal."""
    keeper = app.keeper
    assert keeper is not None and keeper.directory is not None
    lines = (keeper.directory / "events.jsonl").read_text(encoding="utf-8").splitlines()
    events_ = [json.loads(line)["event"] for line in lines]
    return [event["text"] for event in events_ if event["kind"] == "user_text"]


def user_texts(app: LiveApp) -> list[str]:
    """The user's turns in the chat log."""
    return [entry.text for entry in app.main.chat.query(UserEntry)]


async def test_a_pasted_block_is_one_message_with_every_line(app: LiveApp, brain: RecordingBrain) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        app.post_message(events.Paste(FIVE_LINES))  # what the terminal's bracketed paste delivers
        await until(pilot, lambda: app.main.composer.text == FIVE_LINES, "the paste in the composer")
        assert app.main.composer.region.height == 7, "the box grows to five lines"
        await pilot.press("enter")
        await until(pilot, lambda: (t := app.main.chat.turn(1)) is not None and t.complete, "the reply")
        assert user_texts(app) == [FIVE_LINES]
        assert brain.heard == [FIVE_LINES], "the server answered one message holding all five lines"
        assert journaled_user_texts(app) == [FIVE_LINES]
        assert app.main.composer.text == ""


async def test_ctrl_j_starts_a_new_line_and_enter_sends(app: LiveApp, brain: RecordingBrain) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        await pilot.press("a", "ctrl+j", "b")
        assert app.main.composer.text == "a\nb" and app.main.chat.turn(1) is None
        await pilot.press("enter")
        await until(pilot, lambda: brain.heard == ["a\nb"], "the two-line message at the server")
        assert user_texts(app) == ["a\nb"]


async def test_up_and_down_walk_the_sent_messages_and_return_to_the_draft(app: LiveApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        composer = app.main.composer
        await send(pilot, "one")
        await until(pilot, lambda: (t := app.main.chat.turn(1)) is not None and t.complete, "reply 1")
        await send(pilot, "two")
        await until(pilot, lambda: (t := app.main.chat.turn(2)) is not None and t.complete, "reply 2")
        await pilot.press("x")
        walk = []
        for key in ("up", "up", "up", "down", "down", "down"):
            await pilot.press(key)
            walk.append(composer.text)
        assert walk == ["two", "one", "one", "two", "x", "x"]
        await pilot.press("up", "enter")  # a recalled message is sent again as it is
        await until(pilot, lambda: user_texts(app) == ["one", "two", "two"], "the recalled message sent")


async def test_up_in_a_message_of_several_lines_moves_the_cursor(app: LiveApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        await send(pilot, "sent")
        await until(pilot, lambda: user_texts(app) == ["sent"], "the message")
        await pilot.press("a", "ctrl+j", "b", "up")
        composer = app.main.composer
        assert composer.text == "a\nb" and composer.cursor_location == (0, 1)


async def test_a_message_longer_than_a_frame_is_sent_whole(app: LiveApp, brain: RecordingBrain) -> None:
    long_text = "".join(f"line {index:07d} of a long paste\n" for index in range(40_000)) + "the end"
    assert len(long_text.encode()) > MAX_FRAME_BYTES
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        app.main.composer.value = long_text
        await pilot.press("enter")
        await until(pilot, lambda: (t := app.main.chat.turn(1)) is not None and t.complete, "the reply")
        session = app.session
        assert session is not None and session.ready, "the connection is still open (no 1009)"
        assert brain.heard == [long_text]
        assert journaled_user_texts(app) == [long_text]
        reply = app.main.chat.turn(1)
        assert reply is not None and reply.text == "got it"


async def test_the_cursor_holds_still_when_idle_and_blinks_again_at_a_key(
    app: LiveApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(composer_module, "BLINK_IDLE_SECONDS", 1.2)  # the blink toggles every 0.5 s
    blinks: list[TextArea] = []

    def blink(self: TextArea) -> None:
        blinks.append(self)  # counted, not drawn

    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", blink)
    held: list[bool] = []
    hold = Composer._hold_cursor

    def spy(self: Composer) -> None:
        held.append(self.has_focus)  # a hold before the box has the focus stops nothing
        hold(self)

    monkeypatch.setattr(Composer, "_hold_cursor", spy)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: any(held), "the focused cursor to hold still")
        await pilot.pause()
        still = len(blinks)
        await pilot.pause(1.5)  # three blink periods
        assert len(blinks) == still, "no blink once the cursor holds still"
        monkeypatch.setattr(composer_module, "BLINK_IDLE_SECONDS", 600.0)  # no second hold during the wait
        await pilot.press("h")
        await until(pilot, lambda: len(blinks) > still, "the cursor to blink again after a key")
