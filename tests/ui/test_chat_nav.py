"""The chat log from the keyboard: scroll keys from the composer, selecting and copying an entry (live or
archived), the "↓ new text" marker, and the first-turn hint."""

from __future__ import annotations

from typing import Any

import pytest
from rich.color import Color
from rich.segment import Segment
from textual.pilot import Pilot
from textual.widget import Widget

from livetui.config import Settings
from livetui.server.app import LiveServer, ServerConfig
from livetui.session.connect import connect_to
from livetui.ui.app import LiveApp, make_app
from livetui.ui.widgets import archive
from livetui.ui.widgets.archive import ArchiveBlock, ArchivedEntry, Palette
from livetui.ui.widgets.chat import ChatLog
from livetui.ui.widgets.chat_nav import SELECTED
from livetui.ui.widgets.entries import ErrorEntry, UserEntry
from livetui.ui.widgets.first_hint import FirstHint
from tests.conftest import ScriptWriter, ServerStarter
from tests.ui.waiting import live_app, send, until, until_live

CODE_REPLY = "Here it is:\n\n```python\nprint('hi')\n```\n\nand a shell line:\n\n```sh\nls -l\n```\n"
"""A reply with two code blocks."""
TALL_REPLY = "\n\n".join(f"paragraph {index} of a tall reply" for index in range(60))
"""A reply taller than the screen."""
SCRIPT = {"rules": [{"match": "code", "reply": CODE_REPLY}, {"match": "tall", "reply": TALL_REPLY}]}
"""Replies by the words of the message."""


@pytest.fixture
async def app(start_live_server: ServerStarter, write_script: ScriptWriter, settings: Settings) -> LiveApp:
    """The app on a local server answering with `SCRIPT`."""
    server = await start_live_server(ServerConfig(script=write_script(SCRIPT)))
    return make_app(settings, connect_to(server.url, settings))


async def tall_reply_shown(pilot: Pilot[Any]) -> ChatLog:
    """Once live, ask for the tall reply and wait for the chat to show its end; the chat log."""
    await until_live(pilot)
    await reply_to(pilot, "tall", 1)
    chat = live_app(pilot).main.chat
    await until(pilot, lambda: at_bottom(chat), "the chat at its newest text")
    return chat


async def reply_to(pilot: Pilot[Any], text: str, turn: int) -> None:
    """Send `text` and wait for turn `turn`'s reply to complete."""
    await send(pilot, text)
    chat = live_app(pilot).main.chat
    await until(pilot, lambda: (t := chat.turn(turn)) is not None and t.complete, f"reply {turn}")


def toasts(app: LiveApp) -> list[str]:
    """The text of the toasts on screen."""
    return [str(toast.render()) for toast in app.screen.query("Toast")]


def selected(chat: ChatLog) -> Widget | ArchivedEntry | None:
    """The chat's selected entry (read through a call, so each read is a fresh one for the type checker)."""
    return chat.selected


def at_bottom(chat: ChatLog) -> bool:
    """True when the chat overflows and shows its newest text."""
    return chat.max_scroll_y > 0 and chat.scroll_y == chat.max_scroll_y


async def test_scroll_keys_in_the_composer_scroll_the_chat(app: LiveApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        chat, composer = await tall_reply_shown(pilot), app.main.composer
        bottom = chat.scroll_y
        await pilot.press("pageup")
        assert app.focused is composer
        assert chat.scroll_y == bottom - chat.scrollable_content_region.height
        await pilot.press("pagedown")
        assert chat.scroll_y == bottom
        await pilot.press("home")  # the box is empty: Home and End are the chat's
        assert chat.scroll_y == 0
        await pilot.press("end")
        assert chat.scroll_y == bottom
        await pilot.press("x", "home")  # with text, Home is the line's start again
        assert chat.scroll_y == bottom and composer.cursor_location == (0, 0)
        await pilot.press("ctrl+home")
        assert chat.scroll_y == 0


async def test_a_selected_reply_and_its_code_blocks_are_copied(app: LiveApp) -> None:
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await until_live(pilot)
        await reply_to(pilot, "some code please", 1)
        chat = app.main.chat
        reply = chat.turn(1)
        assert reply is not None
        await pilot.press("f2")
        assert app.focused is chat
        await pilot.press("up")
        assert selected(chat) is reply and reply.has_class(SELECTED)
        await pilot.press("c")
        assert app.clipboard == reply.text
        assert "print('hi')" in app.clipboard and "ls -l" in app.clipboard
        await pilot.press("b")
        assert app.clipboard == "print('hi')\n\nls -l\n"
        await until(pilot, lambda: any("copied 2 code blocks" in toast for toast in toasts(app)), "the toast")
        await pilot.press("k")
        user = chat.query_one(UserEntry)
        assert selected(chat) is user and user.has_class(SELECTED) and not reply.has_class(SELECTED)
        await pilot.press("c")
        assert app.clipboard == "some code please"
        await pilot.press("j")
        assert selected(chat) is reply
        await pilot.press("escape")
        await until(pilot, lambda: app.focused is app.main.composer, "the composer focused again")
        assert not reply.has_class(SELECTED)


async def test_new_text_does_not_move_a_view_scrolled_up_and_the_marker_brings_it_back(app: LiveApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        chat = await tall_reply_shown(pilot)
        marker = app.main.query_one("#new-text")
        assert not marker.display
        await pilot.press("pageup", "pageup")
        scrolled = chat.scroll_y
        await reply_to(pilot, "tall again", 2)
        await pilot.pause()
        assert chat.scroll_y == scrolled, "the view stayed where the user left it"
        assert chat.scroll_y < chat.max_scroll_y and marker.display
        await pilot.click("#new-text")
        await until(pilot, lambda: at_bottom(chat), "the view back at the newest text")
        assert not marker.display
        await pilot.press("pageup")
        await reply_to(pilot, "tall once more", 3)
        assert marker.display
        await pilot.press("end")  # the key does what the click does
        assert at_bottom(chat) and not marker.display


async def test_the_first_screen_shows_a_hint_until_the_first_turn(app: LiveApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        hint = app.main.chat.query_one(FirstHint)
        await until(pilot, lambda: "press Enter" in str(hint.render()), "the hint's text")
        text = str(hint.render())
        assert "esc interrupts" in text and "f1 lists every key" in text
        assert "just speak" not in text, "a text-only session has no microphone"
        await reply_to(pilot, "hi", 1)
        assert not app.main.chat.query(FirstHint)


async def test_the_hint_names_remapped_keys_and_the_interrupt_key_dismisses_it(
    live_server: LiveServer,
) -> None:
    settings = Settings(text_only=True, keymap={"interrupt": "ctrl+x", "help": "f10"})
    app = make_app(settings, connect_to(live_server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        await until_live(pilot)
        hint = app.main.chat.query_one(FirstHint)
        await until(pilot, lambda: "press Enter" in str(hint.render()), "the hint's text")
        assert "^x interrupts" in str(hint.render()) and "f10 lists every key" in str(hint.render())
        await pilot.press("ctrl+x")
        await until(pilot, lambda: not app.main.chat.query(FirstHint), "the hint to go")


async def archived_code_reply(pilot: Pilot[Any]) -> tuple[ChatLog, ArchivedEntry]:
    """Once live, the code reply at turn 1 and five more turns, so that it is archived; the chat log and
    the archived reply."""
    await until_live(pilot)
    await reply_to(pilot, "code", 1)
    for turn in range(2, 7):
        await reply_to(pilot, f"hi {turn}", turn)
    chat = live_app(pilot).main.chat
    await until(pilot, lambda: chat.turn(1) is None, "turn 1 archived")
    reply = next(entry for entry in chat.archived if entry.kind == "model" and entry.turn == 1)
    return chat, reply


def holding(chat: ChatLog, entry: ArchivedEntry) -> tuple[ArchiveBlock, int]:
    """The archive block holding `entry`, and its index there."""
    for block in chat.query_children(ArchiveBlock):
        if (index := block.index(entry)) is not None:
            return block, index
    raise AssertionError(f"{entry} is not archived")


def in_view(chat: ChatLog, entry: ArchivedEntry) -> bool:
    """True when every line of the archived entry is inside the chat's view."""
    block, index = holding(chat, entry)
    top, height = block.lines_of(index)
    y = block.virtual_region.y + top
    return chat.scroll_y <= y and y + height <= chat.scroll_y + chat.scrollable_content_region.height


def background(segment: Segment) -> Color | None:
    """A drawn segment's background colour."""
    return segment.style.bgcolor if segment.style is not None else None


def live_entries(chat: ChatLog) -> list[Widget]:
    """The chat's selectable live entries, oldest first."""
    return [
        child
        for child in chat.children
        if isinstance(getattr(child, "text", None), str) and not child.has_class("-spare")
    ]


async def test_an_archived_reply_is_selected_highlighted_scrolled_to_and_copied(
    app: LiveApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        chat, reply = await archived_code_reply(pilot)
        assert not in_view(chat, reply), "the reply starts out of view, above the live entries"
        await pilot.press("f2")
        for _ in range(len(chat.archived) + len(live_entries(chat))):
            if selected(chat) is reply:
                break
            await pilot.press("up")
        assert selected(chat) is reply
        block, index = holding(chat, reply)
        assert block.selected == index
        assert [b for b in chat.query_children(ArchiveBlock) if b.selected is not None] == [block]
        assert not chat.query(f".{SELECTED}"), "no live entry highlighted"
        await until(pilot, lambda: in_view(chat, reply), "the archived reply scrolled into view")

        palette = Palette(app.get_css_variables())
        tint, accent = palette.fill("accent", 0.2).bgcolor, palette.style("accent").color
        top, height = block.lines_of(index)
        lines = [list(block.render_line(y)) for y in range(top, top + height)]
        assert all(line[0].text == "▌" and line[0].style and line[0].style.color == accent for line in lines)
        assert all(any(background(segment) == tint for segment in line) for line in lines)
        above = block.render_line(block.lines_of(index - 1)[0])  # the user's turn just before
        assert not any(background(segment) == tint for segment in above)

        await pilot.press("c")
        assert app.clipboard == reply.text and "print('hi')" in reply.text and "ls -l" in reply.text
        await pilot.press("b")
        assert app.clipboard == "print('hi')\n\nls -l\n"
        await until(pilot, lambda: any("copied 2 code blocks" in toast for toast in toasts(app)), "the toast")

        drawn: list[tuple[ArchivedEntry, bool]] = []
        draw = archive.draw

        def counted(entry: ArchivedEntry, palette: Palette, *, selected: bool = False) -> archive.Barred:
            drawn.append((entry, selected))
            return draw(entry, palette, selected=selected)

        monkeypatch.setattr(archive, "draw", counted)
        await pilot.press("k")
        user = chat.archived[chat.archived.index(reply) - 1]
        assert selected(chat) is user and block.selected == index - 1
        await until(pilot, lambda: bool(drawn), "the block drawn again")
        await pilot.press("j")
        await until(pilot, lambda: block.selected == index, "the reply selected again")
        await pilot.pause()
        assert drawn == [(user, True)], "a selection change draws one entry afresh, not the log"


async def test_the_selection_walks_from_the_live_entries_into_the_archive_and_back(app: LiveApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        chat, _ = await archived_code_reply(pilot)
        archived, live = chat.archived, live_entries(chat)
        await pilot.press("f2")
        walked: list[Widget | ArchivedEntry | None] = []
        for _ in range(len(archived) + len(live)):
            await pilot.press("up")
            walked.append(selected(chat))
        assert [id(entry) for entry in walked] == [id(entry) for entry in reversed([*archived, *live])]
        await pilot.press("up")  # the oldest entry stays selected
        assert selected(chat) is archived[0]

        for _ in range(len(archived) - 1):
            await pilot.press("j")
        newest_archived, oldest_live = archived[-1], live[0]
        block, index = holding(chat, newest_archived)
        assert selected(chat) is newest_archived and block.selected == index
        assert not oldest_live.has_class(SELECTED)
        await pilot.press("j")  # out of the archive
        assert selected(chat) is oldest_live and oldest_live.has_class(SELECTED)
        assert all(b.selected is None for b in chat.query_children(ArchiveBlock))
        await pilot.press("k")  # and back into it
        assert selected(chat) is newest_archived and block.selected == index
        assert not oldest_live.has_class(SELECTED)
        await pilot.press("c")
        assert app.clipboard == newest_archived.text
        await pilot.press("tab")
        await until(pilot, lambda: app.focused is app.main.composer, "the composer focused again")
        assert selected(chat) is None and block.selected is None, "leaving the log clears the selection"


async def test_the_hint_goes_when_the_session_ends_for_good(
    start_live_server: ServerStarter, settings: Settings
) -> None:
    server = await start_live_server(ServerConfig(key="right-key"))  # refuses the keyless client: fatal
    app = make_app(settings, connect_to(server.url, settings))
    async with app.run_test(size=(120, 40)) as pilot:
        chat = app.main.chat

        def refused() -> bool:
            return any("refused the API key" in str(entry.render()) for entry in chat.query(ErrorEntry))

        await until(pilot, refused, "the error")
        await until(pilot, lambda: not chat.query(FirstHint), "the hint to go: there is nothing to type to")
